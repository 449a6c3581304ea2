// Stack config keys of EdgeNetwork and the global stack (issue 7). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.
import { EDGE_DEFAULTS, EDGE_LIMITS } from "../../components/edge-network";
import { ZONE_RECOVERY_DEFAULTS, ZONE_RECOVERY_LIMITS } from "../../components/zone-recovery-plan";
import { argsOf, key, nonEmptyStrings } from "./define";

/** HTTP header names CloudFront may put in a cache key (RFC 7230 token characters). */
function headerNames(v: string[]): string[] {
    const problems = nonEmptyStrings("header names")(v);
    const bad = v.filter((h) => !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h));
    if (bad.length) problems.push(`contains ${bad.map((b) => JSON.stringify(b)).join(", ")}; each entry must be an HTTP header name`);
    if (v.length > 10) problems.push("must list at most 10 headers (CloudFront's cache policy limit)");
    return problems;
}

function pathPatterns(v: string[]): string[] {
    const problems = nonEmptyStrings("path patterns")(v);
    const bad = v.filter((p) => !p.startsWith("/") || p === "/*" || p === "*");
    if (bad.length)
        problems.push(`contains ${bad.map((b) => JSON.stringify(b)).join(", ")}; each entry must start with / and be narrower than the default behaviour`);
    return problems;
}

const edgeArg = argsOf("EdgeNetwork", EDGE_DEFAULTS, EDGE_LIMITS);

/** The production stack checks faster than EdgeNetwork's default (the spec's 30 s). */
const FAST_HEALTH_CHECKS = {
    default: 10,
    why: "detection in 3 x 10 s keeps the modelled RTO within 5 minutes (docs/capacity-and-recovery.md)",
};

const drArg = argsOf("ZoneRecoveryPlan", ZONE_RECOVERY_DEFAULTS, ZONE_RECOVERY_LIMITS);

export const EDGE_KEYS = {
    healthCheckPath: key<string>({
        type: "string",
        description:
            "Path the Route 53 health checks request over HTTPS on each regional API name (spec: Recovery Procedures, `curl -f https://us-east-1.api.bookedbarber.com/health`).",
        // The path the backend's probes use too (APP_HEALTH_PATH): the edge asks the app what the kubelet asks it.
        ...edgeArg("healthCheckPath"),
        roles: ["global"],
        check: (v) => (/^\/[A-Za-z0-9/._~-]*$/.test(v) && v.length <= 255 ? [] : ["must be an absolute URL path such as /health"]),
    }),
    healthCheckIntervalSeconds: key<number>({
        type: "integer",
        description: `Route 53 health check interval in seconds; Route 53 allows ${EDGE_LIMITS.healthCheckIntervalSeconds.values.join(" or ")}. Default ${FAST_HEALTH_CHECKS.default} (spec: ${EDGE_DEFAULTS.healthCheckIntervalSeconds}): ${FAST_HEALTH_CHECKS.why}.`,
        ...edgeArg("healthCheckIntervalSeconds", FAST_HEALTH_CHECKS),
        roles: ["global"],
    }),
    healthCheckFailureThreshold: key<number>({
        type: "integer",
        description: "Consecutive failures before Route 53 marks an endpoint unhealthy (spec: Failure Threshold: 3 consecutive failures).",
        ...edgeArg("healthCheckFailureThreshold"),
        roles: ["global"],
    }),
    apiCacheVaryHeaders: key<string[]>({
        type: "array",
        items: "string",
        description:
            "Headers in the API cache key (spec: API Responses: 5-minute cache, vary by headers). Authorization must stay in: without it one user's cached API response could be served to another.",
        ...edgeArg("apiCacheVaryHeaders"),
        roles: ["global"],
        check: (v) => {
            const problems = headerNames(v);
            if (!v.some((h) => h.toLowerCase() === "authorization"))
                problems.push("must include Authorization, or cached API responses would be shared between users");
            return problems;
        },
    }),
    staticPathPatterns: key<string[]>({
        type: "array",
        items: "string",
        description: "Path patterns of static assets, cached for a year and compressed (spec: Static Assets: 1-year cache, compression enabled).",
        ...edgeArg("staticPathPatterns"),
        roles: ["global"],
        check: pathPatterns,
    }),
    apiPathPatterns: key<string[]>({
        type: "array",
        items: "string",
        description:
            "Path patterns of API responses, cached 5 minutes by the vary headers (spec: API Responses: 5-minute cache). Everything else is user content: not cached (spec: User Content: No cache, direct to origin).",
        ...edgeArg("apiPathPatterns"),
        roles: ["global"],
        check: pathPatterns,
    }),
    wafRateLimit: key<number>({
        type: "integer",
        description:
            "Requests per client IP per 5 minutes before the WAF rate-based rule blocks (spec: WAF rules for DDoS). The spec gives no per-client figure: 2,000 is AWS's suggested start, about 7 req/s sustained per IP.",
        ...edgeArg("wafRateLimit"),
        roles: ["global"],
    }),
    edgeLogRetentionDays: key<number>({
        type: "integer",
        description: "Days the WAF and CloudFront access logs are kept. PCI DSS 10.7 asks for a year.",
        ...edgeArg("logRetentionDays"),
        roles: ["global"],
    }),
    drScaledDeployments: key<string[]>({
        type: "array",
        items: "string",
        description:
            "Backend workloads (namespace/name; Argo Rollouts, the kind the plan scales) the DR plan scales up in the standby (spec: Recovery Procedures, `kubectl scale deployment bookedbarber-backend --context=us-west-2`, now a Rollout); their HPA must be named <name>-hpa.",
        ...drArg("deployments"),
        roles: ["global"],
        check: (v) => {
            const problems = nonEmptyStrings("namespace/name entries")(v);
            const bad = v.filter((s) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s));
            if (bad.length) problems.push(`contains ${bad.map((b) => JSON.stringify(b)).join(", ")}; each entry must be namespace/name`);
            return problems;
        },
    }),
    recoveryTimeObjectiveMinutes: key<number>({
        type: "integer",
        description: "RTO the Region switch plans are held to (spec: RTO Target: 5 minutes).",
        ...drArg("recoveryTimeObjectiveMinutes"),
        roles: ["global"],
    }),
    regionWatchOutsideRegion: key<string>({
        type: "string",
        description:
            "Region that watches us-east-1 from outside (a CloudWatch Synthetics canary on its health URL, with a P0 alarm there). Route 53 publishes health-check metrics in us-east-1 only, so every other region is watched from us-east-1 and us-east-1 itself from here (docs/alerting.md).",
        default: "us-west-2",
        roles: ["global"],
        check: (v) => (v !== "us-east-1" && /^[a-z]{2}(-[a-z]+)+-\d$/.test(v) ? [] : ["must be an AWS region other than us-east-1 (the region it watches)"]),
    }),
} as const;
