import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";
import { RDS_CLUSTER, RDS_INSTANCE } from "../../lib/rds";

export const rdsCopyTagsToSnapshot = resourceRule({
    name: "rds-copy-tags-to-snapshot",
    description: "RDS instances and Aurora clusters must copy their tags to snapshots.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "backup", "data-classification"],
    resourceTypes: [RDS_CLUSTER, RDS_INSTANCE],
    peers: { checkov: ["CKV_AWS_313", "CKV2_AWS_60"] },
    remediation: "set copyTagsToSnapshot: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.copyTagsToSnapshot)) report("copyTagsToSnapshot is not true: snapshots lose the data-classification and owner tags.");
    },
});
