import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { VIEWER_SECURITY_POLICY } from "../../components/edge-network/cdn";
import { TLS_POLICY } from "../../components/regional-cluster/ingress";
import { AURORA_MIN_TLS } from "../../components/sharded-database/shards";
import { RULES } from "../../policies/rules";
import { POSTGRES_MIN_TLS } from "../../policies/rules/transit/rds-tls-min-version";
import { CLOUDFRONT_TLS13_POLICIES } from "../../policies/rules/transit/cloudfront-viewer-tls";
import type { CapturedResource } from "../../tools/offline/mock-engine";
import { allStacks, oneOfType, REGIONAL_STACKS } from "../support/fixtures";
import { provider, res, violationsOf } from "./helpers";

interface Offer {
    setting: string;
    offered: string[];
    tls13Only: string | null;
    strongest?: string;
    source: string;
    note: string;
}
const FACTS = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "upstream", "tls", "aws-tls-offers.json"), "utf8")) as {
    retrieved: string;
    services: Record<string, Offer>;
};
const offer = (k: string): Offer => FACTS.services[k];
type Obj = Record<string, any>;

/**
 * TLS 1.3 wherever AWS offers it, otherwise the strongest floor offered (docs/encryption-in-transit.md),
 * held to the sourced facts in test/upstream/tls/aws-tls-offers.json.
 */
describe("TLS floors against what AWS offers", () => {
    let runs: Awaited<ReturnType<typeof allStacks>>;
    before(async () => {
        runs = await allStacks();
    });

    it("keeps each fact sourced and dated", () => {
        expect(FACTS.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
        for (const [k, o] of Object.entries(FACTS.services)) {
            expect(o.source, k).to.match(/^https:\/\//);
            expect(o.tls13Only === null || o.offered.includes(o.tls13Only) || o.offered.length === 0, k).to.equal(true);
            if (o.tls13Only === null) expect(o.strongest, `${k}: no TLS 1.3-only setting, so the strongest offered is named`).to.be.a("string");
        }
    });

    it("CloudFront viewers: the TLS 1.3-only security policy, the one the pack demands", () => {
        expect(VIEWER_SECURITY_POLICY).to.equal(offer("cloudfront-viewer").tls13Only);
        expect(CLOUDFRONT_TLS13_POLICIES).to.deep.equal([offer("cloudfront-viewer").tls13Only]);
        const d = oneOfType(runs.global, "aws:cloudfront/distribution:Distribution").inputs as Obj;
        expect(d.viewerCertificate.minimumProtocolVersion).to.equal(offer("cloudfront-viewer").tls13Only);
    });

    it("CloudFront → origins: the strongest origin protocol offered (no TLS 1.3-only choice exists)", () => {
        const d = oneOfType(runs.global, "aws:cloudfront/distribution:Distribution").inputs as Obj;
        for (const o of d.origins as Obj[]) {
            expect(o.customOriginConfig.originSslProtocols, o.originId).to.deep.equal([offer("cloudfront-origin").strongest]);
            for (const p of o.customOriginConfig.originSslProtocols as string[]) expect(offer("cloudfront-origin").offered).to.include(p);
        }
    });

    it("the ingress NLB: a TLS 1.3 policy that still takes TLS 1.2, because its client (CloudFront) stops at TLSv1.2", () => {
        expect(offer("elb-listener").offered).to.include(TLS_POLICY);
        expect(TLS_POLICY).to.match(/TLS13-1-2/);
        expect(offer("cloudfront-origin").offered).to.not.include("TLSv1.3");
        for (const s of REGIONAL_STACKS) expect((oneOfType(runs[s], "aws:lb/listener:Listener").inputs as Obj).sslPolicy, s).to.equal(TLS_POLICY);
    });

    it("OpenSearch: the strongest policy offered (TLS 1.2 with forward secrecy)", () => {
        for (const s of REGIONAL_STACKS) {
            const ep = (oneOfType(runs[s], "aws:opensearch/domain:Domain").inputs as Obj).domainEndpointOptions;
            expect(ep.tlsSecurityPolicy, s).to.equal(offer("opensearch").strongest);
            expect(ep.enforceHttps, s).to.equal(true);
        }
    });

    it("Aurora PostgreSQL: TLS 1.3 only, the value the pack demands, and PgBouncer speaks it", () => {
        expect(AURORA_MIN_TLS).to.equal(offer("aurora-postgresql").tls13Only);
        expect(POSTGRES_MIN_TLS).to.equal(AURORA_MIN_TLS);
        for (const s of REGIONAL_STACKS) {
            const params = Object.fromEntries(
                ((oneOfType(runs[s], "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs as Obj).parameters as Obj[]).map((p) => [p.name, p.value]),
            );
            expect(params, s).to.include({ "rds.force_ssl": "1", ssl_min_protocol_version: offer("aurora-postgresql").tls13Only });
            const ini = runs[s].resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && JSON.stringify(r.inputs).includes("[pgbouncer]"));
            expect(ini.length, s).to.be.greaterThan(0);
            for (const cm of ini)
                for (const text of Object.values((cm.inputs as Obj).data) as string[]) expect(text).to.match(/^server_tls_protocols = tlsv1\.3$/m);
        }
    });

    it("ElastiCache: TLS required (the only choice it offers; no version setting)", () => {
        for (const s of REGIONAL_STACKS) {
            const rg = oneOfType(runs[s], "aws:elasticache/replicationGroup:ReplicationGroup").inputs as Obj;
            expect(rg.transitEncryptionMode ?? offer("elasticache").strongest, s).to.equal(offer("elasticache").strongest);
        }
    });

    describe("the pack holds the raised floors", () => {
        const rule = (n: string) => RULES.find((r) => r.name === n)!;
        const GLOBAL = provider("us-east-1");
        const cf = (v: string): CapturedResource[] => [
            GLOBAL,
            res(
                "aws:cloudfront/distribution:Distribution",
                { viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/x", sslSupportMethod: "sni-only", minimumProtocolVersion: v } },
                { provider: GLOBAL },
            ),
        ];
        const pg = (v?: string): CapturedResource[] => [
            res("aws:rds/clusterParameterGroup:ClusterParameterGroup", {
                family: "aurora-postgresql16",
                parameters: [{ name: "rds.force_ssl", value: "1" }, ...(v ? [{ name: "ssl_min_protocol_version", value: v }] : [])],
            }),
        ];

        it("cloudfront-viewer-tls: TLSv1.2_2021 and TLSv1.2_2025 now fail, TLSv1.3_2025 passes", async () => {
            expect(await violationsOf(rule("cloudfront-viewer-tls"), cf("TLSv1.3_2025"))).to.deep.equal([]);
            for (const v of ["TLSv1.2_2021", "TLSv1.2_2025"])
                expect(
                    (await violationsOf(rule("cloudfront-viewer-tls"), cf(v))).map((x) => x.policy),
                    v,
                ).to.deep.equal(["cloudfront-viewer-tls"]);
        });

        it("rds-tls-min-version: TLSv1.2 or unset fails, TLSv1.3 passes", async () => {
            expect(await violationsOf(rule("rds-tls-min-version"), pg("TLSv1.3"))).to.deep.equal([]);
            expect((await violationsOf(rule("rds-tls-min-version"), pg("TLSv1.2"))).length).to.equal(1);
            expect((await violationsOf(rule("rds-tls-min-version"), pg())).length).to.equal(1);
        });
    });
});
