import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "../args";
import { REGIONS } from "../../stacks/regions";
import { secretReadPolicy, SecretsKeyRef } from "../sharded-database/pod-common";
import { secretsReplicaAlias } from "../sharded-database/secret-replicas";
import { withTags } from "../tags";
import { APP_SECRETS, appSecretName, AppSecretSpec, JWT_ROTATION_DAYS, VENDOR_KEY_MAX_AGE_DAYS, VENDOR_KEY_NOTICE_DAYS } from "./hierarchy";
import { jwtRotationCode } from "./jwt-rotation-code";
import { vendorKeyAgeCode } from "./vendor-key-age-code";
import { rotationSchedule, rotationStatements, secretFunction, SECRET_FUNCTION_LOG_RETENTION_DAYS, SECRET_FUNCTION_RUNTIME } from "../secret-rotation/function";

export * from "./hierarchy";
export { jwtRotationCode } from "./jwt-rotation-code";
export { vendorKeyAgeCode } from "./vendor-key-age-code";

/** Runtime and log retention of the rotation and reminder functions: the shared ones (components/secret-rotation/function.ts). */
export { SECRET_FUNCTION_RUNTIME as APP_SECRETS_FUNCTION_RUNTIME, SECRET_FUNCTION_LOG_RETENTION_DAYS as APP_SECRETS_LOG_RETENTION_DAYS };
/** The daily reminder's schedule (EventBridge rate expression). */
export const VENDOR_KEY_REMINDER_SCHEDULE = "rate(1 day)";

export interface AppSecretsArgs {
    /** primary creates the secrets and their rotation; standby only grants its app pods the replicas in its own region. */
    role: "primary" | "standby";
    zone: string;
    region: string;
    accountId: pulumi.Input<string>;
    /** Primary: the region's secrets CMK (RegionalKeys `arns.secrets`). */
    secretsKeyArn?: pulumi.Input<string>;
    /** Primary: the zone's standby region and the replica key the primary made there (ShardedDatabase `secretReplicaKeyArn`). */
    replica?: { region: string; kmsKeyArn: pulumi.Input<string> };
    /** The app's Pod Identity roles that read these secrets (the backend's and the worker's). */
    readerRoles: { name: string; role: aws.iam.Role }[];
    /** Primary: the region's P3 topic, where the vendor-key reminder publishes. */
    alertTopicArn?: pulumi.Input<string>;
    /** Primary: the region's logs CMK, for the functions' log groups. */
    logsKeyArn?: pulumi.Input<string>;
    /** Days the functions' logs are kept. Default APP_SECRETS_LOG_RETENTION_DAYS (365). */
    logRetentionDays?: number;
    /** Default APP_SECRETS. */
    secrets?: readonly AppSecretSpec[];
    protect?: boolean;
    tags?: Record<string, string>;
}

/**
 * The app secret hierarchy of one zone (docs/secrets.md): in the zone primary, one Secrets Manager secret
 * per entry of APP_SECRETS, created empty (no value in the program or its state) on the region's secrets
 * CMK and replicated to the zone's standby region only. JWT signing keys rotate unattended through our own
 * function; vendor keys cannot (the vendor issues them), so they are listed as unrotated with the reason and
 * a daily reminder publishes P3 when one is unset or due. The backend's and worker's Pod Identity roles read
 * exactly these secrets (in a standby: the replicas in its own region).
 */
export class AppSecrets extends pulumi.ComponentResource {
    /** The secrets by path (primary only). */
    readonly secrets: Record<string, aws.secretsmanager.Secret> = {};
    readonly rotationFunction?: aws.lambda.Function;
    readonly reminderFunction?: aws.lambda.Function;

    constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        const specs = args.secrets ?? APP_SECRETS;
        const primary = args.role === "primary";
        new ArgsCheck("AppSecrets", name)
            .oneOf("role", args.role, ["primary", "standby"])
            .that(REGIONS[args.region]?.zone === args.zone, "region", args.region, `a region of zone ${args.zone}`)
            .nonEmpty("readerRoles", args.readerRoles)
            .nonEmpty("secrets", specs)
            .integer("logRetentionDays", args.logRetentionDays ?? SECRET_FUNCTION_LOG_RETENTION_DAYS, 365, 3653)
            .that(
                !primary || (args.secretsKeyArn !== undefined && args.secretsKeyArn !== ""),
                "secretsKeyArn",
                args.secretsKeyArn,
                "the region's secrets CMK ARN (a primary creates the secrets)",
            )
            .that(!primary || args.alertTopicArn !== undefined, "alertTopicArn", args.alertTopicArn, "the region's P3 topic ARN (vendor-key reminders)")
            .that(!primary || args.logsKeyArn !== undefined, "logsKeyArn", args.logsKeyArn, "the region's logs CMK ARN (the functions' log groups)")
            .that(
                args.replica === undefined || (primary && REGIONS[args.replica.region]?.zone === args.zone && args.replica.region !== args.region),
                "replica.region",
                args.replica?.region,
                `only a primary replicates, to another region of zone ${args.zone}`,
            )
            .done();
        super("bookedbarber:security:AppSecrets", name, {}, withTags("AppSecrets", name, args.tags, opts));
        const protect = args.protect ?? true;
        const names = specs.map((s) => appSecretName(args.zone, s.path));

        if (!primary) {
            // The replicas the zone primary made here: same names, on its replica key (by alias, as PgBouncer's).
            const arns = pulumi.output(args.accountId).apply((acct) => names.map((n) => `arn:aws:secretsmanager:${args.region}:${acct}:secret:${n}-??????`));
            const keys = pulumi.output(args.accountId).apply((acct) => `arn:aws:kms:${args.region}:${acct}:key/*`);
            this.grantReaders(name, args, [arns], { alias: secretsReplicaAlias(args.zone), keys });
            this.registerOutputs({});
            return;
        }

