import { expect } from "chai";
import { CONTINENT_COUNTRIES } from "../../../components/edge-network/geo";
import { MANAGED_RULE_GROUPS } from "../../../components/edge-network";
import { REGIONAL_OUTPUT_NAMES } from "../../../stacks/contract";
import { GLOBAL_READS } from "../../../stacks/regional-reader";
import { ZONE_REGIONS } from "../../../stacks/regions";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { mockResource } from "../../../tools/offline/mock-outputs";
import { runStack, RunResult } from "../../../tools/offline/stack-runner";
import { allOutputs, allStacks, ofType, oneOfType, REGIONAL_STACKS } from "../../support/fixtures";

const DOMAIN = "bookedbarber.com";
const ZONES = ["us", "eu", "apac"] as const;

/** The id the offline engine gave a resource (the plan records inputs; ids are what other resources' inputs carry). */
const idOf = (r: CapturedResource, region = "us-east-1") => mockResource(r.type, r.name, r.inputs, region).id;
const named = (run: RunResult, type: string, name: string) => {
    const found = ofType(run, type).find((r) => r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}`);
    return found;
};

describe("global stack: edge, DNS, cross-region links, DR plans", () => {
    let run: RunResult;
    let contract: Record<string, Record<string, any>>;
    let providerRegion: Map<string, string>;
    before(async () => {
        const global = (await allStacks()).global;
        // The global ObservabilityStack (audit trail: its own bucket, key and log group) is tested in observability.spec.ts.
        const audit = new Set(global.resources.filter((r) => r.type === "bookedbarber:observability:ObservabilityStack").map((r) => r.urn));
        const inAudit = (r: RunResult["resources"][number]): boolean => {
            for (let p = r.parent; p; p = global.resources.find((x) => x.urn === p)?.parent ?? null) if (audit.has(p)) return true;
            return false;
        };
        run = { ...global, resources: global.resources.filter((r) => !inAudit(r)) };
        contract = await allOutputs();
        providerRegion = new Map(ofType(run, "pulumi:providers:aws").map((p) => [p.urn, String(p.inputs.region)]));
    });
    const regionOf = (r: CapturedResource) => providerRegion.get(r.provider ?? "") ?? "(ambient)";

    describe("reading the regional stacks", () => {
        it("has one StackReference per regional stack and reads only names of the contract", async () => {
            const refs = ofType(run, "pulumi:pulumi:StackReference").map((r) => r.inputs.name);
            expect(refs).to.have.members([...REGIONAL_STACKS, "bootstrap"].map((s) => `bookedbarber/bookedbarber/${s}`));
            for (const name of GLOBAL_READS) expect(REGIONAL_OUTPUT_NAMES, name).to.include(name);
            // Fed only the names it declares it reads, the plan still resolves: it needs nothing else.
            const only = Object.fromEntries(REGIONAL_STACKS.map((s) => [s, Object.fromEntries(GLOBAL_READS.map((n) => [n, contract[s][n]]))]));
            const narrow = await runStack({ stack: "global", stackReferences: only });
            expect(narrow.error).to.equal(undefined);
            expect(narrow.resources.length).to.equal((await allStacks()).global.resources.length);
        });

        it("manages every AWS resource through an explicit regional provider, never the ambient region", () => {
            const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(aws.length).to.be.greaterThan(100);
            for (const r of aws) expect(regionOf(r), r.urn).to.not.equal("(ambient)");
        });

        it("fails naming the stack and the field when an output has the wrong shape", async () => {
            const broken = { ...contract, "ap-southeast-1": { ...contract["ap-southeast-1"], ingress: { dnsName: "x.elb.amazonaws.com" } } };
            const r = await runStack({ stack: "global", stackReferences: broken });
            expect(r.error?.message).to.contain("stack 'ap-southeast-1' output 'ingress' must be { dnsName, zoneId }");
        });
    });

    describe("WAF", () => {
        it("is a CLOUDFRONT-scope Web ACL in us-east-1 with the four managed rule groups and a per-IP rate rule", () => {
            const acl = oneOfType(run, "aws:wafv2/webAcl:WebAcl");
            expect(acl.inputs.scope).to.equal("CLOUDFRONT");
            expect(regionOf(acl)).to.equal("us-east-1");
            const rules = acl.inputs.rules as any[];
            const groups = rules.filter((r) => r.statement.managedRuleGroupStatement).map((r) => r.statement.managedRuleGroupStatement);
            expect(groups.map((g) => g.name)).to.have.members([
                "AWSManagedRulesCommonRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesSQLiRuleSet",
                "AWSManagedRulesAmazonIpReputationList",
            ]);
            expect(groups.map((g) => g.name)).to.have.members([...MANAGED_RULE_GROUPS]);
            for (const g of groups) expect(g.vendorName).to.equal("AWS");
            const rate = rules.filter((r) => r.statement.rateBasedStatement);
            expect(rate).to.have.length(1);
            expect(rate[0].statement.rateBasedStatement).to.include({ limit: 2000, aggregateKeyType: "IP" });
            expect(rate[0].action).to.have.key("block");
            expect(new Set(rules.map((r) => r.priority)).size).to.equal(rules.length);
        });

        it("logs to a KMS-encrypted aws-waf-logs-* log group kept a year, with credentials redacted", () => {
            const logging = oneOfType(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
            // The WAF's group; the DR plans' cache functions have their own.
            const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("aws-waf-logs-"));
            expect(groups).to.have.length(1);
            const group = groups[0];
            expect(group.inputs.retentionInDays).to.equal(365);
            expect(String(group.inputs.kmsKeyId)).to.match(/^arn:aws:kms:us-east-1:/);
            expect(logging.inputs.logDestinationConfigs).to.deep.equal([`arn:aws:logs:us-east-1:123456789012:log-group:${group.inputs.name}`]);
            expect((logging.inputs.redactedFields as any[]).map((f) => f.singleHeader.name)).to.have.members(["authorization", "cookie"]);
            expect(group.options.protect).to.equal(true);
        });
    });

    describe("CloudFront", () => {
        let dist: CapturedResource;
        let policies: Map<string, CapturedResource>;
        before(() => {
            dist = oneOfType(run, "aws:cloudfront/distribution:Distribution");
            policies = new Map(ofType(run, "aws:cloudfront/cachePolicy:CachePolicy").map((p) => [idOf(p), p]));
        });
        const behaviours = () => [dist.inputs.defaultCacheBehavior as any, ...(dist.inputs.orderedCacheBehaviors as any[])];

        it("has the Web ACL, an ACM certificate from us-east-1, and HTTPS only at TLS 1.3 only (TLSv1.3_2025)", () => {
            const acl = oneOfType(run, "aws:wafv2/webAcl:WebAcl");
            expect(dist.inputs.webAclId).to.equal(mockResource(acl.type, acl.name, acl.inputs, "us-east-1").state.arn);
            const cert = dist.inputs.viewerCertificate as any;
            expect(cert).to.include({ minimumProtocolVersion: "TLSv1.3_2025", sslSupportMethod: "sni-only" });
            expect(cert.acmCertificateArn).to.match(/^arn:aws:acm:us-east-1:/);
            expect(dist.inputs.aliases).to.deep.equal([DOMAIN, `www.${DOMAIN}`]);
            for (const b of behaviours()) {
                expect(b.viewerProtocolPolicy).to.equal("redirect-to-https");
                expect(b.compress).to.equal(true);
            }
            for (const o of dist.inputs.origins as any[]) {
                expect(o.customOriginConfig.originProtocolPolicy).to.equal("https-only");
                expect(o.customOriginConfig.originSslProtocols).to.deep.equal(["TLSv1.2"]);
            }
        });

        it("has an origin group per zone failing over from the primary ingress to the standby, and Origin Shield on every origin", () => {
            const origins = new Map((dist.inputs.origins as any[]).map((o) => [o.originId, o]));
            const groups = dist.inputs.originGroups as any[];
            expect(groups).to.have.length(3);
            for (const zone of ZONES) {
                const g = groups.find((x) => x.originId === `${zone}-group`);
                expect(g.failoverCriteria.statusCodes).to.include.members([500, 502, 503, 504]);
                const [primary, standby] = g.members.map((m: { originId: string }) => origins.get(m.originId));
                expect(primary.domainName).to.equal(`${ZONE_REGIONS[zone].primary}.api.${DOMAIN}`);
                expect(standby.domainName).to.equal(`${ZONE_REGIONS[zone].standby}.api.${DOMAIN}`);
            }
            for (const o of origins.values()) expect(o.originShield.enabled, o.originId).to.equal(true);
            expect(origins.get("eu-standby").originShield.originShieldRegion).to.equal("eu-central-1");
        });

        it("caches static assets a year, API responses 5 minutes by the configured headers, and user content not at all", () => {
            const policyOf = (b: any) => policies.get(b.cachePolicyId)!;
            const ordered = dist.inputs.orderedCacheBehaviors as any[];
            const statics = ordered.filter((b) => ["/static/*", "/assets/*"].includes(b.pathPattern));
            const api = ordered.filter((b) => b.pathPattern === "/api/*");
            expect(statics).to.have.length(2);
            expect(api).to.have.length(1);
            for (const b of statics) expect(policyOf(b).inputs).to.include({ defaultTtl: 31_536_000, maxTtl: 31_536_000 });
            const apiPolicy = policyOf(api[0]).inputs as any;
            expect(apiPolicy).to.include({ defaultTtl: 300, maxTtl: 300 });
            expect(apiPolicy.parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers.items).to.deep.equal([
                "Authorization",
                "Accept",
                "Accept-Language",
                "X-Franchise-Id",
            ]);
            const user = policyOf(dist.inputs.defaultCacheBehavior).inputs as any;
            expect(user.defaultTtl).to.equal(0);
            expect(user.maxTtl).to.be.at.most(1);
            for (const p of policies.values())
                expect((p.inputs.parametersInCacheKeyAndForwardedToOrigin as any).enableAcceptEncodingBrotli, p.name).to.equal(true);
        });

        it("never puts a write method on a behaviour that targets an origin group (CloudFront refuses it)", () => {
            for (const b of behaviours()) {
                const writes = (b.allowedMethods as string[]).some((m) => ["POST", "PUT", "PATCH", "DELETE"].includes(m));
                if (String(b.targetOriginId).endsWith("-group")) expect(writes, b.pathPattern ?? "default").to.equal(false);
                else expect(b.targetOriginId).to.match(/-failover$/);
            }
            const failover = (dist.inputs.origins as any[]).filter((o) => o.originId.endsWith("-failover")).map((o) => o.domainName);
            expect(failover).to.have.members(ZONES.map((z) => `${z}.api.${DOMAIN}`));
        });

        it("routes viewers to their zone with viewer-request functions, with failover inside the zone", () => {
            const fns = ofType(run, "aws:cloudfront/function:Function");
            expect(fns).to.have.length(2);
            const originIds = new Set((dist.inputs.origins as any[]).map((o) => o.originId));
            for (const fn of fns) {
                expect(fn.inputs.runtime).to.equal("cloudfront-js-2.0");
                const calls: { method: string; arg: any }[] = [];
                const cf = {
                    createRequestOriginGroup: (arg: any) => calls.push({ method: "group", arg }),
                    selectRequestOriginById: (arg: any) => calls.push({ method: "select", arg }),
                };
                const source = String(fn.inputs.code).replace(/^import cf from 'cloudfront';$/m, "");
                const handler = new Function("cf", `${source}\nreturn handler;`)(cf);
                const visit = (country?: string) => {
                    calls.length = 0;
                    const request = { headers: country ? { "cloudfront-viewer-country": { value: country } } : {} };
                    expect(handler({ request })).to.equal(request);
                    return calls.slice();
                };
                const [de] = visit("DE");
                const [jp] = visit("JP");
                expect(visit("US")).to.deep.equal([]);
                expect(visit()).to.deep.equal([]);
                if (fn.name.endsWith("geo-group")) {
                    expect(de.arg.originIds).to.deep.equal(["eu-primary", "eu-standby"]);
                    expect(jp.arg.originIds).to.deep.equal(["apac-primary", "apac-standby"]);
                    expect(de.arg.failoverCriteria.statusCodes).to.include(503);
                    for (const id of [...de.arg.originIds, ...jp.arg.originIds]) expect(originIds).to.include(id);
                } else {
                    expect(de).to.deep.equal({ method: "select", arg: "eu-failover" });
                    expect(jp).to.deep.equal({ method: "select", arg: "apac-failover" });
                }
            }
            // Every EU country goes to the eu zone (GDPR residency).
            const group = fns.find((f) => f.name.endsWith("geo-group"))!;
            const table = JSON.parse(/const ZONE_OF_COUNTRY = (\{.*\});/.exec(String(group.inputs.code))![1]);
            for (const c of CONTINENT_COUNTRIES.EU) expect(table[c], c).to.equal("eu");
            for (const b of behaviours()) expect(b.functionAssociations[0].eventType).to.equal("viewer-request");
        });

        it("logs access through standard logging v2 to a KMS-encrypted, private, protected bucket", () => {
            // The region-down watchers (RegionWatch) bring their own key and canary bucket; this test is about the edge's.
            const edge = { ...run, resources: run.resources.filter((r) => !r.name.startsWith("bb-region-watch")) };
            const source = oneOfType(edge, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
            expect(source.inputs).to.include({ logType: "ACCESS_LOGS", resourceArn: mockResource(dist.type, dist.name, dist.inputs, "us-east-1").state.arn });
            const bucket = oneOfType(edge, "aws:s3/bucket:Bucket");
            const bucketArn = mockResource(bucket.type, bucket.name, bucket.inputs, "us-east-1").state.arn;
            const dest = oneOfType(edge, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
            expect((dest.inputs.deliveryDestinationConfiguration as any).destinationResourceArn).to.equal(bucketArn);
            const sse = oneOfType(edge, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
            expect((sse.inputs.rules as any[])[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
            expect((oneOfType(edge, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as any).objectOwnership).to.equal(
                "BucketOwnerEnforced",
            );
            expect(oneOfType(edge, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            const policy = JSON.parse(String(oneOfType(edge, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
            expect(policy.Statement.find((s: any) => s.Sid === "DenyInsecureTransport").Condition.Bool["aws:SecureTransport"]).to.equal("false");
            expect(bucket.options.protect).to.equal(true);
            expect(oneOfType(edge, "aws:kms/key:Key").inputs.enableKeyRotation).to.equal(true);
        });
    });

    describe("Route 53", () => {
        let records: any[];
        before(() => {
            records = ofType(run, "aws:route53/record:Record").map((r) => r.inputs);
        });

        it("has a health check per regional endpoint: HTTPS on /health, 10 s interval (RTO budget; spec 30 s), 3 failures", () => {
            const endpoint = ofType(run, "aws:route53/healthCheck:HealthCheck").filter((h) => h.inputs.type === "HTTPS");
            expect(endpoint.map((h) => h.inputs.fqdn)).to.have.members(REGIONAL_STACKS.map((r) => `${r}.api.${DOMAIN}`));
            for (const h of endpoint) {
                expect(h.inputs).to.include({ requestInterval: 10, failureThreshold: 3, resourcePath: "/health", port: 443, enableSni: true });
                expect(regionOf(h)).to.equal("us-east-1");
            }
            const ids = run.outputs.healthCheckIds as Record<string, string>;
            expect(Object.keys(ids)).to.have.members(REGIONAL_STACKS);
            for (const h of endpoint) expect(ids[String(h.inputs.fqdn).split(".")[0]]).to.equal(idOf(h));
        });

        it("aliases each regional API name to that region's ingress", () => {
            for (const stack of REGIONAL_STACKS) {
                const r = records.find((x) => x.name === `${stack}.api.${DOMAIN}`);
                expect(r.aliases[0]).to.include({ name: contract[stack].ingress.dnsName, zoneId: contract[stack].ingress.zoneId });
            }
        });

        it("fails each zone over from primary to standby, tied to the health checks", () => {
            const ids = run.outputs.healthCheckIds as Record<string, string>;
            const gates = ofType(run, "aws:route53/healthCheck:HealthCheck").filter((h) => h.inputs.type === "CALCULATED");
            expect(gates).to.have.length(3);
            for (const zone of ZONES) {
                const { primary, standby } = ZONE_REGIONS[zone];
                const pair = records.filter((r) => r.name === `${zone}.api.${DOMAIN}`);
                const p = pair.find((r) => r.failoverRoutingPolicies?.[0].type === "PRIMARY");
                const s = pair.find((r) => r.failoverRoutingPolicies?.[0].type === "SECONDARY");
                expect(p.aliases[0].name).to.equal(contract[primary].ingress.dnsName);
                expect(s.aliases[0].name).to.equal(contract[standby].ingress.dnsName);
                expect(s.healthCheckId).to.equal(ids[standby]);
                // The primary's check is calculated: its endpoint check AND the DR plan's switch.
                const gate = gates.find((g) => idOf(g) === p.healthCheckId)!;
                expect(gate.inputs.childHealthchecks).to.include(ids[primary]);
                expect(gate.inputs.childHealthchecks).to.have.length(2);
                expect(gate.inputs.childHealthThreshold).to.equal(2);
            }
        });

        it("sends users to their zone by geolocation, with a default, and to the nearest zone by latency", () => {
            const geo = records.filter((r) => r.name === `api.${DOMAIN}`);
            const zoneOf = (r: any) => r.aliases[0].name.split(".")[0];
            const byContinent = Object.fromEntries(
                geo.filter((r) => r.geolocationRoutingPolicies[0].continent).map((r) => [r.geolocationRoutingPolicies[0].continent, zoneOf(r)]),
            );
            expect(byContinent).to.include({ NA: "us", EU: "eu", AS: "apac", OC: "apac" });
            const fallback = geo.filter((r) => r.geolocationRoutingPolicies[0].country === "*");
            expect(fallback).to.have.length(1);
            expect(zoneOf(fallback[0])).to.equal("us");
            const latency = records.filter((r) => r.latencyRoutingPolicies);
            expect(latency.map((r) => r.latencyRoutingPolicies[0].region)).to.have.members(ZONES.map((z) => ZONE_REGIONS[z].primary));
            for (const r of [...geo, ...latency]) expect(r.aliases[0].evaluateTargetHealth).to.equal(true);
        });

        it("has no weighted split to a standby, and serves the public names from CloudFront", () => {
            expect(records.filter((r) => r.weightedRoutingPolicies)).to.deep.equal([]);
            const publicRecords = records.filter((r) => r.name === DOMAIN || r.name === `www.${DOMAIN}`);
            expect(publicRecords.map((r) => r.type).sort()).to.deep.equal(["A", "A", "AAAA", "AAAA"]);
            for (const r of publicRecords) expect(r.aliases[0]).to.include({ zoneId: "Z2FDTNDATAQYW2", name: run.outputs.distributionDomainName });
            expect(run.outputs.publicHostname).to.equal(DOMAIN);
            expect(run.outputs.distributionId).to.match(/^E[0-9A-F]+$/);
        });

        it("validates the ACM certificate through DNS records in the hosted zone", () => {
            const cert = oneOfType(run, "aws:acm/certificate:Certificate");
            expect(cert.inputs).to.include({ domainName: DOMAIN, validationMethod: "DNS" });
            expect(regionOf(cert)).to.equal("us-east-1");
            const validation = records.filter((r) => r.type === "CNAME");
            expect(validation).to.have.length(2);
            expect(oneOfType(run, "aws:acm/certificateValidation:CertificateValidation").inputs.validationRecordFqdns).to.have.length(2);
        });
    });

    describe("cross-region links", () => {
        it("peers each zone's primary and standby VPCs and routes only data subnets to data subnets", () => {
            const pcx = ofType(run, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection");
            expect(pcx).to.have.length(3);
            const routes = ofType(run, "aws:ec2/route:Route");
            for (const zone of ZONES) {
                const { primary, standby } = ZONE_REGIONS[zone];
                const c = pcx.find((p) => p.inputs.vpcId === contract[primary].vpcId)!;
                expect(c.inputs).to.include({ peerVpcId: contract[standby].vpcId, peerRegion: standby });
                expect(regionOf(c)).to.equal(primary);
                const accept = ofType(run, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter").find((a) => a.parent === c.urn)!;
                expect(regionOf(accept)).to.equal(standby);
                for (const [from, to] of [
                    [primary, standby],
                    [standby, primary],
                ]) {
                    const mine = routes.filter((r) => (contract[from].dataRouteTableIds as string[]).includes(String(r.inputs.routeTableId)));
                    expect(mine).to.have.length(contract[from].dataRouteTableIds.length * contract[to].dataSubnetCidrs.length);
                    for (const r of mine) {
                        expect(contract[to].dataSubnetCidrs).to.include(r.inputs.destinationCidrBlock);
                        expect(regionOf(r)).to.equal(from);
                        expect(r.inputs.vpcPeeringConnectionId).to.equal(idOf(c, primary));
                    }
                }
            }
            expect(routes).to.have.length(54);
        });

        it("refuses overlapping CIDRs with a message naming both, before building anything", async () => {
            const clash = { ...contract, "us-west-2": { ...contract["us-west-2"], vpcCidr: "10.10.0.0/16" } };
            const r = await runStack({ stack: "global", stackReferences: clash });
            expect(r.error?.message).to.contain('standby.vpcCidr = "10.10.0.0/16": overlaps the primary\'s VPC 10.10.0.0/16 (us-east-1)');
            expect(r.resources.filter((x) => x.type.startsWith("aws:"))).to.deep.equal([]);
        });
    });

    describe("DR runbook", () => {
        it("has one Region switch plan per zone, failing over every shard, scaling the standby and flipping DNS", () => {
            const plans = ofType(run, "aws:arcregionswitch/plan:Plan");
            expect(plans).to.have.length(3);
            for (const zone of ZONES) {
                const { primary, standby } = ZONE_REGIONS[zone];
                const plan = plans.find((p) => p.inputs.name === `bookedbarber-${zone}-failover`)!;
                expect(plan.inputs).to.include({ recoveryApproach: "activePassive", primaryRegion: primary, recoveryTimeObjectiveMinutes: 5 });
                expect(plan.inputs.regions).to.deep.equal([primary, standby]);
                expect(regionOf(plan)).to.equal(standby);
                const steps = (plan.inputs.workflows as any[])[0].steps as any[];
                const inner = steps.flatMap((s) => (s.parallelConfigs ? s.parallelConfigs[0].steps : [s]));
                const aurora = inner.filter((s) => s.executionBlockType === "AuroraGlobalDatabase").map((s) => s.globalAuroraConfigs[0]);
                const shards = contract[primary].shards as any[];
                expect(shards).to.have.length.greaterThan(0);
                expect(aurora.map((a) => a.globalClusterIdentifier)).to.have.members(shards.map((s) => s.globalClusterId));
                for (const a of aurora) {
                    const s = shards.find((x) => x.globalClusterId === a.globalClusterIdentifier);
                    const secondary = (contract[standby].shards as any[]).find((x) => x.globalClusterId === a.globalClusterIdentifier);
                    expect(a.databaseClusterArns).to.deep.equal([s.clusterArn, secondary.clusterArn]);
                    expect(a.behavior).to.equal("switchoverOnly");
                    expect(a.ungracefuls).to.deep.equal([{ ungraceful: "failover" }]);
                }
                const scale = inner.find((s) => s.executionBlockType === "EKSResourceScaling").eksResourceScalingConfigs[0];
                expect(scale.eksClusters.map((c: any) => c.clusterArn)).to.deep.equal([
                    `arn:aws:eks:${primary}:123456789012:cluster/${contract[primary].clusterName}`,
                    `arn:aws:eks:${standby}:123456789012:cluster/${contract[standby].clusterName}`,
                ]);
                expect(scale.scalingResources[0].resources[0]).to.include({ name: "bookedbarber-backend", hpaName: "bookedbarber-backend-hpa" });
                const dns = steps[steps.length - 1];
                expect(dns.executionBlockType).to.equal("Route53HealthCheck");
                expect(dns.route53HealthCheckConfigs[0].recordName).to.equal(`${zone}.api.${DOMAIN}`);
                expect(dns.route53HealthCheckConfigs[0].recordSets.map((r: any) => r.recordSetIdentifier)).to.deep.equal([primary, standby]);
                const failoverIds = ofType(run, "aws:route53/record:Record")
                    .filter((r) => r.inputs.name === `${zone}.api.${DOMAIN}`)
                    .map((r) => r.inputs.setIdentifier);
                expect(failoverIds).to.have.members([primary, standby]);
            }
            expect(Object.keys(run.outputs.recoveryPlanArns as object)).to.have.members([...ZONES]);
        });

        it("runs each plan as a role only ARC can assume, with no wildcard action or resource", () => {
            for (const zone of ZONES) {
                const role = named(run, "aws:iam/role:Role", `bb-${zone}-dr-role`);
                const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
                expect(trust.Statement[0].Principal).to.deep.equal({ Service: "arc-region-switch.amazonaws.com" });
                expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.equal("123456789012");
                const policy = JSON.parse(String(named(run, "aws:iam/rolePolicy:RolePolicy", `bb-${zone}-dr-policy`).inputs.policy));
                for (const s of policy.Statement) {
                    for (const a of [s.Action].flat()) expect(a, s.Sid).to.not.match(/\*/);
                    for (const r of [s.Resource].flat()) expect(r, s.Sid).to.not.equal("*");
                }
                const plan = ofType(run, "aws:arcregionswitch/plan:Plan").find((p) => p.inputs.name === `bookedbarber-${zone}-failover`)!;
                expect(plan.inputs.executionRole).to.equal(mockResource(role.type, role.name, role.inputs, "us-east-1").state.arn);
                const assoc = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => a.name.startsWith(`bb-${zone}-dr-`));
                expect(assoc).to.have.length(2);
                for (const a of assoc) expect(a.inputs.accessScope).to.deep.equal({ type: "namespace", namespaces: ["bookedbarber"] });
            }
        });
    });
});
