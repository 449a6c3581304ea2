import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { RegionalCluster } from "../../../components/regional-cluster";
import { runStack } from "../../../tools/offline/stack-runner";
import * as fs from "fs";
import * as path from "path";
import { ACM_MAX_NAMES } from "../../../components/regional-cluster";
import { ingressHostnames } from "../../../stacks/hostnames";
import { projectRoot } from "../../../stacks/stack-files";
import { CERTIFICATE_VALIDATION_TIMEOUT_MINUTES } from "../../../tools/offline/readiness/prerequisites";
import { allStacks, ofType, oneOfType, REGIONAL_STACKS, TEST_CLUSTER_NETWORK } from "../../support/fixtures";

describe("RegionalCluster ingress", () => {
    for (const stack of REGIONAL_STACKS) {
        it(`${stack}: an internet-facing NLB with a TLS 1.3 listener only, exported as ingress { dnsName, zoneId }`, async () => {
            const run = (await allStacks())[stack];
            const lb = oneOfType(run, "aws:lb/loadBalancer:LoadBalancer");
            expect(lb.inputs).to.include({ loadBalancerType: "network", internal: false, enableDeletionProtection: true });
            const publicSubnets = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as any).tier === "public");
            expect((lb.inputs.subnets as string[]).length).to.equal(publicSubnets.length);
            const listeners = ofType(run, "aws:lb/listener:Listener");
            expect(listeners).to.have.length(1);
            expect(listeners[0].inputs).to.include({ protocol: "TLS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
            expect(String(listeners[0].inputs.certificateArn)).to.match(new RegExp(`^arn:aws:acm:${stack}:`));
            const ingress = run.outputs.ingress as { dnsName: string; zoneId: string };
            expect(ingress.dnsName).to.match(new RegExp(`\\.${stack}\\.elb\\.amazonaws\\.com$`));
            expect(ingress.zoneId).to.be.a("string").and.not.equal("");
        });
    }

    it("serves its own DNS-validated certificate naming every client hostname, validated in the bootstrap stack's zone", async () => {
        const runs = await allStacks();
        const zoneId = runs.bootstrap.outputs.hostedZoneId;
        for (const stack of REGIONAL_STACKS) {
            const run = runs[stack];
            const zone = String(run.config["bookedbarber:zone"]);
            const cert = oneOfType(run, "aws:acm/certificate:Certificate");
            expect([cert.inputs.domainName, ...(cert.inputs.subjectAlternativeNames as string[])], stack).to.deep.equal(
                ingressHostnames("bookedbarber.com", stack, zone),
            );
            expect(cert.inputs).to.include({ validationMethod: "DNS", domainName: `${stack}.api.bookedbarber.com` });
            const validation = oneOfType(run, "aws:acm/certificateValidation:CertificateValidation");
            expect(validation.inputs.certificateArn).to.equal(cert.identity!.arn);
            const listener = oneOfType(run, "aws:lb/listener:Listener");
            expect(listener.inputs.certificateArn, "the listener waits for the validated certificate").to.equal(validation.identity!.certificateArn);
            const records = ofType(run, "aws:route53/record:Record").filter((r) =>
                (validation.inputs.validationRecordFqdns as string[]).includes(r.identity!.fqdn),
            );
            expect(records).to.have.length(ingressHostnames("bookedbarber.com", stack, zone).length);
            for (const r of records) {
                expect(r.inputs.zoneId).to.equal(zoneId);
                // Shared names (<zone>.api, api, nearest.api) have the same validation CNAME in several stacks' certificates.
                expect(r.options.retainOnDelete).to.equal(true);
            }
            expect(run.invokes.map((i) => i.token)).not.to.include("aws:acm/getCertificate:getCertificate");
        }
    });

    it("agrees with ACM's documented limits and validation behaviour", () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "acm", "dns-validation.json"), "utf8"));
        expect(ACM_MAX_NAMES).to.equal(facts.namesPerCertificate.default);
        expect(CERTIFICATE_VALIDATION_TIMEOUT_MINUTES).to.equal(facts.validationTimeout.minutes);
        // One validation record serves every region's certificate for a name: why the records outlive any one stack.
        expect(facts.facts.some((f: string) => f.includes("any AWS Region"))).to.equal(true);
    });

    it("logs to a versioned, SSE-KMS (bucket key), public-access-blocked, protected bucket that only log delivery may write", async () => {
        const run = (await allStacks())["us-east-1"];
        const lb = oneOfType(run, "aws:lb/loadBalancer:LoadBalancer");
        // The load balancer's log bucket (the stack also has ContinuousCompliance's config-history bucket).
        const bucket = ofType(run, "aws:s3/bucket:Bucket").find((b) => (b.inputs.tags as Record<string, string>)?.["log-class"] === "load-balancer-access")!;
        expect(bucket.options.protect).to.equal(true);
        const access = lb.inputs.accessLogs as any;
        expect(access.enabled).to.equal(true);
        const childOf = (type: string) => ofType(run, type).find((r) => r.parent === bucket.urn)!;
        const sse = childOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as any[];
        expect(sse[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: (run.outputs.kmsKeys as any).logs });
        expect(sse[0].bucketKeyEnabled).to.equal(true);
        expect((childOf("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration as any).status).to.equal("Enabled");
        expect(childOf("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect((childOf("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as any[])[0].expiration.days).to.equal(365);
        const policy = JSON.parse(String(childOf("aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
        const write = policy.Statement.find((s: any) => s.Action === "s3:PutObject");
        expect(write.Principal).to.deep.equal({ Service: "delivery.logs.amazonaws.com" });
        expect(write.Resource).to.match(new RegExp(`/${access.prefix}/AWSLogs/123456789012/\\*$`));
        expect(policy.Statement.find((s: any) => s.Effect === "Deny").Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        // The logs key lets log delivery encrypt into it.
        const logsKey = ofType(run, "aws:kms/key:Key").find((k) => (k.inputs.tags as any)["data-domain"] === "logs")!;
        const keyPolicy = JSON.parse(String(logsKey.inputs.policy));
        expect(keyPolicy.Statement.some((s: any) => s.Principal?.Service === "delivery.logs.amazonaws.com")).to.equal(true);
    });

    it("admits only CloudFront on 443 and lets the load balancer reach only the gateway's traffic and health ports", async () => {
        const run = (await allStacks())["eu-west-1"];
        const sg = ofType(run, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-lb-sg"))!;
        const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        const toLb = ingress.filter((r) => r.parent === sg.urn && r.inputs.prefixListId !== undefined);
        expect(toLb).to.have.length(1);
        expect(toLb[0].inputs).to.include({ fromPort: 443, toPort: 443, ipProtocol: "tcp" });
        expect(String(toLb[0].inputs.prefixListId)).to.match(/^pl-/);
        expect(ingress.some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).to.equal(false);
        // The master password rotation function's egress (ShardedDatabase, primaries) is not the load balancer's.
        expect(
            egress
                .filter((r) => !/-rotation-to-/.test(r.name))
                .map((r) => r.inputs.fromPort)
                .sort(),
        ).to.deep.equal([15021, 8443]);
        // Only the load balancer's rules (parented to its group); other components admit the nodes to their own groups.
        const toNodes = ingress.filter((r) => r.parent === sg.urn && r.inputs.referencedSecurityGroupId !== undefined);
        expect(toNodes.map((r) => r.inputs.fromPort).sort()).to.deep.equal([15021, 8443]);
        for (const r of toNodes) expect(String(r.inputs.securityGroupId)).to.match(/^sg-[0-9a-f]+n$/);
        const tg = oneOfType(run, "aws:lb/targetGroup:TargetGroup");
        expect(tg.inputs).to.include({ targetType: "ip", port: 8443, protocol: "TLS" });
        expect(tg.inputs.healthCheck).to.include({ port: "15021", path: "/healthz/ready" });
    });

    it("binds the Istio gateway to the Pulumi-owned target group through the controller, whose Pod Identity role may only register targets there", async () => {
        const run = (await allStacks())["ap-northeast-1"];
        const tg = oneOfType(run, "aws:lb/targetGroup:TargetGroup");
        const binding = oneOfType(run, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").inputs as any;
        expect(binding.metadata).to.deep.equal({ name: "istio-ingressgateway", namespace: "istio-ingress" });
        expect(binding.spec.serviceRef).to.deep.equal({ name: "istio-ingressgateway", port: 443 });
        expect(binding.spec.targetType).to.equal("ip");
        // The offline engine names a target group's ARN after its logical name.
        expect(String(binding.spec.targetGroupARN)).to.match(new RegExp(`^arn:aws:elasticloadbalancing:ap-northeast-1:\\d{12}:targetgroup/${tg.name}-`));

        const controller = ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-load-balancer-controller")!;
        const values = controller.inputs.values as any;
        expect(values).to.include({
            clusterName: run.outputs.clusterName,
            region: "ap-northeast-1",
            vpcId: run.outputs.vpcId,
            enableServiceMutatorWebhook: false,
        });
        const assoc = ofType(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find(
            (a) => a.inputs.serviceAccount === "aws-load-balancer-controller",
        )!;
        const role = run.resources.find((r) => r.urn === assoc.parent)!;
        const policy = JSON.parse(String(run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.parent === role.urn)!.inputs.policy));
        const register = policy.Statement.find((s: any) => s.Action.includes("elasticloadbalancing:RegisterTargets"));
        expect(register.Resource).to.equal(binding.spec.targetGroupARN);
        for (const s of policy.Statement)
            for (const a of s.Action) expect(a).not.to.match(/^elasticloadbalancing:(Create|Delete|Modify)|^ec2:(Authorize|Revoke|Create)/);
    });

    it("refuses a wildcard or malformed certificate name, a missing zone and a log retention under a year, before registering anything", async () => {
        const run = await runStack({
            stack: "us-east-1",
            program: async () => {
                new RegionalCluster("c", {
                    network: TEST_CLUSTER_NETWORK,
                    logsKeyArn: "a",
                    eksKeyArn: "b",
                    backendImage:
                        "111122223333.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                    ingressCertificate: { hostnames: ["*.bookedbarber.com", "https://bookedbarber.com"], hostedZoneId: "" },
                    ingressLogRetentionDays: 30,
                });
                return {};
            },
        });
        expect(run.error).to.be.instanceOf(ArgsError);
        expect(run.error!.message).to.contain(
            'ingressCertificate.hostnames = ["*.bookedbarber.com","https://bookedbarber.com"]: must list 1 to 10 distinct lower-case hostnames',
        );
        expect(run.error!.message).to.contain('ingressCertificate.hostedZoneId = "": must be the public hosted zone');
        expect(run.error!.message).to.contain("ingressLogRetentionDays = 30: must be an integer from 365 to 3653");
        expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
});
