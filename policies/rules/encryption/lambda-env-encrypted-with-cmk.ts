import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const lambdaEnvEncryptedWithCmk = resourceRule({
    name: "lambda-env-encrypted-with-cmk",
    description: "Lambda functions that carry environment variables must encrypt them with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-at-rest", "kms", "serverless"],
    resourceTypes: ["aws:lambda/function:Function"],
    remediation: "set kmsKeyArn to a customer-managed key, or keep configuration out of environment variables (in the code or in Secrets Manager).",
    check: ({ props }, report) => {
        const vars = (props.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
        if (Object.keys(vars).length > 0 && !isCustomerManagedKey(props.kmsKeyArn)) {
            report(
                `The function has environment variables (${Object.keys(vars).join(", ")}) and kmsKeyArn is ${JSON.stringify(props.kmsKeyArn)}; they are not encrypted with a customer-managed key.`,
            );
        }
    },
});
