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
 * certificates, and the OTel collector trusts Jaeger's certificate through `ca.crt` of the same Secret.
 */
export interface SelfSignedCertificateArgs {
    namespace: string;
    /** Name of the Secret (tls.crt, tls.key and ca.crt = tls.crt). */
    secretName: string;
    /** Subject alternative names; the first is also the common name. */
    dnsNames: string[];
    dependsOn?: pulumi.Resource[];
}

/** Validity of each certificate, and how long before expiry the CronJob replaces it. */
/**
 * Every issuer pod carries this label: the namespaces' NetworkPolicies let exactly these pods reach the API server
 * (they write the certificate Secret), and the platform hop check finds them by it.
 */
export const CERTIFICATE_ISSUER_POD_LABELS = { "app.kubernetes.io/component": "certificate-issuer" } as const;

export const SELF_SIGNED_VALIDITY_DAYS = 365;
export const SELF_SIGNED_RENEW_BEFORE_DAYS = 30;
/** Daily: a renewal that fails is retried the next day, 29 times before the certificate expires. */
export const SELF_SIGNED_RENEW_SCHEDULE = "17 3 * * *";
/** Debian's python image: the script needs python3 and the openssl CLI (a dependency of ca-certificates). */
export const SELF_SIGNED_ISSUER_IMAGE = "public.ecr.aws/docker/library/python:3.13-slim";

/**
 * The issuer script: reads the Secret through the API server with the pod's own token, leaves it alone while
 * it is valid for more than RENEW_BEFORE_DAYS, otherwise writes a fresh P-256 key and certificate.
 */
export const ISSUER_SCRIPT = `import base64, json, os, subprocess, sys, urllib.error, urllib.request, ssl
ns, name = os.environ["NAMESPACE"], os.environ["SECRET_NAME"]
names = os.environ["DNS_NAMES"].split(",")
sa = "/var/run/secrets/kubernetes.io/serviceaccount"
token = open(sa + "/token").read().strip()
ctx = ssl.create_default_context(cafile=sa + "/ca.crt")
# The API server's address as every pod gets it (what client-go's in-cluster config reads).
api = "https://%s:%s" % (os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"])
base = api + "/api/v1/namespaces/%s/secrets" % ns

def call(method, path="", body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        if e.code == 404 and method == "GET":
            return None
        raise

current = call("GET", "/" + name)
if current and "tls.crt" in (current.get("data") or {}):
    crt = base64.b64decode(current["data"]["tls.crt"])
    seconds = int(os.environ["RENEW_BEFORE_DAYS"]) * 86400
    if subprocess.run(["openssl", "x509", "-noout", "-checkend", str(seconds)], input=crt).returncode == 0:
        print("%s/%s is valid for more than %s days; nothing to do" % (ns, name, os.environ["RENEW_BEFORE_DAYS"]))
        sys.exit(0)
subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "/tmp/tls.key", "-out", "/tmp/tls.crt", "-days", os.environ["VALIDITY_DAYS"],
                "-subj", "/CN=" + names[0], "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in names)], check=True)
data = {k: base64.b64encode(open("/tmp/" + f, "rb").read()).decode() for k, f in (("tls.crt", "tls.crt"), ("tls.key", "tls.key"), ("ca.crt", "tls.crt"))}
secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls", "data": data,
          "metadata": {"name": name, "namespace": ns, "labels": {"app.kubernetes.io/managed-by": "self-signed-issuer"}}}
if current:
    secret["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
    call("PUT", "/" + name, secret)
else:
    call("POST", "", secret)
print("issued %s/%s for %s" % (ns, name, ", ".join(names)))
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

/** The issuer's Kubernetes objects in `args.namespace`; returns the Job, which the certificate's users may depend on. */
export function selfSignedCertificate(name: string, args: SelfSignedCertificateArgs, opts: pulumi.CustomResourceOptions) {
    if (args.dnsNames.length === 0) throw new Error(`selfSignedCertificate ${name}: dnsNames is empty; give at least one DNS name for the certificate`);
    const issuer = `${args.secretName}-issuer`;
    const o = { ...opts, dependsOn: args.dependsOn };
    const meta = { name: issuer, namespace: args.namespace, labels: { "app.kubernetes.io/name": issuer } };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta }, o);
    // Read and replace this one Secret; `create` cannot be limited by name in RBAC, so the namespace bounds it.
    const role = new k8s.rbac.v1.Role(
        `${name}-role`,
        {
            metadata: meta,
            rules: [
                { apiGroups: [""], resources: ["secrets"], resourceNames: [args.secretName], verbs: ["get", "update"] },
                { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
            ],
        },
        o,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
        `${name}-binding`,
        {
            metadata: meta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: issuer },
            subjects: [{ kind: "ServiceAccount", name: issuer, namespace: args.namespace }],
        },
        o,
    );
    const script = new k8s.core.v1.ConfigMap(`${name}-script`, { metadata: meta, data: { "issue.py": ISSUER_SCRIPT } }, o);
    const deps = { ...opts, dependsOn: [sa, role, binding, script] };
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
    return { serviceAccount: sa, role, binding, job, renew };
}
