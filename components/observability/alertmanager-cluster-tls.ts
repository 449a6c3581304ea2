import type { RestartTarget } from "../self-signed-certificate";
import { KPS_RELEASE, MONITORING_NAMESPACE } from "./prometheus-rules";
import { alertmanagerDnsNames, webTlsConfig } from "./prometheus-tls";

/**
 * Alertmanager's cluster gossip (memberlist, port 9094) over mutual TLS 1.3 (docs/encryption-in-transit.md,
 * "Alertmanager's gossip"): the Prometheus Operator's `clusterTLS` (ClusterTLSConfig: `server` a WebTLSConfig, `client`
 * a SafeTLSConfig), which it renders into the `--cluster.tls-config` file. With that file Alertmanager replaces
 * memberlist's UDP/TCP transport by a TLS transport over TCP only (cluster/tls_transport.go), so UDP gossip stops.
 *
 * One in-cluster certificate serves every replica as server and as client: each replica dials its peers by pod IP,
 * so the client checks the certificate against a fixed name (`serverName`), the chart's Alertmanager Service that selects
 * the replicas, as node-exporter's scrape does (the name is never dialed: it only has to be the one the certificate carries); and each replica asks its peers for that certificate (RequireAndVerifyClientCert
 * against the same CA), so nothing but a holder of the key joins the cluster. The issuer's certificate carries no
 * extended key usage, which Go accepts for both server and client authentication (test/upstream/tls/alertmanager-cluster-tls.json).
 */
/** The `kubernetes.io/tls` Secret (tls.crt, tls.key, ca.crt) every replica presents and trusts. */
export const ALERTMANAGER_CLUSTER_TLS_SECRET = "alertmanager-cluster-tls";

/** The Alertmanager resource as the chart names it (`kube-prometheus-stack.alertmanager.crname`: `<fullname>-alertmanager`). */
export const ALERTMANAGER_RESOURCE = `${KPS_RELEASE}-alertmanager`;

/**
 * The certificate's names, the Alertmanager Service's (a certificate of its own, with its own CA: the web certificate
 * cannot join the gossip); the first is what every replica verifies its peers against.
 */
export function alertmanagerClusterDnsNames(): string[] {
    return alertmanagerDnsNames();
}

/** Go's crypto/tls ClientAuthType that exporter-toolkit's `client_auth_type` names: a peer must present a certificate the CA signed. */
export const ALERTMANAGER_CLUSTER_CLIENT_AUTH = "RequireAndVerifyClientCert";

/**
 * The Alertmanager resource's `clusterTLS`: the server side serves the Secret's certificate at TLS 1.3 and requires a
 * client certificate signed by its CA; the client side presents the same certificate and verifies the peer's against
 * the CA and the fixed name. (The operator renders no `min_version` for the client; the server's TLS 1.3 floor holds
 * every connection to 1.3.)
 */
export function alertmanagerClusterTls(secret = ALERTMANAGER_CLUSTER_TLS_SECRET, serverName = alertmanagerClusterDnsNames()[0]) {
    const ca = { secret: { name: secret, key: "ca.crt" } };
    return {
        // WebTLSConfig spells its client CA `client_ca` (json tag in pkg/apis/monitoring/v1/types.go), unlike its other fields.
        server: { ...webTlsConfig(secret), clientAuthType: ALERTMANAGER_CLUSTER_CLIENT_AUTH, client_ca: ca },
        client: { ca, cert: { secret: { name: secret, key: "tls.crt" } }, keySecret: { name: secret, key: "tls.key" }, serverName },
    };
}

/**
 * Alertmanager reads the CA once, at start (exporter-toolkit's ClientCAs, prometheus/common's RootCAs), while it reads
 * its certificate on every handshake: after a renewal the replicas must restart to trust the new certificate. The
 * issuer restarts them through the Alertmanager resource's pod annotations, which the operator copies into the
 * StatefulSet it owns.
 */
export const ALERTMANAGER_CLUSTER_RESTART: RestartTarget = { kind: "Alertmanager", namespace: MONITORING_NAMESPACE, name: ALERTMANAGER_RESOURCE };
