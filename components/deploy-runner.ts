import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { integerLimit, logRetentionLimit, oneOfLimit } from "./limits";
import { accountAdministersKey, cloudWatchLogsUsesKey } from "./kms-keys";
import { checkNetworkArgs, Network, NetworkArgs } from "./network";
import { CMK_LIFECYCLE } from "./kms-keys";
import { serviceRoleTrust } from "./service-role";

/**
 * CodeBuild compute types that can host a GitHub Actions runner on Linux containers
 * (CodeBuild User Guide, "Build environment compute modes and types").
 */
export const RUNNER_COMPUTE_TYPES = [
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
] as const;

/** The CodeBuild project's name: workflows select the runner with `runs-on: codebuild-<name>-<run id>-<attempt>`. */
export const RUNNER_PROJECT_NAME = "bookedbarber-deploy-runner";

/** The `runs-on` label a workflow job uses to run on this runner (CodeBuild User Guide, "Tutorial: Configure a CodeBuild-hosted GitHub Actions runner"). */
export function runnerLabel(projectName: string): string {
    return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

const REPO_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** DeployRunner's defaults: the value each optional arg takes when left out. The stack config keys derive theirs from these. */
export const DEPLOY_RUNNER_DEFAULTS = {
    /** 4 GiB, 2 vCPUs: tsc needs about 700 MB, plus one stack's `pulumi up`. */
    computeType: "BUILD_GENERAL1_MEDIUM",
    /** Node 20 and 22. */
    image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
    /** A full regional `up` creates Aurora global clusters and EKS. */
    timeoutMinutes: 120,
    /** PCI DSS 10.7: these are deploy logs. */
    logRetentionDays: 365,
} as const;

/** DeployRunner's valid ranges. */
export const DEPLOY_RUNNER_LIMITS = {
    computeType: oneOfLimit(RUNNER_COMPUTE_TYPES),
    /** CodeBuild allows 5 to 2160 minutes (CodeBuild API, Project.timeoutInMinutes). */
    timeoutMinutes: integerLimit(5, 2160),
    /** The build logs go to a CloudWatch log group (its periods only); PCI DSS 10.7: a year at least. */
    logRetentionDays: logRetentionLimit(365),
} as const;

export interface DeployRunnerArgs {
    /** The runner's own VPC (CIDR, AZs, flow-log retention): private subnets whose only way out is a NAT gateway per AZ with an Elastic IP. Required (bootstrap config `vpcCidr`, `azCount`). */
    network: Pick<NetworkArgs, "cidr" | "azs" | "flowLogRetentionDays">;
    /** GitHub repository (owner/name) whose workflow jobs the runner takes. Required (config `githubRepository`). */
    githubRepository: string;
    /** GitHub token CodeBuild uses to register runners (a Pulumi secret). Omitted: the account's existing CodeBuild GitHub credential in the region is used (README "Deploy", step 1). */
    githubToken?: pulumi.Input<string>;
    /** CodeBuild compute type. Default BUILD_GENERAL1_MEDIUM (4 GiB, 2 vCPUs: tsc needs about 700 MB; docs/design.md#d28-node-20-pinned-versions). */
    computeType?: string;
    /** CodeBuild image. Default aws/codebuild/amazonlinux-x86_64-standard:5.0 (Node 20 and 22). */
    image?: string;
    /** Minutes a job may run. Default 120 (a full regional `up` creates Aurora global clusters and EKS). */
    timeoutMinutes?: number;
    /** Days the runner's build logs are kept. Default 365 (PCI DSS 10.7: these are deploy logs). */
    logRetentionDays?: number;
    /** Account that owns the runner; its root administers the runner's key. Required. */
    accountId: pulumi.Input<string>;
    /** Region of the parent's provider. Required. */
    region: string;
    /** Protect the key and log group from `pulumi destroy`. Default true. */
    protect?: boolean;
}

/**
 * A CodeBuild-hosted GitHub Actions runner with static egress (docs/decisions/eks-api-access.md):
 * CodeBuild runs each queued workflow job of the repository in the runner VPC's private subnets,
 * so every request it makes leaves through the NAT gateways' Elastic IPs. The regional stacks
 * allow exactly those addresses on the EKS API's public endpoint, so CI reaches the API from the
 * first `pulumi up` on, and no runner is ever inside a cluster's VPC.
 */
export class DeployRunner extends pulumi.ComponentResource {
    /** The runner's VPC (the Network component): its NAT addresses are the fixed egress the EKS API admits. */
    readonly network: Network;
    /** The CodeBuild project: workflow jobs run on it with `runs-on: codebuild-<projectName>-...`. */
    readonly projectName: pulumi.Output<string>;
    /** The runner's egress addresses as /32 CIDRs: the EKS public endpoint allowlist. */
    readonly egressCidrs: pulumi.Output<string[]>;
    /** The runner's CodeBuild service role. */
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: DeployRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        const computeType = args.computeType ?? DEPLOY_RUNNER_DEFAULTS.computeType;
        const image = args.image ?? DEPLOY_RUNNER_DEFAULTS.image;
        const timeout = args.timeoutMinutes ?? DEPLOY_RUNNER_DEFAULTS.timeoutMinutes;
        const retention = args.logRetentionDays ?? DEPLOY_RUNNER_DEFAULTS.logRetentionDays;
        const protect = args.protect ?? true;
        checkNetworkArgs(new ArgsCheck("DeployRunner", name), args.network ?? ({} as DeployRunnerArgs["network"]), "network.")
            .that(REPO_RE.test(args.githubRepository ?? ""), "githubRepository", args.githubRepository, "must be owner/name of a GitHub repository")
            .within("computeType", computeType, DEPLOY_RUNNER_LIMITS.computeType)
            .that(/^[a-z0-9./:_-]+$/i.test(image), "image", image, "must be a CodeBuild image name such as aws/codebuild/amazonlinux-x86_64-standard:5.0")
            .within("timeoutMinutes", timeout, DEPLOY_RUNNER_LIMITS.timeoutMinutes)
            .within("logRetentionDays", retention, DEPLOY_RUNNER_LIMITS.logRetentionDays)
            .done();
        super("bookedbarber:ci:DeployRunner", name, {}, opts);

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "BookedBarber deploy runner: build logs, artifacts and its VPC's flow logs",
                ...CMK_LIFECYCLE,
                policy: pulumi.output(args.accountId).apply((acct) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            accountAdministersKey(acct),
                            cloudWatchLogsUsesKey(args.region, acct),
                            {
                                Sid: "AccountPrincipalsUseKeyOnlyThroughCodeBuild",
                                Effect: "Allow",
                                Principal: { AWS: "*" },
                                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                                Resource: "*",
                                Condition: {
                                    StringEquals: {
                                        "kms:CallerAccount": acct,
                                        "kms:ViaService": [`codebuild.${args.region}.amazonaws.com`, `s3.${args.region}.amazonaws.com`],
                                    },
                                },
                            },
                        ],
                    }),
                ),
                tags: { "data-domain": "ci" },
            },
            { parent: this, protect },
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: "alias/bookedbarber/deploy-runner", targetKeyId: key.keyId }, { parent: key });

        this.network = new Network(`${name}-net`, { ...args.network, logsKeyArn: key.arn }, { parent: this });

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/bookedbarber/ci/${RUNNER_PROJECT_NAME}`,
                retentionInDays: retention,
                kmsKeyId: key.arn,
                tags: { "log-class": "deploy" },
            },
            { parent: this, protect },
        );

        // Egress only, HTTPS only: GitHub, the Pulumi Cloud, the npm registry, AWS APIs and the EKS endpoints all speak 443.
        // The VPC resolver (VPC+2) is not filtered by security groups, so DNS needs no rule.
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: this.network.vpcId,
                description: "Deploy runner: HTTPS out through the NAT gateways, nothing in",
                tags: { Name: `${name}-runner` },
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            {
                securityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
                description: "HTTPS to GitHub, Pulumi Cloud, npm and AWS APIs",
            },
            { parent: sg },
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description:
                    "CodeBuild service role of the deploy runner: logs, VPC network interfaces, its key. Deploy credentials come from the workflow's OIDC role, not from here.",
                assumeRolePolicy: pulumi.output(args.accountId).apply((acct) => serviceRoleTrust("codebuild.amazonaws.com", { account: acct })),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi.all([logGroup.arn, key.arn, args.accountId, this.network.privateSubnetIds]).apply(([logs, keyArn, acct, subnets]) =>
                    runnerRolePolicy({
                        logGroupArn: logs,
                        keyArn,
                        accountId: acct,
                        region: args.region,
                        subnetArns: subnets.map((s) => `arn:aws:ec2:${args.region}:${acct}:subnet/${s}`),
                    }),
                ),
            },
            { parent: role },
        );

        const credential =
            args.githubToken === undefined
                ? undefined
                : new aws.codebuild.SourceCredential(
                      `${name}-github`,
                      {
                          authType: "PERSONAL_ACCESS_TOKEN",
                          serverType: "GITHUB",
                          token: pulumi.secret(args.githubToken),
                      },
                      { parent: this },
                  );

        const project = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: RUNNER_PROJECT_NAME,
                description: `GitHub Actions runner for ${args.githubRepository}: static egress through the runner VPC's NAT gateways`,
                serviceRole: role.arn,
                encryptionKey: key.arn,
                buildTimeout: timeout,
                source: { type: "GITHUB", location: `https://github.com/${args.githubRepository}.git`, gitCloneDepth: 1 },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: { type: "LINUX_CONTAINER", computeType, image, imagePullCredentialsType: "CODEBUILD", privilegedMode: false },
                vpcConfig: { vpcId: this.network.vpcId, subnets: this.network.privateSubnetIds, securityGroupIds: [sg.id] },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
            },
            { parent: this, dependsOn: credential ? [credential] : [] },
        );

        // WORKFLOW_JOB_QUEUED makes the project a runner project: CodeBuild starts a build per queued job whose label names it.
        new aws.codebuild.Webhook(
            `${name}-webhook`,
            {
                projectName: project.name,
                buildType: "BUILD",
                filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }],
            },
            { parent: project },
        );

        this.projectName = project.name;
        this.roleArn = role.arn;
        this.egressCidrs = pulumi.all(this.network.natPublicIps).apply((ips) => ips.map((ip) => `${ip}/32`));
        this.registerOutputs({ projectName: this.projectName, egressCidrs: this.egressCidrs });
    }
}

