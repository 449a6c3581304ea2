// Stack config keys of ObservabilityStack (issue 8). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.
import { ALERT_DEFINITIONS, alertProblems, AlertOverride } from "../../components/observability/alerts";
import { AlertRoutes, PAGERDUTY_KEY_RE, routeProblems } from "../../components/observability/subscriptions";
import { ALL_ROLES, argsOf, intRange, key, REGIONAL_ROLES } from "./define";
import { OBSERVABILITY_DEFAULTS, OBSERVABILITY_LIMITS } from "../../components/observability-stack";
import { dataInstanceCountProblem, OPENSEARCH_DEFAULTS, OPENSEARCH_LIMITS, warmInstanceCountProblem } from "../../components/observability/opensearch";

const positive = (v: number) => (v > 0 ? [] : ["must be greater than 0"]);

const obsArg = argsOf("ObservabilityStack", OBSERVABILITY_DEFAULTS, OBSERVABILITY_LIMITS);
// OpenSearch sizing: the component's `openSearch` arg; its compound checks (multiples of 3, warm tier) stay here and in the component.
const openSearchArg = argsOf("ObservabilityStack.openSearch", OPENSEARCH_DEFAULTS, OPENSEARCH_LIMITS);

export const OBSERVABILITY_KEYS = {
    logRetentionDays: key<number>({
        type: "integer",
        description: 'Days logs and traces stay in OpenSearch before the ISM policy deletes them (spec: Log Management, "Elasticsearch: 30-day retention").',
        ...obsArg("logRetentionDays"),
        roles: REGIONAL_ROLES,
    }),
    openSearchRetainedTb: key<number>({
        type: "integer",
        description:
            'Retained source logs (TB) the OpenSearch domain is sized for: the hot days\' share x2 (one replica) x1.45 (AWS overheads) on the data nodes, the rest x1.1 on UltraWarm (spec: "Elasticsearch: ... 10TB capacity").',
        ...openSearchArg("retainedTb"),
        roles: REGIONAL_ROLES,
        check: positive,
    }),
    openSearchHotDays: key<number>({
        type: "integer",
        description:
            "Days log and trace indices stay on the hot data nodes before ISM moves them to UltraWarm (cost model: 7 hot + 23 warm costs about a quarter of 30 days hot; docs/cost-model.md). Ignored when openSearchWarmInstanceCount is 0.",
        ...openSearchArg("hotDays"),
        roles: REGIONAL_ROLES,
    }),
    openSearchWarmInstanceCount: key<number>({
        type: "integer",
        description: "UltraWarm nodes of the OpenSearch domain: 0 keeps everything hot, else 2 to 150 (default 6 x 1.5 TiB holds the 23 warm days of 10 TB).",
        ...openSearchArg("warmInstanceCount"),
        roles: REGIONAL_ROLES,
        check: (v) => [warmInstanceCountProblem(v)].filter((p): p is string => p !== undefined),
    }),
    openSearchWarmInstanceType: key<string>({
        type: "string",
        description: "UltraWarm node type (1.5 TiB medium or 20 TiB large of S3-backed storage each).",
        ...openSearchArg("warmInstanceType"),
        roles: REGIONAL_ROLES,
    }),
    openSearchDataInstanceType: key<string>({
        type: "string",
        description: "OpenSearch data node type (sizing arithmetic in components/observability/opensearch.ts).",
        ...openSearchArg("dataInstanceType"),
        roles: REGIONAL_ROLES,
    }),
    openSearchDataInstanceCount: key<number>({
        type: "integer",
        description: "OpenSearch data nodes, a multiple of 3 (zone awareness over 3 AZs); 3 hold the 7 hot days of the spec's 10 TB with one replica.",
        ...openSearchArg("dataInstanceCount"),
        roles: REGIONAL_ROLES,
        check: (v) => [dataInstanceCountProblem(v)].filter((p): p is string => p !== undefined),
    }),
    openSearchVolumeSizeGib: key<number>({
        type: "integer",
        description: "gp3 volume per OpenSearch data node, GiB (default: 3 x 2,200 GiB >= 6,302 GiB needed for 7 hot days of 10 TB).",
        ...openSearchArg("volumeSizeGib"),
        roles: REGIONAL_ROLES,
    }),
    openSearchMasterInstanceType: key<string>({
        type: "string",
        description: "OpenSearch dedicated master type (AWS: m6g.large.search serves up to 10 data nodes).",
        ...openSearchArg("masterInstanceType"),
        roles: REGIONAL_ROLES,
        check: (v) => (/^[a-z0-9]+\.[a-z0-9]+\.search$/.test(v) ? [] : ["must be an OpenSearch instance type such as m6g.large.search"]),
    }),
    openSearchMasterInstanceCount: key<number>({
        type: "integer",
        description: `OpenSearch dedicated masters: ${OPENSEARCH_LIMITS.masterInstanceCount.values.join(" (one per AZ) or ")}.`,
        ...openSearchArg("masterInstanceCount"),
        roles: REGIONAL_ROLES,
    }),
    prometheusRetentionDays: key<number>({
        type: "integer",
        description:
            "Days Prometheus keeps metrics in the cluster. The spec gives none; 15 days covers incident review, trends live in CloudWatch and Grafana.",
        ...obsArg("prometheusRetentionDays"),
        roles: REGIONAL_ROLES,
    }),
    prometheusStorageGib: key<number>({
        type: "integer",
        description: 'Encrypted volume per Prometheus replica, GiB (spec: "Prometheus: High cardinality metrics"; 15 days of a 500-node region).',
        ...obsArg("prometheusStorageGib"),
        roles: REGIONAL_ROLES,
    }),
    traceSamplingPercent: key<number>({
        type: "integer",
        description:
            'Percent of traces the OpenTelemetry Collector keeps before Jaeger stores them (spec: "Jaeger: Distributed tracing"; 10% of 1M users\' traffic keeps OpenSearch inside its 10 TB).',
        ...obsArg("traceSamplingPercent"),
        roles: REGIONAL_ROLES,
        check: intRange(1, 100),
    }),
    alertOverrides: key<Record<string, AlertOverride>>({
        type: "object",
        description: `Per-alert changes to the spec's alert table, by id: { "<id>": { "threshold": n, "class": "P0".."P3" } }. Ids: ${ALERT_DEFINITIONS.map((d) => d.id).join(", ")}.`,
        default: {},
        roles: REGIONAL_ROLES,
        check: (v) =>
            alertProblems(ALERT_DEFINITIONS, v).map((p) => `.${p.field.replace(/^alertOverrides\./, "")}: ${p.allowed} (got ${JSON.stringify(p.value)})`),
    }),
    alertSubscriptions: key<AlertRoutes>({
        type: "object",
        description:
            'Who each alert class reaches (docs/alerting.md): { "P0": [ { "email": "..." } | { "https": "https://..." } | { "pagerDuty": true } | { "slack": { "teamId": "T...", "channelId": "C..." } } ], ... }. Regional stacks subscribe their P0-P3 topics; the global stack its region-down watchers\' P0 topics. P0 and P1 must have a subscriber (deploy readiness, alert routes).',
        default: {},
        roles: ALL_ROLES,
        // The pagerDuty entries' need for the key is a cross-key rule (stacks/config.ts).
        check: (v) => routeProblems(v, true).map((p) => `.${p.field.replace(/^alertSubscriptions\.?/, "")}: ${p.allowed} (got ${JSON.stringify(p.value)})`),
    }),
    pagerDutyIntegrationKey: key<string>({
        type: "string",
        description:
            'Integration key of PagerDuty\'s Amazon CloudWatch integration, used by { "pagerDuty": true } routes. A secret: set it with `pulumi config set --secret bookedbarber:pagerDutyIntegrationKey <key>`. Empty: no PagerDuty route.',
        default: "",
        roles: ALL_ROLES,
        check: (v) => (v === "" || PAGERDUTY_KEY_RE.test(v) ? [] : ["must be a PagerDuty integration key: 32 letters and digits"]),
    }),
} as const;
