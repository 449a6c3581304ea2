import { plannedReleases } from "../../charts/releases";
import { boundServicePort } from "./gateway-routes";
import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import type { ReadinessCheck, ReadinessItem } from "./types";
import { APP_NAMESPACE } from "../../../components/regional-cluster/manifests";
import { platformWorkloads } from "./platform-hops";
import { judgeByServer, platformTransit, serverFacts } from "./platform-transit";
import { prometheusHops, providedSecret } from "./prometheus-transit";

/**
 * Encryption in transit, hop by hop (issue 15; docs/encryption-in-transit.md). Every network hop the
 * platform makes is read from the plan: the settings that make it encrypted (resource inputs, Helm
 * values, mesh labels and PeerAuthentications), the protocol it then speaks and its TLS floor. A hop
 * with nothing that encrypts it is plaintext, and a plaintext hop is a problem.
 */
export interface Hop {
    /** "viewer → CloudFront", "app → PgBouncer shard-0". */
    hop: string;
    /** What it speaks on the wire: "HTTPS", "Istio mTLS", "PostgreSQL over TLS", "plaintext HTTP". */
    protocol: string;
    /** The oldest TLS version the hop accepts, or "none" for plaintext. */
    floor: string;
    /** The plan settings the verdict rests on. */
    evidence: string;
    /** Set when the hop is plaintext or weaker than it must be: what is wrong and the fix. */
    problem?: string;
}

type Obj = Record<string, any>;
type Planned = CapturedResource & { inputs: Obj };

const of = (plan: PlanFile, type: string): Planned[] => plan.resources.filter((r) => r.type === type) as Planned[];
const TLS12 = "TLS 1.2";
const tlsVersion = (v: string) => v.replace(/^TLSv?/i, "TLS ").replace(/_.*$/, "");

// ---------------------------------------------------------------- the mesh

/** Which pods the Istio sidecar injector reaches and whether the mesh refuses plain text to them. */
export interface Mesh {
    /** Revisions the plan's istiod releases serve (empty string: the default revision). */
    revisions: Set<string>;
    /** The mesh-wide PeerAuthentication (root namespace, no selector) is STRICT. */
    strict: boolean;
    /** Namespaces with a PeerAuthentication that lets plain text in. */
    relaxed: Set<string>;
    /** Namespaces and their labels. */
    namespaces: Map<string, Record<string, string>>;
    /** The oldest TLS version of mesh mTLS: istiod's meshConfig.meshMTLS.minProtocolVersion, else Istio's default, TLS 1.2. */
    floor: string;
}

export function meshOf(plan: PlanFile): Mesh {
    const revisions = new Set<string>();
    for (const r of plannedReleases(plan.resources).filter((x) => x.chart === "istiod")) {
        revisions.add(typeof r.values.revision === "string" ? r.values.revision : "");
        for (const t of Array.isArray(r.values.revisionTags) ? (r.values.revisionTags as unknown[]) : []) revisions.add(String(t));
    }
    const istiods = plannedReleases(plan.resources).filter((x) => x.chart === "istiod");
    const roots = new Set(istiods.map((r) => String((r.values.meshConfig as Obj | undefined)?.rootNamespace ?? "istio-system")));
    // The weakest revision sets the floor: a pod may be injected by any of them.
    const floors = istiods.map((r) => String((r.values.meshConfig as Obj | undefined)?.meshMTLS?.minProtocolVersion ?? "TLSV1_2"));
    const floor = floors.length && floors.every((f) => f === "TLSV1_3") ? "TLS 1.3" : TLS12;
    let strict = false;
    const relaxed = new Set<string>();
    for (const pa of of(plan, "kubernetes:security.istio.io/v1:PeerAuthentication")) {
        const ns = String(pa.inputs.metadata?.namespace ?? "default");
        const spec = (pa.inputs.spec ?? {}) as Obj;
        const mode = spec.mtls?.mode;
        const weakPort = Object.values<Obj>(spec.portLevelMtls ?? {}).some((v) => v?.mode === "PERMISSIVE" || v?.mode === "DISABLE");
        if (roots.has(ns) && !spec.selector) strict = mode === "STRICT" && !weakPort;
        else if (mode === "PERMISSIVE" || mode === "DISABLE" || weakPort) relaxed.add(ns);
    }
    const namespaces = new Map<string, Record<string, string>>();
    for (const n of of(plan, "kubernetes:core/v1:Namespace"))
        namespaces.set(String(n.inputs.metadata?.name ?? n.name), (n.inputs.metadata?.labels ?? {}) as Record<string, string>);
    return { revisions, strict, relaxed, namespaces, floor };
}

/**
 * Whether pods in `namespace` with these pod labels get a sidecar and take only mTLS: the injector's
 * selectors (istiod chart templates/mutatingwebhook.yaml: a namespace labelled istio.io/rev=<served>,
 * or istio-injection=enabled for a default revision; or, in an unlabelled namespace, the pod labelled
 * istio.io/rev=<served>), no `sidecar.istio.io/inject: "false"`, and a STRICT PeerAuthentication.
 * Returns why not, or undefined when the pods are in the mesh under STRICT mTLS.
 */
