/**
 * Peer checks (Checkov, pulumi/compliance-policies) for resource types this pack judges,
 * that no rule implements, each with the reason. docs/compliance.md lists them next to the
 * mapping; test/policies/corpus.spec.ts fails when a waived check is also claimed by a rule.
 * Peer sources read: bridgecrewio/checkov at 03d5fdad (2026-08-20),
 * pulumi/compliance-policies at 712a9017 (2025-05-23); retrieved 2026-11-29.
 */
export interface PeerWaiver {
    /** Checkov ID or compliance-policies policy name. */
    peer: string;
    /** What the peer checks. */
    check: string;
    /** Why no rule of ours implements it. */
    reason: string;
}

export const PEER_WAIVERS: readonly PeerWaiver[] = [
    {
        peer: "CKV_AWS_92",
        check: "classic ELB access logs",
        reason: "classic Load Balancers (aws:elb) are legacy; this platform and its components create ELBv2 only, judged by lb-access-logs, lb-deletion-protection, lb-drop-invalid-headers, lb-desync-mitigation, lb-cross-zone and lb-listener-https-tls13",
    },
    {
        peer: "CKV_AWS_127",
        check: "classic ELB uses ACM certificates",
        reason: "classic Load Balancers are not used (see CKV_AWS_92); ELBv2 listeners are judged by lb-listener-https-tls13",
    },
    {
        peer: "CKV_AWS_138",
        check: "classic ELB cross-zone balancing",
        reason: "classic Load Balancers are not used; cross-zone balancing of NLBs is lb-cross-zone's",
    },
    {
        peer: "aws-elb-loadbalancer-configure-access-logging",
        check: "classic ELB access log settings",
        reason: "classic Load Balancers are not used (see CKV_AWS_92)",
    },
    {
        peer: "aws-elb-loadbalancer-configure-multi-availability-zone",
        check: "classic ELB in several zones",
        reason: "classic Load Balancers are not used (see CKV_AWS_92)",
    },
    {
        peer: "aws-elb-loadbalancer-disallow-unencrypted-traffic",
        check: "classic ELB HTTPS listeners",
        reason: "classic Load Balancers are not used (see CKV_AWS_92)",
    },
    { peer: "aws-elb-loadbalancer-enable-health-check", check: "classic ELB health check", reason: "classic Load Balancers are not used (see CKV_AWS_92)" },
    {
        peer: "CKV_AWS_126",
        check: "EC2 detailed monitoring",
        reason: "a cost/observability choice, not a control of SOC 2, PCI DSS, GDPR or HIPAA; EKS nodes are watched through the cluster's metrics and the launch template enables monitoring",
    },
    {
        peer: "CKV_AWS_135",
        check: "EC2 EBS-optimized",
        reason: "a performance setting with no security or compliance effect (current instance types are EBS-optimized by default)",
    },
    {
        peer: "CKV_AWS_134",
        check: "ElastiCache (cluster) automatic backups",
        reason: "aws:elasticache/cluster is single-node Memcached/Redis, which no component creates; replication groups are judged by backup-retention",
    },
    { peer: "CKV_AWS_322", check: "ElastiCache (cluster) auto minor upgrades", reason: "as CKV_AWS_134: aws:elasticache/cluster is not used" },
    {
        peer: "CKV_AWS_323",
        check: "ElastiCache (cluster) custom subnet group",
        reason: "as CKV_AWS_134: aws:elasticache/cluster is not used; replication groups sit in the data subnets (data-tier-no-internet-route)",
    },
    {
        peer: "CKV_AWS_196",
        check: "no EC2-Classic ElastiCache security groups",
        reason: "EC2-Classic was retired in 2023; the resource type can no longer be created",
    },
    {
        peer: "CKV_AWS_248",
        check: "OpenSearch not on the VPC's default security group",
        reason: "the default security group's id is only known after the VPC exists, so a preview cannot tell; the default group itself is emptied (aws:ec2/defaultSecurityGroup with no rules, judged by no-world-ingress)",
    },
    {
        peer: "CKV_AWS_61",
        check: "a role trust policy allowing sts:AssumeRole from every service",
        reason: 'answered by iam-trust-no-wildcard (no "*" principal) and human-roles-require-mfa (account principals need MFA)',
    },
    {
        peer: "CKV_AWS_273",
        check: "no IAM users (SSO instead)",
        reason: "iam-users-mfa-enforced requires any IAM user to have MFA enforced; a break-glass user is a documented need, so users are not refused outright",
    },
    {
        peer: "CKV_AWS_348",
        check: "no access keys for the root user",
        reason: "the root user's keys cannot be created through infrastructure as code (aws:iam/accessKey needs an IAM user); root credentials are an account-level control (CIS 1.4) that Security Hub's CIS standard evaluates (continuous-compliance-on)",
    },
    {
        peer: "CKV_AWS_246",
        check: "RDS activity stream on a CMK",
        reason: "no component creates database activity streams; when one is added it needs a rule here",
    },
    {
        peer: "CKV_AWS_245",
        check: "replicated RDS backups on a CMK",
        reason: "Aurora Global Database replicates storage, not automated backups; aws:rds/instanceAutomatedBackupsReplication is not used",
    },
    {
        peer: "CKV_AWS_294",
        check: "CloudTrail Lake event data store on a CMK",
        reason: "the platform's trail delivers to S3 and CloudWatch Logs (cloudtrail-encrypted-with-cmk); no event data store is created",
    },
    {
        peer: "CKV_AWS_377",
        check: "Route 53 registered domain transfer lock",
        reason: "the domain registration is outside this program (only the hosted zone is managed); the registrar's lock is an account setting",
    },
    {
        peer: "CKV_AWS_233",
        check: "ACM certificate create-before-destroy",
        reason: "a Terraform lifecycle setting; Pulumi replaces a certificate create-before-delete by default, so there is nothing to set",
    },
    {
        peer: "CKV_AWS_234",
        check: "ACM certificate transparency logging preference",
        reason: "the AWS default (ENABLED) is what this program uses; no component sets the option",
    },
    {
        peer: "CKV_AWS_300",
        check: "S3 lifecycle aborts incomplete multipart uploads",
        reason: "a cost setting; every bucket from components/log-bucket.ts already aborts after 7 days",
    },
    {
        peer: "CKV_AWS_143",
        check: "S3 object lock",
        reason: "log buckets expire objects by lifecycle (PCI DSS 10.5.1 retention); object lock in governance mode conflicts with that expiry, and trail integrity is proven by log file validation (cloudtrail-log-validation)",
    },
    {
        peer: "CKV_AWS_93",
        check: "S3 bucket policy that locks out all but root",
        reason: "s3-deny-insecure-transport and s3-no-public-bucket-policy judge the policies this program writes, which only deny plain HTTP; a lock-out deny is not a pattern any component uses",
    },
    {
        peer: "CKV_AWS_379",
        check: "S3 secure transport (on aws_s3_bucket_acl)",
        reason: "ACLs are disabled on every bucket (s3-acls-disabled); secure transport is judged on the bucket policy (s3-deny-insecure-transport)",
    },
    {
        peer: "CKV_AWS_186",
        check: "S3 objects on a CMK",
        reason: "no component writes aws:s3/bucketObject; buckets default to SSE-KMS with a CMK (s3-sse-kms-bucket-key)",
    },
    { peer: "CKV_AWS_176", check: "WAF classic web ACL logging", reason: "WAF classic is retired; WAFv2 logging is waf-logging's" },
];

/**
 * Our own rules that the default plans still trip, at advisory level, each with the reason the
 * component keeps its setting. test/policies/plans.spec.ts fails when a default plan draws an
 * advisory violation from a rule not listed here, or a listed rule no longer fires.
 */
export const PLAN_WAIVERS: Readonly<Record<string, string>> = {
    "cloudfront-geo-restriction":
        "the edge serves a global franchise network from every country; which countries to refuse is a business and sanctions-law decision, not an infrastructure default (set restrictions.geoRestriction in EdgeNetwork when one is made)",
    "cloudtrail-notifications":
        "the trail's CloudWatch Logs group feeds the metric-filter alarms that page (CIS 4.x) and GuardDuty reads CloudTrail directly; an SNS notice per delivered log file would only feed downstream log processing, which the platform does not run",
};
