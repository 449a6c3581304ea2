import { resourceRule } from "../../lib/rule";
import { asArray, isTrue } from "../../lib/props";

export const elasticacheAuth = resourceRule({
    name: "elasticache-auth",
    description:
        "ElastiCache must authenticate clients: replication groups use RBAC user groups or an AUTH token, and no user may connect without a password or IAM.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["authentication", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/user:User"],
    peers: { checkov: ["CKV_AWS_31"] },
    remediation: 'attach userGroupIds (users with authenticationMode type "iam" or "password") or an authToken; never noPasswordRequired.',
    check: ({ type, props }, report) => {
        if (type === "aws:elasticache/user:User") {
            if (isTrue(props.noPasswordRequired) || props.authenticationMode?.type === "no-password-required")
                report("The user can connect without a password or IAM.");
            return;
        }
        // A secondary of a Global Datastore takes auth from the primary.
        if (props.globalReplicationGroupId) return;
        if (!asArray(props.userGroupIds).length && !props.authToken) report("The replication group has neither userGroupIds nor an authToken.");
    },
});
