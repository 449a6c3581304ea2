import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const rdsStorageEncrypted = resourceRule({
    name: "rds-storage-encrypted",
    description: "Aurora clusters, RDS instances and global clusters must encrypt their storage.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "database"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster", "aws:rds/instance:Instance"],
    peers: {
        checkov: ["CKV_AWS_96", "CKV_AWS_16"],
        compliancePolicies: ["aws-rds-cluster-disallow-unencrypted-storage", "aws-rds-instance-disallow-unencrypted-storage"],
    },
    remediation: "set storageEncrypted: true (a global cluster: storageEncrypted or a sourceDbClusterIdentifier).",
    check: ({ type, props }, report) => {
        if (type === "aws:rds/globalCluster:GlobalCluster") {
            // A global cluster built from an existing cluster inherits that cluster's encryption.
            if (!isTrue(props.storageEncrypted) && !props.sourceDbClusterIdentifier)
                report("The global cluster does not set storageEncrypted, so its members could be unencrypted.");
            return;
        }
        if (!isTrue(props.storageEncrypted)) report(`storageEncrypted is ${JSON.stringify(props.storageEncrypted)}; storage would be unencrypted.`);
    },
});
