import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface AccessArgs {
    engine: string;
    /** ACL key patterns the application user may touch (`~<region>:*`). */
    keyPatterns: readonly string[];
}

export interface Access {
    userGroup: aws.elasticache.UserGroup;
    /** The application's user: IAM authentication, so its user id and user name are the same string. */
    appUser: aws.elasticache.User;
    appUserName: string;
}

/** The application's ACL: its franchises' keys, every command except the dangerous ones (FLUSHALL, KEYS, CONFIG, ...). */
export function appAccessString(keyPatterns: readonly string[]): string {
    return `on ${keyPatterns.join(" ")} +@all -@dangerous`;
}

/** A disabled user with no keys and no commands: what stands in for ElastiCache's mandatory "default". */
export const DEFAULT_USER_ACCESS = "off -@all";

/**
 * How the application's user authenticates: `iam` (AWS ElastiCache, "Authenticating with IAM"). The client
 * presents a SigV4 token signed by its Pod Identity role instead of a password, so there is no password to
 * store, hand out or rotate (test/upstream/elasticache/iam-auth.json).
 */
export const APP_USER_AUTHENTICATION = "iam";

/** The IAM action a client needs to log in as an IAM user, on both the replication group and the user. */
export const CONNECT_ACTION = "elasticache:Connect";

/**
 * The inline policy that lets a workload log in to one cache as one user: `elasticache:Connect` on that
 * replication group and that user, nothing else. Both ARNs are the member's own (users are regional), so a
 * standby's workloads can reach only the standby's replica. No condition: for replication groups IAM
 * authentication evaluates only aws:SourceIp and aws:ResourceTag, and pod addresses are not stable.
 */
export function connectPolicy(replicationGroupArn: string, userArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "ConnectToTheCacheAsTheAppUser", Effect: "Allow", Action: [CONNECT_ACTION], Resource: [replicationGroupArn, userArn] }],
    });
}

/**
 * RBAC: ElastiCache requires a user named "default" in every user group, so
 * the group gets a disabled one with its own id (the built-in "default" user
 * has no password and full access), plus the application's user.
 *
 * The application's user authenticates with IAM: no password exists for it.
 * The stand-in default user cannot: an IAM user's id must equal its name, and
 * the id "default" belongs to the built-in user, which cannot be modified. It
 * is `off`, so nobody logs in as it; it keeps a random password (in state as
 * a secret, handed to nobody) so that an accidental `on` would still not open
 * the cache, which "no-password-required" would (and elasticache-auth refuses).
 */
export function rbac(name: string, args: AccessArgs, parent: pulumi.Resource): Access {
    const defaultPassword = new random.RandomPassword(
        `${name}-default-password`,
        {
            length: 64,
            // ElastiCache passwords: 16-128 printable characters; alphanumerics avoid quoting trouble in clients.
            // The result is marked secret by the provider; the explicit pulumi.secret below keeps it so whatever the engine does.
            special: false,
        },
        { parent },
    );
    const defaultUser = new aws.elasticache.User(
        `${name}-default-user`,
        {
            userId: `${name}-default`,
            userName: "default",
            engine: args.engine,
            accessString: DEFAULT_USER_ACCESS,
            authenticationMode: { type: "password", passwords: [pulumi.secret(defaultPassword.result)] },
        },
        { parent },
    );

    // IAM requires user id == user name; the id was already the name, so the switch from password is an in-place ModifyUser.
    const appUserName = `${name}-app`;
    const appUser = new aws.elasticache.User(
        `${name}-app-user`,
        {
            userId: appUserName,
            userName: appUserName,
            engine: args.engine,
            accessString: appAccessString(args.keyPatterns),
            authenticationMode: { type: APP_USER_AUTHENTICATION },
        },
        { parent },
    );

    const userGroup = new aws.elasticache.UserGroup(
        `${name}-users`,
        {
            userGroupId: `${name}-users`,
            engine: args.engine,
            userIds: [defaultUser.userId, appUser.userId],
        },
        { parent },
    );

    return { userGroup, appUser, appUserName };
}
