import { expect } from "chai";
import { ALERT_DEFINITIONS, alertProblems, promExpr } from "../../../components/observability/alerts";
import { prometheusRuleManifest } from "../../../components/observability/prometheus-rules";
import { NAMESPACE } from "../../../stacks/config";
import { AlarmInputs, alarmProblems, evaluateExpression, loadCatalog, MetricCatalog, Role } from "../../../tools/offline/alarm-check";
import { PlanFile } from "../../../tools/offline/plan-file";
import { alarmReadiness, METRIC_ALARM } from "../../../tools/offline/readiness/alarms";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../../support/fixtures";

const roleOf = (run: RunResult) => run.config[`${NAMESPACE}:role`] as Role;
const alarms = (run: RunResult) => ofType(run, METRIC_ALARM).map((r) => r.inputs as AlarmInputs);
const alarmNamed = (run: RunResult, pattern: RegExp): AlarmInputs => {
    const found = alarms(run).filter((a) => pattern.test(a.name ?? ""));
    expect(found.length, `alarms matching ${pattern} in ${run.stack}`).to.be.greaterThan(0);
    return JSON.parse(JSON.stringify(found[0])) as AlarmInputs;
};
const asPlan = (run: RunResult, resources = run.resources): PlanFile => ({
    project: NAMESPACE,
    stack: run.stack,
    evaluation: "",
    config: { ...run.config },
    resources,
    outputs: run.outputs,
    policies: { violations: [] } as never,
});

