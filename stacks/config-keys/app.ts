// Stack config keys of the app workloads the regional stacks run (backend, worker).
import { AppImageDigests, appImageDigestProblems, APPS } from "../../components/app-images";
import { key, REGIONAL_ROLES } from "./define";

export const APP_KEYS = {
    appImages: key<AppImageDigests>({
        type: "object",
        description: `The release each app runs in this stack, as image digests { ${APPS.map((a) => `${a}: sha256:...`).join(", ")} } in the stack's regional ECR repositories (bookedbarber/<app>). Per stack so that a release rolls out in the deploy waves, us-east-1 first (docs/delivery.md); the app pipeline sets it with \`pulumi config set --path bookedbarber:appImages.backend sha256:...\`.`,
        roles: REGIONAL_ROLES,
        check: appImageDigestProblems,
    }),
};
