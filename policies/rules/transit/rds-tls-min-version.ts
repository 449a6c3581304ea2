import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const PG = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
const INSTANCE_PG = "aws:rds/parameterGroup:ParameterGroup";

/** The TLS floor PostgreSQL parameter groups must set: RDS and Aurora PostgreSQL offer TLSv1.3 (test/upstream/tls/aws-tls-offers.json). */
export const POSTGRES_MIN_TLS = "TLSv1.3";

export const rdsTlsMinVersion = resourceRule({
    name: "rds-tls-min-version",
    description: `PostgreSQL parameter groups must accept nothing older than ${POSTGRES_MIN_TLS} (ssl_min_protocol_version); the engine's default floor is TLSv1.2.`,
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr"],
    topics: ["encryption-in-transit", "tls", "database"],
    resourceTypes: [PG, INSTANCE_PG],
    remediation: `add the parameter ssl_min_protocol_version = ${POSTGRES_MIN_TLS} to the PostgreSQL parameter group (spec: "TLS 1.3 for all communications").`,
    check: ({ props }, report) => {
        if (!/postgres/.test(String(props.family ?? ""))) return;
        const param = asArray<any>(props.parameters).find((p) => p?.name === "ssl_min_protocol_version");
        if (String(param?.value) !== POSTGRES_MIN_TLS)
            report(`ssl_min_protocol_version is ${param ? JSON.stringify(param.value) : "not set (TLSv1.2)"}, not ${POSTGRES_MIN_TLS}.`);
    },
});
