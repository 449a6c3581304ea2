import { plannedReleases, type PlannedRelease } from "../../charts/releases";
import { helmFullname } from "../../charts/services";
import { chartFacts, chartFactsRef } from "../../charts/vendored";
import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import type { Hop, Mesh } from "./in-transit";
import { notInjected, notInStrictMesh } from "./in-transit";

/**
 * Prometheus's web port and its clients (docs/encryption-in-transit.md, "Prometheus and its clients"): Grafana's
 * Prometheus data source, prometheus-adapter, the Argo Rollouts analyses and Prometheus's own self-scrape; and
 * Prometheus as a client of Alertmanager's web port (alerts and Alertmanager's self-scrape). A client
 * hop is TLS only when the plan wires all of it: Prometheus serves TLS with a certificate the plan provides, the
 * client dials https, the CA of that certificate reaches the client's pod (a mounted ConfigMap the issuer fills, or
 * the Secret itself in Prometheus's namespace) at the path the client reads, and nothing skips verification.
 */
type Obj = Record<string, any>;
type Planned = CapturedResource & { inputs: Obj };

const TLS12 = "TLS 1.2";
/** exporter-toolkit's `min_version` names (web/tls_config.go); its default is TLS12. */
const EXPORTER_TLS: Record<string, string> = { TLS12, TLS13: "TLS 1.3" };

const of = (plan: PlanFile, type: string): Planned[] => plan.resources.filter((r) => r.type === type) as Planned[];

/** The issuer Jobs of the plan (components/self-signed-certificate.ts) with their environment. */
function issuers(plan: PlanFile): { namespace: string; env: Record<string, string> }[] {
    return of(plan, "kubernetes:batch/v1:Job").flatMap((j) =>
        ((j.inputs.spec?.template?.spec?.containers ?? []) as Obj[])
            .map((c) => Object.fromEntries(((c.env ?? []) as Obj[]).map((e) => [String(e.name), String(e.value ?? "")])))
            .filter((env) => env.SECRET_NAME)
            .map((env) => ({ namespace: String(j.inputs.metadata?.namespace ?? env.NAMESPACE), env })),
    );
}

/** Whether the plan provides Secret `namespace/name`: a Secret object, or an issuer Job that writes it. */
export function providedSecret(plan: PlanFile, namespace: string, name: string): boolean {
    return (
        of(plan, "kubernetes:core/v1:Secret").some((r) => r.inputs.metadata?.name === name && r.inputs.metadata?.namespace === namespace) ||
        issuers(plan).some((i) => i.namespace === namespace && i.env.SECRET_NAME === name)
    );
}

/** What Prometheus's web port serves, read from kube-prometheus-stack's prometheusSpec.web.tlsConfig. */
export interface PrometheusServer {
    namespace: string;
    /** The certificate's Secret, when Prometheus serves TLS with one the plan provides. */
    secret?: string;
    floor: string;
    evidence: string;
    /** Why Prometheus does not serve TLS (or not well enough). */
    why?: string;
}

export function prometheusServer(plan: PlanFile, kps: PlannedRelease): PrometheusServer {
    const tls = (kps.values.prometheus as Obj | undefined)?.prometheusSpec?.web?.tlsConfig as Obj | undefined;
    return webServer(plan, kps.namespace, tls, "Prometheus", "prometheusSpec.web.tlsConfig");
}

/** What Alertmanager's web port serves (alertmanager.alertmanagerSpec.web.tlsConfig, the same WebTLSConfig). */
export function alertmanagerServer(plan: PlanFile, kps: PlannedRelease): PrometheusServer {
    const tls = (kps.values.alertmanager as Obj | undefined)?.alertmanagerSpec?.web?.tlsConfig as Obj | undefined;
    return webServer(plan, kps.namespace, tls, "Alertmanager", "alertmanagerSpec.web.tlsConfig");
}

