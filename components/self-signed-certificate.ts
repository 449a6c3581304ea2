import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/**
 * A self-signed TLS certificate that lives only in the cluster (docs/encryption-in-transit.md, "Where the
 * certificates come from"): a Job issues it into a `kubernetes.io/tls` Secret at deploy time and a CronJob
 * renews it before it expires. The private key never leaves the namespace (no Pulumi state, no Secrets
 * Manager); the Secret is envelope-encrypted by the cluster's KMS key like every other Secret.
 *
 * Used where the client does not need a public certificate: the ingress NLB does not validate its targets'
 * certificates, the OTel collector trusts Jaeger's certificate through `ca.crt` of the same Secret, and
 * Prometheus's clients in other namespaces trust Prometheus's through the CA ConfigMap the issuer writes into
 * each of `trustNamespaces`. Clients that load the CA once are restarted on renewal (`restartOnRenew`).
 */
export interface SelfSignedCertificateArgs {
    namespace: string;
    /** Name of the Secret (tls.crt, tls.key and ca.crt = tls.crt). */
    secretName: string;
    /** Subject alternative names; the first is also the common name. */
    dnsNames: string[];
    /**
     * Namespaces whose pods must trust the certificate: the issuer writes its CA (`ca.crt`, never the key) into a
     * ConfigMap named `trustConfigMap` in each. The ConfigMaps are created empty here and filled by the issuer.
     */
    trustNamespaces?: string[];
    /** Name of the CA ConfigMap in each trust namespace. Default `<secretName>-ca`. */
    trustConfigMap?: string;
    /**
     * Workloads that load the CA once at start: the issuer restarts them (a pod-template annotation with the CA's
     * digest) whenever the CA changes, after it has written the new one.
     */
    restartOnRenew?: RestartTarget[];
    /** Must exist first: the namespaces above among them. */
    dependsOn?: pulumi.Resource[];
}

/**
 * A workload the issuer restarts when the CA changes: a Deployment or StatefulSet through its pod template, or an
 * Alertmanager resource through `spec.podMetadata.annotations`, which the Prometheus Operator copies into the pod
 * template of the StatefulSet it owns (pkg/alertmanager/statefulset.go); the operator would overwrite a change made to
 * that StatefulSet directly, since its input hash covers the StatefulSet's live spec (pkg/alertmanager/operator.go).
 */
export interface RestartTarget {
    kind: "Deployment" | "StatefulSet" | "Alertmanager";
    namespace: string;
    name: string;
}

/** The pod-template annotation the issuer sets on each restart target: the SHA-256 of the CA bundle the pods must load. */
export const RESTART_ANNOTATION = "bookedbarber.io/trusted-ca-sha256";
/** Each restartable kind's API group and resource. */
const WORKLOAD_RESOURCES: Record<RestartTarget["kind"], { group: string; resource: string }> = {
    Deployment: { group: "apps", resource: "deployments" },
    StatefulSet: { group: "apps", resource: "statefulsets" },
    Alertmanager: { group: "monitoring.coreos.com", resource: "alertmanagers" },
};

/**
 * Every issuer pod carries this label: the namespaces' NetworkPolicies let exactly these pods reach the API server
 * (they write the certificate Secret), and the platform hop check finds them by it.
 */
export const CERTIFICATE_ISSUER_POD_LABELS = { "app.kubernetes.io/component": "certificate-issuer" } as const;

/** Validity of each certificate, and how long before expiry the CronJob replaces it. */
export const SELF_SIGNED_VALIDITY_DAYS = 365;
export const SELF_SIGNED_RENEW_BEFORE_DAYS = 30;
/** Daily: a renewal that fails is retried the next day, 29 times before the certificate expires. */
export const SELF_SIGNED_RENEW_SCHEDULE = "17 3 * * *";
/** Debian's python image: the script needs python3 and the openssl CLI (a dependency of ca-certificates). */
export const SELF_SIGNED_ISSUER_IMAGE = "public.ecr.aws/docker/library/python:3.13-slim";

/**
 * The issuer script: reads the Secret through the API server with the pod's own token, leaves it alone while
 * it is valid for more than RENEW_BEFORE_DAYS, otherwise writes a fresh P-256 key and certificate, with `ca.crt`
 * holding the new certificate and the one it replaces (while that is still valid). Then, on every run, it brings
 * each trust namespace's ConfigMap to that CA bundle and restarts the workloads that must re-read it.
 */
