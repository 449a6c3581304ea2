import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dnsValidatedCertificate } from "../dns-validated-certificate";
import { logBucket } from "../log-bucket";
import { podIdentityRole } from "../pod-identity";
import { helmRelease, ReleaseContext } from "../helm/release";
import { bucketDeliveryStatements, LOG_DELIVERY_SERVICE } from "../log-delivery";
import { SYSTEM_REPLICAS } from "./helm";
import { GATEWAY_HEALTH_PORT, GATEWAY_HTTPS_PORT, gatewayTargetGroupBinding } from "./manifests";

/** TLS 1.3 with TLS 1.2 fallback for older clients (spec: "TLS 1.3 for all communications"). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** AWS-managed prefix list of CloudFront's origin-facing addresses: only the edge may reach the load balancer. */
export const CLOUDFRONT_ORIGIN_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
/**
 * AWS-managed prefix list of the Route 53 health checkers' addresses, published in every region
 * (docs/decisions/health-checks.md). The edge's health checks request the API over HTTPS through the
 * same listener as CloudFront, so the load balancer must admit them too.
 */
export const route53HealthCheckersPrefixList = (region: string) => `com.amazonaws.${region}.route53-healthchecks`;
/**
 * Weight (max entries) each managed prefix list counts against a security group's rules quota, and the
 * default quota of inbound rules per security group (AWS VPC quotas). 55 + 25 > 60, so the checkers get
 * a security group of their own beside CloudFront's (an NLB takes up to 5).
 */
export const PREFIX_LIST_WEIGHT = { cloudfrontOriginFacing: 55, route53HealthChecks: 25 } as const;
export const SG_INBOUND_RULES_QUOTA = 60;

export interface IngressArgs {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string>[];
    nodeSecurityGroupId: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    region: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    /** The listener certificate's names (the first is its domain name) and the public hosted zone that validates them. */
    certificate: { hostnames: string[]; hostedZoneId: pulumi.Input<string> };
    logRetentionDays: number;
    protect: boolean;
    /** The gateway release: the binding needs its Service. */
    gateway: k8s.helm.v3.Release;
    ingressNamespace: k8s.core.v1.Namespace;
}

/** What ELB log delivery needs: check the bucket, and write under nlb/AWSLogs/<account>/ only. */
export function lbLogWriterStatements(bucketArn: string, region: string, accountId: string): object[] {
    return bucketDeliveryStatements({
        service: LOG_DELIVERY_SERVICE,
        bucketArn,
        keyPrefix: `nlb/AWSLogs/${accountId}/`,
        source: { account: accountId, arnLike: `arn:aws:logs:${region}:${accountId}:*` },
        sids: { aclCheck: "LogDeliveryChecksAcl", write: "LogDeliveryWritesThisAccountsLogs" },
    });
}

/**
 * The load balancer controller's permissions in TargetGroupBinding-only use: read the load balancer
 * estate, and register or deregister targets in this one target group. It cannot create load
 * balancers or touch security groups; Pulumi owns those.
 */
export function loadBalancerControllerPolicy(targetGroupArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "RegisterGatewayPodsInThisTargetGroup",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: targetGroupArn,
            },
            {
                Sid: "ReadOnlyDiscovery",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeTags",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeInstances",
                    "ec2:DescribeAvailabilityZones",
                ],
                Resource: "*",
            },
        ],
    });
}

/**
 * Internet-facing ingress (spec: "Load Balancers"): a Network Load Balancer that Pulumi owns, with a
 * TLS 1.3 listener only, access logs to a KMS-encrypted bucket, reachable only from CloudFront's
 * origin-facing addresses and the Route 53 health checkers, re-encrypting (TLS target group) to the Istio ingress gateway's pods, which the AWS Load
 * Balancer Controller keeps registered through a TargetGroupBinding.
 */
