import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RELEASE_TYPE } from "../../../tools/charts/releases";
import { chartFacts } from "../../../tools/charts/vendored";
import {
    ALERTMANAGER_CLUSTER_CLIENT_AUTH,
    ALERTMANAGER_CLUSTER_RESTART,
    ALERTMANAGER_CLUSTER_TLS_SECRET,
    ALERTMANAGER_RESOURCE,
    alertmanagerClusterDnsNames,
} from "../../../components/observability/alertmanager-cluster-tls";
import { KPS_RELEASE, MONITORING_NAMESPACE } from "../../../components/observability/prometheus-rules";
import { ALERTMANAGER_CLUSTER_PORT } from "../../../components/regional-cluster/platform-network-policies";
import { ISSUER_SCRIPT, RESTART_ANNOTATION } from "../../../components/self-signed-certificate";
import type { CapturedResource } from "../../../tools/offline/mock-engine";
import { allStacks, REGIONAL_STACKS } from "../../support/fixtures";

type Obj = Record<string, any>;
const facts = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "upstream", "tls", "alertmanager-cluster-tls.json"), "utf8"),
) as Obj;
const toolkit = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "upstream", "tls", "prometheus-web-tls.json"), "utf8"))
    .exporterToolkitTls as Obj;

/** The operator's rendering of clusterTLS into --cluster.tls-config (clustertlsconfig/config.go), for the keys the program sets. */
function renderedFile(clusterTls: Obj): Obj {
    const file = (ref: Obj | undefined, dir: string) => (ref ? `${dir}/${ref.secret?.key ?? ref.key}` : undefined);
    const s = clusterTls.server as Obj;
    const c = clusterTls.client as Obj;
    const server = Object.fromEntries(
        Object.entries({
            key_file: file(s.keySecret, "server"),
            cert_file: file(s.cert, "server"),
            client_auth_type: s.clientAuthType,
            client_ca_file: file(s.client_ca, "server"),
            min_version: s.minVersion,
        }).filter(([, v]) => v !== undefined),
    );
    const client = Object.fromEntries(
        Object.entries({
            key_file: file(c.keySecret, "client"),
            cert_file: file(c.cert, "client"),
            ca_file: file(c.ca, "client"),
            server_name: c.serverName,
            insecure_skip_verify: c.insecureSkipVerify,
        }).filter(([, v]) => v !== undefined),
    );
    return { tls_server_config: server, tls_client_config: client };
}

