import { createHash } from "crypto";
import { REGIONS } from "../../stacks/regions";
import { serviceLinkedRoleName } from "../../components/service-linked-roles";

/**
 * What the offline engine answers for each resource type and provider function:
 * the outputs that real code reads (ids, ARNs, endpoints, DNS names), shaped like
 * AWS's own. Without them anything computed from an output would be undefined and
 * would go missing from the inputs the tests and policies look at.
 */

export const ACCOUNT_ID = "123456789012";

/** A short, stable hex digest of a string: the same name always gets the same id. */
export function digest(s: string, length = 8): string {
    return createHash("sha256").update(s).digest("hex").slice(0, length);
}

/** Services whose ARNs have no region (IAM, Route 53, CloudFront, S3) or a different service name than the module. */
const ARN_SERVICE: Record<string, string> = {
    cloudwatch: "logs",
    opensearch: "es",
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    cloudtrail: "cloudtrail",
    arcregionswitch: "arc-region-switch",
};
const GLOBAL_SERVICES = new Set(["iam", "route53", "cloudfront", "s3", "arc-region-switch"]);

function physicalName(name: string, inputs: Record<string, unknown>): string {
    for (const k of [
        "name",
        "identifier",
        "clusterIdentifier",
        "replicationGroupId",
        "globalClusterIdentifier",
        "bucket",
        "domainName",
        "userId",
        "userGroupId",
        "functionName",
    ]) {
        const v = inputs[k];
        if (typeof v === "string" && v.length > 0) return v;
    }
    // Pulumi auto-naming: the logical name plus a random suffix.
    return `${name}-${digest(name, 7)}`;
}

function defaultArn(type: string, region: string, physical: string): string {
    const [, modAndKind] = type.split(":");
    const [mod, kind] = modAndKind.split("/");
    const service = ARN_SERVICE[mod] ?? mod;
    const r = GLOBAL_SERVICES.has(service) ? "" : region;
    const acct = service === "s3" ? "" : ACCOUNT_ID;
    return service === "s3" ? `arn:aws:s3:::${physical}` : `arn:aws:${service}:${r}:${acct}:${kind.toLowerCase()}/${physical}`;
}

type Outputs = (ctx: { name: string; inputs: Record<string, any>; region: string; physical: string; hash: string }) => Record<string, unknown>;

