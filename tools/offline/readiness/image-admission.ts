import type { PlanFile } from "../plan-file";
import { containersOf, plannedPodSpecs } from "./pod-specs";
import type { ReadinessItem, ReadinessSection } from "./types";

type Obj = Record<string, any>;
const POLICY = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";

/** A CEL single-quoted string literal's value (the escapes the policy uses: `\\` and `\'`). */
function celString(literal: string): string {
    return literal.replace(/\\(.)/g, "$1");
}

/**
 * What the plan's image policy allows, read from its CEL: the `matches('<RE2>')` pattern and the exact images
 * allowed for named containers (`c.name in [...] && ... c.image == '<image>'`). RE2 and JavaScript agree on the
 * constructs the pattern uses (anchors, classes, counted repetition, non-capturing groups).
 */
export function allowedImages(expression: string): { patterns: RegExp[]; exact: { names: string[]; image: string }[] } {
    const patterns = [...new Set([...expression.matchAll(/\.matches\('((?:[^'\\]|\\.)*)'\)/g)].map((m) => celString(m[1])))].map((p) => new RegExp(p));
    const exact = [
        ...new Set([...expression.matchAll(/c\.name in \[([^\]]*)\][^|]*?c\.image == '((?:[^'\\]|\\.)*)'/g)].map((m) => JSON.stringify([m[1], m[2]]))),
    ]
        .map((s) => JSON.parse(s) as [string, string])
        .map(([names, image]) => ({ names: [...names.matchAll(/'([^']*)'/g)].map((n) => n[1]), image: celString(image) }));
    return { patterns, exact };
}

/** The namespaces a binding selects by name (`kubernetes.io/metadata.name In [...]`). */
function boundNamespaces(binding: Obj): string[] {
    const exprs = (binding.inputs?.spec?.matchResources?.namespaceSelector?.matchExpressions ?? []) as Obj[];
    return exprs.filter((e) => e.key === "kubernetes.io/metadata.name" && e.operator === "In").flatMap((e) => e.values ?? []);
}

/**
 * Every pod spec the plan puts into a namespace the image policy binds uses only images the policy allows, so
 * the policy does not refuse the platform's own workloads on the first deploy. The pod specs are the plan's
 * (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Rollouts); Istio's injected
 * sidecar is matched against the exact image the policy allows for it.
 */
export function imageAdmission(plan: PlanFile): ReadinessSection {
    const title = "image admission";
    const items: ReadinessItem[] = [];
    const policies = new Map(plan.resources.filter((r) => r.type === POLICY).map((p) => [String((p.inputs.metadata as Obj)?.name), p]));
    for (const binding of plan.resources.filter((r) => r.type === BINDING)) {
        const name = String((binding.inputs.spec as Obj)?.policyName);
        const policy = policies.get(name);
        const namespaces = boundNamespaces(binding);
        if (!policy) {
            items.push({
                subject: `binding ${name}`,
                detail: "binds a policy",
                problem: `no ValidatingAdmissionPolicy named ${name} is in the plan: the binding enforces nothing`,
            });
            continue;
        }
        const actions = ((binding.inputs.spec as Obj)?.validationActions ?? []) as string[];
        items.push(
            actions.includes("Deny")
                ? { subject: `binding ${name}`, detail: `denies in ${namespaces.join(", ") || "(no namespace)"}` }
                : {
                      subject: `binding ${name}`,
                      detail: `validationActions ${JSON.stringify(actions)}`,
                      problem: "the binding does not Deny: images outside the registry would only be reported",
                  },
        );
        const expressions = (((policy.inputs.spec as Obj)?.validations ?? []) as Obj[]).map((v) => String(v.expression));
        const allowed = expressions.map(allowedImages);
        for (const pod of plannedPodSpecs(plan).filter((p) => namespaces.includes(p.namespace))) {
            const refused = containersOf(pod.spec).filter(
                ({ container }) =>
                    !allowed.every((a) => {
                        const image = String(container.image ?? "");
                        return a.patterns.some((re) => re.test(image)) || a.exact.some((e) => e.names.includes(String(container.name)) && e.image === image);
                    }),
            );
            items.push(
                refused.length
                    ? {
                          subject: pod.subject,
                          detail: "images",
                          problem: `${name} would refuse ${refused.map(({ list, container }) => `${list} ${container.name} image ${JSON.stringify(container.image)}`).join("; ")}: use appImageReference (a digest-pinned image of this account's ECR in this region)`,
                      }
                    : { subject: pod.subject, detail: `every image allowed by ${name}` },
            );
        }
    }
    return { title, items };
}
