/**
 * Resource types that no rule needs to judge, each with the reason. The
 * coverage test (test/policies/coverage.spec.ts) fails when a type in any
 * stack's plan is covered by no rule and is not listed here, so a new type
 * gets a rule or a stated reason, never silence.
 */
export const EXEMPT_TYPES: Readonly<Record<string, string>> = {
    "pulumi:pulumi:Stack": "the stack itself; stack rules see every resource through it",
    "pulumi:pulumi:StackReference": "a read of another stack's outputs; creates nothing in AWS",
    "pulumi:providers:aws": "configuration, not infrastructure; its region and defaultTags are judged through the resources that use it (required-tags, data-residency)",
    "pulumi:providers:kubernetes": "configuration, not infrastructure; the objects it creates are judged by type",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "links a subnet to a route table; has no settings, tags or data a rule could judge",
    "aws:kms/alias:Alias": "a name for a key; the key itself is judged (kms-key-rotation, deletion-protection)",
    // ObservabilityStack (issue 8). Candidates for rules of their own are marked "rule candidate".
    "aws:guardduty/detectorFeature:DetectorFeature": "turns on one protection of a detector; the detector is judged (guardduty), and a disabled feature weakens nothing a rule could see elsewhere",
    "aws:secretsmanager/secretVersion:SecretVersion": "a value of a secret; the secret's CMK is judged (secrets-encrypted-with-cmk) and the value is a Pulumi secret",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "lets a service (OpenSearch) write to named log groups; the groups are judged (cloudwatch-logs-encrypted-with-cmk, retention rules)",
    "aws:cloudwatch/eventTarget:EventTarget": "where an EventBridge rule delivers; the rule is judged (alerting-wired) and the target topic by sns-encrypted-with-cmk",
    "aws:sns/topicPolicy:TopicPolicy": "who may publish to a topic; scoped to the account and TLS in code (test/observability.spec.ts). Rule candidate: no '*' principal without a source condition",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "expiry of objects in a bucket; retention floors are judged on the log groups, and the audit bucket keeps 7 years",
    "kubernetes:storage.k8s.io/v1:StorageClass": "how volumes are provisioned; encrypted with the eks CMK in code (test/observability.spec.ts). Rule candidate: ebs.csi.aws.com classes must set encrypted and kmsKeyId",
    "kubernetes:external-secrets.io/v1:SecretStore": "points External Secrets at Secrets Manager in the stack's region; holds no secret and no credentials",
    "kubernetes:external-secrets.io/v1:ExternalSecret": "copies one named secret into one namespace; the secret in Secrets Manager is judged",
    "kubernetes:batch/v1:Job": "the OpenSearch bootstrap Job: non-root, read-only root filesystem, no privilege escalation (test/observability.spec.ts)",
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": "alert rules; validated against the prometheus-operator schema and the alert table (test/observability.spec.ts)",
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": "what Prometheus scrapes; validated against the prometheus-operator schema",
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": "what Prometheus scrapes; validated against the prometheus-operator schema",
};

/** Our own component types (bookedbarber:<module>:<Name>) register no cloud resource themselves. */
export const EXEMPT_PREFIXES: readonly string[] = ["bookedbarber:"];
