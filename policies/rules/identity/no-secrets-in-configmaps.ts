import { resourceRule } from "../../lib/rule";

/** Key names that say the value is a credential. */
const SECRET_KEY = /pass(word|wd)|pwd|secret|token|api[-_.]?key|private[-_.]?key|credential/i;
/** Keys that point at a credential (its ARN, name or path) rather than hold it. */
const REFERENCE_KEY = /[-_.](arn|name|ref|path|id|file|url|endpoint)$/i;
const REFERENCE_VALUE = /^arn:aws[a-z-]*:/;
/** Values that are credentials whatever their key is called. */
const SECRET_VALUES: [RegExp, string][] = [
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
    [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
    [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, "a URL with an embedded password"],
];

export const noSecretsInConfigmaps = resourceRule({
    name: "no-secrets-in-configmaps",
    description:
        "Kubernetes ConfigMaps must not carry credentials: no Pulumi secret, no secret-named key with a literal value, no private key, access key or password-bearing URL.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["secrets", "kubernetes"],
    resourceTypes: ["kubernetes:core/v1:ConfigMap"],
    remediation:
        "keep the credential in AWS Secrets Manager (KMS-encrypted, read through Pod Identity) and put only its ARN in the ConfigMap under a key ending in -arn; never copy a Pulumi secret into ConfigMap data.",
    check: ({ props }, report) => {
        const entries = [...Object.entries<unknown>(props.data ?? {}), ...Object.entries<unknown>(props.binaryData ?? {})];
        if (props.data === "[secret]" || props.binaryData === "[secret]")
            report("The ConfigMap's data is a Pulumi secret: it would be stored and shown in plain text.");
        for (const [key, value] of entries) {
            const v = typeof value === "string" ? value : JSON.stringify(value ?? "");
            if (v === "[secret]") {
                report(`Key "${key}" holds a Pulumi secret: in a ConfigMap it is stored and shown in plain text.`);
                continue;
            }
            if (SECRET_KEY.test(key) && !REFERENCE_KEY.test(key) && !REFERENCE_VALUE.test(v) && v.length > 0)
                report(`Key "${key}" looks like a credential and holds a literal value.`);
            for (const [re, what] of SECRET_VALUES) if (re.test(v)) report(`Key "${key}" holds ${what}.`);
        }
    },
});
