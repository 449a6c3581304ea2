import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const PG = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
const INSTANCE_PG = "aws:rds/parameterGroup:ParameterGroup";

/** The parameter that forces TLS, by engine family. */
function forcing(family: string): { name: string; values: string[] } | undefined {
    if (/postgres/.test(family)) return { name: "rds.force_ssl", values: ["1"] };
    if (/mysql|mariadb/.test(family)) return { name: "require_secure_transport", values: ["1", "ON", "on"] };
    return undefined;
}

export const rdsForceSsl = resourceRule({
    name: "rds-force-ssl",
    description: "Database parameter groups must force TLS, and Aurora clusters must use such a parameter group rather than the engine default.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "database"],
    resourceTypes: [PG, INSTANCE_PG, "aws:rds/cluster:Cluster"],
    remediation:
        "add the parameter rds.force_ssl = 1 (PostgreSQL) or require_secure_transport = 1 (MySQL) to the cluster parameter group, and set the cluster's dbClusterParameterGroupName to it.",
    check: ({ type, props }, report) => {
        if (type === "aws:rds/cluster:Cluster") {
            if (!props.dbClusterParameterGroupName) report("The cluster uses the engine's default parameter group, which we cannot make force TLS.");
            return;
        }
        const want = forcing(String(props.family ?? ""));
        if (!want) return;
        const param = asArray<any>(props.parameters).find((p) => p?.name === want.name);
        if (!param || !want.values.includes(String(param.value)))
            report(`${want.name} is ${param ? JSON.stringify(param.value) : "not set"}; clients could connect without TLS.`);
    },
});
