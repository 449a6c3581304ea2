import { expect } from "chai";
import {
    CACHE_POLICY,
    cacheKey,
    CacheKeyError,
    GlobalCacheStrategy,
    KEY_CLASSES,
    keyPatterns,
    MAX_KEY_BYTES,
} from "../../../components/redis-global/cache-policy";
import { appAccessString } from "../../../components/redis-global/access";

describe("cache policy", () => {
    it("carries the spec's TTLs, with sessions replicated within the zone only", () => {
        const ttl = Object.fromEntries(KEY_CLASSES.map((k) => [k, CACHE_POLICY[k].ttlSeconds]));
        expect(ttl).to.deep.equal({ userSessions: 86_400, franchiseData: 3_600, apiResponses: 300, rateLimiting: 60 });
        const scope = Object.fromEntries(KEY_CLASSES.map((k) => [k, CACHE_POLICY[k].replication]));
        expect(scope).to.deep.equal({ userSessions: "zone", franchiseData: "region", apiResponses: "region", rateLimiting: "local" });
        expect(CACHE_POLICY.userSessions.note).to.contain("docs/design.md#d2-nothing-personal-replicates-across-zones");
    });

    it("gives every class a distinct key prefix without separators or hash-tag braces", () => {
        const prefixes = KEY_CLASSES.map((k) => CACHE_POLICY[k].keyPrefix);
        expect(new Set(prefixes).size).to.equal(prefixes.length);
        for (const p of prefixes) expect(p).to.match(/^[a-z]+$/);
    });

    it("marks every class as personal data, so none may leave its zone by default", () => {
        for (const k of KEY_CLASSES) expect(CACHE_POLICY[k].personalData, k).to.equal(true);
    });
});

describe("franchise-aware cache keys (GlobalCacheStrategy)", () => {
    const homes: Record<string, string> = { "fr-1001": "eu-west-1", "fr-2002": "us-east-1" };
    const strategy = new GlobalCacheStrategy((id) => {
        const home = homes[id];
        if (!home) throw new Error(`unknown franchise ${id}`);
        return home;
    });

    it("builds ${region}:${franchiseId}:${key} with the franchise's home region", () => {
        expect(strategy.getCacheKey("fr-1001", "services")).to.equal("eu-west-1:fr-1001:services");
        expect(strategy.getCacheKey("fr-2002", "barbers:42:slots")).to.equal("us-east-1:fr-2002:barbers:42:slots");
        expect(cacheKey("ap-southeast-1", "fr_7", "x")).to.equal("ap-southeast-1:fr_7:x");
    });

    it("builds policy-class keys with their TTL", () => {
        expect(strategy.keyFor("userSessions", "fr-1001", "abc123")).to.deep.equal({ key: "eu-west-1:fr-1001:session:abc123", ttlSeconds: 86_400 });
        expect(strategy.keyFor("rateLimiting", "fr-2002", "203.0.113.7")).to.deep.equal({ key: "us-east-1:fr-2002:ratelimit:203.0.113.7", ttlSeconds: 60 });
        expect(strategy.ttlSeconds("apiResponses")).to.equal(300);
        expect(strategy.replicationScope("userSessions")).to.equal("zone");
        expect(() => strategy.ttlSeconds("sessions" as never)).to.throw(CacheKeyError, /keyClass = "sessions": must be one of userSessions/);
    });

    it("refuses malformed regions, franchise ids and keys, naming the part and the value", () => {
        expect(() => cacheKey("Europe", "fr-1", "k")).to.throw(CacheKeyError, 'region = "Europe": must be an AWS region name');
        expect(() => cacheKey("eu-west-1", "fr:1", "k")).to.throw(CacheKeyError, 'franchiseId = "fr:1"');
        expect(() => cacheKey("eu-west-1", "", "k")).to.throw(CacheKeyError, 'franchiseId = ""');
        expect(() => cacheKey("eu-west-1", "fr-1", "")).to.throw(CacheKeyError, 'key = "": must be non-empty');
        expect(() => cacheKey("eu-west-1", "fr-1", "a b")).to.throw(CacheKeyError, "without whitespace");
        expect(() => cacheKey("eu-west-1", "fr-1", "{fr-1}:x")).to.throw(CacheKeyError, "hash tag");
        expect(() => cacheKey("eu-west-1", "fr-1", "k".repeat(MAX_KEY_BYTES))).to.throw(CacheKeyError, `at most ${MAX_KEY_BYTES}`);
        expect(() => strategy.getCacheKey("fr:1001", "x")).to.throw(CacheKeyError, 'franchiseId = "fr:1001"');
    });

    it("limits the application's ACL to the keys of its zone's franchises", () => {
        expect(keyPatterns(["eu-west-1", "eu-central-1"])).to.deep.equal(["~eu-west-1:*", "~eu-central-1:*"]);
        expect(appAccessString(keyPatterns(["eu-west-1"]))).to.equal("on ~eu-west-1:* +@all -@dangerous");
        expect(() => keyPatterns(["*"])).to.throw(CacheKeyError);
        // Every key the builder makes for a zone's franchise matches one of the zone's patterns.
        const key = strategy.keyFor("franchiseData", "fr-1001", "profile").key;
        expect(keyPatterns(["eu-west-1", "eu-central-1"]).some((p) => key.startsWith(p.slice(1, -1)))).to.equal(true);
        expect(keyPatterns(["us-east-1", "us-west-2"]).some((p) => key.startsWith(p.slice(1, -1)))).to.equal(false);
    });
});
