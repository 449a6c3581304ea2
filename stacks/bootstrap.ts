import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DeployRunner, runnerLabel } from "../components/deploy-runner";
import { createServiceLinkedRoles } from "../components/service-linked-roles";
import { BootstrapConfig } from "./config";
import { BootstrapOutputs } from "./contract";
import { regionProvider } from "./providers";
import { EDGE_REGION } from "./regions";

/** GitHub's OIDC issuer for Actions (GitHub docs, "Configuring OpenID Connect in Amazon Web Services"). */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** The CI role's name: workflows assume it through OIDC (secret AWS_DEPLOY_ROLE_ARN = the bootstrap output ciRoleArn). */
export const CI_ROLE_NAME = "bookedbarber-ci-deploy";

/**
 * The bootstrap stack (wave 0): what every other stack assumes exists in the
 * account, created here so that no later wave waits on it or looks it up
 * (docs/decisions/eks-api-access.md):
 * - the public hosted zone, and its delegation when the domain is registered in Route 53 Domains;
 * - the service-linked roles that key policies name or that AWS only creates from the console;
 * - the deploy runner: CodeBuild-hosted GitHub Actions runners whose egress leaves through
 *   Elastic IPs, the only addresses the regional EKS API endpoints admit;
 * - GitHub's OIDC provider and the CI role the workflows assume (no long-lived keys).
 */
export function bootstrapStack(config: BootstrapConfig): BootstrapOutputs {
    const v = config.values;
    const provider = regionProvider(config, config.region);
    // Route 53 Domains has one endpoint, in us-east-1.
    const domainsProvider = config.region === EDGE_REGION ? provider : regionProvider(config, EDGE_REGION);
    const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;

    const zone = new aws.route53.Zone(
        "bb-public-zone",
        {
            name: v.hostedZoneName,
            comment: "BookedBarber public zone: edge, regional API names and certificate validation (bootstrap stack)",
            forceDestroy: false,
        },
        { provider, protect: config.protect },
    );
    if (v.dnsDelegation === "route53-domains") {
        // The registration's name servers follow the zone: delegation happens in this run, a wave before any certificate waits on it.
        new aws.route53domains.RegisteredDomain(
            "bb-domain-delegation",
            {
                domainName: v.hostedZoneName,
                nameServers: zone.nameServers.apply((ns) => ns.map((name) => ({ name }))),
                autoRenew: true,
                transferLock: true,
            },
            { provider: domainsProvider },
        );
    }

    const slrParent = new pulumi.ComponentResource("bookedbarber:bootstrap:ServiceLinkedRoles", "bb-service-linked-roles", {}, { provider });
    const serviceLinkedRoleArns = createServiceLinkedRoles("bb", slrParent);

    const runner = new DeployRunner(
        "bb-runner",
        {
            network: { cidr: config.network.vpcCidr, azs: config.network.azs, flowLogRetentionDays: config.network.flowLogRetentionDays },
            githubRepository: v.githubRepository,
            ...(v.runnerGithubToken ? { githubToken: pulumi.secret(v.runnerGithubToken) } : {}),
            computeType: v.runnerComputeType,
            accountId,
            region: config.region,
            protect: config.protect,
        },
        { provider },
    );

    const oidc = new aws.iam.OpenIdConnectProvider(
        "bb-github-oidc",
        {
            url: GITHUB_OIDC_URL,
            clientIdLists: ["sts.amazonaws.com"],
        },
        { provider },
    );
    // Trusted only by this repository's workflows through OIDC. Its permissions are attached by the
    // account administrator (README "Deploy", step 2): the policy pack refuses administrator
    // rights on roles this program creates (no-admin-on-workload-roles), on purpose.
    const ciRole = new aws.iam.Role(
        "bb-ci-role",
        {
            name: CI_ROLE_NAME,
            description: `Assumed by ${v.githubRepository}'s GitHub Actions workflows (OIDC) to preview and deploy the stacks`,
            maxSessionDuration: 4 * 3600,
            assumeRolePolicy: oidc.arn.apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: arn },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: {
                                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                                StringLike: { "token.actions.githubusercontent.com:sub": `repo:${v.githubRepository}:*` },
                            },
                        },
                    ],
                }),
            ),
        },
        { provider },
    );

    return {
        domainName: v.domainName,
        hostedZoneName: v.hostedZoneName,
        hostedZoneId: zone.zoneId,
        nameServers: zone.nameServers,
        dnsDelegation: v.dnsDelegation,
        runner: {
            projectName: runner.projectName,
            label: runner.projectName.apply(runnerLabel),
            egressCidrs: runner.egressCidrs,
        },
        serviceLinkedRoleArns,
        ciRoleArn: ciRole.arn,
    };
}
