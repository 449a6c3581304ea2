import { resourceRule } from "../../lib/rule";
import { RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

/** RDS certificate authorities valid into the 2040s and beyond (rds-ca-2019 expired in August 2024). */
export const CURRENT_RDS_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

export const rdsCaCurrent = resourceRule({
    name: "rds-ca-current",
    description: "RDS and Aurora instances must use a current certificate authority.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "tls"],
    resourceTypes: [RDS_CLUSTER_INSTANCE, RDS_INSTANCE],
    peers: { checkov: ["CKV_AWS_211"] },
    remediation: "set caCertIdentifier to rds-ca-rsa2048-g1 (or rds-ca-rsa4096-g1, rds-ca-ecc384-g1).",
    check: ({ props }, report) => {
        const ca = props.caCertIdentifier;
        if (typeof ca === "string" && ca && !CURRENT_RDS_CAS.includes(ca))
            report(`caCertIdentifier ${ca} is not a current RDS CA (${CURRENT_RDS_CAS.join(", ")}).`);
    },
});
