import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgsError } from "../../../components/args";
import { ObservabilityStack, ObservabilityStackArgs, PROMETHEUS_URL } from "../../../components/observability-stack";
import { ALERT_CLASS_INFO, ALERT_CLASSES, ALERT_DEFINITIONS, alertProblems, promExpr } from "../../../components/observability/alerts";
import { cacheNodeIds } from "../../../components/observability/aws-alarms";
import { hotStorageGib, OPENSEARCH_DEFAULTS, ULTRAWARM_STORAGE_GIB, warmStorageGib } from "../../../components/observability/opensearch";
import { prometheusRuleManifest, scrapeManifests } from "../../../components/observability/prometheus-rules";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { runStack, RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, oneOfType, REGIONAL_STACKS, STANDBY_STACKS } from "../../support/fixtures";

const REGION = "eu-west-1";

/**
 * kubernetes-models is ESM-only, and tsc (module commonjs) would turn `import()` into
 * `require()`, which its exports map refuses; this keeps a real dynamic import.
 */
const esmImport = new Function("specifier", "return import(specifier)") as <T>(specifier: string) => Promise<T>;
const KEYS = {
    logs: `arn:aws:kms:${REGION}:123456789012:key/logs`,
    eks: `arn:aws:kms:${REGION}:123456789012:key/eks`,
    secrets: `arn:aws:kms:${REGION}:123456789012:key/secrets`,
};

function regionalArgs(over: Partial<ObservabilityStackArgs> = {}): ObservabilityStackArgs {
    return {
        mode: "regional",
        region: REGION,
        accountId: "123456789012",
        network: { vpcId: "vpc-1", dataSubnetIds: ["subnet-a", "subnet-b", "subnet-c"] },
        keys: KEYS,
        ...over,
    };
}

/** Runs one component in its own program: literal inputs, a stand-in Kubernetes provider. */
async function runComponent(build: () => void): Promise<RunResult> {
    const run = await runStack({
        stack: REGION,
        program: async () => {
            build();
            return {};
        },
    });
    if (run.error) throw run.error;
    return run;
}

function releaseNamed(run: RunResult, name: string): CapturedResource {
    const r = ofType(run, "kubernetes:helm.sh/v3:Release").filter((x) => x.inputs.name === name);
    expect(r, `release ${name}`).to.have.length(1);
    return r[0];
}

