// Stack config keys of the app workloads the regional stacks run (backend, worker).
import { AppImageDigests, appImageDigestProblems, APPS } from "../../components/app-images";
import { DELIVERY_STRATEGIES } from "../../components/regional-cluster/rollout";
import { CLUSTER_DEFAULTS, CLUSTER_LIMITS } from "../../components/regional-cluster";
import { argsOf, key, REGIONAL_ROLES } from "./define";

const clusterArg = argsOf("RegionalCluster", CLUSTER_DEFAULTS, CLUSTER_LIMITS);

export const APP_KEYS = {
    appImages: key<AppImageDigests>({
        type: "object",
        description: `The release each app runs in this stack, as image digests { ${APPS.map((a) => `${a}: sha256:...`).join(", ")} } in the stack's regional ECR repositories (bookedbarber/<app>). Per stack so that a release rolls out in the deploy waves, us-east-1 first (docs/delivery.md); the app pipeline sets it with \`pulumi config set --path bookedbarber:appImages.backend sha256:...\`.`,
        roles: REGIONAL_ROLES,
        check: appImageDigestProblems,
    }),
    backendDeliveryStrategy: key<string>({
        type: "string",
        description: `How a backend release reaches users (docs/delivery.md, "Progressive delivery"): \`canary\` shifts 10%, 25%, 50%, then 100% of traffic to it through Istio, each step gated by the Prometheus analysis of its 5xx share and p95 latency (thresholds from the alert table), aborting and rolling back on a failed analysis; \`blueGreen\` starts it beside the live release behind a preview Service and switches the active Service after the same analysis passes. One of ${DELIVERY_STRATEGIES.join(", ")}.`,
        ...clusterArg("backendDeliveryStrategy"),
        roles: REGIONAL_ROLES,
    }),
};
