/**
 * The trust policy of a role an AWS service assumes (flow logs, CloudTrail, Config, Backup, Lambda, ...):
 * one statement, `sts:AssumeRole` for the service principal, guarded by the source account and, where the
 * caller is one resource, its ARN (IAM docs, "The confused deputy problem": aws:SourceAccount, aws:SourceArn).
 * Roles that Pod Identity assumes use components/pod-identity.ts; roles people assume, regional-cluster/access.ts.
 */
export interface TrustSource {
    /** The account whose resources may make the service assume the role (`aws:SourceAccount`). */
    readonly account?: string;
    /** The one resource that may (`aws:SourceArn`). */
    readonly arn?: string;
}

export function serviceRoleTrust(service: string, source: TrustSource = {}): string {
    const guard: Record<string, string> = {};
    if (source.account !== undefined) guard["aws:SourceAccount"] = source.account;
    if (source.arn !== undefined) guard["aws:SourceArn"] = source.arn;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                ...(Object.keys(guard).length ? { Condition: { StringEquals: guard } } : {}),
            },
        ],
    });
}