describe("ObservabilityStack", () => {
    let regional: RunResult;
    let bare: RunResult;
    let global: RunResult;
    before(async () => {
        regional = await runComponent(() => {
            const provider = new aws.Provider("aws-euw1", { region: REGION });
            const k8sProvider = new k8s.Provider("k8s", { kubeconfig: "{}" });
            new ObservabilityStack(
                "bb-euw1-obs",
                regionalArgs({
                    kubernetes: { provider: k8sProvider, clusterName: "bb-euw1-eks", nodeSecurityGroupId: "sg-nodes" },
                    watch: {
                        loadBalancer: { arnSuffix: "app/bb-euw1-ingress/abc", targetGroupArnSuffixes: ["targetgroup/api/def"] },
                        auroraClusters: [
                            { label: "shard-0", clusterIdentifier: "bb-euw1-shard-0" },
                            { label: "shard-1", clusterIdentifier: "bb-euw1-shard-1", inGlobalCluster: true, sourceRegion: "eu-central-1" },
                        ],
                        cache: { replicationGroupId: "bb-euw1-redis", shards: 3, replicasPerShard: 1 },
                    },
                }),
                { provider },
            );
        });
        bare = await runComponent(() => {
            new ObservabilityStack("bb-euw1-obs", regionalArgs(), { provider: new aws.Provider("aws-euw1", { region: REGION }) });
        });
        global = await runComponent(() => {
            new ObservabilityStack(
                "bb-global-obs",
                { mode: "global", region: "us-east-1", accountId: "123456789012" },
                { provider: new aws.Provider("aws-use1", { region: "us-east-1" }) },
            );
        });
    });

    describe("alert table", () => {
        it("has the spec's four classes with their response times and a definition in each", () => {
            expect(ALERT_CLASSES).to.deep.equal(["P0", "P1", "P2", "P3"]);
            expect(ALERT_CLASSES.map((c) => ALERT_CLASS_INFO[c].responseMinutes)).to.deep.equal([5, 15, 60, 240]);
            for (const c of ALERT_CLASSES)
                expect(
                    ALERT_DEFINITIONS.filter((d) => d.class === c),
                    c,
                ).to.have.length.greaterThan(0);
            expect(alertProblems(ALERT_DEFINITIONS)).to.deep.equal([]);
        });

        it("carries the spec's thresholds in the spec's classes", () => {
            const find = (id: string) => {
                const d = ALERT_DEFINITIONS.find((x) => x.id === id);
                expect(d, id).to.not.equal(undefined);
                return d!;
            };
            const expectations: [string, string, number, string][] = [
                ["api-latency-p95", "P2", 200, "ms"],
                ["api-latency-p99", "P2", 500, "ms"],
                ["api-latency-p95-degraded", "P1", 2000, "ms"],
                ["api-5xx-rate-high", "P1", 1, "percent"],
                ["api-5xx-rate-elevated", "P2", 0.5, "percent"],
                ["aurora-replica-lag", "P2", 100, "ms"],
                ["aurora-global-replication-lag", "P2", 1000, "ms"],
                ["aurora-rpo-lag", "P1", 30_000, "ms"],
                ["aurora-cpu", "P2", 70, "percent"],
                ["cache-cpu", "P2", 70, "percent"],
                ["cache-memory", "P2", 80, "percent"],
                ["node-memory", "P2", 80, "percent"],
                ["node-cpu-exhausted", "P1", 90, "percent"],
                ["cache-hit-rate", "P3", 95, "percent"],
                ["healthy-hosts-zero", "P0", 1, "count"],
            ];
            for (const [id, cls, threshold, unit] of expectations) {
                const d = find(id);
                expect({ id, cls: d.class, threshold: d.threshold, unit: d.unit }).to.deep.equal({ id, cls, threshold, unit });
            }
            expect(find("cache-hit-rate").comparison).to.equal("below");
            expect(find("healthy-hosts-zero").comparison).to.equal("below");
        });

        it("refuses an unknown class and a percentage outside 0-100 in the table itself", () => {
            const bad = [
                { ...ALERT_DEFINITIONS[0], class: "P9" as never },
                { ...ALERT_DEFINITIONS.find((d) => d.unit === "percent")!, id: "x", threshold: 120 },
            ];
            const problems = alertProblems(bad).map((p) => `${p.field} = ${JSON.stringify(p.value)}: ${p.allowed}`);
            expect(problems).to.include(`alerts[${ALERT_DEFINITIONS[0].id}].class = "P9": must be one of P0, P1, P2, P3`);
            expect(problems).to.include("alerts[x].threshold = 120: is a percentage, must be from 0 to 100");
        });
    });

    describe("PrometheusRule", () => {
        it("validates against the prometheus-operator schema and labels every rule with its class as severity", async () => {
            const { PrometheusRule } = await esmImport<{ PrometheusRule: new (o: unknown) => { validate(): void } }>(
                "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule",
            );
            const manifest = prometheusRuleManifest(ALERT_DEFINITIONS);
            new PrometheusRule(manifest).validate();
            // The validator must be able to fail: a rule without its expression is refused.
            const broken = structuredClone(manifest) as { spec: { groups: { rules: { expr?: string }[] }[] } };
            delete broken.spec.groups[0].rules[0].expr;
            expect(() => new PrometheusRule(broken).validate()).to.throw();
            const rules = manifest.spec.groups[0].rules;
            expect(rules).to.have.length(ALERT_DEFINITIONS.filter((d) => d.prometheus).length);
            for (const r of rules) expect(ALERT_CLASSES).to.include(r.labels.severity);
            const rule = (name: string) => rules.find((r) => r.alert === name)!;
            expect(rule("ApiLatencyP95").expr).to.match(/^\(histogram_quantile\(0\.95, .*\) > 200\) and on\(\) \(sum\(rate\(istio_requests_total.*\) >= 1\)$/);
            expect(rule("ApiLatencyP95").labels.severity).to.equal("P2");
            expect(rule("ApiLatencyP99").expr).to.match(/histogram_quantile\(0\.99, .*\) > 500\) and on\(\) /);
            expect(rule("Api5xxRateHigh").expr).to.match(/ > 1\) and on\(\) /);
            expect(rule("Api5xxRateHigh").labels.severity).to.equal("P1");
            expect(rule("Api5xxRateElevated").expr).to.match(/ > 0\.5\) and on\(\) /);
            expect(rule("NodeCpu")).to.include({ for: "2m" });
            expect(rule("NodeMemory").expr).to.match(/ > 80$/);
            expect(rule("ApiUnavailable").labels.severity).to.equal("P0");
        });

        it("scrapes the Istio sidecars with the namespace and pod labels prometheus-adapter reads, and validates", async () => {
            const v1 = "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
            const { PodMonitor } = await esmImport<{ PodMonitor: new (o: unknown) => { validate(): void } }>(`${v1}/PodMonitor`);
            const { ServiceMonitor } = await esmImport<{ ServiceMonitor: new (o: unknown) => { validate(): void } }>(`${v1}/ServiceMonitor`);
            const [envoy, istiod, argoRollouts] = scrapeManifests();
            new PodMonitor(envoy).validate();
            new ServiceMonitor(istiod).validate();
            new ServiceMonitor(argoRollouts).validate();
            const targets = envoy.spec.podMetricsEndpoints[0].relabelings.map((r) => r.targetLabel).filter(Boolean);
            expect(targets).to.include.members(["namespace", "pod"]);
            const inCluster = ofType(regional, "kubernetes:monitoring.coreos.com/v1:PodMonitor");
            expect(inCluster).to.have.length(1);
            expect((inCluster[0].inputs.metadata as { labels: Record<string, string> }).labels.release).to.equal("kube-prometheus-stack");
            expect(
                ofType(regional, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").map((m) => (m.inputs.metadata as { name: string }).name),
            ).to.have.members(["istiod", "argo-rollouts"]);
        });

        it("is what the cluster gets, with the release label Prometheus selects", () => {
            const cr = ofType(regional, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
            expect(cr).to.have.length(1);
            expect((cr[0].inputs.metadata as { labels: Record<string, string> }).labels.release).to.equal("kube-prometheus-stack");
            const rules = (cr[0].inputs.spec as { groups: { rules: { expr: string }[] }[] }).groups[0].rules;
            expect(rules.map((r) => r.expr)).to.include(promExpr(ALERT_DEFINITIONS.find((d) => d.id === "node-memory")!));
        });
    });

    describe("regional mode", () => {
        it("has one CMK-encrypted SNS topic per class that CloudWatch and EventBridge may publish to", () => {
            const topics = ofType(regional, "aws:sns/topic:Topic");
            expect(topics.map((t) => t.inputs.name)).to.have.members([
                "bookedbarber-alerts-p0",
                "bookedbarber-alerts-p1",
                "bookedbarber-alerts-p2",
                "bookedbarber-alerts-p3",
            ]);
            const key = ofType(regional, "aws:kms/key:Key").find((k) => (k.inputs.tags as Record<string, string>)["data-domain"] === "alerts")!;
            expect(key.inputs.enableKeyRotation).to.equal(true);
            expect(key.options.protect).to.equal(true);
            const keyPolicy = JSON.parse(String(key.inputs.policy));
            const publishers = keyPolicy.Statement.find((s: { Sid: string }) => s.Sid === "AlertPublishersEncryptMessages");
            expect(publishers.Principal.Service).to.include.members(["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
            for (const t of topics) expect(String(t.inputs.kmsMasterKeyId)).to.match(/^arn:aws:kms:eu-west-1:123456789012:key\//);
            for (const p of ofType(regional, "aws:sns/topicPolicy:TopicPolicy")) {
                const s = JSON.parse(String(p.inputs.policy)).Statement.find((x: { Sid: string }) => x.Sid === "AlertSourcesPublish");
                expect(s.Principal.Service).to.include.members(["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
                expect(s.Resource).to.equal(p.inputs.arn);
            }
        });

        it("creates the spec's CloudWatch alarms for what it watches, each routed to its class's topic", () => {
            const alarms = ofType(regional, "aws:cloudwatch/metricAlarm:MetricAlarm");
            const topicOf = Object.fromEntries(
                ofType(regional, "aws:sns/topic:Topic").map((t) => [
                    String(t.inputs.name).slice(-2).toUpperCase(),
                    `arn:aws:sns:${REGION}:123456789012:${t.inputs.name}`,
                ]),
            );
            const named = (suffix: string) => {
                const a = alarms.find((x) => String(x.inputs.name).endsWith(suffix));
                expect(a, suffix).to.not.equal(undefined);
                return a!;
            };
            const p95 = named("-api-latency-p95");
            expect(p95.inputs).to.include({
                metricName: "TargetResponseTime",
                extendedStatistic: "p95",
                threshold: 0.2,
                comparisonOperator: "GreaterThanThreshold",
                namespace: "AWS/ApplicationELB",
            });
            expect(p95.inputs.dimensions).to.deep.equal({ LoadBalancer: "app/bb-euw1-ingress/abc" });
            expect(named("-api-latency-p99").inputs).to.include({ extendedStatistic: "p99", threshold: 0.5 });
            const err1 = named("-api-5xx-rate-high");
            expect(err1.inputs.threshold).to.equal(1);
            expect((err1.inputs.metricQueries as { expression?: string }[]).map((q) => q.expression).filter(Boolean)).to.deep.equal([
                "100 * FILL(numerator, 0) / denominator",
            ]);
            expect(named("-api-5xx-rate-elevated").inputs.threshold).to.equal(0.5);
            expect(named("-healthy-hosts-zero-tg0").inputs).to.include({
                metricName: "HealthyHostCount",
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
            });
            for (const shard of ["shard-0", "shard-1"])
                expect(named(`-aurora-cpu-${shard}`).inputs).to.include({ metricName: "CPUUtilization", threshold: 70 });
            // The writer cluster publishes the in-region replica lag; the global secondary the cross-region lags, by SourceRegion.
            expect(named("-aurora-replica-lag-shard-0").inputs).to.include({ metricName: "AuroraReplicaLagMaximum", threshold: 100 });
            expect(alarms.filter((a) => String(a.inputs.name).endsWith("-aurora-replica-lag-shard-1"))).to.deep.equal([]);
            expect(alarms.filter((a) => /-aurora-(global-replication|rpo)-lag-shard-0$/.test(String(a.inputs.name)))).to.deep.equal([]);
            expect(named("-aurora-global-replication-lag-shard-1").inputs).to.include({
                metricName: "AuroraGlobalDBReplicationLag",
                threshold: 1000,
                statistic: "Average",
            });
            expect(named("-aurora-rpo-lag-shard-1").inputs).to.include({ metricName: "AuroraGlobalDBRPOLag", threshold: 30_000, statistic: "Maximum" });
            expect(named("-aurora-rpo-lag-shard-1").inputs.dimensions).to.deep.equal({ DBClusterIdentifier: "bb-euw1-shard-1", SourceRegion: "eu-central-1" });
            const cacheCpu = named("-cache-cpu");
            expect(cacheCpu.inputs.threshold).to.equal(70);
            const nodes = (cacheCpu.inputs.metricQueries as { metric?: { dimensions: { CacheClusterId: string } } }[])
                .filter((q) => q.metric)
                .map((q) => q.metric!.dimensions.CacheClusterId);
            expect(nodes).to.deep.equal(cacheNodeIds("bb-euw1-redis", 3, 1));
            expect(nodes).to.have.length(6);
            expect(named("-cache-memory").inputs.threshold).to.equal(80);
            for (const shard of ["0001", "0002", "0003"]) {
                const hitRate = named(`-cache-hit-rate-shard-${shard}`);
                expect(hitRate.inputs).to.include({ threshold: 95, comparisonOperator: "LessThanThreshold" });
                const queries = hitRate.inputs.metricQueries as {
                    metric?: { metricName: string; dimensions: { CacheClusterId: string } };
                    expression?: string;
                }[];
                expect(queries.filter((q) => q.metric).map((q) => `${q.metric!.metricName} ${q.metric!.dimensions.CacheClusterId}`)).to.deep.equal([
                    `CacheHits bb-euw1-redis-${shard}-001`,
                    `CacheHits bb-euw1-redis-${shard}-002`,
                    `CacheMisses bb-euw1-redis-${shard}-001`,
                    `CacheMisses bb-euw1-redis-${shard}-002`,
                ]);
                expect(
                    queries
                        .map((q) => q.expression)
                        .filter(Boolean)
                        .pop(),
                ).to.equal("IF(lookups >= 600, 100 * SUM([hits0, hits1]) / lookups, 100)");
            }
            for (const a of alarms) {
                const cls = String(a.inputs.name).slice(0, 2);
                expect(a.inputs.alarmActions, String(a.inputs.name)).to.deep.equal([topicOf[cls]]);
                expect((a.inputs.tags as Record<string, string>)["alert-class"]).to.equal(cls);
            }
            expect(ofType(bare, "aws:cloudwatch/metricAlarm:MetricAlarm"), "nothing watched, no alarms").to.have.length(0);
        });

        it("watches a Network Load Balancer for healthy hosts only, in AWS/NetworkELB (latency and 5xx come from Istio's metrics)", async () => {
            const nlb = await runComponent(() => {
                new ObservabilityStack(
                    "bb-euw1-obs",
                    regionalArgs({
                        watch: { loadBalancer: { kind: "network", arnSuffix: "net/istio-ingress/abc", targetGroupArnSuffixes: ["targetgroup/k8s-istio/def"] } },
                    }),
                    { provider: new aws.Provider("aws-euw1", { region: REGION }) },
                );
            });
            const alarms = ofType(nlb, "aws:cloudwatch/metricAlarm:MetricAlarm");
            expect(alarms).to.have.length(1);
            expect(alarms[0].inputs).to.deep.include({
                namespace: "AWS/NetworkELB",
                metricName: "HealthyHostCount",
                dimensions: { LoadBalancer: "net/istio-ingress/abc", TargetGroup: "targetgroup/k8s-istio/def" },
            });
        });

        it("runs GuardDuty with EKS protection through detector features and sends high-severity findings to P0", () => {
            oneOfType(regional, "aws:guardduty/detector:Detector");
            const features = ofType(regional, "aws:guardduty/detectorFeature:DetectorFeature");
            expect(features.map((f) => f.inputs.name)).to.include.members(["EKS_AUDIT_LOGS", "RUNTIME_MONITORING"]);
            const runtime = features.find((f) => f.inputs.name === "RUNTIME_MONITORING")!;
            expect(runtime.inputs.additionalConfigurations).to.deep.equal([{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }]);
            const rules = ofType(regional, "aws:cloudwatch/eventRule:EventRule");
            const high = rules.find((r) => (r.inputs.tags as Record<string, string>)["alert-class"] === "P0")!;
            expect(JSON.parse(String(high.inputs.eventPattern))).to.deep.equal({
                source: ["aws.guardduty"],
                "detail-type": ["GuardDuty Finding"],
                detail: { severity: [{ numeric: [">=", 7] }] },
            });
            const target = ofType(regional, "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.parent === high.urn)!;
            expect(target.inputs.arn).to.equal(`arn:aws:sns:${REGION}:123456789012:bookedbarber-alerts-p0`);
            const rds = oneOfType(regional, "aws:rds/eventSubscription:EventSubscription");
            expect(rds.inputs).to.deep.include({
                sourceType: "db-cluster",
                sourceIds: ["bb-euw1-shard-0", "bb-euw1-shard-1"],
                snsTopic: `arn:aws:sns:${REGION}:123456789012:bookedbarber-alerts-p0`,
            });
        });

        it("has a protected OpenSearch domain sized for 10 TB over 30 days, 7 hot and 23 on UltraWarm: 3 AZs, dedicated masters, CMK, node-to-node, TLS 1.2+, FGAC, VPC", () => {
            const d = oneOfType(regional, "aws:opensearch/domain:Domain");
            expect(d.options.protect).to.equal(true);
            expect(d.options.retainOnDelete).to.equal(true);
            const c = d.inputs.clusterConfig as Record<string, unknown>;
            expect(c).to.deep.include({
                zoneAwarenessEnabled: true,
                zoneAwarenessConfig: { availabilityZoneCount: 3 },
                dedicatedMasterEnabled: true,
                dedicatedMasterCount: 3,
                instanceCount: 3,
            });
            expect(c).to.deep.include({ warmEnabled: true, warmType: "ultrawarm1.medium.search", warmCount: 6 });
            const ebs = d.inputs.ebsOptions as { volumeSize: number };
            // 7 of 30 days of 10 TB hot with a replica; the other 23 days on UltraWarm.
            expect(ebs.volumeSize * (c.instanceCount as number)).to.be.at.least(hotStorageGib(10, 1, 7 / 30));
            expect((c.warmCount as number) * ULTRAWARM_STORAGE_GIB["ultrawarm1.medium.search"]).to.be.at.least(warmStorageGib(10, 7 / 30));
            expect(d.inputs.encryptAtRest).to.deep.equal({ enabled: true, kmsKeyId: KEYS.logs });
            expect(d.inputs.nodeToNodeEncryption).to.deep.equal({ enabled: true });
            expect(d.inputs.domainEndpointOptions).to.deep.equal({ enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
            const sec = d.inputs.advancedSecurityOptions as {
                enabled: boolean;
                internalUserDatabaseEnabled: boolean;
                masterUserOptions: Record<string, string>;
            };
            expect(sec.enabled).to.equal(true);
            expect(sec.internalUserDatabaseEnabled).to.equal(false);
            expect(Object.keys(sec.masterUserOptions)).to.deep.equal(["masterUserArn"]);
            expect(sec.masterUserOptions.masterUserArn).to.match(/^arn:aws:iam::123456789012:role\//);
            const vpc = d.inputs.vpcOptions as { subnetIds: string[]; securityGroupIds: string[] };
            expect(vpc.subnetIds).to.deep.equal(["subnet-a", "subnet-b", "subnet-c"]);
            const logs = d.inputs.logPublishingOptions as { logType: string; cloudwatchLogGroupArn: string }[];
            expect(logs.map((l) => l.logType)).to.have.members(["AUDIT_LOGS", "ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"]);
            const groups = ofType(regional, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/bookedbarber/opensearch/"));
            expect(groups).to.have.length(4);
            for (const g of groups) expect(g.inputs.kmsKeyId).to.equal(KEYS.logs);
            const policy = JSON.parse(String(oneOfType(regional, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy").inputs.policyDocument));
            expect(policy.Statement[0].Principal).to.deep.equal({ Service: "es.amazonaws.com" });
            expect(policy.Statement[0].Resource).to.have.length(4);
            const ingress = oneOfType(regional, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            expect(ingress.inputs).to.include({ referencedSecurityGroupId: "sg-nodes", fromPort: 443, toPort: 443, ipProtocol: "tcp" });
            expect(ofType(bare, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), "no cluster, nobody admitted").to.have.length(0);
        });

        it("installs kube-prometheus-stack as 'kube-prometheus-stack' in monitoring with encrypted volumes and Grafana's secret from Secrets Manager", () => {
            const kps = releaseNamed(regional, "kube-prometheus-stack");
            expect(kps.inputs.namespace).to.equal("monitoring");
            const v = kps.inputs.values as any;
            expect(v.fullnameOverride).to.equal("kube-prometheus-stack");
            // RegionalCluster's prometheus-adapter reads requests_per_second from this address.
            expect(PROMETHEUS_URL).to.equal(`https://${v.fullnameOverride}-prometheus.${kps.inputs.namespace}.svc:9090`);
            expect(PROMETHEUS_URL).to.equal("https://kube-prometheus-stack-prometheus.monitoring.svc:9090");
            expect(v.prometheus.prometheusSpec.retention).to.equal("15d");
            expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).to.equal("gp3-encrypted");
            expect(v.grafana.admin, "no admin Secret referenced").to.equal(undefined);
            const sc = oneOfType(regional, "kubernetes:storage.k8s.io/v1:StorageClass");
            expect(sc.inputs.parameters).to.deep.include({ encrypted: "true", kmsKeyId: KEYS.eks });
            expect(sc.inputs.provisioner).to.equal("ebs.csi.aws.com");
            const csi = oneOfType(regional, "aws:eks/addon:Addon");
            expect(csi.inputs).to.include({ addonName: "aws-ebs-csi-driver", clusterName: "bb-euw1-eks" });
            const secret = ofType(regional, "aws:secretsmanager/secret:Secret").find((s) => String(s.inputs.name).endsWith("grafana-admin"))!;
            expect(secret.inputs).to.include({ name: "/global/observability/eu-west-1/grafana-admin", kmsKeyId: KEYS.secrets });
            const version = ofType(regional, "aws:secretsmanager/secretVersion:SecretVersion")[0];
            expect(version.inputs.secretString).to.equal("[secret]");
            const spc = ofType(regional, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").find(
                (x) => (x.inputs.metadata as any).name === "grafana-admin",
            )!;
            expect((spc.inputs.metadata as any).namespace).to.equal("monitoring");
            expect((spc.inputs.spec as any).parameters.objects).to.contain(`objectName: "${secret.identity!.arn}"`);
            const names = ofType(regional, "aws:secretsmanager/secret:Secret").map((s) => s.inputs.name);
            expect(names).to.include.members(["/global/apis/newrelic/license-key", "/global/apis/sentry/dsn"]);
        });

        it("routes Alertmanager on the severity label to the class topics", () => {
            const cfg = (releaseNamed(regional, "kube-prometheus-stack").inputs.values as any).alertmanager.config;
            for (const cls of ALERT_CLASSES) {
                const route = cfg.route.routes.find((r: any) => r.receiver === cls && r.matchers[0] === `severity="${cls}"`);
                expect(route, cls).to.not.equal(undefined);
                const receiver = cfg.receivers.find((r: any) => r.name === cls);
                expect(receiver.sns_configs[0].topic_arn).to.equal(`arn:aws:sns:${REGION}:123456789012:bookedbarber-alerts-${cls.toLowerCase()}`);
            }
        });

        it("ships dashboards as ConfigMaps the Grafana sidecar loads, including bookings/min and active franchises", () => {
            const maps = ofType(regional, "kubernetes:core/v1:ConfigMap").filter((m) => (m.inputs.metadata as any).labels?.grafana_dashboard === "1");
            expect(maps).to.have.length(4);
            const dashboards = maps.map((m) => JSON.parse(Object.values(m.inputs.data as Record<string, string>)[0]));
            const exprs = dashboards.flatMap((d) => d.panels.map((p: any) => p.targets[0].expr)).join("\n");
            expect(exprs).to.contain("bookedbarber_bookings_created_total").and.to.contain("bookedbarber_franchises_active");
            const slo = dashboards.find((d) => d.uid === "bb-api-slo");
            const p95 = slo.panels.find((p: any) => p.title === "p95 latency");
            expect(p95.fieldConfig.defaults.thresholds.steps[1].value).to.equal(200);
        });

        it("ships logs with Fluent Bit (DaemonSet, Pod Identity) and keeps them 30 days through an ISM policy Job", () => {
            const fb = releaseNamed(regional, "fluent-bit");
            const v = fb.inputs.values as any;
            expect(v.kind).to.equal("DaemonSet");
            expect(v.config.outputs)
                .to.contain("AWS_Auth           On")
                .and.to.match(/Host\s+vpc-bb-euw1-obs-logs-/);
            const assoc = ofType(regional, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
            expect(assoc.map((a) => a.inputs.serviceAccount)).to.include.members([
                "fluent-bit",
                "jaeger",
                "alertmanager",
                "grafana",
                "opensearch-bootstrap",
                "ebs-csi-controller-sa",
            ]);
            const cm = ofType(regional, "kubernetes:core/v1:ConfigMap").find((m) => (m.inputs.metadata as any).name === "opensearch-bootstrap")!;
            const cfg = JSON.parse((cm.inputs.data as any)["bootstrap.json"]);
            const states = cfg.ismPolicy.policy.states as {
                name: string;
                actions: object[];
                transitions: { state_name: string; conditions: { min_index_age: string } }[];
            }[];
            expect(states.map((st) => st.name)).to.deep.equal(["hot", "warm", "delete"]);
            expect(states[0].transitions[0]).to.deep.equal({ state_name: "warm", conditions: { min_index_age: "7d" } });
            expect(states[1].actions).to.deep.equal([{ warm_migration: {} }]);
            expect(states[1].transitions[0]).to.deep.equal({ state_name: "delete", conditions: { min_index_age: "30d" } });
            expect(cfg.roleMappings.log_writer[0]).to.match(/^arn:aws:iam::123456789012:role\//);
            // The other Jobs in monitoring issue Prometheus's, Alertmanager's (web and gossip) and the exporters' certificates (self-signed-certificate.spec.ts).
            const job = ofType(regional, "kubernetes:batch/v1:Job").filter((j) => (j.inputs.metadata as any).namespace === "monitoring");
            expect(job.map((j) => (j.inputs.spec as any).template.spec.serviceAccountName).sort()).to.deep.equal([
                "alertmanager-cluster-tls-issuer",
                "alertmanager-web-tls-issuer",
                "kube-state-metrics-tls-issuer",
                "node-exporter-tls-issuer",
                "opensearch-bootstrap",
                "prometheus-web-tls-issuer",
            ]);
        });

        it("runs the OpenTelemetry Collector with the sampling rate and Jaeger v2 storing to OpenSearch", () => {
            const otel = releaseNamed(regional, "otel-collector").inputs.values as any;
            expect(otel.config.processors.probabilistic_sampler.sampling_percentage).to.equal(10);
            const jaeger = releaseNamed(regional, "jaeger").inputs.values as any;
            const backend = jaeger.userconfig.extensions.jaeger_storage.backends.opensearch.opensearch;
            expect(backend.server_urls[0]).to.match(/^https:\/\/vpc-bb-euw1-obs-logs-.*\.es\.amazonaws\.com$/);
            expect(backend.auth.authenticator).to.equal("sigv4auth");
            expect(ofType(bare, "kubernetes:helm.sh/v3:Release"), "no cluster, no releases").to.have.length(0);
        });
    });

    describe("global mode", () => {
        it("has a multi-region trail with log validation and KMS, delivered to CloudWatch Logs", () => {
            const trail = oneOfType(global, "aws:cloudtrail/trail:Trail");
            expect(trail.inputs).to.include({ isMultiRegionTrail: true, enableLogFileValidation: true, includeGlobalServiceEvents: true });
            expect(String(trail.inputs.kmsKeyId)).to.match(/^arn:aws:kms:us-east-1:/);
            expect(String(trail.inputs.cloudWatchLogsGroupArn)).to.match(
                /^arn:aws:logs:us-east-1:123456789012:log-group:\/bookedbarber\/cloudtrail\/audit:\*$/,
            );
            expect(String(trail.inputs.cloudWatchLogsRoleArn)).to.match(/^arn:aws:iam::/);
            const bucket = oneOfType(global, "aws:s3/bucket:Bucket");
            expect(bucket.options.protect).to.equal(true);
            expect(oneOfType(global, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
            expect(oneOfType(global, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            const sse = (oneOfType(global, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as any)[0];
            expect(sse.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
            const policy = JSON.parse(String(oneOfType(global, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
            expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).to.include.members(["CloudTrailAclCheck", "CloudTrailWrite", "DenyInsecureTransport"]);
            expect(ofType(global, "aws:opensearch/domain:Domain")).to.have.length(0);
        });
    });

    describe("bad args", () => {
        async function failure(args: ObservabilityStackArgs): Promise<Error> {
            const run = await runStack({
                stack: REGION,
                program: async () => {
                    new ObservabilityStack("obs", args);
                    return {};
                },
            });
            expect(
                run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                "nothing may be registered",
            ).to.deep.equal([]);
            expect(run.error).to.be.instanceOf(ArgsError);
            return run.error!;
        }

        it("refuses retention 0, an unknown alert class and a threshold outside 0-100%, naming each", async () => {
            const err = await failure(
                regionalArgs({
                    logRetentionDays: 0,
                    alertOverrides: { "api-5xx-rate-high": { class: "P7" }, "cache-memory": { threshold: 180 }, "no-such-alert": { threshold: 1 } },
                }),
            );
            expect(err.message).to.contain("logRetentionDays = 0: must be an integer from 1 to 3650");
            expect(err.message).to.contain('alertOverrides.api-5xx-rate-high.class = "P7": must be one of P0, P1, P2, P3');
            expect(err.message).to.contain("alertOverrides.cache-memory.threshold = 180: is a percentage, must be from 0 to 100");
            expect(err.message).to.contain("alertOverrides.no-such-alert");
        });

        it("refuses an undersized or unbalanced OpenSearch domain and a sampling rate above 100%", async () => {
            const err = await failure(
                regionalArgs({ openSearch: { dataInstanceCount: 4, volumeSizeGib: 1000 }, traceSamplingPercent: 150, excludeAlerts: ["cache-memroy"] }),
            );
            expect(err.message).to.contain('excludeAlerts = "cache-memroy": is not a known alert id');
            expect(err.message).to.contain("openSearch.dataInstanceCount = 4: must be a multiple of 3");
            expect(err.message).to.contain(`must hold ${hotStorageGib(OPENSEARCH_DEFAULTS.retainedTb, 1, OPENSEARCH_DEFAULTS.hotDays / 30)} GiB`);
            const warm = await failure(regionalArgs({ openSearch: { warmInstanceCount: 2 } }));
            expect(warm.message).to.contain(
                `openSearch.warmInstanceCount = 2: x 1536 GiB (ultrawarm1.medium.search) must hold ${warmStorageGib(OPENSEARCH_DEFAULTS.retainedTb, OPENSEARCH_DEFAULTS.hotDays / 30)} GiB`,
            );
            expect((await failure(regionalArgs({ openSearch: { warmInstanceCount: 1 } }))).message).to.contain(
                "openSearch.warmInstanceCount = 1: must be 0 (no warm tier) or from 2 to 150",
            );
            expect((await failure(regionalArgs({ logRetentionDays: 7 }))).message).to.contain(
                "openSearch.hotDays = 7: must be below logRetentionDays (7) when the domain has UltraWarm nodes",
            );
            // Without a warm tier the data nodes must hold all 30 days again.
            expect((await failure(regionalArgs({ openSearch: { warmInstanceCount: 0 } }))).message).to.contain(
                `must hold ${hotStorageGib(OPENSEARCH_DEFAULTS.retainedTb, 1, 1)} GiB`,
            );
            expect(err.message).to.contain("traceSamplingPercent = 150");
        });

        it("refuses the same mistakes in stack config before anything is registered, naming the keys", async () => {
            const run = await runStack({
                stack: "us-east-1",
                configOverrides: {
                    "bookedbarber:logRetentionDays": "0",
                    "bookedbarber:traceSamplingPercent": "101",
                    "bookedbarber:alertOverrides": JSON.stringify({ "api-5xx-rate-high": { class: "P5" }, "node-cpu": { threshold: 120 } }),
                },
            });
            expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
            const msg = run.error!.message;
            expect(msg).to.contain("bookedbarber:logRetentionDays = 0: must be an integer from 1 to 3650");
            expect(msg).to.contain("bookedbarber:traceSamplingPercent = 101");
            expect(msg).to.contain("bookedbarber:alertOverrides.api-5xx-rate-high.class must be one of P0, P1, P2, P3");
            expect(msg).to.contain("bookedbarber:alertOverrides.node-cpu.threshold is a percentage, must be from 0 to 100");
        });

        it("refuses regional mode without network or keys, and an unknown mode", async () => {
            const err = await failure({ mode: "regional", region: REGION, accountId: pulumi.output("1") });
            expect(err.message).to.contain("network").and.to.contain("keys");
            const err2 = await failure({ mode: "local" as never, region: REGION, accountId: "1" });
            expect(err2.message).to.contain('mode = "local": must be one of regional, global');
        });
    });

    describe("in the stacks", () => {
        for (const stack of REGIONAL_STACKS) {
            it(`${stack}: has the four releases, the log domain, four encrypted topics, GuardDuty, and exports the contract's observability`, async () => {
                const run = (await allStacks())[stack];
                const releases = ofType(run, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name);
                expect(releases).to.include.members(["kube-prometheus-stack", "fluent-bit", "otel-collector", "jaeger"]);
                const cluster = oneOfType(run, "eks:index:Cluster");
                const k8sProvider = oneOfType(run, "pulumi:providers:kubernetes");
                for (const r of ofType(run, "kubernetes:helm.sh/v3:Release")) expect(r.provider, r.name).to.equal(k8sProvider.urn);
                expect(cluster).to.not.equal(undefined);
                const domain = oneOfType(run, "aws:opensearch/domain:Domain");
                expect(domain.inputs.encryptAtRest).to.deep.equal({ enabled: true, kmsKeyId: (run.outputs.kmsKeys as Record<string, string>).logs });
                expect((domain.inputs.vpcOptions as { subnetIds: string[] }).subnetIds).to.deep.equal(run.outputs.dataSubnetIds);
                const topics = ofType(run, "aws:sns/topic:Topic");
                expect(topics).to.have.length(4);
                for (const t of topics) expect(String(t.inputs.kmsMasterKeyId)).to.match(new RegExp(`^arn:aws:kms:${stack}:`));
                oneOfType(run, "aws:guardduty/detector:Detector");
                const obs = run.outputs.observability as { dashboardUrl: string; openSearchEndpoint: string; alertTopicArns: Record<string, string> };
                expect(Object.keys(obs.alertTopicArns)).to.deep.equal(["P0", "P1", "P2", "P3"]);
                expect(obs.openSearchEndpoint).to.match(new RegExp(`\\.${stack}\\.es\\.amazonaws\\.com$`));
                expect(obs.dashboardUrl).to.equal("http://kube-prometheus-stack-grafana.monitoring.svc");
                // Watched: the ingress NLB (healthy hosts) and the cache (CPU, hit rate, 90% memory); RedisGlobal's per-shard
                // 80% memory alarms are routed to P2.
                const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
                const ours = alarms.filter((a) => /^P[0-3]-bookedbarber-/.test(String(a.inputs.name)));
                const prefix = `bookedbarber-${stack}-`;
                // ... and every Aurora shard: CPU (70% and 90%); in-region replica lag on the primaries' writers; global replication
                // and RPO lag where AWS publishes them, on the secondaries.
                const standby = STANDBY_STACKS.includes(stack);
                const perShard = (n: number) => [
                    `aurora-cpu-exhausted-shard-${n}`,
                    `aurora-cpu-shard-${n}`,
                    ...(standby ? [`aurora-global-replication-lag-shard-${n}`, `aurora-rpo-lag-shard-${n}`] : [`aurora-replica-lag-shard-${n}`]),
                ];
                const hitRates = ["0001", "0002", "0003"].map((s) => `cache-hit-rate-shard-${s}`);
                expect(ours.map((a) => String(a.inputs.name).slice(3).replace(prefix, "")).sort()).to.deep.equal(
                    [
                        "cache-cpu",
                        ...hitRates,
                        "cache-memory-exhausted",
                        "healthy-hosts-zero-tg0",
                        "job-queue-backlog",
                        ...[0, 1, 2, 3].flatMap(perShard),
                    ].sort(),
                );
                const hosts = ours.find((a) => String(a.inputs.name).endsWith("healthy-hosts-zero-tg0"))!;
                const tg = oneOfType(run, "aws:lb/targetGroup:TargetGroup");
                expect(hosts.inputs).to.deep.include({ namespace: "AWS/NetworkELB", metricName: "HealthyHostCount", threshold: 1 });
                expect((hosts.inputs.dimensions as Record<string, string>).TargetGroup).to.match(new RegExp(`^targetgroup/${tg.name}-`));
                expect((hosts.inputs.dimensions as Record<string, string>).LoadBalancer).to.match(/^net\//);
                for (const a of ours) expect(a.inputs.alarmActions).to.deep.equal([obs.alertTopicArns[String(a.inputs.name).slice(0, 2)]]);
                const redisMemory = alarms.filter((a) => String(a.inputs.name).includes("-memory-above-"));
                expect(redisMemory).to.have.length(3);
                for (const a of redisMemory) expect(a.inputs.alarmActions).to.deep.equal([obs.alertTopicArns.P2]);
                const osSg = ofType(run, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-opensearch-sg"))!;
                const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.parent === osSg.urn);
                expect(ingress).to.have.length(1);
                expect(ingress[0].inputs).to.include({ fromPort: 443, toPort: 443, ipProtocol: "tcp" });
                // The mocked eks.Cluster's nodeSecurityGroupId ends in "n": the nodes, nothing else, are admitted.
                expect(String(ingress[0].inputs.referencedSecurityGroupId)).to.match(/^sg-[0-9a-f]+n$/);
            });
        }

        it("global: has the multi-region trail with log validation and KMS", async () => {
            const run = (await allStacks()).global;
            const trail = oneOfType(run, "aws:cloudtrail/trail:Trail");
            expect(trail.inputs).to.include({ isMultiRegionTrail: true, enableLogFileValidation: true });
            expect(String(trail.inputs.kmsKeyId)).to.match(/^arn:aws:kms:/);
            expect(run.outputs.auditTrailArn).to.equal(`arn:aws:cloudtrail:${run.config["aws:region"]}:123456789012:trail/bookedbarber-audit`);
        });
    });
});
