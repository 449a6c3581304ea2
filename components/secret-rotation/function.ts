import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRoleTrust } from "../service-role";

/**
 * What our own Secrets Manager functions share (the JWT signing-key rotation, the vendor-key reminder, the
 * Grafana admin rotation): an inline ES module on a Node.js runtime, its log group on the logs CMK, an execution
 * role that may do exactly what the caller lists, and the rotation schedule with Secrets Manager's invoke
 * permission scoped to the one secret (docs/secrets.md, "Where the functions run").
 */

/** Node.js runtime of our functions (Lambda ships the AWS SDK for JavaScript v3 with it; rule lambda-nodejs-runtime-supported). */
export const SECRET_FUNCTION_RUNTIME = "nodejs24.x";
/** The functions' logs record every change to a secret: an audit trail, kept a year (PCI DSS 10.5.1). */
export const SECRET_FUNCTION_LOG_RETENTION_DAYS = 365;
/**
 * Days between rotations of the secrets our own functions generate (JWT signing keys, the Grafana admin login):
 * the 30 days the database secrets rotate on too; the pack's `secret-rotation` rule caps it at 90.
 */
export const OWN_ROTATION_DAYS = 30;

export interface SecretFunctionArgs {
    /** Function name (at most 64 characters; longer names are cut). */
    name: string;
    /** The execution role's description. */
    roleDescription: string;
    /** The function's description. */
    description: string;
    /** The ES module (index.mjs, handler `handler`). */
    code: pulumi.Input<string>;
    /** IAM statements of the execution role; writing its own log streams is added. */
    statements: pulumi.Input<object[]>;
    logsKeyArn: pulumi.Input<string>;
    /** Default SECRET_FUNCTION_LOG_RETENTION_DAYS. */
    logRetentionDays?: number;
}

/**
 * A function's log group (ours, not Lambda's default: on the logs key, with retention), its execution role and the
 * function. Resource names derive from `args.name`, as they did inside AppSecrets, so moving here changed no URN.
 */
export function secretFunction(args: SecretFunctionArgs, parent: pulumi.Resource): aws.lambda.Function {
    const fnName = args.name.slice(0, 64);
    const logs = new aws.cloudwatch.LogGroup(
        `${fnName}-logs`,
        {
            name: `/aws/lambda/${fnName}`,
            kmsKeyId: args.logsKeyArn,
            retentionInDays: args.logRetentionDays ?? SECRET_FUNCTION_LOG_RETENTION_DAYS,
            tags: { "data-domain": "logs", purpose: "secret-rotation-audit" },
        },
        { parent },
    );
    const role = new aws.iam.Role(
        `${fnName}-role`,
        { description: args.roleDescription, assumeRolePolicy: serviceRoleTrust("lambda.amazonaws.com") },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${fnName}-policy`,
        {
            role: role.id,
            policy: pulumi.all([args.statements, logs.arn]).apply(([s, logArn]) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [...s, { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logArn}:*` }],
                }),
            ),
        },
        { parent: role },
    );
    return new aws.lambda.Function(
        fnName,
        {
            name: fnName,
            description: args.description,
            role: role.arn,
            runtime: SECRET_FUNCTION_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: pulumi.output(args.code).apply((c) => new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(c) })),
            timeout: 30,
            memorySize: 128,
            // Outside the VPC on purpose: these functions call only AWS APIs (Secrets Manager, SNS) over HTTPS with
            // SigV4; nothing they reach lives in the VPC (docs/secrets.md, "Where the functions run").
            // No environment variables: every setting is in the code, so there is nothing to encrypt there.
            loggingConfig: { logFormat: "JSON", logGroup: logs.name },
        },
        { parent, dependsOn: [logs, policy] },
    );
}

/**
 * The IAM statements of a rotation function: describe, read, put and re-label exactly these secrets, and use
 * the secrets key only through Secrets Manager in the region. `extra` adds what one function needs besides.
 */
export function rotationStatements(
    secretArns: pulumi.Input<pulumi.Input<string>[]>,
    secretsKeyArn: pulumi.Input<string>,
    region: string,
    extra: object[] = [],
): pulumi.Output<object[]> {
    return pulumi.all([secretArns, secretsKeyArn]).apply(([a, key]) => [
        {
            Sid: "RotateTheseSecrets",
            Effect: "Allow",
            Action: [
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage",
            ],
            Resource: a,
        },
        {
            Sid: "UseTheSecretsKeyThroughSecretsManager",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: key,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
        },
        ...extra,
    ]);
}

export interface RotationScheduleArgs {
    secret: aws.secretsmanager.Secret;
    fn: aws.lambda.Function;
    accountId: pulumi.Input<string>;
    days: number;
    /** Rotate when created (the first rotation makes the first value, or retires the one the program generated). */
    rotateImmediately: boolean;
}

/** Secrets Manager's permission to invoke the function for this secret only, and the secret's rotation schedule. */
export function rotationSchedule(name: string, args: RotationScheduleArgs): aws.secretsmanager.SecretRotation {
    // Confused-deputy guard: the source ARN and account name this secret.
    const permission = new aws.lambda.Permission(
        `${name}-rotation-invoke`,
        {
            action: "lambda:InvokeFunction",
            function: args.fn.name,
            principal: "secretsmanager.amazonaws.com",
            sourceArn: args.secret.arn,
            sourceAccount: args.accountId,
        },
        { parent: args.fn },
    );
    return new aws.secretsmanager.SecretRotation(
        `${name}-rotation`,
        {
            secretId: args.secret.id,
            rotationLambdaArn: args.fn.arn,
            rotationRules: { automaticallyAfterDays: args.days },
            rotateImmediately: args.rotateImmediately,
        },
        { parent: args.secret, dependsOn: [permission] },
    );
}
