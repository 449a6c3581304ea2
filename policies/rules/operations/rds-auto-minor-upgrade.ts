import { stackRule } from "../../lib/rule";
import { isFalse, ofType } from "../../lib/props";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

export const rdsAutoMinorUpgrade = stackRule({
    name: "rds-auto-minor-upgrade",
    description:
        "RDS and Aurora instances must take minor-version upgrades automatically, except where AWS does not support it (instances of a global database's clusters).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "change-management"],
    resourceTypes: [RDS_CLUSTER_INSTANCE, RDS_INSTANCE, RDS_CLUSTER],
    peers: { checkov: ["CKV_AWS_226"] },
    remediation: "leave autoMinorVersionUpgrade on.",
    check: (resources, _c, report) => {
        for (const r of ofType(resources, RDS_CLUSTER_INSTANCE, RDS_INSTANCE)) {
            if (!isFalse(r.props.autoMinorVersionUpgrade)) continue;
            // AWS does not apply automatic minor upgrades to clusters in a global database (AWS Config rule
            // rds-automatic-minor-version-upgrade-enabled; Aurora User Guide): the global database is upgraded as a whole.
            const cluster = r.dependencies.find((d) => d.type === RDS_CLUSTER);
            if (cluster?.props.globalClusterIdentifier) continue;
            report("autoMinorVersionUpgrade is false: security patches wait for someone to apply them.", r.urn);
        }
    },
});
