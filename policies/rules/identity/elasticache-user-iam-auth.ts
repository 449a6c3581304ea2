import { stackRule } from "../../lib/rule";
import { asArray, isTrue, isUnknown, ofType } from "../../lib/props";

const USER = "aws:elasticache/user:User";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/** The user name the engine gives unauthenticated connections; every Redis OSS user group must hold one. */
const DEFAULT_USER_NAME = "default";

/** The least engine version that offers IAM authentication (AWS ElastiCache, "Authenticating with IAM"; test/upstream/elasticache/iam-auth.json). */
export const IAM_AUTH_MIN_ENGINE_VERSION: Readonly<Record<string, string>> = { valkey: "7.2", redis: "7.0" };

/**
 * Whether an ACL access string leaves the user enabled. The engine applies rules left to right, so the last
 * `on`/`off` wins; ElastiCache assigns `off` when the string names neither (ElastiCache RBAC, "Specifying
 * Permissions Using an Access String").
 */
export function accessStringEnabled(accessString: string): boolean {
    const states = accessString.split(/\s+/).filter((t) => t === "on" || t === "off");
    return states.at(-1) === "on";
}

/** Whether dotted `version` is at least `minimum` ("7.10" > "7.2"). */
function atLeast(version: string, minimum: string): boolean {
    const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
}

const authType = (props: Record<string, any>): unknown =>
    props.authenticationMode?.type ?? (isTrue(props.noPasswordRequired) ? "no-password-required" : "password");

/**
 * No long-lived cache password that a person or a pod could hold: every ElastiCache user authenticates with IAM
 * (a SigV4 token valid 15 minutes, signed by the workload's role), with one exception, the stand-in for the
 * mandatory "default" user while it is disabled. That user cannot be an IAM user (IAM needs user id == user
 * name, and the id "default" is the built-in user), and `off` lets nobody log in as it. So there is nothing to
 * rotate: the rule replaces a rotation requirement for cache users (docs/secrets.md). A replication group whose
 * users log in with IAM must also run an engine that offers it, with TLS required, or those users cannot log in.
 */
export const elasticacheUserIamAuth = stackRule({
    name: "elasticache-user-iam-auth",
    description:
        "Every ElastiCache user authenticates with IAM (short-lived tokens, user id equal to user name), except a disabled (off) stand-in for the default user, on an engine and TLS setting that support it.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["authentication", "cache", "credentials"],
    resourceTypes: [USER, USER_GROUP, REPLICATION_GROUP],
    remediation:
        'set authenticationMode: { type: "iam" } with userName equal to userId and grant the workload elasticache:Connect on the replication group and the user; only a user named "default" may keep a password, and only with an access string that ends disabled ("off -@all"); run Valkey 7.2+ or Redis OSS 7.0+ with transitEncryptionMode "required".',
    check: (resources, _config, report) => {
        const iamUserIds = new Set<string>();
        for (const u of ofType(resources, USER)) {
            const { props } = u;
            const name = props.userName;
            const type = authType(props);
            if (isUnknown(name) || isUnknown(type) || isUnknown(props.accessString)) continue;
            if (type === "iam") {
                if (typeof props.userId === "string") iamUserIds.add(props.userId);
                if (!isUnknown(props.userId) && props.userId !== name)
                    report(
                        `IAM user ${JSON.stringify(name)} has userId ${JSON.stringify(props.userId)}: ElastiCache requires the two to be identical for IAM authentication.`,
                        u.urn,
                    );
                continue;
            }
            if (name === DEFAULT_USER_NAME) {
                if (accessStringEnabled(String(props.accessString ?? "")))
                    report(
                        `The default user authenticates with ${type} and is enabled ("${props.accessString}"): disable it ("off -@all"); only the application's IAM users log in.`,
                        u.urn,
                    );
                continue;
            }
            report(
                `User ${JSON.stringify(name)} authenticates with ${type}, not IAM: a long-lived credential that would need storing, handing out and rotating.`,
                u.urn,
            );
        }

        // Groups holding an IAM user, by id; a replication group using one must be able to serve IAM logins.
        const iamGroups = new Set(
            ofType(resources, USER_GROUP)
                .filter((g) => asArray<string>(g.props.userIds).some((id) => iamUserIds.has(id)))
                .map((g) => g.props.userGroupId as string),
        );
        for (const rg of ofType(resources, REPLICATION_GROUP)) {
            // A Global Datastore secondary takes engine, version and TLS from the primary, which this rule judges in its own stack.
            if (rg.props.globalReplicationGroupId) continue;
            if (!asArray<string>(rg.props.userGroupIds).some((id) => iamGroups.has(id))) continue;
            const engine = String(rg.props.engine ?? "redis").toLowerCase();
            const version = rg.props.engineVersion;
            const minimum = IAM_AUTH_MIN_ENGINE_VERSION[engine];
            if (typeof version === "string" && !isUnknown(version) && (!minimum || !atLeast(version, minimum)))
                report(
                    `Replication group ${rg.name} runs ${engine} ${version}; its IAM users need ${engine} ${minimum ?? "(no IAM support)"} or later.`,
                    rg.urn,
                );
            if (!isTrue(rg.props.transitEncryptionEnabled) || rg.props.transitEncryptionMode === "preferred")
                report(`Replication group ${rg.name} does not require TLS; IAM authentication needs in-transit encryption.`, rg.urn);
        }
    },
});
