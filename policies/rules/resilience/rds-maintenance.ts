import { stackRule } from "../../lib/rule";
import { isFalse, isTrue, ofType } from "../../lib/props";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

/** RDS certificate authorities with a validity into the 2040s+ (rds-ca-2019 expired in August 2024). */
export const CURRENT_RDS_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

export const rdsMaintenance = stackRule({
    name: "rds-maintenance",
    description: "RDS and Aurora must copy tags to snapshots, take minor-version upgrades automatically (unless AWS does not support it: instances of a global database's clusters) and use a current certificate authority.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "change-management", "backup"],
    resourceTypes: [RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE],
    peers: { checkov: ["CKV_AWS_313", "CKV_AWS_226", "CKV_AWS_211", "CKV2_AWS_60"] },
    remediation: "set copyTagsToSnapshot: true, leave autoMinorVersionUpgrade on, and set caCertIdentifier to rds-ca-rsa2048-g1 (or rsa4096/ecc384).",
    check: (resources, _c, report) => {
        for (const r of ofType(resources, RDS_CLUSTER, RDS_INSTANCE)) {
            if (!isTrue(r.props.copyTagsToSnapshot)) report("copyTagsToSnapshot is not true: snapshots lose the data-classification and owner tags.", r.urn);
        }
        for (const r of ofType(resources, RDS_CLUSTER_INSTANCE, RDS_INSTANCE)) {
            const ca = r.props.caCertIdentifier;
            if (typeof ca === "string" && ca && !CURRENT_RDS_CAS.includes(ca)) report(`caCertIdentifier ${ca} is not a current RDS CA (${CURRENT_RDS_CAS.join(", ")}).`, r.urn);
            if (!isFalse(r.props.autoMinorVersionUpgrade)) continue;
            // AWS does not apply automatic minor upgrades to clusters in a global database
            // (AWS Config rule rds-automatic-minor-version-upgrade-enabled, Aurora User Guide):
            // the global database is upgraded as a whole, secondaries first.
            const cluster = r.dependencies.find((d) => d.type === RDS_CLUSTER);
            if (cluster?.props.globalClusterIdentifier) continue;
            report("autoMinorVersionUpgrade is false: security patches wait for someone to apply them.", r.urn);
        }
    },
});