export const ISSUER_SCRIPT = `import base64, hashlib, json, os, subprocess, sys, urllib.error, urllib.request, ssl
ns, name = os.environ["NAMESPACE"], os.environ["SECRET_NAME"]
names = os.environ["DNS_NAMES"].split(",")
# Where the CA goes (a ConfigMap of this name in each namespace) and who must re-read it: kind/namespace/name.
trust_cm = os.environ.get("TRUST_CONFIGMAP", "")
trust_ns = [n for n in os.environ.get("TRUST_NAMESPACES", "").split(",") if n]
restart = [t.split("/") for t in os.environ.get("RESTART_ON_RENEW", "").split(",") if t]
annotation = os.environ.get("RESTART_ANNOTATION", "")
sa = "/var/run/secrets/kubernetes.io/serviceaccount"
token = open(sa + "/token").read().strip()
ctx = ssl.create_default_context(cafile=sa + "/ca.crt")
# The API server's address as every pod gets it (what client-go's in-cluster config reads).
api = "https://%s:%s" % (os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"])
# kind: (API prefix, resource, where the pod annotations live, patch type). A custom resource takes no strategic merge patch.
WORKLOADS = {"Deployment": ("/apis/apps/v1", "deployments", ("template", "metadata"), "application/strategic-merge-patch+json"),
             "StatefulSet": ("/apis/apps/v1", "statefulsets", ("template", "metadata"), "application/strategic-merge-patch+json"),
             "Alertmanager": ("/apis/monitoring.coreos.com/v1", "alertmanagers", ("podMetadata",), "application/merge-patch+json")}

def call(method, path, body=None, content_type="application/json"):
    req = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        if e.code == 404 and method == "GET":
            return None
        raise

def valid_for(pem, seconds):
    return subprocess.run(["openssl", "x509", "-noout", "-checkend", str(seconds)], input=pem, stdout=subprocess.DEVNULL).returncode == 0

secret_path = "/api/v1/namespaces/%s/secrets/%s" % (ns, name)
current = call("GET", secret_path)
data = (current or {}).get("data") or {}
if "tls.crt" in data and valid_for(base64.b64decode(data["tls.crt"]), int(os.environ["RENEW_BEFORE_DAYS"]) * 86400):
    print("%s/%s is valid for more than %s days; nothing to issue" % (ns, name, os.environ["RENEW_BEFORE_DAYS"]))
    bundle = base64.b64decode(data.get("ca.crt") or data["tls.crt"])
else:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "/tmp/tls.key", "-out", "/tmp/tls.crt", "-days", os.environ["VALIDITY_DAYS"],
                    "-subj", "/CN=" + names[0], "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in names)], check=True)
    crt, key = open("/tmp/tls.crt", "rb").read(), open("/tmp/tls.key", "rb").read()
    # ca.crt keeps the certificate being replaced while it is still valid: a server takes up the new one on its own
    # schedule (kubelet volume sync, file reload), and a client restarted with the new CA must accept the old one until then.
    bundle = crt
    if "tls.crt" in data:
        old = base64.b64decode(data["tls.crt"])
        if valid_for(old, 0):
            bundle = crt + (old if old.endswith(b"\\n") else old + b"\\n")
    b64 = lambda b: base64.b64encode(b).decode()
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
              "data": {"tls.crt": b64(crt), "tls.key": b64(key), "ca.crt": b64(bundle)},
              "metadata": {"name": name, "namespace": ns, "labels": {"app.kubernetes.io/managed-by": "self-signed-issuer"}}}
    if current:
        secret["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        call("PUT", secret_path, secret)
    else:
        call("POST", "/api/v1/namespaces/%s/secrets" % ns, secret)
    print("issued %s/%s for %s" % (ns, name, ", ".join(names)))

# The CA, never the key, in each trust namespace's ConfigMap (created empty with the certificate; only its data is ours).
ca = bundle.decode()
for n in trust_ns:
    path = "/api/v1/namespaces/%s/configmaps/%s" % (n, trust_cm)
    cm = call("GET", path)
    if cm is None:
        sys.exit("ConfigMap %s/%s does not exist: it is created with the certificate, so the deployment is incomplete" % (n, trust_cm))
    if (cm.get("data") or {}).get("ca.crt") != ca:
        cm["data"] = dict(cm.get("data") or {}, **{"ca.crt": ca})
        call("PUT", path, cm)
        print("wrote the CA to %s/%s" % (n, trust_cm))

# Clients that load the CA once at start are restarted when it changes: a pod-template annotation with the CA's digest
# (unchanged CA, unchanged template, no rollout). A workload that does not exist yet reads the current CA when it starts.
digest = hashlib.sha256(bundle).hexdigest()
for kind, n, w in restart:
    prefix, resource, at, patch_type = WORKLOADS[kind]
    path = "%s/namespaces/%s/%s/%s" % (prefix, n, resource, w)
    obj = call("GET", path)
    if obj is None:
        print("%s %s/%s does not exist yet" % (kind, n, w))
        continue
    meta = obj.get("spec") or {}
    for k in at:
        meta = meta.get(k) or {}
    if (meta.get("annotations") or {}).get(annotation) == digest:
        continue
    patch = {"annotations": {annotation: digest}}
    for k in reversed(at):
        patch = {k: patch}
    call("PATCH", path, {"spec": patch}, patch_type)
    print("restarted %s %s/%s for the new CA" % (kind, n, w))
`;