export function notInStrictMesh(mesh: Mesh, namespace: string, podLabels: Record<string, unknown> = {}): string | undefined {
    const why = notInjected(mesh, namespace, podLabels);
    if (why) return why;
    if (!mesh.strict) return "the mesh-wide PeerAuthentication is not STRICT";
    if (mesh.relaxed.has(namespace)) return `a PeerAuthentication in ${namespace} accepts plain text`;
    return undefined;
}

/** Why the injector leaves these pods without a sidecar, or undefined when it injects them. */
export function notInjected(mesh: Mesh, namespace: string, podLabels: Record<string, unknown> = {}): string | undefined {
    if (mesh.revisions.size === 0) return "no istiod in this plan";
    const ns = mesh.namespaces.get(namespace) ?? {};
    const served = (rev: unknown) => typeof rev === "string" && (mesh.revisions.has(rev) || (rev === "default" && mesh.revisions.has("")));
    const nsRev = ns["istio.io/rev"];
    const nsLegacy = ns["istio-injection"];
    let injected: boolean;
    if (nsLegacy === "disabled") injected = false;
    else if (nsRev !== undefined) injected = served(nsRev);
    else if (nsLegacy === "enabled") injected = mesh.revisions.has("") || mesh.revisions.has("default");
    else injected = served(podLabels["istio.io/rev"]);
    if (String(podLabels["sidecar.istio.io/inject"]) === "false") injected = false;
    if (!injected)
        return `namespace ${namespace} (labels ${JSON.stringify(ns)}) and the pods (labels ${JSON.stringify(podLabels)}) are not selected by the injector of a served revision (${[...mesh.revisions].map((r) => r || "default").join(", ")})`;
    return undefined;
}

function meshHop(mesh: Mesh, hop: string, namespace: string, podLabels?: Record<string, unknown>, fallback?: () => Hop | undefined): Hop {
    const why = notInStrictMesh(mesh, namespace, podLabels);
    if (!why)
        return {
            hop,
            protocol: "Istio mTLS",
            floor: mesh.floor,
            evidence: `${namespace} in the mesh, mesh-wide PeerAuthentication STRICT, meshMTLS floor ${mesh.floor}`,
        };
    const own = fallback?.();
    return (
        own ?? {
            hop,
            protocol: "plaintext",
            floor: "none",
            evidence: why,
            problem: `plaintext: ${why}; put the workload in the mesh (istio.io/rev) under STRICT mTLS or give it TLS of its own`,
        }
    );
}

// ---------------------------------------------------------------- edge

function edgeHops(plan: PlanFile): Hop[] {
    const hops: Hop[] = [];
    for (const d of of(plan, "aws:cloudfront/distribution:Distribution")) {
        const cert = (d.inputs.viewerCertificate ?? {}) as Obj;
        const behaviors = [d.inputs.defaultCacheBehavior, ...(d.inputs.orderedCacheBehaviors ?? [])].filter(Boolean) as Obj[];
        const clear = behaviors.filter((b) => !["redirect-to-https", "https-only"].includes(b.viewerProtocolPolicy)).map((b) => b.pathPattern ?? "(default)");
        const min = String(cert.minimumProtocolVersion ?? "");
        const problem =
            cert.cloudfrontDefaultCertificate === true
                ? "the default CloudFront certificate cannot enforce a TLS floor"
                : clear.length
                  ? `plaintext: cache behaviours ${clear.join(", ")} serve HTTP (viewerProtocolPolicy allow-all)`
                  : !/^TLSv1\.[23]_/.test(min)
                    ? `viewer TLS floor ${JSON.stringify(min)} is older than TLS 1.2`
                    : undefined;
        hops.push({
            hop: `viewer → CloudFront ${d.name}`,
            protocol: "HTTPS (HTTP/1.1, HTTP/2, HTTP/3)",
            floor: min ? `${tlsVersion(min)} (${min})` : "none",
            evidence: `viewerProtocolPolicy ${[...new Set(behaviors.map((b) => b.viewerProtocolPolicy))].join("/")}, minimumProtocolVersion ${min}`,
            problem,
        });
        for (const o of (d.inputs.origins ?? []) as Obj[]) {
            const c = o.customOriginConfig;
            if (!c) {
                hops.push({
                    hop: `CloudFront → origin ${o.originId}`,
                    protocol: "HTTPS (S3 origin)",
                    floor: TLS12,
                    evidence: "S3 origin: CloudFront reaches S3 over HTTPS",
                });
                continue;
            }
            const protos = (c.originSslProtocols ?? []) as string[];
            const weak = protos.filter((p) => p !== "TLSv1.2");
            const problem =
                c.originProtocolPolicy !== "https-only"
                    ? `plaintext: originProtocolPolicy ${JSON.stringify(c.originProtocolPolicy)} lets CloudFront reach ${o.domainName} over HTTP`
                    : weak.length
                      ? `originSslProtocols allows ${weak.join(", ")}, older than TLS 1.2`
                      : undefined;
            hops.push({
                hop: `CloudFront → origin ${o.originId} (${o.domainName})`,
                protocol: "HTTPS",
                floor: protos.length ? protos.map(tlsVersion).sort()[0] : "none",
                evidence: `originProtocolPolicy ${c.originProtocolPolicy}, originSslProtocols ${protos.join(",")}`,
                problem,
            });
        }
    }
    return hops;
}

// ---------------------------------------------------------------- regional ingress