/** A Prometheus Operator WebTLSConfig: TLS when it names a certificate and key Secret that the plan provides, with a known floor. */
function webServer(plan: PlanFile, namespace: string, tls: Obj | undefined, what: string, field: string): PrometheusServer {
    if (!tls) return { namespace, floor: "none", evidence: `${field} unset`, why: `${what} serves plain HTTP (${field} is unset)` };
    const cert = String(tls.cert?.secret?.name ?? "");
    const key = String(tls.keySecret?.name ?? "");
    const min = String(tls.minVersion ?? "TLS12");
    const evidence = `${field} cert ${cert || "unset"}, keySecret ${key || "unset"}, minVersion ${min}`;
    const why =
        !cert || !key
            ? `${field} has no cert.secret and keySecret`
            : !providedSecret(plan, namespace, cert)
              ? `nothing in the plan provides Secret ${namespace}/${cert} (no Secret, no issuer Job): ${what} would have no certificate`
              : !EXPORTER_TLS[min]
                ? `${field}.minVersion ${min} is older than TLS 1.2`
                : undefined;
    return { namespace, secret: why ? undefined : cert, floor: EXPORTER_TLS[min] ?? `unknown (${min})`, evidence, why };
}

/**
 * A scrape or alerting endpoint of Prometheus towards a TLS server in its own namespace (a ServiceMonitor endpoint or
 * an `alerting.alertmanagers` entry): https, the server's CA from its certificate Secret, and the Service name to
 * verify, since Prometheus dials the pods by IP.
 */
function endpointHop(hop: string, endpoint: Obj, server: PrometheusServer, field: string): Hop {
    const https = endpoint.scheme === "https";
    const caName = String(endpoint.tlsConfig?.ca?.secret?.name ?? "");
    const problems = !https
        ? [
              server.why
                  ? `plaintext: ${field}.scheme ${endpoint.scheme || "http (default)"}`
                  : `${field}.scheme is not https: Prometheus would meet a TLS port and fail`,
          ]
        : [
              server.why ? `Prometheus dials https but ${server.why}` : "",
              endpoint.tlsConfig?.insecureSkipVerify === true ? `${field}.tlsConfig.insecureSkipVerify is set` : "",
              caName !== server.secret ? `${field}.tlsConfig.ca.secret is ${caName || "unset"}, not the server's certificate ${server.secret}` : "",
              !endpoint.tlsConfig?.serverName ? `${field}.tlsConfig.serverName is unset: the pods are dialled by IP, which the certificate does not name` : "",
          ].filter(Boolean);
    return {
        hop,
        protocol: https ? "HTTPS" : "plaintext HTTP",
        floor: https && !server.why ? server.floor : "none",
        evidence: `${field} scheme ${endpoint.scheme ?? "unset"}, tlsConfig ${JSON.stringify(endpoint.tlsConfig ?? {})}; ${server.evidence}`,
        problem: problems.length ? problems.join("; ") : undefined,
    };
}

/** A pod volume as the charts take them: a name with a configMap (name) or a secret (secretName). */
interface Volume {
    name: string;
    configMap?: string;
    secret?: string;
}
interface Mount {
    name: string;
    mountPath: string;
}

/**
 * Why the CA of Prometheus's certificate does not reach `path` (a file, or with `dir` a directory) in a pod of
 * `namespace`, or undefined when it does: the path lies on a mount whose volume is the issuer's CA ConfigMap for
 * that certificate in this namespace (and the ConfigMap is in the plan), or the certificate's own Secret when the
 * pod shares Prometheus's namespace.
 */
