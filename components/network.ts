import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { logRetentionLimit } from "./limits";
import { planSubnets } from "./cidr";
import { withTags } from "./tags";
import { serviceRoleTrust } from "./service-role";

/** Network's defaults: the value each optional arg takes when left out. The stack config keys derive theirs from these. */
export const NETWORK_DEFAULTS = {
    /** PCI DSS 10.7: a year. */
    flowLogRetentionDays: 365,
} as const;

/** Network's valid ranges. */
export const NETWORK_LIMITS = {
    /** The flow logs go to a CloudWatch log group (its periods only); PCI DSS 10.7: a year at least. */
    flowLogRetentionDays: logRetentionLimit(365),
} as const;

export interface NetworkArgs {
    /** IPv4 CIDR of the VPC, /16 to /20. Required (stack config `vpcCidr`). */
    cidr: string;
    /** AZs to span, in order; at least 3 (spec: Multi-AZ). Required (stack config `azCount`). */
    azs: readonly string[];
    /** KMS key ARN that encrypts the flow-log group. Required: the region's logs key. */
    logsKeyArn: pulumi.Input<string>;
    /** Flow-log retention in days. Default 365 (PCI DSS 10.7). */
    flowLogRetentionDays?: number;
    /** EKS cluster name, for the subnet tags the load balancer controller looks for (`regionalClusterName(name)` for a RegionalCluster, which is built after the Network). Optional. */
    clusterName?: string;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/**
 * Records the problems of Network args on `check`, fields named `${prefix}<field>`.
 * Exported so a component that builds a Network can refuse bad args before its own `super()`.
 */
export function checkNetworkArgs(check: ArgsCheck, args: Pick<NetworkArgs, "cidr" | "azs" | "flowLogRetentionDays">, prefix = ""): ArgsCheck {
    const retention = args.flowLogRetentionDays ?? NETWORK_DEFAULTS.flowLogRetentionDays;
    return check
        .that(/^\d+\.\d+\.\d+\.\d+\/(1[6-9]|20)$/.test(args.cidr ?? ""), `${prefix}cidr`, args.cidr, "must be an IPv4 CIDR from /16 to /20")
        .that(
            Array.isArray(args.azs) && args.azs.length >= 3 && new Set(args.azs).size === args.azs.length,
            `${prefix}azs`,
            args.azs,
            "must list at least 3 distinct availability zones",
        )
        .within(`${prefix}flowLogRetentionDays`, retention, NETWORK_LIMITS.flowLogRetentionDays);
}

/**
 * The regional network baseline (spec: "Zero-Trust Architecture"):
 * a VPC over N AZs with public subnets for load balancers and NAT only, private
 * application subnets behind one NAT gateway per AZ, isolated data subnets with
 * no route out, flow logs to a KMS-encrypted log group, a default security
 * group with no rules, and gateway endpoints for S3 and DynamoDB.
 * The regional stack builds it as a top-level component and hands its IDs to the cluster and the data
 * tier (components/regional-cluster/README.md, "The network it runs in"); the deploy runner builds its own.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC. */
    readonly vpcId: pulumi.Output<string>;
    /** The VPC's IPv4 CIDR. */
    readonly vpcCidr: pulumi.Output<string>;
    /** Public subnets, one per AZ: load balancers and NAT gateways only, no auto-assigned public IPs. */
    readonly publicSubnetIds: pulumi.Output<string>[];
    /** Private application subnets, one per AZ, each behind its AZ's NAT gateway. */
    readonly privateSubnetIds: pulumi.Output<string>[];
    /** Isolated data subnets, one per AZ: no route to the internet. */
    readonly dataSubnetIds: pulumi.Output<string>[];
    /** Route tables of the data subnets: cross-region peering routes go here. */
    readonly dataRouteTableIds: pulumi.Output<string>[];
    /** CIDRs of the data subnets, one per AZ: the only destinations cross-region peering routes open. */
    readonly dataSubnetCidrs: string[];
    /** Route tables of the private subnets (gateway endpoints are attached to them). */
    readonly privateRouteTableIds: pulumi.Output<string>[];
    /** The CMK-encrypted CloudWatch log group of the VPC flow logs. */
    readonly flowLogGroupName: pulumi.Output<string>;
    /** Public addresses of the NAT gateways' Elastic IPs: everything the private subnets send to the internet leaves from these. */
    readonly natPublicIps: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const retention = args.flowLogRetentionDays ?? NETWORK_DEFAULTS.flowLogRetentionDays;
        checkNetworkArgs(new ArgsCheck("Network", name), args).done();
        super("bookedbarber:network:Network", name, {}, withTags("Network", name, args.tags, opts));

