import { resourceRule } from "../../lib/rule";
import { engineOf, RDS_CLUSTER } from "../../lib/rds";

export const auroraBacktrack = resourceRule({
    name: "aurora-backtrack",
    description: "Aurora MySQL clusters must keep a backtrack window, to rewind a bad write in minutes without a restore (Aurora PostgreSQL has no backtrack).",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["database", "recovery"],
    resourceTypes: [RDS_CLUSTER],
    peers: { checkov: ["CKV_AWS_326"] },
    remediation: "set backtrackWindow (seconds, up to 259200 = 72 h), e.g. 86400.",
    check: ({ props }, report) => {
        const engine = engineOf(props);
        // An unset engine is "aurora", MySQL-compatible (the provider's and the API's default).
        if (engine !== "" && engine !== "aurora" && engine !== "aurora-mysql") return;
        // A global database's clusters cannot backtrack (AWS: backtracking is not supported for global databases).
        if (props.globalClusterIdentifier) return;
        if (!(Number(props.backtrackWindow ?? 0) > 0)) report("backtrackWindow is 0 or unset.");
    },
});
