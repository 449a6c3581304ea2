import { resourceRule } from "../../lib/rule";
import { engineOf, RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

/**
 * Versions with known vulnerabilities, from AWS security bulletins:
 * - AWS-2022-004 (log_fdw local file read): RDS PostgreSQL before 13.3, 12.7, 11.12, 10.17, 9.6.22
 *   and Aurora PostgreSQL before 12.x, 11.9, 10.14 (https://aws.amazon.com/security/security-bulletins/AWS-2022-004/);
 * - Aurora PostgreSQL 10.11-10.13 and 11.6-11.8 exposed to the same local file read (Checkov CKV_AWS_388).
 */
const AURORA_PG_VULNERABLE = ["10.11", "10.12", "10.13", "11.6", "11.7", "11.8"];

function parts(v: string): number[] {
    return v.split(".").map((x) => Number.parseInt(x, 10));
}

/** Why `engine` at `version` is vulnerable, or undefined. */
export function vulnerability(engine: string, version: string): string | undefined {
    const [major, minor, patch] = parts(version);
    if (Number.isNaN(major) || Number.isNaN(minor)) return undefined;
    if (engine === "postgres") {
        const fixed =
            major >= 14 ||
            (major === 13 && minor > 2) ||
            (major === 12 && minor > 6) ||
            (major === 11 && minor > 11) ||
            (major === 10 && minor > 16) ||
            (major === 9 && minor === 6 && patch > 21);
        return fixed ? undefined : `PostgreSQL ${version} has the log_fdw local file read (AWS-2022-004).`;
    }
    if (engine === "aurora-postgresql") {
        if (AURORA_PG_VULNERABLE.includes(`${major}.${minor}`)) return `Aurora PostgreSQL ${version} has a local file read vulnerability (AWS-2022-004).`;
        const fixed = major >= 12 || (major === 11 && minor > 8) || (major === 10 && minor > 13);
        return fixed ? undefined : `Aurora PostgreSQL ${version} has the log_fdw local file read (AWS-2022-004).`;
    }
    return undefined;
}

export const rdsEnginePatched = resourceRule({
    name: "rds-engine-patched",
    description: "RDS and Aurora PostgreSQL must not run an engine version with a published AWS security bulletin.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["database", "change-management"],
    resourceTypes: [RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE],
    peers: { checkov: ["CKV_AWS_250", "CKV_AWS_388"] },
    remediation:
        "upgrade engineVersion to a patched release (PostgreSQL 13.3+, 12.7+, 11.12+; Aurora PostgreSQL 11.9+, 12+); PCI DSS 6.3.3 installs critical patches within a month.",
    check: ({ props }, report) => {
        const v = props.engineVersion;
        if (typeof v !== "string" || !v) return;
        const why = vulnerability(engineOf(props), v);
        if (why) report(why);
    },
});
