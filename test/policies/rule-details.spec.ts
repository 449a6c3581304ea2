import { expect } from "chai";
import { RULES } from "../../policies/rules";
import { provider, res, violationsOf } from "./helpers";

/** Cases beyond one pass and one fail: the alternatives and edge cases each rule accepts or refuses on purpose. */
const rule = (name: string) => RULES.find((r) => r.name === name)!;
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const names = async (name: string, ...rs: ReturnType<typeof res>[]) => (await violationsOf(rule(name), rs)).map((v) => v.policy);

describe("policy rule details", () => {
    it("ebs-encrypted-with-cmk: a node group without a launch template passes only when the stack encrypts EBS by default with a CMK", async () => {
        expect(await names("ebs-encrypted-with-cmk", res("eks:index:ManagedNodeGroup", { subnetIds: ["a", "b", "c"] }))).to.deep.equal(["ebs-encrypted-with-cmk"]);
        expect(await names("ebs-encrypted-with-cmk",
            res("eks:index:ManagedNodeGroup", { subnetIds: ["a", "b", "c"] }),
            res("aws:ebs/encryptionByDefault:EncryptionByDefault", { enabled: true }),
            res("aws:ebs/defaultKmsKey:DefaultKmsKey", { keyArn: KEY }))).to.deep.equal([]);
    });

    it("node-groups-three-azs: a node group without subnetIds is judged by its cluster's private subnets", async () => {
        const wide = res("eks:index:Cluster", { privateSubnetIds: ["a", "b", "c"] });
        const narrow = res("eks:index:Cluster", { privateSubnetIds: ["a", "b"] });
        expect(await names("node-groups-three-azs", wide, res("eks:index:ManagedNodeGroup", {}, { deps: [wide] }))).to.deep.equal([]);
        expect(await names("node-groups-three-azs", narrow, res("eks:index:ManagedNodeGroup", {}, { deps: [narrow] }))).to.deep.equal(["node-groups-three-azs"]);
    });

    it("data-residency: an eu stack may not read a US stack, run a provider in a US region, or ship logs to one", async () => {
        expect(await names("data-residency", res("pulumi:pulumi:StackReference", { name: "bookedbarber/bookedbarber/us-east-1" }, { provider: null }))).to.deep.equal(["data-residency"]);
        expect(await names("data-residency", res("pulumi:pulumi:StackReference", { name: "bookedbarber/bookedbarber/eu-west-1" }, { provider: null }))).to.deep.equal([]);
        const us = provider("us-east-1", undefined, "aws-us");
        const v = await violationsOf(rule("data-residency"), [us, res("aws:ec2/vpc:Vpc", {}, { provider: us })]);
        expect(v.map((x) => x.urn)).to.include.members([us.urn]);
        expect(v).to.have.length(2);
        expect(await names("data-residency", res("aws:ec2/flowLog:FlowLog", { logDestination: "arn:aws:logs:us-west-2:123456789012:log-group:x" }))).to.deep.equal(["data-residency"]);
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

    it("human-roles-require-mfa: service and web-identity trust needs no MFA; BoolIfExists \"true\" is not MFA", async () => {
        const trust = (stmt: object) => JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...stmt }] });
        expect(await names("human-roles-require-mfa", res("aws:iam/role:Role", { assumeRolePolicy: trust({ Principal: { Service: "pods.eks.amazonaws.com" } }) }))).to.deep.equal([]);
        expect(await names("human-roles-require-mfa", res("aws:iam/role:Role", {
            assumeRolePolicy: trust({ Principal: { AWS: "arn:aws:iam::123456789012:root" }, Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } }),
        }))).to.deep.equal(["human-roles-require-mfa"]);
    });

    it("lb-listener-https-tls13: port 80 may only redirect to HTTPS", async () => {
        const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
        expect(await names("lb-listener-https-tls13", res("aws:lb/listener:Listener", { protocol: "HTTP", port: 80, defaultActions: redirect }))).to.deep.equal([]);
        expect(await names("lb-listener-https-tls13", res("aws:lb/listener:Listener", { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }))).to.deep.equal(["lb-listener-https-tls13"]);
    });

    it("pci-log-retention is not applicable outside PCI scope", async () => {
        const noPci = provider("eu-west-1", { zone: "eu", "compliance-scope": "soc2" }, "aws-no-pci");
        expect(await violationsOf(rule("pci-log-retention"), [noPci, res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }, { provider: noPci })])).to.deep.equal([]);
    });

    it("cluster-admin-mfa-only: follows the grant's dependency to the role, and refuses roles it cannot prove require MFA", async () => {
        const trust = (cond?: object) => JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::123456789012:root" }, ...(cond ? { Condition: cond } : {}) }] });
        const admins = res("aws:iam/role:Role", { name: "platform-admins", assumeRolePolicy: trust({ Bool: { "aws:MultiFactorAuthPresent": "true" } }) });
        const grant = (principalArn: string, deps = [admins]) =>
            res("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", principalArn }, { deps });
        expect(await names("cluster-admin-mfa-only", admins, grant("arn:aws:iam::123456789012:role/platform-admins"))).to.deep.equal([]);
        expect(await names("cluster-admin-mfa-only", admins, grant("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin", []))).to.deep.equal(["cluster-admin-mfa-only"]);
        const viewer = res("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", principalArn: "arn:aws:iam::123456789012:role/anyone" });
        expect(await names("cluster-admin-mfa-only", viewer)).to.deep.equal([]);
    });

    it("alerting-wired: an EventBridge rule on all CloudTrail management events counts as enabled", async () => {
        expect(await names("alerting-wired", res("aws:cloudwatch/eventRule:EventRule", { state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" }))).to.deep.equal([]);
        expect(await names("alerting-wired", res("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: [] }))).to.deep.equal(["alerting-wired"]);
    });
});