/** Type-specific outputs, beyond the generic id, arn and name. */
const TYPE_OUTPUTS: Record<string, Outputs> = {
    "aws:ec2/vpc:Vpc": ({ hash }) => ({ defaultSecurityGroupId: `sg-${hash}d`, mainRouteTableId: `rtb-${hash}m`, defaultNetworkAclId: `acl-${hash}` }),
    "aws:ec2/securityGroup:SecurityGroup": ({ hash }) => ({ id: `sg-${hash}` }),
    // Addresses from TEST-NET-3 (RFC 5737, 203.0.113.0/24): documentation-only, never a real host.
    "aws:ec2/eip:Eip": ({ hash }) => ({
        id: `eipalloc-${hash}${digest(hash, 9)}`,
        publicIp: `203.0.113.${(parseInt(hash.slice(0, 4), 16) % 254) + 1}`,
        allocationId: `eipalloc-${hash}${digest(hash, 9)}`,
    }),
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": ({ inputs }) => {
        const roleName = serviceLinkedRoleName(String(inputs.awsServiceName), inputs.customSuffix);
        return {
            arn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${inputs.awsServiceName}/${roleName}`,
            name: roleName,
            path: `/aws-service-role/${inputs.awsServiceName}/`,
        };
    },
    "aws:codebuild/project:Project": ({ region, physical }) => ({ arn: `arn:aws:codebuild:${region}:${ACCOUNT_ID}:project/${physical}` }),
    // A Serverless Application Repository rotation app's outputs: the function it creates, named by the functionName parameter.
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": ({ region, inputs }) => ({
        outputs: {
            RotationLambdaARN: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${(inputs.parameters as Record<string, string> | undefined)?.functionName}`,
        },
    }),
    "aws:backup/vault:Vault": ({ region, physical }) => ({ arn: `arn:aws:backup:${region}:${ACCOUNT_ID}:backup-vault:${physical}` }),
    "aws:codebuild/webhook:Webhook": ({ region, inputs }) => ({
        url: `https://codebuild.${region}.amazonaws.com/webhooks?t=offline&v=1`,
        payloadUrl: `https://codebuild.${region}.amazonaws.com/webhooks?t=offline&v=1`,
        id: String(inputs.projectName),
    }),
    "aws:kms/key:Key": ({ region, hash }) => {
        const keyId = `${hash}-${digest(hash, 4)}-4${digest(hash + "a", 3)}-8${digest(hash + "b", 3)}-${digest(hash + "c", 12)}`;
        return { keyId, arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${keyId}` };
    },
    "aws:kms/alias:Alias": ({ region, physical }) => ({ arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:${physical}` }),
    "aws:iam/role:Role": ({ physical, hash }) => ({ arn: `arn:aws:iam::${ACCOUNT_ID}:role/${physical}`, uniqueId: `AROA${hash.toUpperCase()}` }),
    "aws:iam/policy:Policy": ({ physical }) => ({ arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${physical}` }),
    // AWS names the provider by its URL without the scheme (IAM User Guide, "Create an OpenID Connect identity provider").
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ region, hash, inputs }) => ({
        arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${typeof inputs.url === "string" ? inputs.url.replace(/^https:\/\//, "") : `oidc.eks.${region}.amazonaws.com/id/${hash.toUpperCase()}`}`,
    }),
    "aws:cloudwatch/logGroup:LogGroup": ({ region, physical }) => ({ arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${physical}` }),
    "aws:sns/topic:Topic": ({ region, physical }) => ({ arn: `arn:aws:sns:${region}:${ACCOUNT_ID}:${physical}` }),
    "aws:sqs/queue:Queue": ({ region, physical }) => ({
        arn: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}`,
    }),
    "aws:secretsmanager/secret:Secret": ({ region, physical, hash }) => ({
        arn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${physical}-${hash.slice(0, 6)}`,
    }),
    "aws:ssm/parameter:Parameter": ({ region, physical }) => ({
        arn: `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter${physical.startsWith("/") ? "" : "/"}${physical}`,
    }),
    "aws:s3/bucket:Bucket": ({ region, physical }) => ({
        bucket: physical,
        arn: `arn:aws:s3:::${physical}`,
        bucketDomainName: `${physical}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${physical}.s3.${region}.amazonaws.com`,
        region,
    }),
    "aws:rds/cluster:Cluster": ({ region, physical, hash }) => ({
        clusterIdentifier: physical,
        arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${physical}`,
        endpoint: `${physical}.cluster-c${hash}.${region}.rds.amazonaws.com`,
        readerEndpoint: `${physical}.cluster-ro-c${hash}.${region}.rds.amazonaws.com`,
        port: 5432,
        clusterResourceId: `cluster-${hash.toUpperCase()}`,
        masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:rds!cluster-${hash}`, kmsKeyId: "", secretStatus: "active" }],
    }),
    "aws:rds/clusterInstance:ClusterInstance": ({ region, physical, hash }) => ({
        identifier: physical,
        arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${physical}`,
        endpoint: `${physical}.c${hash}.${region}.rds.amazonaws.com`,
    }),
    "aws:rds/globalCluster:GlobalCluster": ({ physical }) => ({
        globalClusterIdentifier: physical,
        arn: `arn:aws:rds::${ACCOUNT_ID}:global-cluster:${physical}`,
        endpoint: `${physical}.global-${digest(physical, 6)}.global.rds.amazonaws.com`,
    }),
    "aws:rds/subnetGroup:SubnetGroup": ({ region, physical }) => ({ arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:subgrp:${physical}` }),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": ({ region, physical }) => ({ arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster-pg:${physical}` }),
    "aws:elasticache/replicationGroup:ReplicationGroup": ({ region, physical, hash }) => ({
        replicationGroupId: physical,
        arn: `arn:aws:elasticache:${region}:${ACCOUNT_ID}:replicationgroup:${physical}`,
        configurationEndpointAddress: `clustercfg.${physical}.${hash.slice(0, 6)}.${region}.cache.amazonaws.com`,
        primaryEndpointAddress: `master.${physical}.${hash.slice(0, 6)}.${region}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${physical}.${hash.slice(0, 6)}.${region}.cache.amazonaws.com`,
        memberClusters: [`${physical}-0001-001`, `${physical}-0001-002`],
    }),
    "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": ({ inputs, hash }) => {
        const id = `ldgnf-${inputs.globalReplicationGroupIdSuffix ?? hash}`;
        return { globalReplicationGroupId: id, arn: `arn:aws:elasticache::${ACCOUNT_ID}:globalreplicationgroup:${id}` };
    },
    "aws:elasticache/user:User": ({ region, physical }) => ({ arn: `arn:aws:elasticache:${region}:${ACCOUNT_ID}:user:${physical}` }),
    "aws:elasticache/userGroup:UserGroup": ({ region, physical }) => ({ arn: `arn:aws:elasticache:${region}:${ACCOUNT_ID}:usergroup:${physical}` }),
    "aws:elasticache/subnetGroup:SubnetGroup": ({ region, physical }) => ({ arn: `arn:aws:elasticache:${region}:${ACCOUNT_ID}:subnetgroup:${physical}` }),
    "aws:opensearch/domain:Domain": ({ region, physical, hash }) => ({
        arn: `arn:aws:es:${region}:${ACCOUNT_ID}:domain/${physical}`,
        domainId: `${ACCOUNT_ID}/${physical}`,
        endpoint: `vpc-${physical}-${hash}.${region}.es.amazonaws.com`,
        dashboardEndpoint: `vpc-${physical}-${hash}.${region}.es.amazonaws.com/_dashboards`,
    }),
    "aws:lb/loadBalancer:LoadBalancer": ({ region, physical, hash, inputs }) => ({
        arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT_ID}:loadbalancer/${inputs.loadBalancerType === "network" ? "net" : "app"}/${physical}/${hash}`,
        arnSuffix: `${inputs.loadBalancerType === "network" ? "net" : "app"}/${physical}/${hash}`,
        dnsName: `${physical}-${parseInt(hash, 16)}.${region}.elb.amazonaws.com`,
        zoneId: `Z${hash.toUpperCase()}ELB`,
    }),
    "aws:lb/targetGroup:TargetGroup": ({ region, physical, hash }) => ({
        arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT_ID}:targetgroup/${physical}/${hash}`,
        arnSuffix: `targetgroup/${physical}/${hash}`,
    }),
    "aws:cloudfront/distribution:Distribution": ({ hash }) => ({
        id: `E${hash.toUpperCase()}`,
        arn: `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/E${hash.toUpperCase()}`,
        domainName: `d${hash}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2",
    }),
    "aws:route53/zone:Zone": ({ hash }) => ({
        zoneId: `Z${hash.toUpperCase()}`,
        nameServers: [1, 2, 3, 4].map((n) => `ns-${n}${hash.slice(0, 2)}.awsdns-${n}.net`),
    }),
    "aws:route53/healthCheck:HealthCheck": ({ hash }) => ({ id: `${hash}-${digest(hash, 4)}-hc` }),
    "aws:acm/certificate:Certificate": ({ region, inputs, hash }) => ({
        arn: `arn:aws:acm:${region}:${ACCOUNT_ID}:certificate/${hash}`,
        domainValidationOptions: [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map((d: string) => ({
            domainName: d,
            resourceRecordName: `_${digest(d, 12)}.${d.replace(/^\*\./, "")}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${digest(d + "v", 12)}.acm-validations.aws.`,
        })),
    }),
    "aws:wafv2/webAcl:WebAcl": ({ region, physical, hash, inputs }) => ({
        arn: `arn:aws:wafv2:${region}:${ACCOUNT_ID}:${inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${physical}/${hash}`,
    }),
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": ({ hash }) => ({ id: `pcx-${hash}${digest(hash, 9)}`, acceptStatus: "pending-acceptance" }),
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": ({ inputs }) => ({ id: inputs.vpcPeeringConnectionId, acceptStatus: "active" }),
    "aws:cloudfront/function:Function": ({ physical }) => ({
        arn: `arn:aws:cloudfront::${ACCOUNT_ID}:function/${physical}`,
        etag: "ETVPDKIKX0DER",
        status: "UNASSOCIATED",
    }),
    "aws:cloudfront/cachePolicy:CachePolicy": ({ hash }) => ({ id: `${hash}-${digest(hash, 4)}-4cac-8e00-${digest(hash + "p", 12)}`, etag: "E23ZP02F085DFQ" }),
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": ({ hash }) => ({
        id: `${hash}-${digest(hash, 4)}-4ore-8e00-${digest(hash + "o", 12)}`,
        etag: "E23ZP02F085DFQ",
    }),
    "aws:acm/certificateValidation:CertificateValidation": ({ inputs }) => ({ certificateArn: inputs.certificateArn }),
    "aws:route53/record:Record": ({ inputs }) => ({ fqdn: String(inputs.name ?? "").replace(/\.$/, "") }),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": ({ region, physical }) => ({
        arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:delivery-source:${physical}`,
        service: "cloudfront",
    }),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": ({ region, physical }) => ({
        arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:delivery-destination:${physical}`,
        deliveryDestinationType: "S3",
    }),
    "aws:cloudwatch/logDelivery:LogDelivery": ({ region, hash }) => ({ arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:delivery:${hash}` }),
    "aws:arcregionswitch/plan:Plan": ({ physical, hash }) => ({ arn: `arn:aws:arc-region-switch::${ACCOUNT_ID}:plan/${physical}:${hash.slice(0, 6)}` }),
    "aws:guardduty/detector:Detector": ({ hash }) => ({ id: `${hash}${digest(hash, 24)}` }),
    "eks:index:Cluster": ({ region, physical, hash }) => {
        const endpoint = `https://${hash.toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: physical, cluster: { server: endpoint, "certificate-authority-data": "LS0tLS1CRUdJTi1NT0NL" } }],
            contexts: [{ name: "aws", context: { cluster: physical, user: "aws" } }],
            "current-context": "aws",
            users: [
                {
                    name: "aws",
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["eks", "get-token", "--cluster-name", physical, "--region", region],
                        },
                    },
                },
            ],
        };
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            clusterSecurityGroupId: `sg-${hash}c`,
            nodeSecurityGroupId: `sg-${hash}n`,
            oidcProviderArn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/${hash.toUpperCase()}`,
            oidcProviderUrl: `https://oidc.eks.${region}.amazonaws.com/id/${hash.toUpperCase()}`,
            oidcIssuer: `oidc.eks.${region}.amazonaws.com/id/${hash.toUpperCase()}`,
        };
    },
    "aws:eks/nodeGroup:NodeGroup": ({ inputs, physical, hash }) => ({
        resources: [{ autoscalingGroups: [{ name: `eks-${inputs.nodeGroupName ?? physical}-${hash}-${digest(hash, 4)}` }], remoteAccessSecurityGroupId: "" }],
        status: "ACTIVE",
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": ({ hash }) => ({ id: `lt-0${hash}${digest(hash, 8)}`, latestVersion: 1, defaultVersion: 1 }),
    "kubernetes:helm.sh/v3:Release": ({ inputs, physical }) => ({
        status: { name: inputs.name ?? physical, namespace: inputs.namespace ?? "default", status: "deployed", version: inputs.version ?? "", revision: 1 },
    }),
    "random:index/randomPassword:RandomPassword": ({ hash, inputs }) => ({
        result: `offline-${hash}${"x".repeat(Math.max(0, Number(inputs.length ?? 32) - 16))}`,
        bcryptHash: `$2a$10$${hash}`,
    }),
    "random:index/randomId:RandomId": ({ hash }) => ({ hex: hash, b64Url: hash, dec: String(parseInt(hash, 16)) }),
};

export interface MockedResource {
    id: string;
    state: Record<string, unknown>;
}

/** Outputs for one registration: the inputs echoed back, plus id, arn, name and the type's own outputs. */
export function mockResource(type: string, name: string, inputs: Record<string, any>, region: string): MockedResource {
    const hash = digest(`${type}::${name}`);
    const physical = physicalName(name, inputs);
    const state: Record<string, unknown> = { ...inputs };
    if (type.startsWith("aws:")) {
        state.arn = defaultArn(type, region, physical);
        if (state.name === undefined) state.name = physical;
        if (state.tagsAll === undefined && inputs.tags) state.tagsAll = inputs.tags;
    }
    const extra = TYPE_OUTPUTS[type]?.({ name, inputs, region, physical, hash }) ?? {};
    Object.assign(state, extra);
    const id = typeof extra.id === "string" ? extra.id : type === "aws:s3/bucket:Bucket" ? physical : `${name}-${hash}`;
    return { id, state };
}

/** Answers for provider functions (invokes). An unknown token is an error naming where to add it. */
export function mockCall(token: string, inputs: Record<string, any>, region: string): Record<string, unknown> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/offline-plan`, userId: "AIDAOFFLINEPLAN", id: ACCOUNT_ID };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const names = REGIONS[region]?.azs ?? [`${region}a`, `${region}b`, `${region}c`];
            return { names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 6)}-az${i + 1}`), id: region };
        }
        case "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks":
            // ARC creates one health check per region of the plan's Route 53 step; the offline engine answers for every region.
            return {
                planArn: inputs.planArn,
                region,
                healthChecks: Object.keys(REGIONS).map((r) => ({
                    healthCheckId: `arc-${digest(`${inputs.planArn}:${r}`, 8)}-hc`,
                    hostedZoneId: "",
                    recordName: "",
                    region: r,
                    status: "healthy",
                })),
            };
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
            return {
                id: `pl-${digest(`${region}:${inputs.name}`)}`,
                name: inputs.name,
                arn: `arn:aws:ec2:${region}:aws:prefix-list/pl-${digest(`${region}:${inputs.name}`)}`,
                maxEntries: 55,
                addressFamily: "IPv4",
                entries: [],
            };
        case "aws:acm/getCertificate:getCertificate":
            return {
                id: `arn:aws:acm:${region}:${ACCOUNT_ID}:certificate/${digest(`${region}:${inputs.domain}`)}`,
                arn: `arn:aws:acm:${region}:${ACCOUNT_ID}:certificate/${digest(`${region}:${inputs.domain}`)}`,
                domain: inputs.domain,
                status: "ISSUED",
                statuses: inputs.statuses,
                tags: {},
            };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { json: policyDocumentJson(inputs), minifiedJson: policyDocumentJson(inputs), id: digest(JSON.stringify(inputs)) };
        default:
            throw new Error(`the offline engine has no answer for the function ${token}; add one to mockCall in tools/offline/mock-outputs.ts`);
    }
}

/** Renders `aws.iam.getPolicyDocument` inputs the way the provider does, so policies can read them. */
function policyDocumentJson(inputs: Record<string, any>): string {
    const statements = (inputs.statements ?? []).map((s: Record<string, any>) => {
        const out: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
        if (s.sid) out.Sid = s.sid;
        if (s.actions) out.Action = s.actions;
        if (s.notActions) out.NotAction = s.notActions;
        if (s.resources) out.Resource = s.resources;
        if (s.principals) {
            out.Principal = Object.fromEntries(s.principals.map((p: { type: string; identifiers: string[] }) => [p.type, p.identifiers]));
        }
        if (s.conditions) {
            const cond: Record<string, Record<string, string[]>> = {};
            for (const c of s.conditions) (cond[c.test] ??= {})[c.variable] = c.values;
            out.Condition = cond;
        }
        return out;
    });
    return JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements });
}
