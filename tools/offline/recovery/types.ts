/** One timed step of a zone failover. */
export interface RecoveryStep {
    step: string;
    seconds: number;
    /** Seconds after the primary fails that the step starts and ends. */
    startsAt: number;
    endsAt: number;
    basis: string;
    source: string;
    retrieved: string;
    /** Where the figure came from: the plan input it was read from, or the duration table. */
    from: string;
}

/** The plan's `recovery` section of a stack: its zone's failover, timed. */
export interface RecoverySection {
    zone: string;
    /** How the failover starts: an ARC trigger on alarms, or an operator. */
    start: "automatic" | "operator";
    rtoSeconds: number;
    rpoSeconds: number;
    met: boolean;
    rtoTargetSeconds: number;
    rpoTargetSeconds: number;
    /** The steps in the order they run; parallel steps share a start. The longest of them is on the critical path. */
    steps: RecoveryStep[];
    /** The standby's backend nodes: warm (its compute group's minimum), needed at the zone's peak, to add, and the warm size the RTO needs. */
    standby: { stack: string; warmNodes: number; nodesAtPeak: number; nodesToAdd: number; warmNodesNeeded: number };
    problems: string[];
    /** Global stack: each zone's figures (rtoSeconds is then the worst zone's). */
    zones?: RecoverySection[];
}