export function caMissing(
    plan: PlanFile,
    server: PrometheusServer,
    namespace: string,
    volumes: Volume[],
    mounts: Mount[],
    path: string,
    dir = false,
): string | undefined {
    const trimmed = (p: string) => p.replace(/\/$/, "");
    const mount = mounts.find((m) => (dir ? trimmed(path) === trimmed(m.mountPath) : path.startsWith(`${trimmed(m.mountPath)}/`)));
    if (!mount) return `${path} is on no volume mount of the pod`;
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) return `mount ${mount.name} at ${mount.mountPath} has no volume`;
    if (volume.secret)
        return volume.secret === server.secret && namespace === server.namespace
            ? undefined
            : `volume ${volume.name} mounts Secret ${volume.secret}, not Prometheus's certificate ${server.namespace}/${server.secret}`;
    if (!volume.configMap) return `volume ${volume.name} is neither a ConfigMap nor a Secret`;
    const filled = issuers(plan).find(
        (i) =>
            i.namespace === server.namespace &&
            i.env.SECRET_NAME === server.secret &&
            i.env.TRUST_CONFIGMAP === volume.configMap &&
            (i.env.TRUST_NAMESPACES ?? "").split(",").includes(namespace),
    );
    if (!filled) return `no issuer of ${server.namespace}/${server.secret} writes its CA into ConfigMap ${namespace}/${volume.configMap} (trustNamespaces)`;
    const exists = of(plan, "kubernetes:core/v1:ConfigMap").some(
        (c) => c.inputs.metadata?.name === volume.configMap && c.inputs.metadata?.namespace === namespace,
    );
    return exists ? undefined : `ConfigMap ${namespace}/${volume.configMap} is not in the plan: the issuer only updates it`;
}

/**
 * Why a client's own sidecar would break its TLS to Prometheus, or undefined: an injected pod's sidecar intercepts the
 * outbound port and, when the Service port is declared HTTP (name `http`/`http-*`/`http2`/`grpc`, Istio's protocol
 * selection), parses the TLS bytes as HTTP. Excluding the port from the sidecar (traffic.sidecar.istio.io/
 * excludeOutboundPorts) or a Service port Istio treats as TLS or TCP avoids it.
 */
function sidecarParsesTls(mesh: Mesh, namespace: string, labels: Obj, annotations: Obj, kps: PlannedRelease, port: number): string | undefined {
    if (notInjected(mesh, namespace, labels)) return undefined;
    const excluded = String(annotations["traffic.sidecar.istio.io/excludeOutboundPorts"] ?? "")
        .split(",")
        .map((p) => p.trim());
    if (excluded.includes(String(port))) return undefined;
    const name = String(((kps.values.prometheus as Obj | undefined)?.prometheusSpec?.portName as string | undefined) ?? "http-web");
    return /^(http|http2|grpc)(-|$)/.test(name)
        ? `the client's sidecar intercepts port ${port}, which Prometheus's Service names ${name}, so it would parse the TLS as HTTP (exclude the port with traffic.sidecar.istio.io/excludeOutboundPorts)`
        : undefined;
}

/**
 * The Deployment a chart's release runs as (the chart's fullname helper, from its vendored naming facts), or, for a
 * subchart, the subchart's under the parent's release name; undefined when the facts are not vendored.
 */
function releaseDeployment(r: PlannedRelease, subchart?: string): string | undefined {
    const facts = chartFacts(r.chart, r.version);
    const sub = subchart ? facts?.services?.subcharts?.[subchart] : undefined;
    const target = subchart ? (sub ? chartFactsRef(sub) : undefined) : facts;
    if (!target?.services) return undefined;
    return helmFullname(target.services, target.chart, r.releaseName, (subchart ? r.values[subchart] : r.values) as Obj);
}

/**
 * Why a renewal would break a client that loads the CA once at start, or undefined: the issuer of the server's
 * certificate must restart its Deployment after writing the new CA (RESTART_ON_RENEW).
 */
function notRestarted(plan: PlanFile, server: PrometheusServer, namespace: string, deployment: string | undefined): string | undefined {
    if (!server.secret) return undefined;
    if (!deployment) return `the client's Deployment name is unknown (no vendored naming facts), so nothing shows that the issuer restarts it`;
    const issuer = issuers(plan).find((i) => i.namespace === server.namespace && i.env.SECRET_NAME === server.secret);
    const targets = (issuer?.env.RESTART_ON_RENEW ?? "").split(",");
    return targets.includes(`Deployment/${namespace}/${deployment}`)
        ? undefined
        : `the issuer of ${server.namespace}/${server.secret} does not restart Deployment ${namespace}/${deployment} (restartOnRenew): it loads the CA once at start and would reject the renewed certificate`;
}

