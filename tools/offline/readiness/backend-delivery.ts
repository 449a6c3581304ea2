import { alertDefinition } from "../../../components/observability/alerts";
import { APP_NAMESPACE, BACKEND } from "../../../components/regional-cluster/manifests";
import type { PlanFile } from "../plan-file";
import type { ReadinessCheck, ReadinessItem } from "./types";

type Any = Record<string, any>;
const ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout";
const ANALYSIS = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate";
const inNs = (plan: PlanFile, type: string) =>
    plan.resources.filter((r) => r.type === type && (r.inputs.metadata as Any)?.namespace === APP_NAMESPACE).map((r) => r.inputs as Any);
const host = (service: string) => `${service}.${APP_NAMESPACE}.svc.cluster.local`;

/**
 * What a backend release needs from the plan to run (docs/delivery.md, "Progressive delivery"): the
 * Rollout's Services, the VirtualService route it re-weights (with exactly the stable and canary hosts),
 * the AnalysisTemplate every analysis names, canary weights rising to 100, analysis thresholds that are
 * the alert table's, and an HPA that scales the Rollout. Each of these fails only on a live rollout.
 */
export const backendDelivery: ReadinessCheck = (plan, all) => {
    const section = { title: "backend delivery", items: [] as ReadinessItem[] };
    const rollouts = inNs(plan, ROLLOUT).filter((r) => r.metadata.name === BACKEND);
    if (rollouts.length === 0) {
        section.items.push(...edgeHealthPathItems(plan, all));
        return section;
    }
    const item = (subject: string, detail: string, ok: boolean, problem: string) => section.items.push(ok ? { subject, detail } : { subject, detail, problem });
    const rollout = rollouts[0];
    const services = new Set(
        plan.resources
            .filter((r) => r.type === "kubernetes:core/v1:Service" && (r.inputs.metadata as Any)?.namespace === APP_NAMESPACE)
            .map((r) => (r.inputs.metadata as Any).name),
    );
    const templates = inNs(plan, ANALYSIS);
    const templateNames = new Set(templates.map((t) => t.metadata.name));
    const strategy: Any = rollout.spec?.strategy ?? {};
    const analyses: Any[] = [];

    if (strategy.canary) {
        const c = strategy.canary;
        for (const role of ["stableService", "canaryService"])
            item(
                `${role} ${c[role]}`,
                "Service in the plan",
                services.has(c[role]),
                `no Service ${c[role]} in ${APP_NAMESPACE}: the controller cannot split traffic`,
            );
        const vsName = c.trafficRouting?.istio?.virtualService?.name;
        const vs = inNs(plan, "kubernetes:networking.istio.io/v1:VirtualService").find((v) => v.metadata.name === vsName);
        const route = (vs?.spec?.http ?? []).find((h: Any) => h.name === c.trafficRouting?.istio?.virtualService?.routes?.[0]);
        const hosts = (route?.route ?? []).map((d: Any) => d.destination?.host).sort();
        const want = [host(c.stableService), host(c.canaryService)].sort();
        item(
            `route ${vsName}/${route?.name ?? "?"}`,
            hosts.join(", ") || "none",
            JSON.stringify(hosts) === JSON.stringify(want),
            `the VirtualService route the Rollout re-weights must hold exactly ${want.join(" and ")}: Argo Rollouts refuses the Rollout otherwise`,
        );
        const weights = (c.steps ?? []).filter((s: Any) => "setWeight" in s).map((s: Any) => s.setWeight);
        item(
            "canary weights",
            weights.join(" -> "),
            weights.length > 0 && weights.every((w: number, i: number) => i === 0 || w > weights[i - 1]) && weights[weights.length - 1] === 100,
            "canary weights must rise and end at 100",
        );
        analyses.push(...(c.steps ?? []).filter((s: Any) => s.analysis).map((s: Any) => s.analysis));
        item(
            "analysis between weights",
            `${analyses.length} analyses for ${weights.length} weights`,
            analyses.length >= weights.length - 1,
            "every weight below 100 must be followed by an analysis",
        );
    } else if (strategy.blueGreen) {
        const b = strategy.blueGreen;
        for (const role of ["activeService", "previewService"])
            item(
                `${role} ${b[role]}`,
                "Service in the plan",
                services.has(b[role]),
                `no Service ${b[role]} in ${APP_NAMESPACE}: the switch has nothing to switch`,
            );
        item(
            "pre-promotion analysis",
            b.prePromotionAnalysis ? "set" : "none",
            Boolean(b.prePromotionAnalysis),
            "blue-green must analyse the preview before promotion",
        );
        analyses.push(...[b.prePromotionAnalysis, b.postPromotionAnalysis].filter(Boolean));
    } else {
        item("strategy", Object.keys(strategy).join(", ") || "none", false, "the backend Rollout has neither a canary nor a blue-green strategy");
    }
    for (const a of analyses) {
        for (const t of a.templates ?? [])
            item(
                `analysis template ${t.templateName}`,
                "AnalysisTemplate in the plan",
                templateNames.has(t.templateName),
                `no AnalysisTemplate ${t.templateName} in ${APP_NAMESPACE}: the rollout would stop at this step`,
            );
    }
    for (const m of templates.flatMap((t) => t.spec?.metrics ?? [])) {
        let want: string;
        try {
            const d = alertDefinition(m.name);
            want = `isNaN(result) || result ${d.comparison === "above" ? "<=" : ">="} ${d.threshold}`;
        } catch {
            want = "(an alert-table entry named like the metric)";
        }
        item(`analysis metric ${m.name}`, String(m.successCondition), m.successCondition === want, `must be the alert table's threshold: ${want}`);
    }
    const target = { apiVersion: rollout.apiVersion, kind: rollout.kind, name: rollout.metadata.name };
    const hpa = plan.resources.find(
        (r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler" && (r.inputs.metadata as Any)?.name === `${BACKEND}-hpa`,
    );
    const ref = (hpa?.inputs.spec as Any)?.scaleTargetRef;
    item(
        "HPA target",
        ref ? `${ref.apiVersion} ${ref.kind} ${ref.name}` : "no HPA",
        ref?.apiVersion === target.apiVersion && ref?.kind === target.kind && ref?.name === target.name,
        `the backend HPA must scale the Rollout (${target.apiVersion} ${target.kind} ${target.name}): nothing else runs the backend's pods`,
    );
    return section;
};

/** The path the backend's probes ask, per regional plan. */
function probePaths(plan: PlanFile): string[] {
    return inNs(plan, ROLLOUT)
        .filter((r) => r.metadata.name === BACKEND)
        .flatMap((r) => (r.spec?.template?.spec?.containers ?? []).map((c: Any) => c.readinessProbe?.httpGet?.path))
        .filter(Boolean);
}

/**
 * In the global plan: the Route 53 health checks ask each region's API the path the backend's
 * readiness probe asks its pods (stack config `healthCheckPath` may differ from the probe path,
 * APP_HEALTH_PATH); a path the app does not serve fails every region's check, and DNS fails over
 * from healthy regions.
 */
function edgeHealthPathItems(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessItem[] {
    const checks = plan.resources.filter((r) => r.type === "aws:route53/healthCheck:HealthCheck" && typeof r.inputs.resourcePath === "string");
    if (checks.length === 0) return [];
    const probed = new Set([...all.values()].flatMap(probePaths));
    if (probed.size === 0) return [];
    return checks.map((c) => {
        const path = String(c.inputs.resourcePath);
        const subject = `${c.name} path ${path}`;
        return probed.has(path)
            ? { subject, detail: "the backend's readiness probe path" }
            : {
                  subject,
                  detail: `probes ask ${[...probed].join(", ")}`,
                  problem: `the health check asks ${path}, but the backend's readiness probes ask ${[...probed].join(", ")}: set healthCheckPath to the path the app serves`,
              };
    });
}
