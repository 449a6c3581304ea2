import { resourceRule } from "../../lib/rule";

export const secretDescribed = resourceRule({
    name: "secret-described",
    description: "Secrets Manager secrets must carry a description saying what they hold and who uses them.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss"],
    topics: ["secrets"],
    resourceTypes: ["aws:secretsmanager/secret:Secret"],
    peers: { compliancePolicies: ["aws-secretsmanager-secret-missing-description"] },
    remediation: "set description (what the secret is, which service reads it).",
    check: ({ props }, report) => {
        if (typeof props.description !== "string" || props.description.trim() === "") report("The secret has no description.");
    },
});
