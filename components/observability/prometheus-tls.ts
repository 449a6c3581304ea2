import type * as pulumi from "@pulumi/pulumi";
import type { RestartTarget } from "../self-signed-certificate";
import { KPS_RELEASE, MONITORING_NAMESPACE, prometheusHost } from "./prometheus-rules";

/**
 * Prometheus's web port speaks TLS of its own (docs/encryption-in-transit.md, "Prometheus and its clients"):
 * the Prometheus Operator's WebTLSConfig (`prometheusSpec.web.tlsConfig`) with a certificate issued in the
 * monitoring namespace (components/self-signed-certificate.ts), and every client dials https and trusts the
 * certificate's CA from a ConfigMap in its own namespace.
 */
/** The `kubernetes.io/tls` Secret Prometheus serves (tls.crt, tls.key) and whose ca.crt the self-scrape trusts. */
export const PROMETHEUS_WEB_TLS_SECRET = "prometheus-web-tls";
/** The CA ConfigMap (ca.crt only, no key) the issuer writes into each client namespace. */
export const PROMETHEUS_CA_CONFIGMAP = "prometheus-web-ca";
/** Where the clients mount that ConfigMap. */
export const PROMETHEUS_CA_DIR = "/etc/prometheus-web-ca";
/** The file the clients read. */
export const PROMETHEUS_CA_FILE = `${PROMETHEUS_CA_DIR}/ca.crt`;
/**
 * TLS 1.3 only (spec: "TLS 1.3 for all communications"): exporter-toolkit's `min_version` names (web/tls_config.go,
 * v0.14.0 as the Prometheus Operator v0.85.0 pins it: TLS10..TLS13); its default is TLS12.
 */
export const PROMETHEUS_WEB_TLS_MIN_VERSION = "TLS13";
/** The Service's names the certificate carries: what each client dials, short and fully qualified. */
export function prometheusDnsNames(release = KPS_RELEASE, namespace = MONITORING_NAMESPACE): string[] {
    const host = prometheusHost(release, namespace);
    return [`${host}.svc`, `${host}.svc.cluster.local`, host];
}

/** Alertmanager's web port the same way: Prometheus sends it alerts over TLS (and scrapes it). */
export const ALERTMANAGER_WEB_TLS_SECRET = "alertmanager-web-tls";
/** The Alertmanager Service's names (the chart names it `<fullname>-alertmanager`). */
export function alertmanagerDnsNames(release = KPS_RELEASE, namespace = MONITORING_NAMESPACE): string[] {
    const host = `${release}-alertmanager.${namespace}`;
    return [`${host}.svc`, `${host}.svc.cluster.local`, host];
}

/** A Prometheus Operator WebTLSConfig serving the certificate of a `kubernetes.io/tls` Secret, TLS 1.3 only. */
export function webTlsConfig(secret: string) {
    return {
        cert: { secret: { name: secret, key: "tls.crt" } },
        keySecret: { name: secret, key: "tls.key" },
        minVersion: PROMETHEUS_WEB_TLS_MIN_VERSION,
    };
}

/** An endpoint TLSConfig (ServiceMonitor, alerting) that verifies that certificate: its CA from the same Secret, and the Service name, since Prometheus dials pods by IP. */
export function verifyingTlsConfig(secret: string, serverName: string) {
    return { ca: { secret: { name: secret, key: "ca.crt" } }, serverName };
}

/**
 * Prometheus's clients outside the monitoring namespace, as the component that installs them declares them:
 * each workload's namespace gets the CA ConfigMap and the workload is restarted when the certificate is renewed.
 */
export interface PrometheusClients {
    workloads: RestartTarget[];
    /** Resources the CA ConfigMaps wait for: the namespaces that are created with the clients. */
    dependsOn?: pulumi.Resource[];
}