        for (const spec of specs) {
            this.secrets[spec.path] = new aws.secretsmanager.Secret(
                `${name}-${spec.path.replace(/\//g, "-")}`,
                {
                    name: appSecretName(args.zone, spec.path),
                    description: `${spec.description}. JSON fields: ${spec.fields.join(", ")}. ${spec.kind === "vendor" ? "Set by a person with put-secret-value (docs/secrets.md)" : "Generated by its rotation function"}`,
                    kmsKeyId: args.secretsKeyArn,
                    recoveryWindowInDays: 30,
                    ...(args.replica ? { replicas: [{ region: args.replica.region, kmsKeyId: args.replica.kmsKeyArn }] } : {}),
                    tags: { "data-domain": "secrets", "secret-kind": spec.kind },
                },
                { parent: this, protect },
            );
        }
        const generated = specs.filter((s) => s.kind === "generated").map((s) => this.secrets[s.path]);
        const vendor = specs.filter((s) => s.kind === "vendor").map((s) => this.secrets[s.path]);
        if (generated.length > 0) this.rotationFunction = this.jwtRotation(name, args, generated);
        if (vendor.length > 0) this.reminderFunction = this.vendorReminder(name, args, vendor);
        this.grantReaders(
            name,
            args,
            Object.values(this.secrets).map((s) => s.arn),
            { arn: args.secretsKeyArn! },
        );
        this.registerOutputs({});
    }

    private grantReaders(name: string, args: AppSecretsArgs, arns: pulumi.Input<string | string[]>[], key: SecretsKeyRef): void {
        const flat = pulumi.all(arns).apply((a) => a.flat());
        for (const r of args.readerRoles) {
            new aws.iam.RolePolicy(
                `${name}-${r.name}-read`,
                {
                    role: r.role.id,
                    policy: flat.apply((a) => secretReadPolicy(a, key, args.region)),
                },
                { parent: this },
            );
        }
    }

    /** One of our functions (components/secret-rotation/function.ts), its logs on the region's logs key. */
    private fn(
        name: string,
        suffix: string,
        args: AppSecretsArgs,
        roleDescription: string,
        description: string,
        code: pulumi.Input<string>,
        statements: pulumi.Input<object[]>,
    ) {
        return secretFunction(
            {
                name: `${name}-${suffix}`,
                roleDescription,
                description,
                code,
                statements,
                logsKeyArn: args.logsKeyArn!,
                logRetentionDays: args.logRetentionDays,
            },
            this,
        );
    }

    /** JWT signing keys: our rotation function (jwt-rotation-code.ts), allowed to touch exactly these secrets. */
    private jwtRotation(name: string, args: AppSecretsArgs, secrets: aws.secretsmanager.Secret[]): aws.lambda.Function {
        const arns = pulumi.all(secrets.map((s) => s.arn));
        const fn = this.fn(
            name,
            "jwt-rotation",
            args,
            "Rotates the JWT signing keys (Secrets Manager rotation function)",
            "Rotates the JWT signing keys: new Ed25519 key pair into AWSPENDING, tested, promoted to AWSCURRENT",
            arns.apply((a) => jwtRotationCode(a)),
            rotationStatements(arns, args.secretsKeyArn!, args.region),
        );
        // The first rotation creates the first key: the secret is created empty.
        secrets.forEach((secret, n) =>
            rotationSchedule(`${name}-jwt-${n}`, { secret, fn, accountId: args.accountId, days: JWT_ROTATION_DAYS, rotateImmediately: true }),
        );
        return fn;
    }

    /** Vendor keys: a daily reminder (vendor-key-age-code.ts) that reads their versions and publishes P3. */
    private vendorReminder(name: string, args: AppSecretsArgs, secrets: aws.secretsmanager.Secret[]): aws.lambda.Function {
        const watched = pulumi.all(secrets.map((s) => pulumi.all([s.arn, s.name]).apply(([arn, n]) => ({ arn, name: n }))));
        const code = pulumi
            .all([watched, args.alertTopicArn!])
            .apply(([w, topic]) => vendorKeyAgeCode({ secrets: w, topicArn: topic, maxAgeDays: VENDOR_KEY_MAX_AGE_DAYS, noticeDays: VENDOR_KEY_NOTICE_DAYS }));
        const fn = this.fn(
            name,
            "vendor-key-reminder",
            args,
            "Reminds (P3) when a vendor API key is unset or due for replacement",
            "Publishes P3 when a vendor API key is unset or older than its replacement age",
            code,
            pulumi.all([watched, args.alertTopicArn!, args.accountId]).apply(([w, topic, acct]) => [
                { Sid: "ReadVersionsOfTheseSecrets", Effect: "Allow", Action: ["secretsmanager:ListSecretVersionIds"], Resource: w.map((s) => s.arn) },
                { Sid: "PublishP3", Effect: "Allow", Action: ["sns:Publish"], Resource: topic },
                {
                    Sid: "EncryptForTheAlertTopic",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: `arn:aws:kms:${args.region}:${acct}:key/*`,
                    Condition: {
                        StringEquals: { "kms:ViaService": `sns.${args.region}.amazonaws.com` },
                        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/bookedbarber/alerts" },
                    },
                },
            ]),
        );
        const rule = new aws.cloudwatch.EventRule(
            `${name}-vendor-key-reminder-schedule`,
            {
                description: "Daily check of the vendor API keys' age (P3 reminder)",
                scheduleExpression: VENDOR_KEY_REMINDER_SCHEDULE,
                state: "ENABLED",
            },
            { parent: this },
        );
        const permission = new aws.lambda.Permission(
            `${name}-vendor-key-reminder-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: fn.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
                sourceAccount: args.accountId,
            },
            { parent: fn },
        );
        new aws.cloudwatch.EventTarget(`${name}-vendor-key-reminder-target`, { rule: rule.name, arn: fn.arn }, { parent: rule, dependsOn: [permission] });
        return fn;
    }
}
