/**
 * Resource types that no rule needs to judge, each with the reason. The
 * coverage test (test/policies/plans.spec.ts) fails when a type in any
 * stack's plan is covered by no rule and is not listed here, so a new type
 * gets a rule or a stated reason, never silence.
 */
export const EXEMPT_TYPES: Readonly<Record<string, string>> = {
    "pulumi:pulumi:Stack": "the stack itself; stack rules see every resource through it",
    "pulumi:pulumi:StackReference": "a read of another stack's outputs; creates nothing in AWS",
    "pulumi:providers:aws":
        "configuration, not infrastructure; its region and defaultTags are judged through the resources that use it (required-tags, data-residency)",
    "pulumi:providers:kubernetes": "configuration, not infrastructure; the objects it creates are judged by type",
    "aws:kms/alias:Alias": "a name for a key; the key itself is judged (kms-key-rotation, deletion-protection)",
    "aws:secretsmanager/secretVersion:SecretVersion":
        "the value of a secret; the secret it belongs to is judged (secrets-encrypted-with-cmk, data-residency) and the value is never readable in a plan",
    "aws:cloudwatch/dashboard:Dashboard": "a view over metrics; holds no data and grants no access",
    "aws:acm/certificateValidation:CertificateValidation":
        "waits for a certificate's DNS validation; has no settings (the TLS policies that use the certificate are judged)",
    "aws:cloudfront/function:Function":
        "viewer-request code (URL rewrites and headers); the distribution's HTTPS, TLS and logging are judged on the distribution, and EdgeNetwork's tests assert the code",
    "aws:cloudfront/cachePolicy:CachePolicy": "what the edge caches and keys on; a performance choice, with TLS and origin protocol judged on the distribution",
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy":
        "which headers, cookies and query strings reach the origin; the origin is HTTPS-only (cloudfront-origin-https-only)",
    "kubernetes:core/v1:Namespace":
        "a scope for other objects; its Istio injection and pod-security labels are asserted by RegionalCluster's tests, and the objects in it are judged by type",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler":
        "capacity scaling; no security or compliance setting (its schema is checked against upstream in the cluster tests)",
    "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler": "right-sizes pod requests; no security or compliance setting",
    "kubernetes:keda.sh/v1alpha1:ScaledObject":
        "capacity scaling of the job worker on queue depth; no security or compliance setting (validated against the pinned KEDA chart's CRD schema and the spec's triggers in test/components/scaling-triggers.spec.ts)",
    "kubernetes:keda.sh/v1alpha1:TriggerAuthentication":
        "ours names the KEDA operator's Pod Identity (podIdentity.provider aws) and holds no secret; the role it uses is judged (no-admin-on-workload-roles, iam-no-wildcard-actions)",
    "kubernetes:networking.istio.io/v1:VirtualService":
        "HTTP routing, retries and timeouts inside the mesh; transport security is judged on PeerAuthentication and DestinationRule (mesh-mtls-strict)",
    "kubernetes:networking.istio.io/v1:Gateway":
        "the mesh's entry for traffic from the NLB inside the VPC; clients' TLS ends at the NLB listener (lb-listener-https-tls13), which re-encrypts to the gateway's HTTPS server (the deploy readiness check `encryption in transit` fails a plan whose gateway server does not terminate TLS), and the gateway's inbound is limited by AuthorizationPolicy",
    "kubernetes:security.istio.io/v1:AuthorizationPolicy":
        "application-level allow rules on top of the mesh-wide deny-all; which callers may reach which workload is an application decision, asserted by RegionalCluster's tests",
    "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding":
        "registers gateway pods in the NLB's target group; the listener and target group it feeds are judged (lb-listener-https-tls13, lb-access-logs)",
    "kubernetes:rbac.authorization.k8s.io/v1:Role":
        "a grant inside one namespace; ours let the in-cluster certificate issuers (components/self-signed-certificate.ts) read and replace their one Secret, asserted in test/components/self-signed-certificate.spec.ts; a binding of a Role to people is judged (k8s-admin-bindings)",
    "kubernetes:core/v1:ServiceAccount":
        "an identity for pods; its AWS access comes through Pod Identity associations whose roles are judged (no-admin-on-workload-roles), and its Kubernetes rights through bindings (k8s-admin-bindings)",
    "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass":
        "tells the Secrets Store CSI driver which Secrets Manager secret to mount; holds no secret (the secret is judged: secrets-encrypted-with-cmk)",
    "kubernetes:policy/v1:PodDisruptionBudget":
        "how many pods a voluntary disruption may take; an availability choice asserted by the components' tests, with no security setting",
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack":
        "AWS's published rotation application (its code and role are AWS's template, pinned by version); what it rotates is judged on the SecretRotation (secret-rotation, secret-rotation-configured) and its network by the security group rules",
    "aws:backup/restoreTestingPlan:RestoreTestingPlan":
        "the weekly restore test's schedule and recovery-point choice; the vault it reads is judged (backup-vault-encrypted-with-cmk, backup-vault-locked) and AuroraBackups' tests assert that every shard is restore-tested",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy":
        "which pods may talk to which; the deploy readiness check `network policies` (tools/offline/readiness/network-policies.ts) walks every hop the apps rely on through the plan's policies at both ends, and test/components/regional-cluster/network-policies.spec.ts asserts the app namespace's default deny",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy":
        "which images a repository expires; a retention choice with no security effect (test/components/container-registry.spec.ts asserts untagged images expire and enough releases stay for rollback)",
    "aws:ecr/repositoryPolicy:RepositoryPolicy":
        "who may pull from a repository; test/components/container-registry.spec.ts asserts only the node role and AWS service-linked roles may, and a wildcard Allow would draw no-world exposure at the account level through Security Hub's ECR controls (continuous-compliance-on)",
    "aws:backup/restoreTestingSelection:RestoreTestingSelection":
        "which clusters a restore test restores into a scratch cluster; AuroraBackups' tests assert it names every shard and restores into the data subnets, and the scratch cluster is deleted after validation",
    "aws:appautoscaling/target:Target": "the Aurora reader count's scaling bounds; capacity, not compliance (tagged: required-tags)",
    "aws:s3/bucketObjectv2:BucketObjectv2":
        "an object in a bucket (the region-down canary's code); the bucket's encryption, access and logging are judged on the bucket",
    "aws:appautoscaling/policy:Policy": "how the reader count follows load; capacity, not compliance",
    // ObservabilityStack (issue 8). Its rule candidates (topic policy, StorageClass, the bootstrap Job, lifecycle) now have rules.
    "aws:guardduty/detectorFeature:DetectorFeature":
        "turns on one protection of a detector; the detector is judged (guardduty), and a disabled feature weakens nothing a rule could see elsewhere",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy":
        "lets a service (OpenSearch) write to named log groups; the groups are judged (cloudwatch-logs-encrypted-with-cmk, retention rules)",
    "aws:cloudwatch/eventTarget:EventTarget":
        "where an EventBridge rule delivers; the rule is judged (alerting-wired) and the target topic by sns-encrypted-with-cmk",
    "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate":
        "Prometheus queries that gate a backend release; no security setting (validated against @kubernetes-models/argo-rollouts and the alert table in test/components/regional-cluster/rollouts.spec.ts)",
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule":
        "alert rules; validated against the prometheus-operator schema and the alert table (test/components/observability/observability.spec.ts)",
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": "what Prometheus scrapes; validated against the prometheus-operator schema",
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": "what Prometheus scrapes; validated against the prometheus-operator schema",
    // Bootstrap stack (issue 11).
    "aws:iam/serviceLinkedRole:ServiceLinkedRole":
        "AWS defines its trust and permissions; the program only says which service, and the readiness check 'prerequisites' holds every key policy that names one to a planned ServiceLinkedRole",
    "aws:codebuild/sourceCredential:SourceCredential":
        "hands CodeBuild the GitHub token (a Pulumi secret, never in plain state or plan); no setting a rule could judge beyond that",
    "aws:codebuild/webhook:Webhook":
        "registers the runner project with GitHub for queued workflow jobs; it has no security setting of its own (the project it triggers is judged: codebuild-encrypted-with-cmk, required-tags)",
};

/** Our own component types (bookedbarber:<module>:<Name>) register no cloud resource themselves. */
export const EXEMPT_PREFIXES: readonly string[] = ["bookedbarber:"];