/** The pod that runs the issuer: restricted Pod Security, no sidecar (a Job's pod must be able to finish). */
export function issuerPodSpec(args: SelfSignedCertificateArgs, serviceAccount: string, configMap: string): k8s.types.input.core.v1.PodSpec {
    return {
        serviceAccountName: serviceAccount,
        restartPolicy: "OnFailure",
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
            {
                name: "issuer",
                image: SELF_SIGNED_ISSUER_IMAGE,
                command: ["python3", "/script/issue.py"],
                env: [
                    { name: "NAMESPACE", value: args.namespace },
                    { name: "SECRET_NAME", value: args.secretName },
                    { name: "DNS_NAMES", value: args.dnsNames.join(",") },
                    { name: "VALIDITY_DAYS", value: String(SELF_SIGNED_VALIDITY_DAYS) },
                    { name: "RENEW_BEFORE_DAYS", value: String(SELF_SIGNED_RENEW_BEFORE_DAYS) },
                    { name: "TRUST_CONFIGMAP", value: trustConfigMapOf(args) },
                    { name: "TRUST_NAMESPACES", value: (args.trustNamespaces ?? []).join(",") },
                    { name: "RESTART_ON_RENEW", value: (args.restartOnRenew ?? []).map((t) => `${t.kind}/${t.namespace}/${t.name}`).join(",") },
                    { name: "RESTART_ANNOTATION", value: RESTART_ANNOTATION },
                ],
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [
                    { name: "script", mountPath: "/script", readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                ],
            },
        ],
        volumes: [
            { name: "script", configMap: { name: configMap } },
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
        ],
    };
}

/** The CA ConfigMap's name in the trust namespaces. */
export function trustConfigMapOf(args: Pick<SelfSignedCertificateArgs, "secretName" | "trustConfigMap">): string {
    return args.trustConfigMap ?? `${args.secretName}-ca`;
}

/** Refuses arguments the issuer could not act on, before anything is registered. */
function validate(name: string, args: SelfSignedCertificateArgs): void {
    const fail = (what: string) => {
        throw new Error(`selfSignedCertificate ${name}: ${what}`);
    };
    if (args.dnsNames.length === 0) fail("dnsNames is empty; give at least one DNS name for the certificate");
    const trust = args.trustNamespaces ?? [];
    const twice = trust.filter((n, i) => trust.indexOf(n) !== i);
    if (twice.length) fail(`trustNamespaces lists ${twice.join(", ")} more than once`);
    if (trust.some((n) => !n)) fail("trustNamespaces holds an empty namespace name");
    for (const t of args.restartOnRenew ?? []) {
        if (!(t.kind in WORKLOAD_RESOURCES))
            fail(
                `restartOnRenew kind ${JSON.stringify(t.kind)} (${t.namespace}/${t.name}) is not restartable; allowed: ${Object.keys(WORKLOAD_RESOURCES).join(", ")}`,
            );
        if (!t.namespace || !t.name) fail(`restartOnRenew ${JSON.stringify(t)} needs a namespace and a name`);
    }
}

/**
 * The RBAC rules the issuer needs in each namespace: its own Secret (get/update by name; `create` cannot be limited
 * by name in RBAC, so the namespace bounds it), the CA ConfigMap of each trust namespace (get/update by name: the
 * ConfigMap is created here, so the issuer never needs `create` outside its namespace), and the restart targets
 * (get/patch by name).
 */