/** Alertmanager's gossip over mutual TLS against its sources (test/upstream/tls/alertmanager-cluster-tls.json). */
describe("Alertmanager's gossip TLS agrees with its sources", () => {
    let runs: Record<string, { resources: CapturedResource[] }>;
    const kpsValues = (stack: string) =>
        (runs[stack].resources.find((r) => r.type === RELEASE_TYPE && r.inputs.chart === "kube-prometheus-stack")!.inputs as Obj).values as Obj;
    const values = parse(fs.readFileSync(path.join(chartFacts("kube-prometheus-stack", "77.12.0")!.dir, "values.yaml"), "utf8")) as Obj;

    before(async () => {
        runs = await allStacks();
    });

    it("passes clusterTLS through additionalConfig, the chart having no value of its own for it, to the Alertmanager version the facts are for", () => {
        const spec = values.alertmanager.alertmanagerSpec as Obj;
        expect(facts.chartPassThrough.clusterTLSValue).to.equal(false);
        expect(spec).to.not.have.property("clusterTLS");
        expect(spec).to.have.property(facts.chartPassThrough.via.split(".").pop());
        expect(spec.image.tag).to.equal(facts.alertmanagerVersion.version);
        expect(values.cleanPrometheusOperatorObjectNames).to.equal(false);
        expect(ALERTMANAGER_RESOURCE).to.equal(`${KPS_RELEASE}-alertmanager`);
        for (const stack of REGIONAL_STACKS) {
            const am = kpsValues(stack).alertmanager.alertmanagerSpec as Obj;
            expect(am.clusterTLS, stack).to.equal(undefined);
            expect(am.image, stack).to.equal(undefined);
            expect(am.additionalConfig?.clusterTLS, stack).to.be.an("object");
        }
    });

    it("serves the certificate at TLS 1.3, requires a peer certificate from its CA, and verifies peers against the CA and a name the certificate carries", () => {
        const tls = kpsValues("eu-west-1").alertmanager.alertmanagerSpec.additionalConfig.clusterTLS as Obj;
        expect(Object.keys(tls).sort()).to.deep.equal(["client", "server"]);
        // Only fields the CRD has (an unknown field is pruned by the API server, and the operator would not see it).
        for (const k of Object.keys(tls.server)) expect(facts.operatorClusterTls.webTlsConfigFields, `server.${k}`).to.include(k);
        for (const k of Object.keys(tls.client)) expect(facts.operatorClusterTls.safeTlsConfigFields, `client.${k}`).to.include(k);
        const file = renderedFile(tls);
        for (const k of Object.keys(file.tls_server_config)) expect(facts.operatorClusterTls.serverKeys, k).to.include(k);
        for (const k of Object.keys(file.tls_client_config)) expect(facts.operatorClusterTls.clientKeys, k).to.include(k);
        expect(file).to.deep.equal({
            tls_server_config: {
                key_file: "server/tls.key",
                cert_file: "server/tls.crt",
                client_auth_type: "RequireAndVerifyClientCert",
                client_ca_file: "server/ca.crt",
                min_version: "TLS13",
            },
            tls_client_config: {
                key_file: "client/tls.key",
                cert_file: "client/tls.crt",
                ca_file: "client/ca.crt",
                server_name: alertmanagerClusterDnsNames()[0],
            },
        });
        expect(toolkit.minVersions).to.include(tls.server.minVersion);
        expect(ALERTMANAGER_CLUSTER_CLIENT_AUTH).to.equal(file.tls_server_config.client_auth_type);
        // Every reference is the one Secret the issuer writes.
        for (const ref of [tls.server.cert, tls.server.client_ca, tls.client.ca, tls.client.cert])
            expect(ref.secret.name).to.equal(ALERTMANAGER_CLUSTER_TLS_SECRET);
        for (const ref of [tls.server.keySecret, tls.client.keySecret]) expect(ref.name).to.equal(ALERTMANAGER_CLUSTER_TLS_SECRET);
    });

    it("issues the certificate for those names and restarts Alertmanager through its resource on renewal (the CA is read once)", () => {
        expect(facts.reload.serverClientCa).to.match(/once/);
        expect(facts.reload.clientCa).to.match(/once/);
        for (const stack of REGIONAL_STACKS) {
            const env = Object.fromEntries(
                runs[stack].resources
                    .filter((r) => r.type === "kubernetes:batch/v1:Job")
                    .map((r) => (r.inputs as Obj).spec.template.spec.containers[0].env as Obj[])
                    .find((e) => e.some((x) => x.name === "SECRET_NAME" && x.value === ALERTMANAGER_CLUSTER_TLS_SECRET))!
                    .map((x) => [x.name, x.value]),
            );
            expect(env.NAMESPACE, stack).to.equal(MONITORING_NAMESPACE);
            expect(env.DNS_NAMES.split(","), stack).to.deep.equal(alertmanagerClusterDnsNames());
            expect(env.RESTART_ON_RENEW, stack).to.equal(`Alertmanager/${MONITORING_NAMESPACE}/${ALERTMANAGER_RESOURCE}`);
            expect(env.RESTART_ANNOTATION, stack).to.equal(RESTART_ANNOTATION);
            const role = runs[stack].resources.find(
                (r) =>
                    r.type === "kubernetes:rbac.authorization.k8s.io/v1:Role" &&
                    (r.inputs as Obj).metadata.name === `${ALERTMANAGER_CLUSTER_TLS_SECRET}-issuer` &&
                    (r.inputs as Obj).metadata.namespace === MONITORING_NAMESPACE,
            )!.inputs as Obj;
            expect(role.rules, stack).to.deep.include({
                apiGroups: ["monitoring.coreos.com"],
                resources: ["alertmanagers"],
                resourceNames: [ALERTMANAGER_CLUSTER_RESTART.name],
                verbs: ["get", "patch"],
            });
        }
    });

    it("still allows the gossip port between the replicas (TCP carries the TLS transport)", () => {
        expect(ALERTMANAGER_CLUSTER_PORT).to.equal(9094);
        expect(facts.alertmanagerTlsTransport.transport).to.match(/^TCP only/);
    });

    it("relies on the issuer's certificate carrying no extended key usage, which Go accepts for client authentication (the issued certificate is inspected in self-signed-certificate.spec.ts)", () => {
        expect(facts.issuerCertificate.goClientAuth).to.match(/no ExtKeyUsage is valid for any usage/);
        expect(ISSUER_SCRIPT).to.not.match(/extendedKeyUsage/);
    });
});