describe("alarms against normal operation (test/upstream/aws-metrics)", () => {
    let runs: Record<string, RunResult>;
    let catalog: MetricCatalog;
    before(async () => {
        runs = await allStacks();
        catalog = loadCatalog();
    });

    describe("the sourced metric facts", () => {
        it("are dated, and every metric names a source with its URL and says what its facts rest on", () => {
            expect(catalog.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
            for (const m of catalog.metrics) {
                expect(catalog.sources[m.source], `${m.metricName} source`)
                    .to.have.property("url")
                    .that.matches(/^https:\/\//);
                expect(m.basis, m.metricName).to.be.a("string").and.not.equal("");
                expect(m.dimensionSets.length, m.metricName).to.be.greaterThan(0);
                for (const role of m.publishedIn) expect(m.normal, `${m.metricName} normal.${role}`).to.have.property(role);
            }
        });

        it("record the Aurora global lag metrics as milliseconds, published only by the secondary, with the SourceRegion dimension", () => {
            for (const name of ["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"]) {
                const m = catalog.metrics.find((x) => x.namespace === "AWS/RDS" && x.metricName === name)!;
                expect(m.unit).to.equal("Milliseconds");
                expect(m.publishedIn).to.deep.equal(["standby"]);
                expect(m.dimensionSets).to.deep.include(["DBClusterIdentifier", "SourceRegion"]);
            }
        });
    });

    describe("every alarm of every regional plan", () => {
        for (const stack of REGIONAL_STACKS) {
            it(`${stack}: stays out of ALARM on a healthy system in its role and fires on the failure it names`, () => {
                const run = runs[stack];
                const list = alarms(run);
                expect(list.length).to.be.greaterThan(10);
                const bad = list.map((a) => ({ name: a.name, problems: alarmProblems(a, roleOf(run), catalog) })).filter((x) => x.problems.length);
                expect(bad).to.deep.equal([]);
            });
        }

        it("global: any alarm the global stack deploys passes the same check", () => {
            const bad = alarms(runs.global)
                .map((a) => ({ name: a.name, problems: alarmProblems(a, "global", catalog) }))
                .filter((x) => x.problems.length);
            expect(bad).to.deep.equal([]);
        });

        it("and the plan's readiness section says so, with one item per alarm", () => {
            for (const stack of REGIONAL_STACKS) {
                const section = alarmReadiness(asPlan(runs[stack]), new Map());
                expect(section.items).to.have.length(alarms(runs[stack]).length);
                expect(section.items.filter((i) => i.problem)).to.deep.equal([]);
            }
        });
    });

    describe("catches each defect it names (mutation tests)", () => {
        it("a flipped comparison operator: CPU alarm as LessThan sits in ALARM on a healthy primary", () => {
            const a = alarmNamed(runs["us-east-1"], /aurora-cpu-shard-0$/);
            expect(alarmProblems(a, "primary", catalog)).to.deep.equal([]);
            a.comparisonOperator = "LessThanThreshold";
            expect(alarmProblems(a, "primary", catalog).join()).to.match(/in ALARM on a healthy primary/);
        });

        it("a wrong unit: the RPO alarm at 30 (seconds) on a metric in milliseconds sits in ALARM on a healthy standby", () => {
            const a = alarmNamed(runs["us-west-2"], /aurora-rpo-lag-shard-0$/);
            expect(alarmProblems(a, "standby", catalog)).to.deep.equal([]);
            a.threshold = 30;
            expect(alarmProblems(a, "standby", catalog).join()).to.match(/in ALARM on a healthy standby/);
        });

        it("a wrong unit the other way: ALB latency at 2000 (ms) on a metric in seconds never fires", () => {
            const a: AlarmInputs = {
                name: "latency",
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                dimensions: { LoadBalancer: "app/x/1" },
                extendedStatistic: "p95",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 2,
                treatMissingData: "notBreaching",
            };
            expect(alarmProblems(a, "primary", catalog)).to.deep.equal([]);
            expect(alarmProblems({ ...a, threshold: 2000 }, "primary", catalog).join()).to.match(/does not fire on the failure/);
        });

        it("breaching on idle: a standby's request-driven alarm with treatMissingData breaching sits in ALARM", () => {
            const a: AlarmInputs = {
                name: "latency",
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                dimensions: { LoadBalancer: "app/x/1" },
                extendedStatistic: "p95",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 2,
                treatMissingData: "notBreaching",
            };
            expect(alarmProblems(a, "standby", catalog)).to.deep.equal([]);
            expect(alarmProblems({ ...a, treatMissingData: "breaching" }, "standby", catalog).join()).to.match(
                /in ALARM on a healthy standby \(TargetResponseTime=no data/,
            );
        });

        it("the old global replication lag alarm (100 ms on the per-minute maximum) sits in ALARM on a healthy standby", () => {
            const a = alarmNamed(runs["us-west-2"], /aurora-global-replication-lag-shard-0$/);
            expect(alarmProblems({ ...a, threshold: 100, statistic: "Maximum" }, "standby", catalog).join()).to.match(/in ALARM on a healthy standby/);
        });

        it("a dimension the metric is not published with (SourceRegion dropped) means no datapoint ever", () => {
            const a = alarmNamed(runs["us-west-2"], /aurora-rpo-lag-shard-0$/);
            delete a.dimensions!.SourceRegion;
            expect(alarmProblems(a, "standby", catalog).join()).to.match(/not \{DBClusterIdentifier\}: the alarm would never see a datapoint/);
        });

        it("a metric only the other role publishes: the RPO alarm in a primary, the replica-lag alarm in a standby", () => {
            expect(alarmProblems(alarmNamed(runs["us-west-2"], /aurora-rpo-lag-shard-0$/), "primary", catalog).join()).to.match(/never published by a primary/);
            expect(alarmProblems(alarmNamed(runs["us-east-1"], /aurora-replica-lag-shard-0$/), "standby", catalog).join()).to.match(
                /never published by a standby/,
            );
        });

        it("a wrong namespace is named as such", () => {
            const a = alarmNamed(runs["us-east-1"], /aurora-cpu-shard-0$/);
            a.namespace = "AWS/Aurora";
            expect(alarmProblems(a, "primary", catalog).join()).to.match(/AWS\/Aurora CPUUtilization is not a metric/);
        });

        it("the old cache hit-rate alarm (CacheHitRate averaged over nodes) sits in ALARM: idle replicas and a standby report 0", () => {
            const a = alarmNamed(runs["us-east-1"], /cache-cpu$/);
            const old: AlarmInputs = {
                ...a,
                comparisonOperator: "LessThanThreshold",
                threshold: 95,
                metricQueries: a.metricQueries!.map((q) =>
                    q.metric ? { ...q, metric: { ...q.metric, metricName: "CacheHitRate" } } : { ...q, expression: "AVG(METRICS())" },
                ),
            };
            expect(alarmProblems(old, "primary", catalog).join()).to.match(/in ALARM on a healthy primary/);
            expect(alarmProblems(old, "standby", catalog).join()).to.match(/in ALARM on a healthy standby/);
        });

        it("a standby allowed to run no nodes (standbyNodeGroupMinSize 0) has no ingress target: its P0 healthy-hosts alarm would sit in ALARM", () => {
            const run = runs["us-west-2"];
            const atZero = { ...asPlan(run), config: { ...run.config, "bookedbarber:standbyNodeGroupMinSize": "0" } };
            const problems = alarmReadiness(atZero, new Map()).items.filter((i) => i.problem);
            expect(problems.map((p) => p.subject)).to.deep.equal(["alarm P0-bookedbarber-us-west-2-healthy-hosts-zero-tg0"]);
            expect(problems[0].problem).to.match(/in ALARM on a healthy standby \(HealthyHostCount=0/);
        });

        it("a plan with such an alarm fails its readiness check", () => {
            const run = runs["us-west-2"];
            const resources = run.resources.map((r) =>
                r.type === METRIC_ALARM && /aurora-rpo-lag-shard-0$/.test(String(r.inputs.name)) ? { ...r, inputs: { ...r.inputs, threshold: 30 } } : r,
            );
            const problems = alarmReadiness(asPlan(run, resources), new Map()).items.filter((i) => i.problem);
            expect(problems.map((p) => p.subject)).to.deep.equal(["alarm P1-bookedbarber-us-west-2-aurora-rpo-lag-shard-0"]);
        });
    });

    describe("PrometheusRule alerts on a quiet or idle system", () => {
        const shares = ALERT_DEFINITIONS.filter(
            (d) => d.prometheus && (/histogram_quantile/.test(d.prometheus) || (d.unit === "percent" && /\/\s*sum/.test(d.prometheus))),
        );

        it("every share or quantile of events fires only above a traffic floor where one bad event stays under the threshold", () => {
            expect(shares.map((d) => d.id).sort()).to.deep.equal([
                "api-5xx-rate-elevated",
                "api-5xx-rate-high",
                "api-latency-p95",
                "api-latency-p95-degraded",
                "api-latency-p99",
                "payment-failure-rate",
                "third-party-error-rate",
            ]);
            expect(alertProblems(ALERT_DEFINITIONS)).to.deep.equal([]);
            const rules = prometheusRuleManifest(ALERT_DEFINITIONS).spec.groups[0].rules;
            for (const d of shares) {
                const g = d.prometheusMinRate!;
                if (!/histogram_quantile/.test(d.prometheus!)) expect((g.perSecond * 60 * g.windowMinutes * d.threshold) / 100, d.id).to.be.at.least(1);
                expect(rules.find((r) => r.labels.alert_id === d.id)!.expr)
                    .to.equal(promExpr(d))
                    .and.to.contain(`and on(${(g.on ?? []).join(", ")}) (${g.expr} >= ${g.perSecond})`);
            }
        });

        it("refuses a share without a floor, a floor too low for its threshold, and an override that makes one error page", () => {
            const d = ALERT_DEFINITIONS.find((x) => x.id === "api-5xx-rate-elevated")!;
            expect(alertProblems([{ ...d, prometheusMinRate: undefined }]).map((p) => p.field)).to.deep.equal([
                "alerts[api-5xx-rate-elevated].prometheusMinRate",
            ]);
            expect(alertProblems([{ ...d, prometheusMinRate: { ...d.prometheusMinRate!, perSecond: 0.1 } }])[0].allowed).to.match(
                /lets one event in 30 \(3\.33%\) pass the 0\.5% threshold/,
            );
            expect(alertProblems(ALERT_DEFINITIONS, { "api-5xx-rate-elevated": { threshold: 0.1 } }).map((p) => p.field)).to.deep.equal([
                "alertOverrides.api-5xx-rate-elevated.prometheusMinRate.perSecond",
            ]);
            const p99 = ALERT_DEFINITIONS.find((x) => x.id === "api-latency-p99")!;
            expect(alertProblems([{ ...p99, prometheusMinRate: { ...p99.prometheusMinRate!, perSecond: 0.5 } }])[0].allowed).to.match(
                /fewer than 3 of 150 events above the 0\.99 quantile/,
            );
        });
    });

    describe("the metric-math evaluator", () => {
        it("follows CloudWatch's functions on present and missing data", () => {
            expect(evaluateExpression("100 * FILL(a, 0) / b", { a: null, b: 200 })).to.equal(0);
            expect(evaluateExpression("100 * FILL(a, 0) / b", { a: 2, b: null })).to.equal(null);
            expect(evaluateExpression("MAX([a, b])", { a: 3, b: null })).to.equal(3);
            expect(evaluateExpression("SUM([a, b]) + SUM([c])", { a: 1, b: 2, c: 3 })).to.equal(6);
            expect(evaluateExpression("AVG(METRICS())", { a: 1, b: 3 })).to.equal(2);
            expect(evaluateExpression("IF(a >= 600, 100 * a / (a + b), 100)", { a: 0, b: 0 })).to.equal(100);
            expect(evaluateExpression("IF(a >= 600, 100 * a / (a + b), 100)", { a: 900, b: 100 })).to.equal(90);
            expect(() => evaluateExpression("RATE(a)", { a: 1 })).to.throw(/RATE is not modelled/);
        });
    });

    describe("where the Aurora lag alarms live", () => {
        it("the RPO and global lag alarms only in standbys (the secondaries publish them), the in-region replica lag only in primaries", () => {
            for (const stack of STANDBY_STACKS) {
                const names = alarms(runs[stack]).map((a) => a.name ?? "");
                expect(names.filter((n) => /aurora-rpo-lag-shard-\d$/.test(n))).to.have.length(4);
                expect(names.filter((n) => /aurora-replica-lag/.test(n))).to.deep.equal([]);
            }
            for (const stack of PRIMARY_STACKS) {
                const names = alarms(runs[stack]).map((a) => a.name ?? "");
                expect(names.filter((n) => /aurora-(rpo|global-replication)-lag/.test(n))).to.deep.equal([]);
                expect(names.filter((n) => /aurora-replica-lag-shard-\d$/.test(n))).to.have.length(4);
            }
            expect(ALERT_DEFINITIONS.find((d) => d.id === "aurora-rpo-lag")!.cloudwatch!.target).to.equal("auroraGlobalCluster");
        });
    });
});