export function issuerRules(args: SelfSignedCertificateArgs): Map<string, k8s.types.input.rbac.v1.PolicyRule[]> {
    const rules = new Map<string, k8s.types.input.rbac.v1.PolicyRule[]>();
    const add = (ns: string, rule: k8s.types.input.rbac.v1.PolicyRule) => rules.set(ns, [...(rules.get(ns) ?? []), rule]);
    add(args.namespace, { apiGroups: [""], resources: ["secrets"], resourceNames: [args.secretName], verbs: ["get", "update"] });
    add(args.namespace, { apiGroups: [""], resources: ["secrets"], verbs: ["create"] });
    for (const ns of args.trustNamespaces ?? [])
        add(ns, { apiGroups: [""], resources: ["configmaps"], resourceNames: [trustConfigMapOf(args)], verbs: ["get", "update"] });
    const targets = args.restartOnRenew ?? [];
    for (const ns of [...new Set(targets.map((t) => t.namespace))])
        for (const kind of Object.keys(WORKLOAD_RESOURCES) as RestartTarget["kind"][]) {
            const names = targets.filter((t) => t.namespace === ns && t.kind === kind).map((t) => t.name);
            const { group, resource } = WORKLOAD_RESOURCES[kind];
            if (names.length) add(ns, { apiGroups: [group], resources: [resource], resourceNames: names, verbs: ["get", "patch"] });
        }
    return rules;
}

/** The issuer's Kubernetes objects in `args.namespace` (and its trust and restart namespaces); returns the Job, which the certificate's users may depend on. */
export function selfSignedCertificate(name: string, args: SelfSignedCertificateArgs, opts: pulumi.CustomResourceOptions) {
    validate(name, args);
    const issuer = `${args.secretName}-issuer`;
    const o = { ...opts, dependsOn: args.dependsOn };
    const meta = { name: issuer, namespace: args.namespace, labels: { "app.kubernetes.io/name": issuer } };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta }, o);
    const roles: k8s.rbac.v1.Role[] = [];
    const bindings: k8s.rbac.v1.RoleBinding[] = [];
    for (const [ns, rules] of issuerRules(args)) {
        // The certificate's own namespace keeps the resource names it always had.
        const suffix = ns === args.namespace ? "" : `-${ns}`;
        const m = { ...meta, namespace: ns };
        roles.push(new k8s.rbac.v1.Role(`${name}-role${suffix}`, { metadata: m, rules }, o));
        bindings.push(
            new k8s.rbac.v1.RoleBinding(
                `${name}-binding${suffix}`,
                {
                    metadata: m,
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: issuer },
                    subjects: [{ kind: "ServiceAccount", name: issuer, namespace: args.namespace }],
                },
                o,
            ),
        );
    }
    // Empty until the issuer writes the CA; the issuer owns `data`, so a deploy never resets it.
    const trust = (args.trustNamespaces ?? []).map(
        (ns) =>
            new k8s.core.v1.ConfigMap(
                `${name}-ca-${ns}`,
                { metadata: { name: trustConfigMapOf(args), namespace: ns, labels: { "app.kubernetes.io/managed-by": "self-signed-issuer" } } },
                { ...o, ignoreChanges: ["data"] },
            ),
    );
    const script = new k8s.core.v1.ConfigMap(`${name}-script`, { metadata: meta, data: { "issue.py": ISSUER_SCRIPT } }, o);
    const deps = { ...opts, dependsOn: [sa, ...roles, ...bindings, ...trust, script] };
    const pod = issuerPodSpec(args, issuer, issuer);
    const podMeta = {
        labels: { "app.kubernetes.io/name": issuer, ...CERTIFICATE_ISSUER_POD_LABELS, "sidecar.istio.io/inject": "false" },
        annotations: { "bookedbarber.io/script-sha256": createHash("sha256").update(ISSUER_SCRIPT).digest("hex") },
    };
    const job = new k8s.batch.v1.Job(
        `${name}-issue`,
        {
            metadata: { namespace: args.namespace, labels: meta.labels },
            spec: { backoffLimit: 6, template: { metadata: podMeta, spec: pod } },
        },
        deps,
    );
    const renew = new k8s.batch.v1.CronJob(
        `${name}-renew`,
        {
            metadata: meta,
            spec: {
                schedule: SELF_SIGNED_RENEW_SCHEDULE,
                concurrencyPolicy: "Forbid",
                successfulJobsHistoryLimit: 1,
                failedJobsHistoryLimit: 3,
                jobTemplate: { spec: { backoffLimit: 3, template: { metadata: podMeta, spec: pod } } },
            },
        },
        deps,
    );
    return { serviceAccount: sa, role: roles[0], binding: bindings[0], roles, bindings, trust, job, renew };
}
