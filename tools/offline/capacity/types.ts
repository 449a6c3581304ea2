/** One capacity target: met or not, the resource that limits it, and the numbers behind it. */
export interface CapacityTarget {
    target: string;
    met: boolean;
    /** The resource that binds first (e.g. "compute node group maxSize"), named even when met. */
    limiting: string;
    /** Demand over supply of the limiting resource: at most 1 when met. */
    utilisation: number;
    detail: string;
    /** A consistency check of the configuration (e.g. maximums against the cap) rather than a demand on a resource: never the tightest. */
    consistency?: boolean;
}

export interface NodeSizing {
    group: string;
    instanceType: string;
    /** Backend pods one node holds, and which of CPU, memory or max pods caps it. */
    podsPerNode: number;
    perNodeLimit: "cpu" | "memory" | "max pods";
    allocatableCpuMillis: number;
    allocatableMemoryMiB: number;
    maxPods: number;
    minSize: number;
    maxSize: number;
    /** Nodes of this group the zone's peak needs. */
    nodesAtPeak: number;
}

/** The plan's `capacity` section of a stack (read by the plan summary and the cost table). */
export interface CapacitySection {
    met: boolean;
    limiting?: string;
    /** What this stack must serve: the zone's peak (a primary), or the zone's peak once its primary is lost (a standby). */
    scenario: string;
    loadProfile: { peakRps: number; zoneRps: number; from: string };
    pods?: {
        needed: number;
        /** Requests per second each pod serves: the smaller of the HPA's rps target and what its CPU target allows. */
        rpsPerPod: number;
        /** The HPA metric that sets rpsPerPod. */
        boundBy: "requests_per_second" | "cpu";
        hpaMax: number;
        requests: { cpuMillis: number; memoryMiB: number };
        requestsFrom: string;
    };
    nodes?: NodeSizing & { steadyState: number; atPeak: number; clusterMax?: number };
    targets: CapacityTarget[];
    /** For the global stack: the zones, each served by its standby when its primary is lost. */
    zones?: { zone: string; primary: string; standby: string; met: boolean; limiting?: string }[];
}
