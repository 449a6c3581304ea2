import { resourceRule } from "../../lib/rule";
import { nonEmpty } from "../../lib/props";

/**
 * Who may invoke a Lambda function. A grant to "*" lets anyone invoke it; a grant to an AWS service
 * principal without a source lets that service invoke it on behalf of any account (the confused-deputy
 * problem: Lambda Developer Guide, "Working with resource-based IAM policies in Lambda", and the Secrets
 * Manager User Guide's rotation-function permissions both pin the source ARN or account).
 */
export const lambdaPermissionScoped = resourceRule({
    name: "lambda-permission-scoped",
    description:
        'A Lambda invoke permission names a principal other than "*", and a service principal only with the source (sourceArn or sourceAccount) it acts for.',
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["serverless", "least-privilege"],
    resourceTypes: ["aws:lambda/permission:Permission"],
    remediation:
        "set principal to the one service or account that invokes the function, and for a service principal set sourceArn (the secret, rule or bucket that triggers it) and sourceAccount.",
    check: ({ props }, report) => {
        const principal = typeof props.principal === "string" ? props.principal : "";
        if (principal === "" || principal === "*") {
            report(`The permission's principal is ${JSON.stringify(props.principal)}: anyone may invoke the function.`);
            return;
        }
        if (principal.endsWith(".amazonaws.com") && !nonEmpty(props.sourceArn) && !nonEmpty(props.sourceAccount)) {
            report(`The service principal ${principal} has neither sourceArn nor sourceAccount, so it may invoke the function for any account's resources.`);
        }
    },
});
