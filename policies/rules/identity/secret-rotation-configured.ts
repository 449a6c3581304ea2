import { stackRule } from "../../lib/rule";
import { ofType } from "../../lib/props";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

/**
 * Every secret rotates, unless its name matches an entry of `unrotated`, each with the reason.
 * A rotation belongs to the secret it depends on (its secretId is the secret's output) or names it.
 * The defaults list what the platform does not rotate yet and why (docs/secrets.md).
 */
export const UNROTATED_SECRETS: Readonly<Record<string, string>> = {
    "^bookedbarber/[a-z]+/app/(payment|email|sms)/":
        'third-party API keys (payment, email, SMS providers): only the vendor issues a new key, so no rotation function can make one; a rotation that waits for a person would leave AWSPENDING on an empty version and RotateSecret refuses to start again while it is there (Secrets Manager API reference, RotateSecret). A daily reminder publishes P3 when a key is unset or older than 76 days, and a person sets the new value with put-secret-value (docs/secrets.md, "Vendor keys")',
    "^/global/apis/":
        "third-party API keys (New Relic, Sentry): the vendor issues them, so they are rotated in the vendor's console and set with put-secret-value (README: ObservabilityStack); Secrets Manager has no hook into the vendor",
};

export const secretRotationConfigured = stackRule<{ unrotated: Record<string, string> }>({
    name: "secret-rotation-configured",
    description: "Every Secrets Manager secret has a rotation schedule, unless its name is listed as unrotated with the reason.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["secrets", "credentials"],
    resourceTypes: [SECRET, ROTATION],
    remediation:
        "add an aws.secretsmanager.SecretRotation for the secret (rotation function and rotationRules), or list its name pattern in the rule's unrotated config with the reason it cannot rotate.",
    config: {
        unrotated: {
            type: "object",
            default: { ...UNROTATED_SECRETS },
            description: "Secret name patterns (regular expressions) that do not rotate, each with the reason.",
        },
    },
    check: (resources, config, report) => {
        const rotations = ofType(resources, ROTATION);
        for (const s of ofType(resources, SECRET)) {
            const name = typeof s.props.name === "string" ? s.props.name : "";
            const rotated = rotations.some((r) => r.dependencies.some((d) => d.urn === s.urn) || (name && r.props.secretId === name));
            if (rotated) continue;
            if (name && Object.keys(config.unrotated).some((p) => new RegExp(p).test(name))) continue;
            report(`Secret ${name || s.urn} has no rotation schedule and is not listed as unrotated with a reason.`, s.urn);
        }
    },
});
