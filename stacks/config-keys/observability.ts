// Stack config keys of ObservabilityStack (issue 8). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.
import { ALERT_DEFINITIONS, alertProblems, AlertOverride } from "../../components/observability/alerts";
import { EBS_LIMIT_GIB, OPENSEARCH_DEFAULTS } from "../../components/observability/opensearch";
import { AlertRoutes, PAGERDUTY_KEY_RE, routeProblems } from "../../components/observability/subscriptions";
import { ALL_ROLES, intRange, key, oneOf, REGIONAL_ROLES } from "./define";

const positive = (v: number) => (v > 0 ? [] : ["must be greater than 0"]);

export const OBSERVABILITY_KEYS = {
    logRetentionDays: key<number>({
        type: "integer",
        description: "Days logs and traces stay in OpenSearch before the ISM policy deletes them (spec: Log Management, \"Elasticsearch: 30-day retention\").",
        default: 30,
        roles: REGIONAL_ROLES,
        check: intRange(1, 3650),
    }),
    openSearchRetainedTb: key<number>({
        type: "integer",
        description: "Retained source logs (TB) the OpenSearch domain is sized for; the domain must hold it x2 (one replica) x1.45 (AWS overheads) (spec: \"Elasticsearch: ... 10TB capacity\").",
        default: OPENSEARCH_DEFAULTS.retainedTb,
        roles: REGIONAL_ROLES,
        check: positive,
    }),
    openSearchDataInstanceType: key<string>({
        type: "string",
        description: "OpenSearch data node type (sizing arithmetic in components/observability/opensearch.ts).",
        default: OPENSEARCH_DEFAULTS.dataInstanceType,
        roles: REGIONAL_ROLES,
        check: oneOf(Object.keys(EBS_LIMIT_GIB)),
    }),
    openSearchDataInstanceCount: key<number>({
        type: "integer",
        description: "OpenSearch data nodes, a multiple of 3 (zone awareness over 3 AZs); 6 holds the spec's 10 TB with one replica.",
        default: OPENSEARCH_DEFAULTS.dataInstanceCount,
        roles: REGIONAL_ROLES,
        check: (v) => (v >= 3 && v <= 80 && v % 3 === 0 ? [] : ["must be a multiple of 3 from 3 to 78"]),
    }),
    openSearchVolumeSizeGib: key<number>({
        type: "integer",
        description: "gp3 volume per OpenSearch data node, GiB (default: 6 x 5,000 GiB >= 27,008 GiB needed for 10 TB).",
        default: OPENSEARCH_DEFAULTS.volumeSizeGib,
        roles: REGIONAL_ROLES,
        check: intRange(10, 18432),
    }),
    openSearchMasterInstanceType: key<string>({
        type: "string",
        description: "OpenSearch dedicated master type (AWS: m6g.large.search serves up to 10 data nodes).",
        default: OPENSEARCH_DEFAULTS.masterInstanceType,
        roles: REGIONAL_ROLES,
        check: (v) => (/^[a-z0-9]+\.[a-z0-9]+\.search$/.test(v) ? [] : ["must be an OpenSearch instance type such as m6g.large.search"]),
    }),
    openSearchMasterInstanceCount: key<number>({
        type: "integer",
        description: "OpenSearch dedicated masters: 3 (one per AZ) or 5.",
        default: OPENSEARCH_DEFAULTS.masterInstanceCount,
        roles: REGIONAL_ROLES,
        check: (v) => (v === 3 || v === 5 ? [] : ["must be 3 or 5"]),
    }),
    prometheusRetentionDays: key<number>({
        type: "integer",
        description: "Days Prometheus keeps metrics in the cluster. The spec gives none; 15 days covers incident review, trends live in CloudWatch and Grafana.",
        default: 15,
        roles: REGIONAL_ROLES,
        check: intRange(1, 90),
    }),
    prometheusStorageGib: key<number>({
        type: "integer",
        description: "Encrypted volume per Prometheus replica, GiB (spec: \"Prometheus: High cardinality metrics\"; 15 days of a 500-node region).",
        default: 200,
        roles: REGIONAL_ROLES,
        check: intRange(10, 16384),
    }),
    traceSamplingPercent: key<number>({
        type: "integer",
        description: "Percent of traces the OpenTelemetry Collector keeps before Jaeger stores them (spec: \"Jaeger: Distributed tracing\"; 10% of 1M users' traffic keeps OpenSearch inside its 10 TB).",
        default: 10,
        roles: REGIONAL_ROLES,
        check: intRange(1, 100),
    }),
    alertOverrides: key<Record<string, AlertOverride>>({
        type: "object",
        description: `Per-alert changes to the spec's alert table, by id: { "<id>": { "threshold": n, "class": "P0".."P3" } }. Ids: ${ALERT_DEFINITIONS.map((d) => d.id).join(", ")}.`,
        default: {},
        roles: REGIONAL_ROLES,
        check: (v) => alertProblems(ALERT_DEFINITIONS, v).map((p) => `.${p.field.replace(/^alertOverrides\./, "")}: ${p.allowed} (got ${JSON.stringify(p.value)})`),
    }),
    alertSubscriptions: key<AlertRoutes>({
        type: "object",
        description: "Who each alert class reaches (docs/alerting.md): { \"P0\": [ { \"email\": \"...\" } | { \"https\": \"https://...\" } | { \"pagerDuty\": true } | { \"slack\": { \"teamId\": \"T...\", \"channelId\": \"C...\" } } ], ... }. Regional stacks subscribe their P0-P3 topics; the global stack its region-down watchers' P0 topics. P0 and P1 must have a subscriber (deploy readiness, alert routes).",
        default: {},
        roles: ALL_ROLES,
        // The pagerDuty entries' need for the key is a cross-key rule (stacks/config.ts).
        check: (v) => routeProblems(v, true).map((p) => `.${p.field.replace(/^alertSubscriptions\.?/, "")}: ${p.allowed} (got ${JSON.stringify(p.value)})`),
    }),
    pagerDutyIntegrationKey: key<string>({
        type: "string",
        description: "Integration key of PagerDuty's Amazon CloudWatch integration, used by { \"pagerDuty\": true } routes. A secret: set it with `pulumi config set --secret bookedbarber:pagerDutyIntegrationKey <key>`. Empty: no PagerDuty route.",
        default: "",
        roles: ALL_ROLES,
        check: (v) => (v === "" || PAGERDUTY_KEY_RE.test(v) ? [] : ["must be a PagerDuty integration key: 32 letters and digits"]),
    }),
} as const;
