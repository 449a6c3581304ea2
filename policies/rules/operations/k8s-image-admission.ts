import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const POLICY = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";

/**
 * An admission policy only protects when it fails closed and its binding denies: `failurePolicy: Ignore` lets a
 * pod in whenever the expression errors, and a binding with only Warn or Audit reports without refusing.
 */
export const k8sImageAdmission = resourceRule({
    name: "k8s-image-admission",
    description: "ValidatingAdmissionPolicies must fail closed and their bindings must deny, so a refused image is refused.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["supply-chain", "container-images", "admission-control"],
    resourceTypes: [POLICY, BINDING],
    remediation:
        'set the policy\'s failurePolicy to "Fail" (the default) and include "Deny" in the binding\'s validationActions (components/regional-cluster/admission.ts).',
    check: ({ type, props }, report) => {
        if (type === POLICY) {
            const fp = props.spec?.failurePolicy;
            if (fp !== undefined && fp !== "Fail")
                report(`spec.failurePolicy is ${JSON.stringify(fp)}: a pod is admitted whenever the policy cannot be evaluated.`);
            if (!asArray(props.spec?.validations).length) report("spec.validations is empty: the policy checks nothing.");
            return;
        }
        const actions = asArray<string>(props.spec?.validationActions);
        if (!actions.includes("Deny")) report(`spec.validationActions is ${JSON.stringify(actions)}: violations are reported, not refused.`);
    },
});
