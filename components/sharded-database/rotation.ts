import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Rotation of the shards' master passwords. RDS cannot manage the password of an Aurora Global
 * Database member, so Secrets Manager rotates it with AWS's single-user PostgreSQL rotation function
 * from the Serverless Application Repository (the template AWS publishes and the CDK pins), deployed in
 * the data subnets. The data subnets have no route out, so the function reaches Secrets Manager
 * through an interface endpoint there; it reaches the writers on 5432. The standby's secondary
 * clusters take the new password from the global cluster.
 */

/** AWS's rotation application for one PostgreSQL user that changes its own password (aws-cdk-lib SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER). */
export const ROTATION_APPLICATION = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    semanticVersion: "1.1.618",
    /** The template's output naming the function (Terraform and Pulumi registry examples). */
    lambdaArnOutput: "RotationLambdaARN",
} as const;

/**
 * AWS's alternating-users PostgreSQL rotation application (aws-cdk-lib SecretRotationApplication.POSTGRES_ROTATION_MULTI_USER,
 * the same version): it logs in with the master secret named in the secret's `masterarn`, creates `<user>_clone`
 * on the first rotation with the rotated user's role memberships, and from then on changes the password of
 * whichever of the two users is not current. Extra template parameters: the master secret and its key, for
 * the function's IAM policy.
 */
export const APP_ROTATION_APPLICATION = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser",
    semanticVersion: ROTATION_APPLICATION.semanticVersion,
    lambdaArnOutput: ROTATION_APPLICATION.lambdaArnOutput,
} as const;

/**
 * Days between rotations of an app role secret. Alternating users keep the previous login valid for one
 * whole interval after a rotation (PgBouncer accepts it until then: kubernetes.ts, PREVIOUS_LOGIN_FILES), so a
 * client must re-read its mounted login within it (README, "Clients of PgBouncer"; docs/secrets.md).
 */
export const APP_ROTATION_DAYS = 30;

/** Days between rotations of a master password (the brief's 30-day schedule; the pack's secret-rotation rule caps it at 90). */
export const MASTER_ROTATION_DAYS = 30;
/** Characters the generated password must not hold: RDS refuses / @ " and space; ' and \ break connection strings. */
export const ROTATION_EXCLUDED_CHARACTERS = "/@\"' \\";

const HTTPS = 443;

export interface RotationNetworkInputs {
    region: string;
    vpcId: pulumi.Input<string>;
    dataSubnetIds: pulumi.Input<string>[];
    /** The shards' security group: the function connects to the writers through it. */
    dbSecurityGroupId: pulumi.Input<string>;
    /** Workloads that read secrets (the node security group): the endpoint's private DNS name serves the whole VPC. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    port: number;
}

/**
 * What the rotation functions of a zone primary share: their security group (PostgreSQL to the shards,
 * HTTPS to Secrets Manager) and the Secrets Manager interface endpoint in the data subnets. Returns the
 * functions' security group.
 */
export function rotationNetwork(name: string, i: RotationNetworkInputs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const fnSg = new aws.ec2.SecurityGroup(
        `${name}-rotation-sg`,
        {
            vpcId: i.vpcId,
            description: "Master password rotation function: PostgreSQL to the shards, HTTPS to the Secrets Manager endpoint",
            revokeRulesOnDelete: true,
            tags: { Name: `${name}-rotation` },
        },
        { parent },
    );
    const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-secrets-endpoint-sg`,
        {
            vpcId: i.vpcId,
            description: "Secrets Manager interface endpoint: HTTPS from the rotation function and the cluster's workloads",
            revokeRulesOnDelete: true,
            tags: { Name: `${name}-secrets-endpoint` },
        },
        { parent },
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-rotation-to-shards`,
        {
            securityGroupId: fnSg.id,
            referencedSecurityGroupId: i.dbSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: i.port,
            toPort: i.port,
            description: "PostgreSQL to the shard writers (ALTER USER with the new password)",
        },
        { parent: fnSg },
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-rotation-to-endpoint`,
        {
            securityGroupId: fnSg.id,
            referencedSecurityGroupId: endpointSg.id,
            ipProtocol: "tcp",
            fromPort: HTTPS,
            toPort: HTTPS,
            description: "HTTPS to the Secrets Manager endpoint",
        },
        { parent: fnSg },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-sg-from-rotation`,
        {
            securityGroupId: i.dbSecurityGroupId,
            referencedSecurityGroupId: fnSg.id,
            ipProtocol: "tcp",
            fromPort: i.port,
            toPort: i.port,
            description: "PostgreSQL from the master password rotation function",
        },
        { parent: fnSg },
    );
    [fnSg.id, ...i.clientSecurityGroupIds].forEach((client, n) => {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-secrets-endpoint-from-${n === 0 ? "rotation" : `client-${n - 1}`}`,
            {
                securityGroupId: endpointSg.id,
                referencedSecurityGroupId: client,
                ipProtocol: "tcp",
                fromPort: HTTPS,
                toPort: HTTPS,
                description: n === 0 ? "HTTPS from the rotation function" : "HTTPS from the cluster's workloads (Secrets Store CSI provider)",
            },
            { parent: endpointSg },
        );
    });
    new aws.ec2.VpcEndpoint(
        `${name}-secrets-endpoint`,
        {
            vpcId: i.vpcId,
            serviceName: `com.amazonaws.${i.region}.secretsmanager`,
            vpcEndpointType: "Interface",
            subnetIds: i.dataSubnetIds,
            securityGroupIds: [endpointSg.id],
            privateDnsEnabled: true,
            tags: { Name: `${name}-secretsmanager` },
        },
        { parent: endpointSg },
    );
    return fnSg;
}

export interface MasterRotationInputs {
    region: string;
    dataSubnetIds: pulumi.Input<string>[];
    /** The rotation functions' security group (rotationNetwork). */
    functionSecurityGroup: aws.ec2.SecurityGroup;
    secretsKeyArn: pulumi.Input<string>;
    /** The master secrets, one per shard. */
    secretArns: pulumi.Input<string>[];
}

/** Lambda ARN output of a rotation application's stack, or a failure naming the stack. */
function rotationLambdaArn(name: string, app: aws.serverlessrepository.CloudFormationStack): pulumi.Output<string> {
    return app.outputs.apply((o) => {
        const arn = o?.[ROTATION_APPLICATION.lambdaArnOutput];
        if (!arn) throw new Error(`${name}: the rotation application has no ${ROTATION_APPLICATION.lambdaArnOutput} output`);
        return arn;
    });
}

export function masterRotation(name: string, i: MasterRotationInputs, parent: pulumi.Resource): aws.secretsmanager.SecretRotation[] {
    const fnSg = i.functionSecurityGroup;
    const app = new aws.serverlessrepository.CloudFormationStack(
        `${name}-rotation`,
        {
            name: `${name}-master-rotation`,
            applicationId: ROTATION_APPLICATION.applicationId,
            semanticVersion: ROTATION_APPLICATION.semanticVersion,
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: {
                endpoint: `https://secretsmanager.${i.region}.amazonaws.com`,
                functionName: `${name}-master-rotation`,
                vpcSubnetIds: pulumi.all(i.dataSubnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: fnSg.id,
                kmsKeyArn: i.secretsKeyArn,
                excludeCharacters: ROTATION_EXCLUDED_CHARACTERS,
            },
        },
        { parent, dependsOn: [fnSg] },
    );
    const lambdaArn = rotationLambdaArn(name, app);
    return i.secretArns.map(
        (secretId, n) =>
            new aws.secretsmanager.SecretRotation(
                `${name}-master-rotation-${n}`,
                {
                    secretId,
                    rotationLambdaArn: lambdaArn,
                    rotationRules: { automaticallyAfterDays: MASTER_ROTATION_DAYS },
                },
                { parent: app },
            ),
    );
}

