import { expect } from "chai";
import { RULES } from "../../policies/rules";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { provider, res, stack, violationsOf } from "./helpers";

/** Cases beyond one pass and one fail: the alternatives and edge cases each rule accepts or refuses on purpose. */
const rule = (name: string) => RULES.find((r) => r.name === name)!;
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const names = async (name: string, ...rs: ReturnType<typeof res>[]) => (await violationsOf(rule(name), rs)).map((v) => v.policy);

describe("policy rule details", () => {
    it("eks-endpoint-private: a public endpoint passes only with single-address allowlists and the private endpoint on", async () => {
        const eks = (inputs: Record<string, unknown>) => res("eks:index:Cluster", { endpointPrivateAccess: true, endpointPublicAccess: true, ...inputs });
        expect(await names("eks-endpoint-private", eks({ publicAccessCidrs: ["203.0.113.10/32", "203.0.113.11/32"] }))).to.deep.equal([]);
        expect(await names("eks-endpoint-private", eks({ publicAccessCidrs: ["203.0.113.0/24"] }))).to.deep.equal(["eks-endpoint-private"]);
        expect(await names("eks-endpoint-private", eks({ publicAccessCidrs: ["10.0.0.0/8"] }))).to.deep.equal(["eks-endpoint-private"]);
        expect(await names("eks-endpoint-private", eks({ publicAccessCidrs: ["203.0.113.10/32"], endpointPrivateAccess: false }))).to.deep.equal([
            "eks-endpoint-private",
        ]);
    });

    it("nodes-encrypt-in-transit: names each non-Nitro type; a node group without types is judged by its launch template, or by EKS's t3.medium default", async () => {
        const v = await violationsOf(rule("nodes-encrypt-in-transit"), [
            res("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["r7g.2xlarge", "r6g.2xlarge", "m5.large"] }),
        ]);
        expect(v.map((x) => x.message.split(" Remediation")[0])).to.deep.equal([
            "instanceTypes r6g.2xlarge, m5.large do not encrypt traffic between instances in transit (Nitro).",
        ]);
        expect(await names("nodes-encrypt-in-transit", res("aws:eks/nodeGroup:NodeGroup", { launchTemplate: { id: "lt-1", version: "1" } }))).to.deep.equal([]);
        expect(await names("nodes-encrypt-in-transit", res("aws:eks/nodeGroup:NodeGroup", {}))).to.deep.equal(["nodes-encrypt-in-transit"]);
        expect(await names("nodes-encrypt-in-transit", res("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "r6g.large" }))).to.deep.equal([
            "nodes-encrypt-in-transit",
        ]);
        expect(await names("nodes-encrypt-in-transit", res("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "u7in-32tb.224xlarge" }))).to.deep.equal(
            [],
        );
    });

    it("ebs-encrypted-with-cmk: a node group without a launch template passes only when the stack encrypts EBS by default with a CMK", async () => {
        expect(await names("ebs-encrypted-with-cmk", res("eks:index:ManagedNodeGroup", { subnetIds: ["a", "b", "c"] }))).to.deep.equal([
            "ebs-encrypted-with-cmk",
        ]);
        expect(
            await names(
                "ebs-encrypted-with-cmk",
                res("eks:index:ManagedNodeGroup", { subnetIds: ["a", "b", "c"] }),
                res("aws:ebs/encryptionByDefault:EncryptionByDefault", { enabled: true }),
                res("aws:ebs/defaultKmsKey:DefaultKmsKey", { keyArn: KEY }),
            ),
        ).to.deep.equal([]);
    });

    it("node-groups-three-azs: a node group without subnetIds is judged by its cluster's private subnets", async () => {
        const wide = res("eks:index:Cluster", { privateSubnetIds: ["a", "b", "c"] });
        const narrow = res("eks:index:Cluster", { privateSubnetIds: ["a", "b"] });
        expect(await names("node-groups-three-azs", wide, res("eks:index:ManagedNodeGroup", {}, { deps: [wide] }))).to.deep.equal([]);
        expect(await names("node-groups-three-azs", narrow, res("eks:index:ManagedNodeGroup", {}, { deps: [narrow] }))).to.deep.equal([
            "node-groups-three-azs",
        ]);
    });

    it("data-residency: an eu stack may not read a US stack, run a provider in a US region, or ship logs to one", async () => {
        expect(
            await names("data-residency", res("pulumi:pulumi:StackReference", { name: "bookedbarber/bookedbarber/us-east-1" }, { provider: null })),
        ).to.deep.equal(["data-residency"]);
        expect(
            await names("data-residency", res("pulumi:pulumi:StackReference", { name: "bookedbarber/bookedbarber/eu-west-1" }, { provider: null })),
        ).to.deep.equal([]);
        const us = provider("us-east-1", undefined, "aws-us");
        const v = await violationsOf(rule("data-residency"), [us, res("aws:ec2/vpc:Vpc", {}, { provider: us })]);
        expect(v.map((x) => x.urn)).to.include.members([us.urn]);
        expect(v).to.have.length(2);
        expect(
            await names("data-residency", res("aws:ec2/flowLog:FlowLog", { logDestination: "arn:aws:logs:us-west-2:123456789012:log-group:x" })),
        ).to.deep.equal(["data-residency"]);
    });

    it("data-residency: a us-zone stack may replicate out of zone only when configured not to keep data in zone", async () => {
        const usTags = { app: "bookedbarber", zone: "us", region: "us-east-1" };
        const us = provider("us-east-1", usTags, "aws-us-zone");
        const replica = res("aws:secretsmanager/secret:Secret", { replicas: [{ region: "eu-west-1" }] }, { provider: us });
        // The helper's stack also holds an eu provider: in a us-zone stack that one is out of zone too.
        expect((await violationsOf(rule("data-residency"), [us, replica])).map((v) => v.urn)).to.include(replica.urn);
        const relaxed = provider("us-east-1", { ...usTags, "data-residency": "cross-zone" }, "aws-us-relaxed");
        const relaxedReplica = res("aws:secretsmanager/secret:Secret", { replicas: [{ region: "eu-west-1" }] }, { provider: relaxed });
        expect((await violationsOf(rule("data-residency"), [relaxed, relaxedReplica])).map((v) => v.urn)).not.to.include(relaxedReplica.urn);
    });

    it("no-world-ingress: 443 from the internet is refused on a security group no load balancer uses", async () => {
        const sg = res("aws:ec2/securityGroup:SecurityGroup", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] });
        expect(await names("no-world-ingress", sg)).to.deep.equal(["no-world-ingress"]);
        const all = res("aws:ec2/securityGroup:SecurityGroup", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] });
        expect(await names("no-world-ingress", all, res("aws:lb/loadBalancer:LoadBalancer", {}, { deps: [all] }))).to.deep.equal(["no-world-ingress"]);
    });

    it('human-roles-require-mfa: service and web-identity trust needs no MFA; BoolIfExists "true" is not MFA', async () => {
        const trust = (stmt: object) => JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...stmt }] });
        expect(
            await names("human-roles-require-mfa", res("aws:iam/role:Role", { assumeRolePolicy: trust({ Principal: { Service: "pods.eks.amazonaws.com" } }) })),
        ).to.deep.equal([]);
        expect(
            await names(
                "human-roles-require-mfa",
                res("aws:iam/role:Role", {
                    assumeRolePolicy: trust({
                        Principal: { AWS: "arn:aws:iam::123456789012:root" },
                        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } },
                    }),
                }),
            ),
        ).to.deep.equal(["human-roles-require-mfa"]);
    });

    it("lb-listener-encrypted: port 80 may only redirect to HTTPS", async () => {
        const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
        expect(await names("lb-listener-encrypted", res("aws:lb/listener:Listener", { protocol: "HTTP", port: 80, defaultActions: redirect }))).to.deep.equal(
            [],
        );
        expect(
            await names(
                "lb-listener-encrypted",
                res("aws:lb/listener:Listener", { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }),
            ),
        ).to.deep.equal(["lb-listener-encrypted"]);
    });

    it("pci-log-retention is not applicable outside PCI scope", async () => {
        const noPci = provider("eu-west-1", { zone: "eu", "compliance-scope": "soc2" }, "aws-no-pci");
        expect(
            await violationsOf(rule("pci-log-retention"), [noPci, res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }, { provider: noPci })]),
        ).to.deep.equal([]);
    });

    it("cluster-admin-mfa-only: follows the grant's dependency to the role, and refuses roles it cannot prove require MFA", async () => {
        const trust = (cond?: object) =>
            JSON.stringify({
                Statement: [
                    { Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::123456789012:root" }, ...(cond ? { Condition: cond } : {}) },
                ],
            });
        const admins = res("aws:iam/role:Role", { name: "platform-admins", assumeRolePolicy: trust({ Bool: { "aws:MultiFactorAuthPresent": "true" } }) });
        const grant = (principalArn: string, deps = [admins]) =>
            res(
                "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", principalArn },
                { deps },
            );
        expect(await names("cluster-admin-mfa-only", admins, grant("arn:aws:iam::123456789012:role/platform-admins"))).to.deep.equal([]);
        expect(
            await names("cluster-admin-mfa-only", admins, grant("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin", [])),
        ).to.deep.equal(["cluster-admin-mfa-only"]);
        const viewer = res("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", {
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            principalArn: "arn:aws:iam::123456789012:role/anyone",
        });
        expect(await names("cluster-admin-mfa-only", viewer)).to.deep.equal([]);
    });

    it("elasticache rules: a Global Datastore secondary inherits TLS and at-rest encryption, but still names its own CMK", async () => {
        const secondary = { globalReplicationGroupId: "ldgnf-bb-use1-redis", kmsKeyId: KEY, automaticFailoverEnabled: true, multiAzEnabled: true };
        const rg = (inputs: Record<string, unknown>) => res("aws:elasticache/replicationGroup:ReplicationGroup", inputs);
        expect(await names("elasticache-in-transit-encryption", rg(secondary))).to.deep.equal([]);
        expect(await names("elasticache-encrypted-with-cmk", rg(secondary))).to.deep.equal([]);
        expect(await names("elasticache-encrypted-at-rest", rg(secondary))).to.deep.equal([]);
        // Turned off explicitly, or relaxed to "preferred", a secondary is refused like any group.
        expect(await names("elasticache-in-transit-encryption", rg({ ...secondary, transitEncryptionEnabled: false }))).to.deep.equal([
            "elasticache-in-transit-encryption",
        ]);
        expect(await names("elasticache-in-transit-encryption", rg({ ...secondary, transitEncryptionMode: "preferred" }))).to.deep.equal([
            "elasticache-in-transit-encryption",
        ]);
        expect(await names("elasticache-encrypted-at-rest", rg({ ...secondary, atRestEncryptionEnabled: false }))).to.deep.equal([
            "elasticache-encrypted-at-rest",
        ]);
        expect(await names("elasticache-encrypted-with-cmk", rg({ ...secondary, kmsKeyId: undefined }))).to.deep.equal(["elasticache-encrypted-with-cmk"]);
        // Without a global id the flags are the group's own: leaving them out is a violation.
        expect(await names("elasticache-in-transit-encryption", rg({ kmsKeyId: KEY }))).to.deep.equal(["elasticache-in-transit-encryption"]);
        expect(await names("elasticache-encrypted-at-rest", rg({ kmsKeyId: KEY }))).to.deep.equal(["elasticache-encrypted-at-rest"]);
    });

    it("s3-acls-disabled: BucketOwnerPreferred only for a resource the pack config names as a log-delivery exception", async () => {
        const preferred = res(
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            { rule: { objectOwnership: "BucketOwnerPreferred" } },
            { name: "legacy-logs-ownership" },
        );
        expect(await names("s3-acls-disabled", preferred)).to.deep.equal(["s3-acls-disabled"]);
        const allowed = await evaluatePolicies(stack(preferred), {
            rules: [rule("s3-acls-disabled")],
            config: { "s3-acls-disabled": { logDeliveryAclResources: ["legacy-logs-ownership"] } },
        });
        expect(allowed.violations).to.deep.equal([]);
    });

    it('s3-no-public-bucket-policy: Principal "*" passes only with a condition; NotPrincipal never', async () => {
        const doc = (stmt: object) => JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...stmt }] });
        const policy = (stmt: object) => res("aws:s3/bucketPolicy:BucketPolicy", { policy: doc(stmt) });
        expect(
            await names("s3-no-public-bucket-policy", policy({ Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } })),
        ).to.deep.equal([]);
        expect(await names("s3-no-public-bucket-policy", policy({ Principal: { AWS: ["*"] } }))).to.deep.equal(["s3-no-public-bucket-policy"]);
        expect(await names("s3-no-public-bucket-policy", policy({ NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" } }))).to.deep.equal([
            "s3-no-public-bucket-policy",
        ]);
    });

    it("mesh-mtls-strict: a workload PeerAuthentication may not relax a port; a DestinationRule may not disable TLS", async () => {
        const peer = (spec: object) => res("kubernetes:security.istio.io/v1:PeerAuthentication", { metadata: { name: "w", namespace: "bookedbarber" }, spec });
        expect(await names("mesh-mtls-strict", peer({ selector: { matchLabels: { app: "x" } }, mtls: { mode: "UNSET" } }))).to.deep.equal([]);
        expect(await names("mesh-mtls-strict", peer({ selector: { matchLabels: { app: "x" } }, portLevelMtls: { 8080: { mode: "DISABLE" } } }))).to.deep.equal([
            "mesh-mtls-strict",
        ]);
        expect(
            await names(
                "mesh-mtls-strict",
                res("kubernetes:security.istio.io/v1:PeerAuthentication", { metadata: { name: "default", namespace: "istio-system" }, spec: {} }),
            ),
        ).to.deep.equal(["mesh-mtls-strict"]);
        const dr = (trafficPolicy: object) =>
            res("kubernetes:networking.istio.io/v1:DestinationRule", { spec: { host: "backend.bookedbarber.svc.cluster.local", trafficPolicy } });
        expect(await names("mesh-mtls-strict", dr({ tls: { mode: "ISTIO_MUTUAL" } }))).to.deep.equal([]);
        expect(await names("mesh-mtls-strict", dr({ portLevelSettings: [{ port: { number: 8000 }, tls: { mode: "DISABLE" } }] }))).to.deep.equal([
            "mesh-mtls-strict",
        ]);
    });

    it("k8s-admin-bindings: nothing for anonymous users; cluster-admin only for a configured group", async () => {
        const binding = (role: string, subject: object) =>
            res("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", { roleRef: { kind: "ClusterRole", name: role }, subjects: [subject] });
        expect(await names("k8s-admin-bindings", binding("view", { kind: "Group", name: "system:unauthenticated" }))).to.deep.equal(["k8s-admin-bindings"]);
        expect(await names("k8s-admin-bindings", binding("cluster-admin", { kind: "User", name: "alice" }))).to.deep.equal(["k8s-admin-bindings"]);
        expect(await names("k8s-admin-bindings", binding("edit", { kind: "Group", name: "bookedbarber:deployers" }))).to.deep.equal([]);
    });

    it("no-secrets-in-configmaps: references pass; Pulumi secrets, private keys and password URLs are refused under any key", async () => {
        const cm = (data: Record<string, string>) => res("kubernetes:core/v1:ConfigMap", { data });
        expect(
            await names(
                "no-secrets-in-configmaps",
                cm({ "db-password-secret-arn": "arn:aws:secretsmanager:eu-west-1:1:secret:x", "token-ttl": "arn:aws:ssm:eu-west-1:1:parameter/x" }),
            ),
        ).to.deep.equal([]);
        expect(await names("no-secrets-in-configmaps", cm({ endpoint: "[secret]" }))).to.deep.equal(["no-secrets-in-configmaps"]);
        expect(await names("no-secrets-in-configmaps", cm({ "tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE" }))).to.deep.equal(["no-secrets-in-configmaps"]);
        expect(await names("no-secrets-in-configmaps", cm({ "database-url": "postgres://app:hunter2@db:5432/app" }))).to.deep.equal([
            "no-secrets-in-configmaps",
        ]);
    });

    it("random-password-strength: judged by entropy, so 64 alphanumerics pass and 36 digits (120 bits) do not", async () => {
        const pw = (inputs: Record<string, unknown>) => res("random:index/randomPassword:RandomPassword", inputs);
        expect(await names("random-password-strength", pw({ length: 64, special: false }))).to.deep.equal([]);
        expect(await names("random-password-strength", pw({ length: 36, lower: false, upper: false, special: false }))).to.deep.equal([
            "random-password-strength",
        ]);
        expect(await names("random-password-strength", pw({ length: 32, overrideSpecial: "!#" }))).to.deep.equal([]);
    });

    it("data-tier-no-internet-route: only data route tables are judged; a route into a table of unknown tier may not go to the internet", async () => {
        const igw = res("aws:ec2/internetGateway:InternetGateway", {});
        const subnet = (tier: string) => res("aws:ec2/subnet:Subnet", { tags: { tier } });
        const tier = (t: string, routes: object[], deps: ReturnType<typeof res>[] = []) => {
            const s = subnet(t);
            const table = res("aws:ec2/routeTable:RouteTable", { routes }, { deps });
            return [s, table, res("aws:ec2/routeTableAssociation:RouteTableAssociation", {}, { deps: [s, table] })];
        };
        expect(await names("data-tier-no-internet-route", igw, ...tier("public", [{ cidrBlock: "0.0.0.0/0", gatewayId: "bb-igw" }], [igw]))).to.deep.equal([]);
        expect(await names("data-tier-no-internet-route", igw, ...tier("data", [{ cidrBlock: "0.0.0.0/0", gatewayId: "bb-igw" }], [igw]))).to.deep.equal([
            "data-tier-no-internet-route",
        ]);
        expect(
            await names(
                "data-tier-no-internet-route",
                res("aws:ec2/route:Route", { routeTableId: "rtb-from-another-stack", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-0abc" }),
            ),
        ).to.deep.equal(["data-tier-no-internet-route"]);
        expect(
            await names(
                "data-tier-no-internet-route",
                res("aws:ec2/route:Route", { routeTableId: "rtb-from-another-stack", destinationCidrBlock: "10.2.0.0/20", vpcPeeringConnectionId: "pcx-1" }),
            ),
        ).to.deep.equal([]);
    });

    it("pci-log-retention: an S3 lifecycle that expires logs before a year is refused in PCI scope", async () => {
        const lc = (days: number) =>
            res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { rules: [{ id: "expire", status: "Enabled", expiration: { days } }] });
        expect(await names("pci-log-retention", lc(365))).to.deep.equal([]);
        expect(await names("pci-log-retention", lc(90))).to.deep.equal(["pci-log-retention"]);
    });

    it("s3-no-public-bucket-policy and sns-topic-policy-scoped: a service grant needs a source condition (confused deputy)", async () => {
        const doc = (cond?: object) =>
            JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "delivery.logs.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: "arn:aws:s3:::b/*",
                        ...(cond ? { Condition: cond } : {}),
                    },
                ],
            });
        expect(await names("s3-no-public-bucket-policy", res("aws:s3/bucketPolicy:BucketPolicy", { policy: doc() }))).to.deep.equal([
            "s3-no-public-bucket-policy",
        ]);
        expect(
            await names(
                "s3-no-public-bucket-policy",
                res("aws:s3/bucketPolicy:BucketPolicy", { policy: doc({ ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:1:*" } }) }),
            ),
        ).to.deep.equal([]);
        expect(await names("sns-topic-policy-scoped", res("aws:sns/topic:Topic", { policy: doc() }))).to.deep.equal(["sns-topic-policy-scoped"]);
        expect(await names("sns-topic-policy-scoped", res("aws:sns/topic:Topic", { kmsMasterKeyId: KEY }))).to.deep.equal([]);
    });

    it("storage-class-encrypted-with-cmk: only EBS provisioners are judged, and the AWS-managed key is refused", async () => {
        const sc = (provisioner: string, parameters: object) => res("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner, parameters });
        expect(await names("storage-class-encrypted-with-cmk", sc("efs.csi.aws.com", { provisioningMode: "efs-ap" }))).to.deep.equal([]);
        expect(await names("storage-class-encrypted-with-cmk", sc("ebs.csi.aws.com", { encrypted: "true", kmsKeyId: "alias/aws/ebs" }))).to.deep.equal([
            "storage-class-encrypted-with-cmk",
        ]);
    });

    it("k8s-workload-hardened: pod-level non-root covers containers; host namespaces, host paths, root and added capabilities are refused", async () => {
        const job = (spec: object) => res("kubernetes:batch/v1:Job", { spec: { template: { spec } } });
        const c = (sc: object) => ({ name: "c", image: "x", securityContext: { allowPrivilegeEscalation: false, ...sc } });
        expect(await names("k8s-workload-hardened", job({ securityContext: { runAsNonRoot: true }, containers: [c({})] }))).to.deep.equal([]);
        expect(await names("k8s-workload-hardened", job({ containers: [c({})] }))).to.deep.equal(["k8s-workload-hardened"]);
        expect(await names("k8s-workload-hardened", job({ securityContext: { runAsNonRoot: true }, hostNetwork: true, containers: [c({})] }))).to.deep.equal([
            "k8s-workload-hardened",
        ]);
        expect(
            await names(
                "k8s-workload-hardened",
                job({ securityContext: { runAsNonRoot: true }, containers: [c({})], volumes: [{ name: "h", hostPath: { path: "/var/run" } }] }),
            ),
        ).to.deep.equal(["k8s-workload-hardened"]);
        expect(
            await names("k8s-workload-hardened", job({ securityContext: { runAsNonRoot: true }, containers: [c({ capabilities: { add: ["SYS_ADMIN"] } })] })),
        ).to.deep.equal(["k8s-workload-hardened"]);
        expect(
            await names(
                "k8s-workload-hardened",
                job({ securityContext: { runAsNonRoot: true }, initContainers: [{ name: "init", image: "x" }], containers: [c({})] }),
            ),
        ).to.deep.equal(["k8s-workload-hardened"]);
        const cron = res("kubernetes:batch/v1:CronJob", {
            spec: { jobTemplate: { spec: { template: { spec: { containers: [c({ runAsNonRoot: true })] } } } } },
        });
        expect(await names("k8s-workload-hardened", cron)).to.deep.equal([]);
    });

    it("k8s-services-internal: an internal load balancer passes; NodePort and externalIPs do not", async () => {
        const svc = (metadata: object, spec: object) => res("kubernetes:core/v1:Service", { metadata, spec });
        expect(
            await names(
                "k8s-services-internal",
                svc({ annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } }, { type: "LoadBalancer" }),
            ),
        ).to.deep.equal([]);
        expect(
            await names(
                "k8s-services-internal",
                svc({ annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } }, { type: "LoadBalancer" }),
            ),
        ).to.deep.equal(["k8s-services-internal"]);
        expect(await names("k8s-services-internal", svc({}, { type: "NodePort" }))).to.deep.equal(["k8s-services-internal"]);
        expect(await names("k8s-services-internal", svc({}, { externalIPs: ["203.0.113.10"] }))).to.deep.equal(["k8s-services-internal"]);
    });

    it("alerting-wired: an EventBridge rule on all CloudTrail management events counts as enabled", async () => {
        expect(
            await names("alerting-wired", res("aws:cloudwatch/eventRule:EventRule", { state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" })),
        ).to.deep.equal([]);
        expect(await names("alerting-wired", res("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: [] }))).to.deep.equal(["alerting-wired"]);
        const sub = (inputs: Record<string, unknown>) =>
            res("aws:rds/eventSubscription:EventSubscription", { sourceType: "db-cluster", eventCategories: ["failover"], ...inputs });
        expect(await names("alerting-wired", sub({ enabled: true, snsTopic: "arn:aws:sns:eu-west-1:123456789012:p0" }))).to.deep.equal([]);
        expect(await names("alerting-wired", sub({ enabled: false, snsTopic: "arn:aws:sns:eu-west-1:123456789012:p0" }))).to.deep.equal(["alerting-wired"]);
        expect(await names("alerting-wired", sub({}))).to.deep.equal(["alerting-wired"]);
    });
});