/** The verdict on one client of Prometheus. */
function clientHop(
    hop: string,
    url: string,
    server: PrometheusServer,
    tls: () => { ca?: string; skip?: string; sidecar?: string; renewal?: string; evidence: string },
    plaintext: () => Hop,
): Hop {
    if (!url.startsWith("https://")) return plaintext();
    const c = tls();
    const problems = [
        server.why ? `the client dials https but ${server.why}` : "",
        c.skip ? `it skips verifying Prometheus's certificate (${c.skip})` : "",
        c.ca ? `Prometheus's CA does not reach the client: ${c.ca}` : "",
        c.sidecar ?? "",
        c.renewal ?? "",
    ].filter(Boolean);
    return {
        hop,
        protocol: "HTTPS",
        floor: server.why ? "none" : server.floor,
        evidence: `${url}; ${server.evidence}; ${c.evidence}`,
        problem: problems.length ? problems.join("; ") : undefined,
    };
}

const asVolumes = (vs: Obj[]): Volume[] =>
    vs.map((v) => ({ name: String(v.name), configMap: v.configMap?.name ?? undefined, secret: v.secret?.secretName ?? undefined }));
const asMounts = (ms: Obj[]): Mount[] => ms.map((m) => ({ name: String(m.name), mountPath: String(m.mountPath ?? "") }));

