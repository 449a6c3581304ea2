import { stackRule } from "../../lib/rule";
import { credentialsOf, literalReason, SECRET_INPUTS } from "../../lib/secrets";

export const noLiteralCredentials = stackRule({
    name: "no-literal-credentials",
    description:
        "Passwords, tokens and keys in inputs the provider marks secret must come from a generated secret (RandomPassword, a Secrets Manager secret) or be managed by AWS, never a literal in the program or plan.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["secrets", "credentials"],
    resourceTypes: Object.keys(SECRET_INPUTS),
    remediation:
        "let AWS manage the password (manageMasterUserPassword: true) or derive it from a random.RandomPassword / a Secrets Manager secret, so no credential is written in code, config or state in clear.",
    check: (resources, _c, report) => {
        for (const r of resources) {
            if (!SECRET_INPUTS[r.type]) continue;
            for (const v of credentialsOf(r.type, r.props)) {
                const why = literalReason(r, v);
                if (why) report(why, r.urn);
            }
        }
    },
});
