import { resourceRule } from "../../lib/rule";
import { isTrue, isUnknown } from "../../lib/props";

/** The user name the engine gives unauthenticated connections; every Redis OSS user group must hold one. */
const DEFAULT_USER_NAME = "default";

/**
 * Whether an ACL access string leaves the user enabled. The engine applies rules left to right, so the last
 * `on`/`off` wins; ElastiCache assigns `off` when the string names neither (ElastiCache RBAC, "Specifying
 * Permissions Using an Access String").
 */
export function accessStringEnabled(accessString: string): boolean {
    const states = accessString.split(/\s+/).filter((t) => t === "on" || t === "off");
    return states.at(-1) === "on";
}

/**
 * No long-lived cache password that a person or a pod could hold: every ElastiCache user authenticates with IAM
 * (a SigV4 token valid 15 minutes, signed by the workload's role), with one exception, the stand-in for the
 * mandatory "default" user while it is disabled. That user cannot be an IAM user (IAM needs user id == user
 * name, and the id "default" is the built-in user), and `off` lets nobody log in as it. So there is nothing to
 * rotate: the rule replaces a rotation requirement for cache users (docs/secrets.md).
 */
export const elasticacheUserIamAuth = resourceRule({
    name: "elasticache-user-iam-auth",
    description:
        "Every ElastiCache user authenticates with IAM (short-lived tokens, user id equal to user name), except a disabled (off) stand-in for the default user.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["authentication", "cache", "credentials"],
    resourceTypes: ["aws:elasticache/user:User"],
    remediation:
        'set authenticationMode: { type: "iam" } with userName equal to userId and grant the workload elasticache:Connect on the replication group and the user; only a user named "default" may keep a password, and only with an access string that ends disabled ("off -@all").',
    check: ({ props }, report) => {
        const name = props.userName;
        const type = props.authenticationMode?.type ?? (isTrue(props.noPasswordRequired) ? "no-password-required" : "password");
        if (isUnknown(name) || isUnknown(type) || isUnknown(props.accessString)) return;
        if (type === "iam") {
            if (!isUnknown(props.userId) && props.userId !== name)
                report(
                    `IAM user ${JSON.stringify(name)} has userId ${JSON.stringify(props.userId)}: ElastiCache requires the two to be identical for IAM authentication.`,
                );
            return;
        }
        if (name === DEFAULT_USER_NAME) {
            if (accessStringEnabled(String(props.accessString ?? "")))
                report(
                    `The default user authenticates with ${type} and is enabled ("${props.accessString}"): disable it ("off -@all"); only the application's IAM users log in.`,
                );
            return;
        }
        report(`User ${JSON.stringify(name)} authenticates with ${type}, not IAM: a long-lived credential that would need storing, handing out and rotating.`);
    },
});
