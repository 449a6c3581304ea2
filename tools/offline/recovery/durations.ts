/**
 * How long each step of a zone failover takes, each with its source. `basis` says how firm the
 * figure is: `documented` (AWS states it), `typical` (AWS or AWS workshops give a typical figure),
 * `estimate` (no published figure; replace with the measurement of a failover rehearsal).
 */
export interface Duration {
    seconds: number;
    basis: "documented" | "typical" | "estimate";
    source: string;
    retrieved: string;
    note: string;
}

const RETRIEVED = "2026-11-29";

export const DURATIONS = {
    auroraGlobalFailover: {
        seconds: 60,
        basis: "typical",
        retrieved: RETRIEVED,
        source: "https://wellarchitectedlabs.com/reliability/disaster-recovery/workshop_3/3-failover/3.1-aurora/ (promote a secondary region to read-write in under a minute); https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html",
        note: "Aurora global failover (ungraceful) of every shard, in parallel",
    },
    globalDatastoreFailover: {
        seconds: 60,
        basis: "typical",
        retrieved: RETRIEVED,
        source: "https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html (Global Datastore RTO: 1 minute, RPO generally under 1 second)",
        note: "FailoverGlobalReplicationGroup to the activated region's member",
    },
    elbAliasTtl: {
        seconds: 60,
        basis: "documented",
        retrieved: RETRIEVED,
        source: "https://aws.amazon.com/route53/faqs/ (ELB alias records for DNS failover have a fixed TTL of 60 seconds)",
        note: "resolvers keep the old answer for at most the TTL",
    },
    arcTriggerEvaluation: {
        seconds: 60,
        basis: "estimate",
        retrieved: RETRIEVED,
        source: "https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html (no published latency between the alarm and the execution start)",
        note: "from the trigger alarm going red to the plan execution starting",
    },
    clusterAutoscalerScan: {
        seconds: 10,
        basis: "documented",
        retrieved: RETRIEVED,
        source: "https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md (--scan-interval default 10s)",
        note: "the autoscaler notices the pending pods",
    },
    nodeLaunchToReady: {
        seconds: 180,
        basis: "estimate",
        retrieved: RETRIEVED,
        source: "https://docs.aws.amazon.com/eks/latest/userguide/warm-pools-managed-node-groups.html (cold nodes must boot and join before pods schedule; no figure published)",
        note: "EC2 launch, AL2023 boot, nodeadm, kubelet registration, VPC CNI ready",
    },
    podStart: {
        seconds: 60,
        basis: "estimate",
        retrieved: RETRIEVED,
        source: "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/ (image pull, sidecar start and readiness probe; no fixed figure)",
        note: "the backend pods ARC scales up become ready on nodes that already run",
    },
    auroraReplicationLag: {
        seconds: 1,
        basis: "typical",
        retrieved: RETRIEVED,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html (replicates to secondaries with typical latency under a second)",
        note: "data a failover loses without rds.global_db_rpo",
    },
    globalDatastoreReplicationLag: {
        seconds: 1,
        basis: "typical",
        retrieved: RETRIEVED,
        source: "https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html (RPO generally less than 1 second)",
        note: "cache writes a failover loses",
    },
} as const satisfies Record<string, Duration>;

/** Spec (Disaster Recovery): RTO 5 minutes, RPO 30 seconds. */
export const RTO_TARGET_SECONDS = 300;
export const RPO_TARGET_SECONDS = 30;