export interface AppRotationInputs {
    region: string;
    dataSubnetIds: pulumi.Input<string>[];
    functionSecurityGroup: aws.ec2.SecurityGroup;
    secretsKeyArn: pulumi.Input<string>;
    shardId: number;
    /** The shard's app role secret. */
    secretArn: pulumi.Input<string>;
    /** The shard's master secret (the secret's `masterarn`): the function logs in with it. */
    masterSecretArn: pulumi.Input<string>;
    /** What must exist before the first rotation: the Job that creates the login user whose memberships the clone copies. */
    dependsOn: pulumi.Resource[];
}

/**
 * Alternating-users rotation of one shard's app role secret. One application per shard: the template's
 * IAM policy grants reading exactly one master secret.
 */
export function appRotation(name: string, i: AppRotationInputs, parent: pulumi.Resource): aws.secretsmanager.SecretRotation {
    const fnName = `${name}-shard-${i.shardId}-app-rotation`;
    const app = new aws.serverlessrepository.CloudFormationStack(
        fnName,
        {
            name: fnName,
            applicationId: APP_ROTATION_APPLICATION.applicationId,
            semanticVersion: APP_ROTATION_APPLICATION.semanticVersion,
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: {
                endpoint: `https://secretsmanager.${i.region}.amazonaws.com`,
                functionName: fnName,
                vpcSubnetIds: pulumi.all(i.dataSubnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: i.functionSecurityGroup.id,
                kmsKeyArn: i.secretsKeyArn,
                excludeCharacters: ROTATION_EXCLUDED_CHARACTERS,
                masterSecretArn: i.masterSecretArn,
                masterSecretKmsKeyArn: i.secretsKeyArn,
            },
        },
        { parent, dependsOn: [i.functionSecurityGroup] },
    );
    return new aws.secretsmanager.SecretRotation(
        `${fnName}-schedule`,
        {
            secretId: i.secretArn,
            rotationLambdaArn: rotationLambdaArn(fnName, app),
            rotationRules: { automaticallyAfterDays: APP_ROTATION_DAYS },
            // The first rotation right away (the provider's default, written out because PgBouncer relies on it): it
            // gives the secret the AWSPREVIOUS version PgBouncer's mount reads, so its pods start only after it.
            rotateImmediately: true,
        },
        { parent: app, dependsOn: i.dependsOn },
    );
}