/** Every hop to Prometheus's web port. */
export function prometheusHops(plan: PlanFile, mesh: Mesh, kps: PlannedRelease): Hop[] {
    const hops: Hop[] = [];
    const server = prometheusServer(plan, kps);
    const service = `${kps.releaseName}-prometheus.${kps.namespace}`;
    const promLabels = prometheusPodLabels(kps);
    const plainHop = (hop: string, url: string, clientNs: string, clientLabels: Obj) => (): Hop => {
        const why = notInStrictMesh(mesh, clientNs, clientLabels) ?? notInStrictMesh(mesh, kps.namespace, promLabels);
        return why
            ? { hop, protocol: "plaintext HTTP", floor: "none", evidence: `${url}; ${why}`, problem: `plaintext: ${url} and ${why}` }
            : { hop, protocol: "HTTP in Istio mTLS", floor: mesh.floor, evidence: `${url}; both ends in the mesh, STRICT` };
    };

    // Grafana (kube-prometheus-stack's subchart): the chart's default data source (no TLS settings) unless switched off, and the plan's own.
    const grafana = (kps.values.grafana ?? {}) as Obj;
    if (grafana.enabled !== false) {
        const defaults = (grafana.sidecar?.datasources ?? {}) as Obj;
        const sources = [
            ...(defaults.defaultDatasourceEnabled === false
                ? []
                : [
                      {
                          name: defaults.name ?? "Prometheus",
                          url: defaults.url ?? `http://${service}:${(kps.values.prometheus as Obj | undefined)?.service?.port ?? 9090}`,
                      },
                  ]),
            ...((grafana.additionalDataSources ?? []) as Obj[]),
        ].filter((d) => String(d.url ?? "").includes(service));
        const volumes = [
            ...((grafana.extraConfigmapMounts ?? []) as Obj[]).map((m) => ({ name: String(m.name), configMap: String(m.configMap) })),
            ...((grafana.extraSecretMounts ?? []) as Obj[]).filter((m) => m.secretName).map((m) => ({ name: String(m.name), secret: String(m.secretName) })),
        ];
        const mounts = asMounts([...((grafana.extraConfigmapMounts ?? []) as Obj[]), ...((grafana.extraSecretMounts ?? []) as Obj[])]);
        for (const d of sources) {
            const url = String(d.url);
            const hop = `Grafana → ${d.name} data source (${url})`;
            hops.push(
                clientHop(
                    hop,
                    url,
                    server,
                    () => {
                        const json = (d.jsonData ?? {}) as Obj;
                        const caRef = String((d.secureJsonData as Obj | undefined)?.tlsCACert ?? "");
                        const file = /^\$__file\{(.+)\}$/.exec(caRef)?.[1];
                        const ca =
                            json.tlsAuthWithCACert !== true
                                ? "jsonData.tlsAuthWithCACert is not true, so Grafana verifies against the public roots only"
                                : !caRef
                                  ? "secureJsonData.tlsCACert is unset"
                                  : !file
                                    ? "secureJsonData.tlsCACert is not a $__file{} reference to a mounted CA (an inline CA cannot be the in-cluster issuer's)"
                                    : caMissing(plan, server, kps.namespace, volumes, mounts, file);
                        const port = Number(/:(\d+)/.exec(url.replace(/^\w+:\/\//, ""))?.[1] ?? 443);
                        return {
                            ca,
                            skip: json.tlsSkipVerify === true ? "jsonData.tlsSkipVerify" : undefined,
                            sidecar: sidecarParsesTls(mesh, kps.namespace, (grafana.podLabels ?? {}) as Obj, (grafana.podAnnotations ?? {}) as Obj, kps, port),
                            renewal: notRestarted(plan, server, kps.namespace, releaseDeployment(kps, "grafana")),
                            evidence: `tlsAuthWithCACert ${json.tlsAuthWithCACert}, tlsCACert ${caRef || "unset"}`,
                        };
                    },
                    plainHop(hop, url, kps.namespace, (grafana.podLabels ?? {}) as Obj),
                ),
            );
        }
    }

    // prometheus-adapter: --prometheus-url from prometheus.url/port, --prometheus-ca-file among extraArguments.
    for (const r of plannedReleases(plan.resources).filter((x) => x.chart === "prometheus-adapter")) {
        const p = (r.values.prometheus ?? {}) as Obj;
        const url = `${String(p.url ?? "")}${p.port ? `:${String(p.port)}` : ""}`;
        if (!url.includes(service)) continue;
        const hop = `prometheus-adapter → Prometheus (${url})`;
        hops.push(
            clientHop(
                hop,
                url,
                server,
                () => {
                    const args = ((r.values.extraArguments ?? []) as unknown[]).map(String);
                    const file = args.map((a) => /^--prometheus-ca-file=(.+)$/.exec(a)?.[1]).find(Boolean);
                    return {
                        ca: file
                            ? caMissing(
                                  plan,
                                  server,
                                  r.namespace,
                                  asVolumes((r.values.extraVolumes ?? []) as Obj[]),
                                  asMounts((r.values.extraVolumeMounts ?? []) as Obj[]),
                                  file,
                              )
                            : "extraArguments has no --prometheus-ca-file, so the adapter verifies against the public roots only",
                        sidecar: sidecarParsesTls(
                            mesh,
                            r.namespace,
                            (r.values.podLabels ?? {}) as Obj,
                            (r.values.podAnnotations ?? {}) as Obj,
                            kps,
                            Number(p.port ?? 443),
                        ),
                        renewal: notRestarted(plan, server, r.namespace, releaseDeployment(r)),
                        evidence: `--prometheus-ca-file ${file ?? "unset"}`,
                    };
                },
                plainHop(hop, url, r.namespace, (r.values.podLabels ?? {}) as Obj),
            ),
        );
    }

    // Argo Rollouts: the controller runs each AnalysisTemplate's Prometheus queries with Go's system roots (SSL_CERT_DIR).
    const rollouts = plannedReleases(plan.resources).find((x) => x.chart === "argo-rollouts");
    const controller = ((rollouts?.values.controller ?? {}) as Obj) ?? {};
    for (const t of of(plan, "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")) {
        const metrics = ((t.inputs.spec?.metrics ?? []) as Obj[]).filter((m) => String(m.provider?.prometheus?.address ?? "").includes(service));
        for (const url of new Set(metrics.map((m) => String(m.provider.prometheus.address)))) {
            const hop = `Argo Rollouts analysis ${t.inputs.metadata?.name} → Prometheus (${url})`;
            const ns = rollouts?.namespace ?? "argo-rollouts";
            hops.push(
                clientHop(
                    hop,
                    url,
                    server,
                    () => {
                        const env = Object.fromEntries(((controller.extraEnv ?? []) as Obj[]).map((e) => [String(e.name), String(e.value ?? "")]));
                        const volumes = asVolumes((controller.volumes ?? []) as Obj[]);
                        const mounts = asMounts((controller.volumeMounts ?? []) as Obj[]);
                        const dirs = (env.SSL_CERT_DIR ?? "").split(":").filter(Boolean);
                        const reasons = dirs.map((d) => caMissing(plan, server, ns, volumes, mounts, d, true));
                        const insecure = metrics
                            .filter((m) => m.provider.prometheus.address === url && m.provider.prometheus.insecure === true)
                            .map((m) => m.name);
                        return {
                            renewal: rollouts ? notRestarted(plan, server, ns, releaseDeployment(rollouts)) : undefined,
                            ca: !rollouts
                                ? "no argo-rollouts release in the plan"
                                : !dirs.length
                                  ? "the controller has no SSL_CERT_DIR (controller.extraEnv), so it verifies against the public roots only"
                                  : reasons.includes(undefined)
                                    ? undefined
                                    : `no SSL_CERT_DIR entry holds it (${reasons.join("; ")})`,
                            skip: insecure.length ? `insecure: true on metric ${insecure.join(", ")}` : undefined,
                            sidecar: sidecarParsesTls(
                                mesh,
                                ns,
                                (controller.podLabels ?? {}) as Obj,
                                (controller.podAnnotations ?? {}) as Obj,
                                kps,
                                Number(/:(\d+)/.exec(url.replace(/^\w+:\/\//, ""))?.[1] ?? 443),
                            ),
                            evidence: `controller SSL_CERT_DIR ${env.SSL_CERT_DIR ?? "unset"}`,
                        };
                    },
                    plainHop(hop, url, ns, (controller.podLabels ?? {}) as Obj),
                ),
            );
        }
    }

    // The self-scrapes: the chart's ServiceMonitors for Prometheus and Alertmanager (each with two endpoints: the web port and the config-reloader's).
    const prometheus = (kps.values.prometheus ?? {}) as Obj;
    if (prometheus.enabled !== false && prometheus.serviceMonitor?.selfMonitor !== false)
        hops.push(
            endpointHop(
                "Prometheus → its own web port and config-reloader (self-scrape ServiceMonitor)",
                (prometheus.serviceMonitor ?? {}) as Obj,
                server,
                "prometheus.serviceMonitor",
            ),
        );
    const alertmanager = (kps.values.alertmanager ?? {}) as Obj;
    if (alertmanager.enabled !== false) {
        const am = alertmanagerServer(plan, kps);
        if (alertmanager.serviceMonitor?.selfMonitor !== false)
            hops.push(
                endpointHop(
                    "Prometheus → Alertmanager's web port and config-reloader (self-scrape ServiceMonitor)",
                    (alertmanager.serviceMonitor ?? {}) as Obj,
                    am,
                    "alertmanager.serviceMonitor",
                ),
            );
        // Alerts: prometheusSpec.alertingEndpoints when set, else the chart's own entry built from alertmanagerSpec.scheme/tlsConfig
        // (templates/prometheus/prometheus.yaml).
        const spec = (alertmanager.alertmanagerSpec ?? {}) as Obj;
        const custom = ((prometheus.prometheusSpec?.alertingEndpoints ?? []) as Obj[]).filter((e) =>
            String(e.name ?? "").startsWith(`${kps.releaseName}-alertmanager`),
        );
        const endpoints = (prometheus.prometheusSpec?.alertingEndpoints ?? []).length
            ? custom.map((e) => ({ e, field: "prometheusSpec.alertingEndpoints" }))
            : [{ e: { scheme: spec.scheme, tlsConfig: spec.tlsConfig } as Obj, field: "alertmanager.alertmanagerSpec" }];
        for (const { e, field } of endpoints) hops.push(endpointHop("Prometheus → Alertmanager (alerts)", e, am, field));
    }
    return hops;
}

/** Pod labels kube-prometheus-stack gives Prometheus's pods beyond the operator's own (prometheusSpec.podMetadata). */
function prometheusPodLabels(kps: PlannedRelease): Obj {
    const spec = ((kps.values.prometheus as Obj | undefined)?.prometheusSpec ?? {}) as Obj;
    return { ...((spec.podMetadata?.labels ?? {}) as Obj), ...((spec.podMetadata?.annotations ?? {}) as Obj) };
}