/**
 * The runner role's permissions, as the CodeBuild User Guide lists them for a project in a VPC
 * ("Allow CodeBuild access to AWS services to create a VPC network interface"): its logs, its key
 * through CodeBuild, and network interfaces in its own subnets only.
 */
export function runnerRolePolicy(a: { logGroupArn: string; keyArn: string; accountId: string; region: string; subnetArns: string[] }): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "BuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [a.logGroupArn, `${a.logGroupArn}:*`] },
            { Sid: "RunnerKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: a.keyArn },
            {
                // Describe calls take no resource-level permissions (Service Authorization Reference: Amazon EC2).
                Sid: "DescribeNetwork",
                Effect: "Allow",
                Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                Resource: "*",
            },
            {
                // The build's interface: created in the runner's subnets (with any of this region's groups), deleted by id.
                Sid: "BuildNetworkInterfaces",
                Effect: "Allow",
                Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
                Resource: [
                    `arn:aws:ec2:${a.region}:${a.accountId}:network-interface/*`,
                    `arn:aws:ec2:${a.region}:${a.accountId}:security-group/*`,
                    ...a.subnetArns,
                ],
            },
            {
                Sid: "NetworkInterfacesInRunnerSubnetsOnly",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterfacePermission",
                Resource: `arn:aws:ec2:${a.region}:${a.accountId}:network-interface/*`,
                Condition: { StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" }, ArnEquals: { "ec2:Subnet": a.subnetArns } },
            },
        ],
    });
}
