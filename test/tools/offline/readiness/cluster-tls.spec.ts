import { expect } from "chai";
import { alertmanagerClusterTls } from "../../../../components/observability/alertmanager-cluster-tls";
import { clusterTlsOf } from "../../../../tools/offline/readiness/cluster-tls";

type Obj = Record<string, any>;
const PATH = "alertmanager.alertmanagerSpec.additionalConfig.clusterTLS";
const good = (): Obj => JSON.parse(JSON.stringify(alertmanagerClusterTls())) as Obj;
const edited = (edit: (t: Obj) => void) => {
    const t = good();
    edit(t);
    return clusterTlsOf(t, PATH);
};

describe("a ClusterTLSConfig as the transit check judges it", () => {
    it("is TLS at the server's floor when it serves a certificate and verifies peers with a CA and serverName", () => {
        expect(clusterTlsOf(good(), PATH)).to.deep.equal({ floor: "TLS 1.3" });
        expect(edited((t) => delete t.server.minVersion)).to.deep.equal({ floor: "TLS 1.2" }); // exporter-toolkit's default
        expect(edited((t) => (t.server.cert = { configMap: { name: "c", key: "tls.crt" } }))).to.deep.equal({ floor: "TLS 1.3" });
    });
    it("is no verdict at all when unset (the hop falls back to the Nitro floor rules)", () => {
        for (const v of [undefined, null, false]) expect(clusterTlsOf(v, PATH)).to.equal(undefined);
    });
    it("names each missing piece, and skip-verify, as a problem", () => {
        expect(edited((t) => delete t.client)!.problem).to.equal(
            `plaintext or unverified gossip: ${PATH} lacks client.ca (the peers' certificate would be checked against the system roots only), client.serverName (peers are dialed by pod IP, which the certificate does not carry)`,
        );
        expect(edited((t) => (t.server.cert.secret.key = ""))!.problem).to.match(/lacks server\.cert$/);
        expect(edited((t) => delete t.server.keySecret.key)!.problem).to.match(/lacks server\.keySecret$/);
        expect(edited((t) => (t.client.insecureSkipVerify = true))).to.deep.equal({
            floor: "none",
            problem: `unverified gossip: ${PATH}.client.insecureSkipVerify is true, so any peer's certificate is accepted`,
        });
        expect(edited((t) => (t.server.minVersion = "TLS9"))!.problem).to.match(/minVersion TLS9; exporter-toolkit takes TLS10, TLS11, TLS12, TLS13$/);
    });
});
