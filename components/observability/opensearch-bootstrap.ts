/**
 * What the in-cluster bootstrap Job applies to the OpenSearch domain, through
 * its REST API signed with the Job's Pod Identity credentials (the Job's role
 * is the domain's fine-grained access control master user):
 *  - the ISM policy that deletes log and trace indices after the retention
 *    (spec: "Elasticsearch: 30-day retention");
 *  - the security roles the writers need, mapped to their IAM roles.
 */

export const LOG_INDEX_PREFIX = "logs";
export const TRACE_INDEX_PREFIX = "traces";
/** The bootstrap Job's service account: the OpenSearch master role (Pod Identity) is bound to it. */
export const OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT = "opensearch-bootstrap";

/**
 * ISM policy: indices of logs and traces are deleted `retentionDays` after creation;
 * with `warmAfterDays`, they move to UltraWarm (warm_migration) that many days after creation first.
 */
export function ismPolicy(retentionDays: number, warmAfterDays?: number) {
    const warm = warmAfterDays !== undefined && warmAfterDays < retentionDays;
    const toDelete = { state_name: "delete", conditions: { min_index_age: `${retentionDays}d` } };
    return {
        policy: {
            description: warm
                ? `Move log and trace indices to UltraWarm ${warmAfterDays} days after creation and delete them after ${retentionDays} (spec: ${retentionDays}-day retention)`
                : `Delete log and trace indices ${retentionDays} days after creation (spec: ${retentionDays}-day retention)`,
            default_state: "hot",
            states: warm
                ? [
                      { name: "hot", actions: [], transitions: [{ state_name: "warm", conditions: { min_index_age: `${warmAfterDays}d` } }] },
                      { name: "warm", actions: [{ warm_migration: {} }], transitions: [toDelete] },
                      { name: "delete", actions: [{ delete: {} }], transitions: [] },
                  ]
                : [
                      { name: "hot", actions: [], transitions: [toDelete] },
                      { name: "delete", actions: [{ delete: {} }], transitions: [] },
                  ],
            ism_template: [{ index_patterns: [`${LOG_INDEX_PREFIX}-*`, `${TRACE_INDEX_PREFIX}-*`], priority: 100 }],
        },
    };
}

/** Security roles: writers get only their own index prefix. */
export function securityRoles() {
    const writer = (prefix: string, read: boolean) => ({
        cluster_permissions: [
            "cluster_monitor",
            "cluster_composite_ops",
            "indices:admin/template/*",
            "indices:admin/index_template/*",
            "indices:data/write/bulk*",
        ],
        index_permissions: [
            {
                index_patterns: [`${prefix}-*`],
                allowed_actions: [
                    "crud",
                    "create_index",
                    "indices:admin/mapping/put",
                    "indices:admin/aliases*",
                    ...(read ? ["read", "indices:admin/get"] : []),
                ],
            },
        ],
    });
    return { log_writer: writer(LOG_INDEX_PREFIX, false), trace_store: writer(TRACE_INDEX_PREFIX, true) };
}

/**
 * The Job's script: Python standard library only (no package installs at run
 * time), SigV4 by hand, credentials from the Pod Identity agent. Idempotent:
 * PUTs replace, and an existing ISM policy is updated with its sequence number.
 */
export const BOOTSTRAP_SCRIPT = String.raw`import datetime, hashlib, hmac, json, os, sys, time, urllib.error, urllib.request

ENDPOINT = os.environ["OPENSEARCH_ENDPOINT"]
REGION = os.environ["AWS_REGION"]
CONFIG = json.load(open("/config/bootstrap.json"))


def credentials():
    with open(os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]) as f:
        token = f.read().strip()
    req = urllib.request.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], headers={"Authorization": token})
    return json.load(urllib.request.urlopen(req, timeout=10))


def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def request(method, path, body=None):
    creds = credentials()
    data = json.dumps(body).encode() if body is not None else b""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    path, _, query = path.partition("?")
    query = "&".join(sorted(query.split("&"))) if query else ""
    payload_hash = hashlib.sha256(data).hexdigest()
    headers = {"host": ENDPOINT, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash, "x-amz-security-token": creds["Token"], "content-type": "application/json"}
    signed = ";".join(sorted(headers))
    canonical = "\n".join([method, path, query, "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload_hash])
    scope = f"{day}/{REGION}/es/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + creds["SecretAccessKey"]).encode(), day), REGION), "es"), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={creds['AccessKeyId']}/{scope}, SignedHeaders={signed}, Signature={signature}"
    url = f"https://{ENDPOINT}{path}" + (f"?{query}" if query else "")
    req = urllib.request.Request(url, data=data if body is not None else None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def must(status, body, what):
    if status >= 300:
        print(f"{what}: HTTP {status}: {json.dumps(body)}", file=sys.stderr)
        sys.exit(1)
    print(f"{what}: ok")


for attempt in range(30):
    status, _ = request("GET", "/_cluster/health")
    if status == 200:
        break
    time.sleep(10)
else:
    sys.exit("OpenSearch did not answer /_cluster/health")

for role, body in CONFIG["roles"].items():
    must(*request("PUT", f"/_plugins/_security/api/roles/{role}", body), f"role {role}")
for role, arns in CONFIG["roleMappings"].items():
    must(*request("PUT", f"/_plugins/_security/api/rolesmapping/{role}", {"backend_roles": arns}), f"role mapping {role}")

policy_id = CONFIG["ismPolicyId"]
status, existing = request("GET", f"/_plugins/_ism/policies/{policy_id}")
if status == 200:
    path = f"/_plugins/_ism/policies/{policy_id}?if_seq_no={existing['_seq_no']}&if_primary_term={existing['_primary_term']}"
else:
    path = f"/_plugins/_ism/policies/{policy_id}"
must(*request("PUT", path, CONFIG["ismPolicy"]), f"ISM policy {policy_id}")
`;