        const plan = planSubnets(args.cidr, args.azs.length);
        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidr,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: `${name}-vpc` },
            },
            { parent: this },
        );

        // Takes over the VPC's default security group and leaves it with no rules, so nothing lands in it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: { Name: `${name}-default-deny` } }, { parent: vpc });

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, { parent: vpc });
        const publicRt = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: { Name: `${name}-public` },
            },
            { parent: vpc },
        );
        const clusterTag: Record<string, string> = args.clusterName ? { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" } : {};

        const publicSubnets: aws.ec2.Subnet[] = [];
        const appSubnets: aws.ec2.Subnet[] = [];
        const dataSubnets: aws.ec2.Subnet[] = [];
        const appRts: aws.ec2.RouteTable[] = [];
        const dataRts: aws.ec2.RouteTable[] = [];
        const natIps: pulumi.Output<string>[] = [];
        args.azs.forEach((az, i) => {
            const pub = new aws.ec2.Subnet(
                `${name}-public-${az}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: plan.public[i],
                    availabilityZone: az,
                    // Only load balancers and NAT gateways live here; neither needs auto-assigned IPs.
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-public-${az}`, tier: "public", "kubernetes.io/role/elb": "1", ...clusterTag },
                },
                { parent: vpc },
            );
            new aws.ec2.RouteTableAssociation(`${name}-public-${az}-rta`, { subnetId: pub.id, routeTableId: publicRt.id }, { parent: pub });

            const eip = new aws.ec2.Eip(`${name}-nat-${az}-eip`, { domain: "vpc", tags: { Name: `${name}-nat-${az}` } }, { parent: pub });
            natIps.push(eip.publicIp);
            const nat = new aws.ec2.NatGateway(
                `${name}-nat-${az}`,
                {
                    allocationId: eip.id,
                    subnetId: pub.id,
                    connectivityType: "public",
                    tags: { Name: `${name}-nat-${az}` },
                },
                { parent: pub, dependsOn: [igw] },
            );

            const app = new aws.ec2.Subnet(
                `${name}-app-${az}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: plan.app[i],
                    availabilityZone: az,
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-app-${az}`, tier: "app", "kubernetes.io/role/internal-elb": "1", ...clusterTag },
                },
                { parent: vpc },
            );
            // One route table per AZ so an AZ's traffic leaves through its own NAT gateway (no cross-AZ dependency).
            const appRt = new aws.ec2.RouteTable(
                `${name}-app-${az}-rt`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                    tags: { Name: `${name}-app-${az}` },
                },
                { parent: app },
            );
            new aws.ec2.RouteTableAssociation(`${name}-app-${az}-rta`, { subnetId: app.id, routeTableId: appRt.id }, { parent: app });

            const data = new aws.ec2.Subnet(
                `${name}-data-${az}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: plan.data[i],
                    availabilityZone: az,
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-data-${az}`, tier: "data" },
                },
                { parent: vpc },
            );
            // No default route: the data tier cannot reach or be reached from the internet.
            const dataRt = new aws.ec2.RouteTable(`${name}-data-${az}-rt`, { vpcId: vpc.id, tags: { Name: `${name}-data-${az}` } }, { parent: data });
            new aws.ec2.RouteTableAssociation(`${name}-data-${az}-rta`, { subnetId: data.id, routeTableId: dataRt.id }, { parent: data });

            publicSubnets.push(pub);
            appSubnets.push(app);
            dataSubnets.push(data);
            appRts.push(appRt);
            dataRts.push(dataRt);
        });

        const region = aws.getRegionOutput({}, { parent: this }).region;
        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}-endpoint`,
                {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: [...appRts, ...dataRts].map((rt) => rt.id),
                    tags: { Name: `${name}-${service}` },
                },
                { parent: vpc },
            );
        }

        const flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: `/bookedbarber/vpc/${name}/flow-logs`,
                retentionInDays: retention,
                kmsKeyId: args.logsKeyArn,
                tags: { "log-class": "network-audit" },
            },
            { parent: this },
        );
        const flowRole = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                description: "Lets VPC Flow Logs write to this VPC's log group",
                assumeRolePolicy: aws
                    .getCallerIdentityOutput({}, { parent: this })
                    .accountId.apply((acct) => serviceRoleTrust("vpc-flow-logs.amazonaws.com", { account: acct })),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: flowRole.id,
                policy: flowLogGroup.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                                Resource: [arn, `${arn}:*`],
                            },
                        ],
                    }),
                ),
            },
            { parent: flowRole },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: flowRole.arn,
                maxAggregationInterval: 60,
                tags: { Name: `${name}-flow-log` },
            },
            { parent: vpc },
        );

        this.vpcId = vpc.id;
        this.vpcCidr = vpc.cidrBlock;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = appSubnets.map((s) => s.id);
        this.dataSubnetIds = dataSubnets.map((s) => s.id);
        this.privateRouteTableIds = appRts.map((rt) => rt.id);
        this.dataRouteTableIds = dataRts.map((rt) => rt.id);
        this.dataSubnetCidrs = [...plan.data];
        this.flowLogGroupName = flowLogGroup.name;
        this.natPublicIps = natIps;
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            privateSubnetIds: this.privateSubnetIds,
            dataSubnetIds: this.dataSubnetIds,
        });
    }
}
