import { expect } from "chai";
import { ALERT_DEFINITIONS } from "../../../components/observability/alerts";
import { APP_NAMESPACE, ARGO_ROLLOUTS_NAMESPACE, BACKEND } from "../../../components/regional-cluster/manifests";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, REGIONAL_STACKS } from "../../support/fixtures";

type Obj = Record<string, any>;
const alert = (id: string) => ALERT_DEFINITIONS.find((d) => d.id === id)!;

/**
 * The API runs as an Argo Rollout, which kube-state-metrics does not count as a Deployment: the alerts that say
 * "the API is down" (P0) and "a rollout failed" (P1) must read the Rollouts controller's gauges, and Prometheus
 * must scrape the controller's metrics Service the chart creates. Otherwise the region's API can be down, or a
 * canary aborted, and nobody is paged.
 */
describe("the API's availability and rollout alerts read the backend Rollout (issue 13)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("every regional stack runs the backend as a Rollout in the app namespace", () => {
        for (const stack of REGIONAL_STACKS) {
            const rollouts = ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Rollout").map((r) => r.inputs.metadata as Obj);
            expect(
                rollouts.map((m) => `${m.namespace}/${m.name}`),
                stack,
            ).to.deep.equal([`${APP_NAMESPACE}/${BACKEND}`]);
        }
    });

    it("P0 api-unavailable counts the Rollout's available replicas in the app namespace, not a Deployment's", () => {
        const expr = alert("api-unavailable").prometheus!;
        expect(expr).to.match(/rollout_info_replicas_available\{namespace="([^"]+)"\}/);
        expect(/namespace="([^"]+)"/.exec(expr)![1]).to.equal(APP_NAMESPACE);
        expect(expr).not.to.contain("kube_deployment");
    });

    it("P1 deployment-rollout-stuck covers both a stuck Deployment (the worker) and a Degraded Rollout (the backend)", () => {
        const expr = alert("deployment-rollout-stuck").prometheus!;
        expect(expr).to.contain('kube_deployment_status_condition{condition="Progressing",status="false"}');
        expect(expr).to.contain('rollout_info{phase="Degraded"}');
    });

    it("Prometheus scrapes the controller's metrics Service where the chart installs it, with metrics on", () => {
        for (const stack of REGIONAL_STACKS) {
            const release = ofType(runs[stack], "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "argo-rollouts")!;
            expect(release, stack).to.not.equal(undefined);
            expect(release.inputs.namespace, stack).to.equal(ARGO_ROLLOUTS_NAMESPACE);
            const values = release.inputs.values as Obj;
            expect(values.controller.metrics.enabled, stack).to.equal(true);
            const monitor = ofType(runs[stack], "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
                .map((m) => m.inputs as Obj)
                .find((m) => m.metadata.name === "argo-rollouts")!;
            expect(monitor, stack).to.not.equal(undefined);
            expect(monitor.spec.namespaceSelector.matchNames).to.deep.equal([release.inputs.namespace]);
            // The chart's metrics Service carries app.kubernetes.io/component: <controller.component> (values.yaml default
            // "rollouts-controller", not overridden here) and names its port after controller.metrics.service.portName.
            expect(monitor.spec.selector.matchLabels["app.kubernetes.io/component"]).to.equal(values.controller.component ?? "rollouts-controller");
            expect(monitor.spec.endpoints[0].port).to.equal(values.controller.metrics.service?.portName ?? "metrics");
        }
    });
});
