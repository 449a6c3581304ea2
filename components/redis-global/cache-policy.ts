/**
 * The cache policy (spec: "Redis Global Clustering" > Cache Strategy, and
 * "Cache Distribution Strategy"), as data the program publishes for the
 * application (a ConfigMap) and the key builder the application follows.
 *
 * Pure TypeScript: no Pulumi, so the application's own code and tests can use it.
 */

/**
 * How far a key class may travel.
 * - `zone`: must survive a regional failover, so the zone's Global Datastore carries it to the standby region.
 * - `region`: served by the region that wrote it; rebuilt from the database on a miss, so after a failover
 *   the application treats it as cold.
 * - `local`: meaningful only where it was written (per-region counters); never read elsewhere and never
 *   worth carrying over a failover.
 *
 * The Global Datastore copies the whole keyspace to the zone's standby, so every class stays inside its
 * residency zone; the scope tells the application what it may rely on, not what the wire carries.
 */
export type ReplicationScope = "zone" | "region" | "local";

export interface CacheClassPolicy {
    /** Expiry set on every key of the class, in seconds. */
    readonly ttlSeconds: number;
    readonly replication: ReplicationScope;
    /** Key segment after `<region>:<franchiseId>:` that names the class. */
    readonly keyPrefix: string;
    /** Whether values can identify a person (GDPR): decides whether the class may ever leave its zone. */
    readonly personalData: boolean;
    /** The spec line this entry implements. */
    readonly spec: string;
    /** Why the entry is what it is, where it differs from the spec. */
    readonly note: string;
}

export const CACHE_POLICY = {
    userSessions: {
        ttlSeconds: 24 * 60 * 60,
        replication: "zone",
        keyPrefix: "session",
        personalData: true,
        spec: "User Sessions: 24-hour TTL, global replication",
        note: "Replicated within the residency zone only (docs/design.md#d2-nothing-personal-replicates-across-zones): sessions identify customers, so global replication would move EU personal data out of the EU. The zone's standby holds them, so a regional failover keeps users signed in.",
    },
    franchiseData: {
        ttlSeconds: 60 * 60,
        replication: "region",
        keyPrefix: "franchise",
        personalData: true,
        spec: "Franchise Data: 1-hour TTL, regional only",
        note: "Staff names and schedules can identify people; rebuilt from the franchise's shard on a miss.",
    },
    apiResponses: {
        ttlSeconds: 5 * 60,
        replication: "region",
        keyPrefix: "api",
        personalData: true,
        spec: "API Responses: 5-minute TTL, edge caching",
        note: "Regional in Redis; CloudFront caches public responses at the edge separately. Responses can carry customer data.",
    },
    rateLimiting: {
        ttlSeconds: 60,
        replication: "local",
        keyPrefix: "ratelimit",
        personalData: true,
        spec: "Rate Limiting: 1-minute TTL, local only",
        note: "Per-region counters keyed by client (an IP address is personal data under GDPR); a failover starts a fresh one-minute window.",
    },
} as const satisfies Record<string, CacheClassPolicy>;

export type KeyClass = keyof typeof CACHE_POLICY;
export type CachePolicy = Readonly<Record<KeyClass, CacheClassPolicy>>;
export const KEY_CLASSES = Object.keys(CACHE_POLICY) as KeyClass[];

/** The key format of the spec's GlobalCacheStrategy.get_cache_key. */
export const KEY_FORMAT = "${region}:${franchiseId}:${key}";

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;
const FRANCHISE_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** Keys stay well under Redis's 512 MB limit; long keys cost memory on every node and replica. */
export const MAX_KEY_BYTES = 1024;

export class CacheKeyError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CacheKeyError";
    }
}

/**
 * `${region}:${franchiseId}:${key}` (spec: GlobalCacheStrategy.get_cache_key), validated:
 * - region is an AWS region name (the franchise's home region);
 * - franchiseId has no `:` so the key splits back unambiguously;
 * - key is non-empty with no whitespace or braces: braces would be read as a cluster hash tag and pin
 *   keys to one shard, defeating the 3-shard layout.
 */
export function cacheKey(region: string, franchiseId: string, key: string): string {
    if (!REGION_RE.test(region)) throw new CacheKeyError(`region = ${JSON.stringify(region)}: must be an AWS region name such as eu-west-1`);
    if (!FRANCHISE_RE.test(franchiseId)) {
        throw new CacheKeyError(`franchiseId = ${JSON.stringify(franchiseId)}: must be 1-64 letters, digits, _ or - (no ':')`);
    }
    if (key.length === 0 || /[\s{}]/.test(key)) {
        throw new CacheKeyError(`key = ${JSON.stringify(key)}: must be non-empty, without whitespace or braces (braces make a cluster hash tag)`);
    }
    const full = `${region}:${franchiseId}:${key}`;
    if (Buffer.byteLength(full, "utf8") > MAX_KEY_BYTES)
        throw new CacheKeyError(`key is ${Buffer.byteLength(full, "utf8")} bytes: must be at most ${MAX_KEY_BYTES}`);
    return full;
}

/** ACL key patterns that let a user touch only keys of franchises homed in `regions`. */
export function keyPatterns(regions: readonly string[]): string[] {
    return regions.map((r) => {
        if (!REGION_RE.test(r)) throw new CacheKeyError(`region = ${JSON.stringify(r)}: must be an AWS region name such as eu-west-1`);
        return `~${r}:*`;
    });
}

/**
 * The spec's GlobalCacheStrategy. `franchiseRegion` maps a franchise to its home region (the shard
 * catalog knows it). Differs from the spec's `should_replicate_globally`: nothing replicates across
 * zones (docs/design.md#d2-nothing-personal-replicates-across-zones), so the question the application asks is the class's scope.
 */
export class GlobalCacheStrategy {
    constructor(
        private readonly franchiseRegion: (franchiseId: string) => string,
        private readonly policy: CachePolicy = CACHE_POLICY,
    ) {}

    /** `${region}:${franchiseId}:${key}`, with the franchise's home region. */
    getCacheKey(franchiseId: string, key: string): string {
        if (!FRANCHISE_RE.test(franchiseId)) {
            throw new CacheKeyError(`franchiseId = ${JSON.stringify(franchiseId)}: must be 1-64 letters, digits, _ or - (no ':')`);
        }
        return cacheKey(this.franchiseRegion(franchiseId), franchiseId, key);
    }

    /** A key of a policy class: `${region}:${franchiseId}:${keyPrefix}:${id}`, and the TTL to set with it. */
    keyFor(keyClass: KeyClass, franchiseId: string, id: string): { key: string; ttlSeconds: number } {
        const p = this.classPolicy(keyClass);
        return { key: this.getCacheKey(franchiseId, `${p.keyPrefix}:${id}`), ttlSeconds: p.ttlSeconds };
    }

    ttlSeconds(keyClass: KeyClass): number {
        return this.classPolicy(keyClass).ttlSeconds;
    }

    replicationScope(keyClass: KeyClass): ReplicationScope {
        return this.classPolicy(keyClass).replication;
    }

    private classPolicy(keyClass: KeyClass): CacheClassPolicy {
        const p = this.policy[keyClass];
        if (!p) throw new CacheKeyError(`keyClass = ${JSON.stringify(keyClass)}: must be one of ${Object.keys(this.policy).join(", ")}`);
        return p;
    }
}