export function installIngress(name: string, args: IngressArgs, ctx: ReleaseContext) {
    const parent = ctx.parent;

    // ---- access-log bucket ----------------------------------------------------
    const { bucket, policy } = logBucket(
        `${name}-lb-logs`,
        {
            keyArn: args.logsKeyArn,
            logClass: "load-balancer-access",
            retentionDays: args.logRetentionDays,
            glacierAfterDays: 90,
            writerStatements: (arn) => pulumi.all([args.region, args.accountId]).apply(([r, a]) => lbLogWriterStatements(arn, r, a)),
            protect: args.protect,
        },
        parent,
    );

    // ---- security groups ------------------------------------------------------
    const lbSg = new aws.ec2.SecurityGroup(
        `${name}-lb-sg`,
        {
            vpcId: args.vpcId,
            description: "Ingress NLB: TLS from CloudFront only; to the Istio gateway only",
            tags: { Name: `${name}-lb` },
        },
        { parent },
    );
    const cloudfront = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_PREFIX_LIST }, { parent });
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-lb-from-cloudfront`,
        {
            securityGroupId: lbSg.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListId: cloudfront.id,
            description: "HTTPS from CloudFront origin-facing",
        },
        { parent: lbSg },
    );
    // Route 53 health checkers: a group of their own, so neither group passes the rules quota.
    const checkersSg = new aws.ec2.SecurityGroup(
        `${name}-lb-health-checkers-sg`,
        {
            vpcId: args.vpcId,
            description: "Ingress NLB: TLS from the Route 53 health checkers only",
            tags: { Name: `${name}-lb-health-checkers` },
        },
        { parent },
    );
    const checkers = aws.ec2.getManagedPrefixListOutput({ name: pulumi.output(args.region).apply(route53HealthCheckersPrefixList) }, { parent });
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-lb-from-health-checkers`,
        {
            securityGroupId: checkersSg.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListId: checkers.id,
            description: "HTTPS from the Route 53 health checkers",
        },
        { parent: checkersSg },
    );
    for (const [port, what] of [
        [GATEWAY_HTTPS_PORT, "TLS traffic"],
        [GATEWAY_HEALTH_PORT, "health checks"],
    ] as const) {
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-lb-to-gateway-${port}`,
            {
                securityGroupId: lbSg.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: args.nodeSecurityGroupId,
                description: `Gateway ${what}`,
            },
            { parent: lbSg },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-gateway-from-lb-${port}`,
            {
                securityGroupId: args.nodeSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: lbSg.id,
                description: `Gateway ${what} from the ingress NLB`,
            },
            { parent: lbSg },
        );
    }

    // ---- load balancer --------------------------------------------------------
    const lb = new aws.lb.LoadBalancer(
        `${name}-ingress`,
        {
            loadBalancerType: "network",
            internal: false,
            ipAddressType: "ipv4",
            subnets: args.publicSubnetIds,
            securityGroups: [lbSg.id, checkersSg.id],
            enableCrossZoneLoadBalancing: true,
            enableDeletionProtection: args.protect,
            accessLogs: { bucket: bucket.bucket, prefix: "nlb", enabled: true },
        },
        { parent, dependsOn: [policy] },
    );
    const targetGroup = new aws.lb.TargetGroup(
        `${name}-gateway-tg`,
        {
            vpcId: args.vpcId,
            targetType: "ip",
            // TLS to the targets: the listener terminates the client's TLS and opens a new TLS connection to the
            // gateway's HTTPS server (AWS: NLB target groups, "TLS"; the NLB does not validate target certificates).
            protocol: "TLS",
            port: GATEWAY_HTTPS_PORT,
            deregistrationDelay: 30,
            healthCheck: {
                protocol: "HTTP",
                port: String(GATEWAY_HEALTH_PORT),
                path: "/healthz/ready",
                interval: 10,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
            },
        },
        { parent: lb },
    );
    const certificate = ingressCertificate(name, args.certificate, parent);
    const listener = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: lb.arn,
            port: 443,
            protocol: "TLS",
            sslPolicy: TLS_POLICY,
            certificateArn: certificate.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        { parent: lb },
    );

    // ---- controller and binding -----------------------------------------------
    const serviceAccount = "aws-load-balancer-controller";
    const controllerRole = podIdentityRole(
        `${name}-lb-controller`,
        {
            clusterName: args.clusterName,
            namespace: "kube-system",
            serviceAccount,
            description: "AWS Load Balancer Controller: keeps the Istio gateway's pods registered in the ingress target group",
            policy: targetGroup.arn.apply(loadBalancerControllerPolicy),
        },
        parent,
    );
    const controller = helmRelease(
        `${name}-aws-load-balancer-controller`,
        "awsLoadBalancerController",
        "kube-system",
        {
            clusterName: args.clusterName,
            // Given explicitly: IMDS is out of reach for pods (hop limit 1).
            region: args.region,
            vpcId: args.vpcId,
            replicaCount: SYSTEM_REPLICAS,
            podDisruptionBudget: { maxUnavailable: 1 },
            priorityClassName: "system-cluster-critical",
            serviceAccount: { create: true, name: serviceAccount },
            // Pulumi owns every load balancer; the controller must not take over Services of type LoadBalancer.
            enableServiceMutatorWebhook: false,
        },
        ctx,
        { dependsOn: [controllerRole] },
    );
    const binding = new k8s.apiextensions.CustomResource(`${name}-gateway-binding`, gatewayTargetGroupBinding(targetGroup.arn), {
        parent,
        provider: ctx.provider,
        dependsOn: [controller, args.gateway, args.ingressNamespace, listener],
    });

    return {
        bucket,
        lb,
        targetGroup,
        listener,
        securityGroup: lbSg,
        healthCheckersSecurityGroup: checkersSg,
        controller,
        controllerRole,
        binding,
        dnsName: lb.dnsName,
        zoneId: lb.zoneId,
    };
}

/**
 * The listener's certificate: one ACM certificate naming every hostname clients use for this region
 * (stacks/hostnames.ts), validated through DNS records in the public hosted zone. The zone is the
 * bootstrap stack's, so it is delegated a wave before this validation waits on it.
 *
 * The validation records are retained on delete: ACM uses the same CNAME for a name in every
 * certificate of the account, and the shared names (`<zone>.api`, `api`, `nearest.api`) sit in the
 * certificates of several regional stacks, so no one stack may delete them (managed renewal needs them too).
 */
export function ingressCertificate(
    name: string,
    args: { hostnames: string[]; hostedZoneId: pulumi.Input<string> },
    parent: pulumi.Resource,
): aws.acm.CertificateValidation {
    return dnsValidatedCertificate(`${name}-ingress-cert`, { names: args.hostnames, hostedZoneId: args.hostedZoneId, retainRecords: true }, parent);
}
