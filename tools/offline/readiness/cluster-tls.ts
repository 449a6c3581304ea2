/**
 * A Prometheus Operator ClusterTLSConfig as the plan gives it (the Alertmanager resource's `clusterTLS`; test/upstream/tls/
 * alertmanager-cluster-tls.json): gossip is TLS only when the server side has a certificate and key, and the client side
 * verifies its peers, a CA and the name the peers' certificate carries (peers are dialed by pod IP), without
 * insecureSkipVerify. The server's minVersion is the floor (exporter-toolkit's default TLS12).
 */
type Obj = Record<string, any>;

/** exporter-toolkit's `min_version` names (web/tls_config.go); unset, its floor is TLS12. */
export const TOOLKIT_VERSIONS: Readonly<Record<string, string>> = { TLS10: "TLS 1.0", TLS11: "TLS 1.1", TLS12: "TLS 1.2", TLS13: "TLS 1.3" };

/** A SecretOrConfigMap reference that names a key. */
const refers = (ref: unknown): boolean => {
    const r = (ref ?? {}) as Obj;
    return !!(r.secret?.name && r.secret?.key) || !!(r.configMap?.name && r.configMap?.key);
};

export function clusterTlsOf(value: unknown, path: string): { floor: string; problem?: string } | undefined {
    if (value === undefined || value === null || value === false) return undefined;
    const v = value as Obj;
    const server = (v.server ?? {}) as Obj;
    const client = (v.client ?? {}) as Obj;
    const missing: string[] = [];
    if (!refers(server.cert) && !server.certFile) missing.push("server.cert");
    if (!(server.keySecret?.name && server.keySecret?.key) && !server.keyFile) missing.push("server.keySecret");
    if (!refers(client.ca)) missing.push("client.ca (the peers' certificate would be checked against the system roots only)");
    if (!client.serverName) missing.push("client.serverName (peers are dialed by pod IP, which the certificate does not carry)");
    if (missing.length) return { floor: "none", problem: `plaintext or unverified gossip: ${path} lacks ${missing.join(", ")}` };
    if (client.insecureSkipVerify === true)
        return { floor: "none", problem: `unverified gossip: ${path}.client.insecureSkipVerify is true, so any peer's certificate is accepted` };
    const floor = TOOLKIT_VERSIONS[String(server.minVersion ?? "TLS12")];
    if (!floor)
        return { floor: "none", problem: `${path}.server.minVersion ${server.minVersion}; exporter-toolkit takes ${Object.keys(TOOLKIT_VERSIONS).join(", ")}` };
    return { floor };
}