function ingressHops(plan: PlanFile, mesh: Mesh): Hop[] {
    const hops: Hop[] = [];
    const groups = new Map(of(plan, "aws:lb/targetGroup:TargetGroup").map((t) => [String(t.identity?.arn ?? ""), t]));
    for (const l of of(plan, "aws:lb/listener:Listener")) {
        const protocol = String(l.inputs.protocol ?? "HTTP").toUpperCase();
        const policy = String(l.inputs.sslPolicy ?? "");
        const tls = protocol === "TLS" || protocol === "HTTPS";
        const floor = !tls ? "none" : /TLS13-1-3/.test(policy) ? "TLS 1.3" : /TLS13-1-2|TLS-1-2/.test(policy) ? TLS12 : `unknown (${policy})`;
        hops.push({
            hop: `CloudFront → load balancer listener ${l.name}:${l.inputs.port}`,
            protocol: tls ? `${protocol} (terminated at the load balancer)` : `plaintext ${protocol}`,
            floor,
            evidence: `protocol ${protocol}, sslPolicy ${policy || "none"}`,
            problem: !tls
                ? `plaintext: listener protocol ${protocol}`
                : floor.startsWith("unknown")
                  ? `sslPolicy ${policy} is not a TLS 1.2+ policy`
                  : undefined,
        });
        for (const a of (l.inputs.defaultActions ?? []) as Obj[]) {
            const tg = groups.get(String(a.targetGroupArn ?? ""));
            if (!tg) continue;
            const tgProtocol = String(tg.inputs.protocol ?? "HTTP").toUpperCase();
            const encrypted = tgProtocol === "TLS" || tgProtocol === "HTTPS";
            const hop = `load balancer → ${tg.name} targets :${tg.inputs.port} (mesh ingress gateway)`;
            if (!encrypted) {
                hops.push({
                    hop,
                    protocol: `plaintext ${tgProtocol}`,
                    floor: "none",
                    evidence: `listener terminates TLS; target group protocol ${tgProtocol}`,
                    problem: `plaintext: the load balancer terminates TLS and forwards ${tgProtocol} to port ${tg.inputs.port}; use a TLS target group and a TLS server on the gateway, or pass TLS through (TCP listener) to a gateway that terminates it`,
                });
                continue;
            }
            const server = gatewayTlsServer(plan);
            hops.push({
                hop,
                protocol: `${tgProtocol} (re-encrypted to the gateway's ${server.server ? "HTTPS server" : "port"})`,
                floor: server.floor,
                evidence: `target group protocol ${tgProtocol}; ${server.evidence}`,
                problem: server.problem,
            });
        }
    }
    for (const g of of(plan, "kubernetes:networking.istio.io/v1:Gateway")) {
        const ns = String(g.inputs.metadata?.namespace ?? "default");
        for (const target of appNamespaces(plan)) {
            const gateway = notInjected(mesh, ns);
            hops.push(
                gateway
                    ? {
                          hop: `ingress gateway ${ns}/${g.inputs.metadata?.name} → ${target}`,
                          protocol: "plaintext",
                          floor: "none",
                          evidence: gateway,
                          problem: `plaintext: the gateway has no mesh identity (${gateway})`,
                      }
                    : meshHop(mesh, `ingress gateway ${ns}/${g.inputs.metadata?.name} → ${target}`, target),
            );
        }
    }
    return hops;
}

/** Istio TLS versions as the hop table writes them. */
const ISTIO_TLS: Record<string, string> = { TLSV1_2: TLS12, TLSV1_3: "TLS 1.3" };

/**
 * The gateway server the load balancer's targets are bound to (TargetGroupBinding serviceRef port): it must
 * terminate TLS itself (HTTPS or TLS, mode SIMPLE or MUTUAL) with a certificate Secret that the plan provides,
 * either as a Secret object or as an issuer Job writing that Secret (components/self-signed-certificate.ts).
 */
export function gatewayTlsServer(plan: PlanFile): { server?: Obj; floor: string; evidence: string; problem?: string } {
    const port = boundServicePort(plan);
    const servers = of(plan, "kubernetes:networking.istio.io/v1:Gateway").flatMap((g) =>
        ((g.inputs.spec?.servers ?? []) as Obj[]).map((s) => ({ s, ns: String(g.inputs.metadata?.namespace ?? "default") })),
    );
    const found = servers.find(({ s }) => s.port?.number === port);
    if (!found)
        return {
            floor: "none",
            evidence: `no Gateway server on the bound Service port ${port}`,
            problem: `the load balancer sends TLS to Service port ${port}, where no Gateway server listens`,
        };
    const { s, ns } = found;
    const tls = (s.tls ?? {}) as Obj;
    const terminates = ["HTTPS", "TLS"].includes(String(s.port?.protocol).toUpperCase()) && ["SIMPLE", "MUTUAL"].includes(String(tls.mode));
    if (!terminates)
        return {
            server: s,
            floor: "none",
            evidence: `Gateway server ${s.port?.name} protocol ${s.port?.protocol}, tls ${JSON.stringify(tls)}`,
            problem: `plaintext: the Gateway server on port ${port} does not terminate TLS (protocol ${s.port?.protocol}, tls.mode ${tls.mode ?? "unset"}); the load balancer's TLS would meet a plain listener`,
        };
    const secret = String(tls.credentialName ?? "");
    const issued = providedSecret(plan, ns, secret);
    const min = String(tls.minProtocolVersion ?? "TLSV1_2");
    return {
        server: s,
        floor: ISTIO_TLS[min] ?? `unknown (${min})`,
        evidence: `Gateway server ${s.port?.name}:${port} ${s.port?.protocol} ${tls.mode}, credentialName ${secret || "unset"}${issued ? " (issued in the plan)" : ""}, minProtocolVersion ${min}`,
        problem: !secret
            ? "the gateway's TLS server has no credentialName"
            : !issued
              ? `nothing in the plan provides Secret ${ns}/${secret} (no Secret, no issuer Job): the gateway would have no certificate`
              : !ISTIO_TLS[min]
                ? `minProtocolVersion ${min} is older than TLS 1.2`
                : undefined,
    };
}

