import { stackRule } from "../../lib/rule";
import { asArray, ofType } from "../../lib/props";

const CLUSTER = "aws:rds/cluster:Cluster";
const SELECTION = "aws:backup/selection:Selection";
const PLAN = "aws:backup/plan:Plan";

/**
 * Coverage is read from dependencies: a selection lists a cluster by its ARN, an output, so Pulumi
 * records the cluster among the selection's dependencies (ARNs are unknown in a first preview).
 * A selection that names every resource ("*") covers every cluster.
 */
export const auroraBackupCoverage = stackRule({
    name: "aurora-backup-coverage",
    description: "Every Aurora cluster is selected by an AWS Backup plan that copies its recovery points (on top of the cluster's own automated backups).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["backup", "disaster-recovery"],
    resourceTypes: [CLUSTER, SELECTION],
    remediation: "add the cluster's ARN to an aws.backup.Selection (resources) of a plan whose rules have copyActions (components/aurora-backups.ts).",
    check: (resources, _config, report) => {
        const selections = ofType(resources, SELECTION);
        const planOf = (s: (typeof selections)[number]) => s.dependencies.find((d) => d.type === PLAN);
        for (const s of selections) {
            const plan = planOf(s);
            if (!plan) report("The selection belongs to no plan of this stack.", s.urn);
            else if (!asArray<Record<string, any>>(plan.props.rules).some((r) => asArray(r?.copyActions).length))
                report("The selection's plan makes no copy of its recovery points.", s.urn);
        }
        for (const c of ofType(resources, CLUSTER)) {
            const covered = selections.some((s) => asArray(s.props.resources).includes("*") || s.dependencies.some((d) => d.urn === c.urn));
            if (!covered) report("No AWS Backup selection covers this Aurora cluster: its only backups are its own, in its own region.", c.urn);
        }
    },
});
