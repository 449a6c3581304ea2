import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";
import { engineOf, RDS_CLUSTER, RDS_INSTANCE, supportsIamAuth } from "../../lib/rds";

export const rdsIamAuth = resourceRule({
    name: "rds-iam-auth",
    description: "RDS instances and Aurora clusters whose engine supports it must enable IAM database authentication.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["database", "authentication"],
    resourceTypes: [RDS_CLUSTER, RDS_INSTANCE],
    peers: { checkov: ["CKV_AWS_161", "CKV_AWS_162"] },
    remediation: "set iamDatabaseAuthenticationEnabled: true so people and workloads connect with short-lived IAM tokens instead of shared passwords.",
    check: ({ type, props }, report) => {
        const engine = engineOf(props);
        // An instance in a cluster takes IAM auth from the cluster; a replica of another instance from its source.
        if (type === RDS_INSTANCE && props.replicateSourceDb) return;
        if (engine && !supportsIamAuth(engine)) return;
        if (!isTrue(props.iamDatabaseAuthenticationEnabled)) report("iamDatabaseAuthenticationEnabled is not true.");
    },
});