/** Namespaces that hold the apps: a VirtualService routes into them. */
function appNamespaces(plan: PlanFile): string[] {
    const out = new Set<string>();
    for (const vs of of(plan, "kubernetes:networking.istio.io/v1:VirtualService")) out.add(String(vs.inputs.metadata?.namespace ?? "default"));
    return [...out];
}

// ---------------------------------------------------------------- data tier

const PGBOUNCER_SECURE_CLIENT = ["require", "verify-ca", "verify-full"];
const PGBOUNCER_VERIFYING_SERVER = ["verify-ca", "verify-full"];

function ini(text: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const line of text.split("\n")) {
        const m = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
        if (m) out.set(m[1], m[2]);
    }
    return out;
}

function pgbouncerHops(plan: PlanFile, mesh: Mesh, apps: string[]): Hop[] {
    const hops: Hop[] = [];
    const params = of(plan, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
    const paramOf = (pg: Planned | undefined, name: string) =>
        ((pg?.inputs.parameters ?? []) as Obj[]).find((p) => p.name === name)?.value as string | undefined;
    const clusters = of(plan, "aws:rds/cluster:Cluster");
    const deployments = of(plan, "kubernetes:apps/v1:Deployment");
    for (const cm of of(plan, "kubernetes:core/v1:ConfigMap").filter((c) =>
        Object.values(c.inputs.data ?? {}).some((v) => typeof v === "string" && v.includes("[pgbouncer]")),
    )) {
        const ns = String(cm.inputs.metadata?.namespace ?? "default");
        const cmName = String(cm.inputs.metadata?.name ?? "");
        const pods = deployments.find((d) => ((d.inputs.spec?.template?.spec?.volumes ?? []) as Obj[]).some((v) => v.configMap?.name === cmName));
        const podLabels = { ...(pods?.inputs.spec?.template?.metadata?.labels ?? {}), ...(pods?.inputs.spec?.template?.metadata?.annotations ?? {}) };
        for (const [file, text] of Object.entries<string>(cm.inputs.data ?? {})) {
            if (typeof text !== "string" || !text.includes("[pgbouncer]")) continue;
            const conf = ini(text);
            const label = `${cmName}/${file}`;
            const clientMode = conf.get("client_tls_sslmode") ?? "disable";
            for (const app of apps) {
                hops.push(
                    meshHop(mesh, `${app} app → PgBouncer ${label}`, ns, podLabels, () =>
                        PGBOUNCER_SECURE_CLIENT.includes(clientMode)
                            ? {
                                  hop: `${app} app → PgBouncer ${label}`,
                                  protocol: "PostgreSQL over TLS (PgBouncer client side)",
                                  floor: conf.get("client_tls_protocols") ?? "secure (PgBouncer default)",
                                  evidence: `client_tls_sslmode ${clientMode}`,
                              }
                            : undefined,
                    ),
                );
            }
            const mode = conf.get("server_tls_sslmode") ?? "prefer";
            const host = /host=(\S+)/.exec(text)?.[1] ?? "?";
            const cluster = clusters.find((c) => host.startsWith(`${c.inputs.clusterIdentifier}.`));
            const pgName = String(cluster?.inputs.dbClusterParameterGroupName ?? "");
            const pg = params.find(
                (p) => pgName && (p.inputs.name === pgName || p.identity?.id === pgName || String(p.identity?.arn ?? "").endsWith(`:${pgName}`)),
            );
            const force = paramOf(pg, "rds.force_ssl");
            const min = paramOf(pg, "ssl_min_protocol_version");
            const problems = [
                !PGBOUNCER_VERIFYING_SERVER.includes(mode)
                    ? `server_tls_sslmode ${mode} does not verify Aurora's certificate (use verify-full with the RDS CA bundle)`
                    : "",
                !conf.get("server_tls_ca_file") && PGBOUNCER_VERIFYING_SERVER.includes(mode) ? "server_tls_ca_file is unset" : "",
                force !== "1" ? `rds.force_ssl is ${JSON.stringify(force)} in the cluster parameter group, so Aurora accepts plain text` : "",
                min && !/^TLSv1\.[23]$/.test(min) ? `ssl_min_protocol_version ${min} is older than TLSv1.2` : "",
            ].filter(Boolean);
            hops.push({
                hop: `PgBouncer ${label} → Aurora ${cluster?.inputs.clusterIdentifier ?? host}`,
                protocol: `PostgreSQL over TLS (${mode})`,
                floor: min ? tlsVersion(min) : "PostgreSQL default (TLS 1.2)",
                evidence: `server_tls_sslmode ${mode}, server_tls_protocols ${conf.get("server_tls_protocols") ?? "secure"}; rds.force_ssl ${force}, ssl_min_protocol_version ${min ?? "unset"}`,
                problem: problems.length
                    ? (mode === "disable" || mode === "allow" || mode === "prefer" ? "plaintext possible: " : "") + problems.join("; ")
                    : undefined,
            });
        }
    }
    for (const c of clusters.filter((x) => x.inputs.globalClusterIdentifier)) {
        hops.push({
            hop: `Aurora ${c.inputs.clusterIdentifier} ↔ global database ${c.inputs.globalClusterIdentifier} (cross-region replication)`,
            protocol: "AWS-managed storage replication",
            floor: "AWS global network encryption",
            evidence: `globalClusterIdentifier ${c.inputs.globalClusterIdentifier}, storageEncrypted ${c.inputs.storageEncrypted}`,
        });
    }
    return hops;
}

function cacheHops(plan: PlanFile, apps: string[]): Hop[] {
    const hops: Hop[] = [];
    const iamUsers = of(plan, "aws:elasticache/user:User").filter((u) => u.inputs.authenticationMode?.type === "iam").length;
    for (const rg of of(plan, "aws:elasticache/replicationGroup:ReplicationGroup")) {
        const secondary = !!rg.inputs.globalReplicationGroupId;
        const on = rg.inputs.transitEncryptionEnabled === true || (secondary && rg.inputs.transitEncryptionEnabled !== false);
        const mode = rg.inputs.transitEncryptionMode ?? "required";
        const problem = !on
            ? `plaintext: transitEncryptionEnabled is ${JSON.stringify(rg.inputs.transitEncryptionEnabled)}`
            : mode === "preferred"
              ? 'plaintext accepted: transitEncryptionMode "preferred"'
              : undefined;
        for (const app of apps) {
            hops.push({
                hop: `${app} app → ElastiCache ${rg.name}`,
                protocol: on ? `RESP over TLS (${mode})` : "plaintext RESP",
                floor: on ? "TLS, version chosen by ElastiCache (no setting)" : "none",
                evidence: `transitEncryptionEnabled ${rg.inputs.transitEncryptionEnabled ?? "(inherited from the Global Datastore primary)"}, transitEncryptionMode ${mode}${iamUsers ? `; ${iamUsers} IAM-authenticated user(s), SigV4 token in AUTH` : ""}`,
                problem,
            });
        }
        if (secondary)
            hops.push({
                hop: `ElastiCache ${rg.name} ← Global Datastore ${rg.inputs.globalReplicationGroupId} (cross-region replication)`,
                protocol: "AWS-managed replication",
                floor: "AWS global network encryption",
                evidence: `globalReplicationGroupId ${rg.inputs.globalReplicationGroupId}`,
            });
    }
    return hops;
}

function queueHops(plan: PlanFile): Hop[] {
    return of(plan, "aws:sqs/queuePolicy:QueuePolicy").map((p) => {
        const doc = JSON.parse(String(p.inputs.policy ?? "{}")) as { Statement?: Obj[] };
        const denies = (doc.Statement ?? []).some((s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false");
        const url = String(p.inputs.queueUrl ?? "");
        return {
            hop: `apps → SQS ${url.split("/").pop()}`,
            protocol: "HTTPS (AWS API)",
            floor: TLS12,
            evidence: `queue URL ${url.split("/").slice(0, 3).join("/")}; policy ${denies ? "denies" : "does not deny"} aws:SecureTransport=false`,
            problem: denies ? undefined : "the queue policy does not deny requests without TLS (aws:SecureTransport false)",
        };
    });
}

// ---------------------------------------------------------------- observability

function releaseValues(plan: PlanFile, chart: string) {
    return plannedReleases(plan.resources).find((r) => r.chart === chart);
}

/**
 * The collector's TLS exporter against Jaeger's receiver on the port it dials: the receiver must present a
 * certificate there (configtls cert_file), the exporter must verify it (ca_file, not insecure_skip_verify),
 * and the Service port must not be declared HTTP/gRPC to Istio, whose sidecars would then parse the TLS bytes
 * as HTTP/2 (port name or appProtocol `tls`/`tcp`, or a name Istio does not recognise).
 */
function tlsToJaeger(hop: string, exporter: string, e: Obj, jaeger: Obj, collector: Obj): Hop {
    const port = Number(/:(\d+)$/.exec(String(e.endpoint ?? ""))?.[1]);
    const receivers = ((jaeger.userconfig as Obj | undefined)?.receivers ?? {}) as Obj;
    const grpc = Object.values<Obj>(receivers)
        .map((r) => r?.protocols?.grpc as Obj | undefined)
        .find((g) => Number(/:(\d+)$/.exec(String(g?.endpoint ?? ""))?.[1]) === port);
    const extra = (((jaeger.jaeger as Obj | undefined)?.service?.extraPorts ?? []) as Obj[]).find((p) => Number(p.port) === port);
    const portName = String(extra?.name ?? "");
    const minOf = (v: unknown) => (v ? `TLS ${String(v)}` : TLS12);
    const floors = [minOf(e.tls?.min_version), minOf(grpc?.tls?.min_version)].sort();
    const problems = [
        !grpc
            ? `Jaeger has no OTLP/gRPC receiver on port ${port}`
            : !grpc.tls?.cert_file
              ? `Jaeger's receiver on ${port} has no tls.cert_file: it speaks plain gRPC`
              : "",
        e.tls?.insecure_skip_verify === true ? `exporter ${exporter} skips verifying Jaeger's certificate (insecure_skip_verify)` : "",
        grpc && !extra ? `port ${port} is not on Jaeger's Service (jaeger.service.extraPorts)` : "",
        extra && /^(grpc|http|http2)(-|$)/.test(portName)
            ? `Jaeger's Service port ${port} is named ${portName}: Istio would parse the TLS as ${portName.split("-")[0]}`
            : "",
        unmounted(e.tls?.ca_file, collector)
            ? `the collector's ca_file ${e.tls.ca_file} is on no Secret volume of its pods (extraVolumes/extraVolumeMounts)`
            : "",
        grpc?.tls?.cert_file && unmounted(grpc.tls.cert_file, (jaeger.jaeger ?? {}) as Obj)
            ? `Jaeger's cert_file ${grpc.tls.cert_file} is on no Secret volume of its pods (jaeger.extraVolumes/extraVolumeMounts)`
            : "",
    ].filter(Boolean);
    return {
        hop,
        protocol: "OTLP/gRPC over TLS (inside Istio mTLS)",
        floor: floors[floors.length - 1],
        evidence: `exporter ${exporter} tls ${JSON.stringify(e.tls ?? {})}; Jaeger receiver ${grpc?.endpoint ?? "none"} tls ${JSON.stringify(grpc?.tls ?? {})}; Service port ${portName || "?"}`,
        problem: problems.length ? problems.join("; ") : undefined,
    };
}

/** Whether `file` lies on none of the chart values' Secret-backed extraVolumeMounts (a certificate file nothing provides). */
function unmounted(file: unknown, values: Obj): boolean {
    if (typeof file !== "string" || !file) return false;
    const secretVolumes = new Set(((values.extraVolumes ?? []) as Obj[]).filter((v) => v.secret?.secretName).map((v) => v.name));
    return !((values.extraVolumeMounts ?? []) as Obj[]).some((m) => secretVolumes.has(m.name) && file.startsWith(`${String(m.mountPath).replace(/\/$/, "")}/`));
}

function observabilityHops(plan: PlanFile, mesh: Mesh, apps: string[]): Hop[] {
    const hops: Hop[] = [];
    const domains = of(plan, "aws:opensearch/domain:Domain");
    const domainFloor = (host: string) => {
        const d = domains.find((x) => host.includes(String(x.inputs.domainName))) ?? (domains.length === 1 ? domains[0] : undefined);
        const ep = (d?.inputs.domainEndpointOptions ?? {}) as Obj;
        const policy = String(ep.tlsSecurityPolicy ?? "Policy-Min-TLS-1-0-2019-07");
        return {
            floor: /TLS-1-2/.test(policy) ? TLS12 : /TLS-1-3/.test(policy) ? "TLS 1.3" : "TLS 1.0",
            evidence: `domain enforceHttps ${ep.enforceHttps}, tlsSecurityPolicy ${policy}`,
            problem:
                ep.enforceHttps !== true
                    ? "the domain does not enforce HTTPS"
                    : !/TLS-1-[23]/.test(policy)
                      ? `tlsSecurityPolicy ${policy} accepts TLS older than 1.2`
                      : undefined,
        };
    };
    const otel = releaseValues(plan, "opentelemetry-collector");
    const jaeger = releaseValues(plan, "jaeger");
    if (otel) {
        const labels = (otel.values.podLabels ?? {}) as Obj;
        for (const app of apps) hops.push(meshHop(mesh, `${app} app → OTel collector (OTLP)`, otel.namespace, labels));
        const exporters = ((otel.values.config as Obj | undefined)?.exporters ?? {}) as Obj;
        for (const [name, e] of Object.entries<Obj>(exporters)) {
            if (!/^otlp/.test(name)) continue;
            const target = String(e.endpoint ?? "");
            const insecure = e.tls?.insecure === true || /^http:\/\//.test(target);
            const toJaeger = jaeger && target.includes(`${String(jaeger.values.fullnameOverride ?? jaeger.releaseName)}.`);
            const jaegerLabels = (jaeger?.values.jaeger as Obj | undefined)?.podLabels ?? {};
            const hop = `OTel collector → ${toJaeger ? "Jaeger" : target} (${name})`;
            if (!insecure) {
                hops.push(
                    toJaeger
                        ? tlsToJaeger(hop, name, e, jaeger.values, otel.values)
                        : {
                              hop,
                              protocol: "OTLP/gRPC over TLS",
                              floor: e.tls?.min_version ? `TLS ${e.tls.min_version}` : TLS12,
                              evidence: `exporter ${name} tls ${JSON.stringify(e.tls ?? {})}`,
                          },
                );
                continue;
            }
            // A plaintext exporter is still encrypted on the wire when both ends are in the mesh under STRICT mTLS.
            const sender = notInStrictMesh(mesh, otel.namespace, labels);
            const receiver = toJaeger ? notInStrictMesh(mesh, jaeger.namespace, jaegerLabels) : "the receiver is outside the plan";
            hops.push(
                !sender && !receiver
                    ? {
                          hop,
                          protocol: "OTLP/gRPC in Istio mTLS",
                          floor: mesh.floor,
                          evidence: `exporter ${name} hands plain gRPC to its own sidecar; both pods in the mesh, STRICT`,
                      }
                    : {
                          hop,
                          protocol: "plaintext OTLP/gRPC",
                          floor: "none",
                          evidence: `exporter ${name} tls.insecure`,
                          problem: `plaintext: exporter ${name} has tls.insecure and ${sender ?? receiver}`,
                      },
            );
        }
    }
    if (jaeger) {
        const backends = ((jaeger.values.userconfig as Obj | undefined)?.extensions?.jaeger_storage?.backends ?? {}) as Obj;
        for (const [name, b] of Object.entries<Obj>(backends)) {
            for (const url of (b.opensearch?.server_urls ?? []) as string[]) {
                const d = domainFloor(url);
                const https = url.startsWith("https://");
                hops.push({
                    hop: `Jaeger → OpenSearch (${name})`,
                    protocol: https ? "HTTPS (SigV4)" : "plaintext HTTP",
                    floor: https ? d.floor : "none",
                    evidence: `${url}; ${d.evidence}`,
                    problem: !https ? `plaintext: ${url}` : d.problem,
                });
            }
        }
    }
    const kps = releaseValues(plan, "kube-prometheus-stack");
    const grafana = (kps?.values.grafana ?? {}) as Obj;
    // Prometheus's web port and every client of it, Grafana's Prometheus data sources among them: prometheus-transit.ts.
    if (kps) hops.push(...prometheusHops(plan, mesh, kps));
    if (kps && grafana.enabled !== false) {
        const prometheus = `${kps.releaseName}-prometheus.${kps.namespace}`;
        // The chart's Alertmanager data source (templates/grafana/configmaps-datasources.yaml) unless switched off, and the plan's own.
        const sidecar = (grafana.sidecar?.datasources ?? {}) as Obj;
        const alertmanager =
            sidecar.enabled !== false && sidecar.alertmanager?.enabled !== false
                ? [
                      {
                          name: sidecar.alertmanager?.name ?? "Alertmanager",
                          url:
                              sidecar.alertmanager?.url ??
                              `http://${kps.releaseName}-alertmanager.${kps.namespace}:${(kps.values.alertmanager as Obj | undefined)?.service?.port ?? 9093}/`,
                      },
                  ]
                : [];
        for (const d of [...alertmanager, ...((grafana.additionalDataSources ?? []) as Obj[])].filter((x) => !String(x.url ?? "").includes(prometheus))) {
            const url = String(d.url ?? "");
            const host = /^\w+:\/\/([^:/]+)/.exec(url)?.[1] ?? "";
            const targetNs = host.split(".")[1] ?? kps.namespace;
            const hop = `Grafana → ${d.name} data source (${url})`;
            if (url.startsWith("https://")) {
                hops.push({ hop, protocol: "HTTPS", floor: TLS12, evidence: url });
                continue;
            }
            const sender = notInStrictMesh(mesh, kps.namespace, (grafana.podLabels ?? {}) as Obj);
            const receiver = notInStrictMesh(mesh, targetNs);
            hops.push(
                !sender && !receiver
                    ? { hop, protocol: "HTTP in Istio mTLS", floor: mesh.floor, evidence: `Grafana pods and ${targetNs} in the mesh, STRICT` }
                    : {
                          hop,
                          protocol: "plaintext HTTP",
                          floor: "none",
                          evidence: (sender ?? receiver) as string,
                          problem: `plaintext: ${url} and ${sender ? `Grafana: ${sender}` : `the target: ${receiver}`}`,
                      },
            );
        }
    }
    const fluent = releaseValues(plan, "fluent-bit");
    const outputs = String((fluent?.values.config as Obj | undefined)?.outputs ?? "");
    for (const block of outputs.split("[OUTPUT]").slice(1)) {
        const conf = new Map(
            block
                .split("\n")
                .map((l) => l.trim().split(/\s+/))
                .filter((p) => p.length >= 2)
                .map((p) => [p[0].toLowerCase(), p.slice(1).join(" ")]),
        );
        if (conf.get("name") !== "opensearch") continue;
        const host = conf.get("host") ?? "?";
        const tls = /^on$/i.test(conf.get("tls") ?? "off");
        const d = domainFloor(host);
        hops.push({
            hop: `Fluent Bit (${conf.get("match")}) → OpenSearch`,
            protocol: tls ? "HTTPS (SigV4)" : "plaintext HTTP",
            floor: tls ? d.floor : "none",
            evidence: `tls ${conf.get("tls") ?? "Off"}, port ${conf.get("port")}; ${d.evidence}`,
            problem: !tls ? `plaintext: the opensearch output to ${host} has TLS Off` : d.problem,
        });
    }
    return hops;
}

/**
 * Prometheus scrapes the program configures: each ServiceMonitor/PodMonitor endpoint. An https endpoint is TLS; a
 * plain one is judged by its server's facts (platform-transit.ts): the PodMonitor by its path, the ServiceMonitor by
 * its port name, or by the port number that name has on the selected namespaces' pods.
 */
function scrapeHops(plan: PlanFile): Hop[] {
    const monitors = [...of(plan, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"), ...of(plan, "kubernetes:monitoring.coreos.com/v1:PodMonitor")];
    const workloads = platformWorkloads(plan, APP_NAMESPACE);
    return monitors.flatMap((m) =>
        ((m.inputs.spec?.endpoints ?? m.inputs.spec?.podMetricsEndpoints ?? []) as Obj[]).map((e): Hop => {
            const hop = `Prometheus → ${m.inputs.kind} ${m.inputs.metadata?.namespace}/${m.inputs.metadata?.name} (${e.port ?? e.path ?? "metrics"})`;
            if (e.scheme === "https")
                return { hop, protocol: "HTTPS scrape", floor: TLS12, evidence: `scheme https, tlsConfig ${JSON.stringify(e.tlsConfig ?? {})}` };
            const spec = (m.inputs.spec ?? {}) as Obj;
            const names = (spec.namespaceSelector?.matchNames ?? []) as string[];
            const selected = workloads.filter(
                (w) =>
                    (spec.namespaceSelector?.any === true || names.includes(w.namespace)) &&
                    Object.entries(spec.selector?.matchLabels ?? {}).every(([k, v]) => w.labels[k] === v),
            );
            const candidates = selected.length ? selected : workloads.filter((w) => names.includes(w.namespace));
            const port = candidates.map((w) => w.ports[String(e.port)]).find((x) => x !== undefined);
            const fact = serverFacts().find(
                (f) =>
                    (e.path && f.match.paths?.includes(String(e.path))) ||
                    (e.port && f.match.portNames?.includes(String(e.port))) ||
                    (port !== undefined &&
                        f.match.port === port &&
                        candidates.some((w) => Object.entries(f.match.labels ?? {}).every(([k, v]) => w.labels[k] === v))),
            );
            if (!fact)
                return {
                    hop,
                    protocol: "plaintext HTTP scrape",
                    floor: "none",
                    evidence: `scheme ${e.scheme ?? "http (default)"}`,
                    problem:
                        "plaintext: the scrape endpoint is plain HTTP and no server fact (test/upstream/transit/servers.json) says what its server offers; scrape over https or add the server's facts",
                };
            return judgeByServer(plan, hop, fact, { throughLoadBalancer: false, inVpc: true }).hop;
        }),
    );
}

// ---------------------------------------------------------------- the check

/** The hops walked one by one from the plan's settings (edge, ingress, data tier, queues, observability, scrapes). */
function walkedHops(plan: PlanFile): Hop[] {
    const mesh = meshOf(plan);
    const apps = appNamespaces(plan);
    return [
        ...edgeHops(plan),
        ...ingressHops(plan, mesh),
        ...pgbouncerHops(plan, mesh, apps),
        ...cacheHops(plan, apps),
        ...queueHops(plan),
        ...observabilityHops(plan, mesh, apps),
        ...scrapeHops(plan),
    ];
}

/** The NetworkPolicy model's hops with their transit verdicts (platform-transit.ts), against this plan's hop-by-hop walk. */
export function platformTransitOf(plan: PlanFile, walked: readonly Hop[] = walkedHops(plan)) {
    const mesh = meshOf(plan);
    return platformTransit(plan, APP_NAMESPACE, walked, { why: (ns, labels) => notInStrictMesh(mesh, ns, labels), floor: mesh.floor });
}

/** Every hop of one stack's plan: the hop-by-hop walk, and the rows the NetworkPolicy model's other hops add. */
export function transitHops(plan: PlanFile): Hop[] {
    const walked = walkedHops(plan);
    return [...walked, ...platformTransitOf(plan, walked).rows];
}

export const inTransit: ReadinessCheck = (plan) => ({
    title: "encryption in transit",
    items: transitHops(plan).map((h): ReadinessItem => {
        return { subject: h.hop, detail: `${h.protocol}, floor ${h.floor} (${h.evidence})`, ...(h.problem ? { problem: h.problem } : {}) };
    }),
});

/** A hop's name with stack-specific parts made generic (resource prefixes, shard numbers, origin hosts). */
export function genericHop(hop: string): string {
    return hop
        .replace(/\bbb-(?!edge-)[a-z0-9]+-/g, "bb-<region>-")
        .replace(/shard-\d+/g, "shard-N")
        .replace(/\(\S+\.api\.bookedbarber\.com\)/g, "(<origin host>)")
        .replace(/origin (us|eu|apac)-(primary|standby|failover)/g, "origin <zone>-$2")
        .replace(/Global Datastore \S+/g, "Global Datastore <primary>")
        .replace(/global database \S+/g, "global database <zone shard>")
        .replace(/Aurora bb-<region>-db-shard-N/g, "Aurora shard-N");
}

/** The hop table of docs/encryption-in-transit.md: every distinct hop of the given plans, made generic. */
export function hopTable(plans: readonly PlanFile[]): string {
    const rows = new Map<string, string>();
    for (const plan of plans) {
        for (const h of transitHops(plan)) {
            const hop = genericHop(h.hop);
            const row = `| \`${hop}\` | ${h.problem ? "**plaintext**" : h.protocol} | ${h.problem ? "none" : h.floor} |`;
            if (!rows.has(hop)) rows.set(hop, row);
        }
    }
    return ["| hop | protocol | TLS floor |", "| --- | --- | --- |", ...rows.values()].join("\n");
}
