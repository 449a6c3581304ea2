import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { JAEGER_OTLP_TLS_PORT_NAME, OTLP_TLS_MIN_VERSION } from "../../../components/observability/kubernetes";
import { ingressGateway } from "../../../components/regional-cluster/manifests";
import { MESH_MTLS_MIN_PROTOCOL_VERSION } from "../../../components/regional-cluster/mesh";

const facts = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "upstream", "tls", "in-cluster-tls.json"), "utf8"));

/** The in-cluster TLS settings against their sources (test/upstream/tls/in-cluster-tls.json). */
describe("in-cluster TLS settings agree with their sources", () => {
    it("sets the mesh mTLS floor to a value Istio offers, and it is TLS 1.3", () => {
        expect(facts.istioMeshMtls.offered).to.include(MESH_MTLS_MIN_PROTOCOL_VERSION);
        expect(MESH_MTLS_MIN_PROTOCOL_VERSION).to.equal("TLSV1_3");
    });

    it("relies on a self-signed certificate only where the client does not validate it: the NLB's TLS target group", () => {
        expect(facts.nlbTlsTargets.targetGroupProtocols).to.include("TLS");
        expect(facts.nlbTlsTargets.validatesTargetCertificates).to.equal(false);
    });

    it("writes the gateway's TLS server with a mode and floor Istio offers", () => {
        const tls = (ingressGateway().spec as { servers: { tls: { mode: string; minProtocolVersion: string } }[] }).servers[0].tls;
        expect(facts.istioGatewayServerTls.modes).to.include(tls.mode);
        expect(facts.istioGatewayServerTls.minProtocolVersion).to.include(tls.minProtocolVersion);
    });

    it("names Jaeger's TLS port so the sidecars do not parse it as HTTP, with a configtls min_version the collector knows", () => {
        const prefix = JAEGER_OTLP_TLS_PORT_NAME.split("-")[0];
        expect(facts.istioProtocolSelection.byPortNamePrefix).to.include(prefix);
        expect(facts.istioProtocolSelection.parsedAsHttp).to.not.include(prefix);
        expect(facts.otelConfigTls.minVersion).to.include(OTLP_TLS_MIN_VERSION);
    });
});
