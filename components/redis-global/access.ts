import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface AccessArgs {
    engine: string;
    /** ACL key patterns the application user may touch (`~<region>:*`). */
    keyPatterns: readonly string[];
    /** KMS key for the Secrets Manager secret that hands the application its credentials. */
    secretsKeyArn: pulumi.Input<string>;
}

export interface Access {
    userGroup: aws.elasticache.UserGroup;
    appUserName: string;
    appPassword: pulumi.Output<string>;
    credentialsSecret: aws.secretsmanager.Secret;
}

/** The application's ACL: its franchises' keys, every command except the dangerous ones (FLUSHALL, KEYS, CONFIG, ...). */
export function appAccessString(keyPatterns: readonly string[]): string {
    return `on ${keyPatterns.join(" ")} +@all -@dangerous`;
}

/** A disabled user with no keys and no commands: what stands in for ElastiCache's mandatory "default". */
export const DEFAULT_USER_ACCESS = "off -@all";

/**
 * RBAC: ElastiCache requires a user named "default" in every user group, so
 * the group gets a disabled one with its own id (the built-in "default" user
 * has no password and full access), plus the application's user. Passwords are
 * @pulumi/random secrets; the application reads its credentials from Secrets
 * Manager (through Pod Identity), never from plain stack outputs.
 */
export function rbac(name: string, args: AccessArgs, parent: pulumi.Resource): Access {
    const password = (role: string) =>
        new random.RandomPassword(
            `${name}-${role}-password`,
            {
                length: 64,
                // ElastiCache passwords: 16-128 printable characters; alphanumerics avoid quoting trouble in clients.
                // The result is marked secret by the provider; the explicit pulumi.secret below keeps it so whatever the engine does.
                special: false,
            },
            { parent },
        );

    // Nobody ever logs in as this user; its password exists only because a password user is safer than "nopass".
    const defaultUser = new aws.elasticache.User(
        `${name}-default-user`,
        {
            userId: `${name}-default`,
            userName: "default",
            engine: args.engine,
            accessString: DEFAULT_USER_ACCESS,
            authenticationMode: { type: "password", passwords: [pulumi.secret(password("default").result)] },
        },
        { parent },
    );

    const appUserName = `${name}-app`;
    const appPassword = password("app");
    const appUser = new aws.elasticache.User(
        `${name}-app-user`,
        {
            userId: appUserName,
            userName: appUserName,
            engine: args.engine,
            accessString: appAccessString(args.keyPatterns),
            authenticationMode: { type: "password", passwords: [pulumi.secret(appPassword.result)] },
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

    const credentialsSecret = new aws.secretsmanager.Secret(
        `${name}-app-credentials`,
        {
            name: `bookedbarber/cache/${name}/app`,
            description: `Credentials of the application's ElastiCache user ${appUserName}`,
            kmsKeyId: args.secretsKeyArn,
            recoveryWindowInDays: 30,
        },
        { parent },
    );

    return { userGroup, appUserName, appPassword: pulumi.secret(appPassword.result), credentialsSecret };
}
