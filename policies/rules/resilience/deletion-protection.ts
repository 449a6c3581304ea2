import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

/** Types with an API-level deletion flag, and the flag. */
const FLAG: Record<string, string> = {
    "aws:rds/cluster:Cluster": "deletionProtection",
    "aws:rds/globalCluster:GlobalCluster": "deletionProtection",
    "aws:rds/instance:Instance": "deletionProtection",
};
/** Stateful types with no such flag: Pulumi's `protect` stands in for it. */
const PROTECTED = [
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
    "aws:opensearch/domain:Domain",
    "aws:kms/key:Key",
    "aws:s3/bucket:Bucket",
];

export const deletionProtection = resourceRule({
    name: "deletion-protection",
    description: "Stateful resources (databases, caches, search domains, KMS keys, buckets) must have deletion protection and Pulumi's protect option.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["data-loss", "availability"],
    resourceTypes: [...Object.keys(FLAG), ...PROTECTED],
    peers: { checkov: ["CKV_AWS_139", "CKV_AWS_293"] },
    remediation: "set deletionProtection: true where the API has it and pass { protect: args.protect ?? true } (stack config protect, default true).",
    check: ({ type, props, args }, report) => {
        const flag = FLAG[type];
        if (flag && !isTrue(props[flag])) report(`${flag} is not true.`);
        if (!args.opts?.protect) report("The resource is not protected (Pulumi protect option), so `pulumi destroy` or a replacement could delete it.");
    },
});
