/**
 * Security Hub standards this platform subscribes to, and their ARNs. The formats are the
 * ones AWS documents for `BatchEnableStandards` (Security Hub User Guide, "Standards reference")
 * and the provider lists for aws.securityhub.StandardsSubscription; kept with their source in
 * test/upstream/securityhub/standards.json, which test/components/compliance/compliance.spec.ts compares.
 */
export const SECURITY_HUB_STANDARDS = {
    /** AWS Foundational Security Best Practices v1.0.0 (SOC 2 CC6-CC7 evidence). */
    fsbp: "standards/aws-foundational-security-best-practices/v/1.0.0",
    /** CIS AWS Foundations Benchmark v3.0.0 (the spec's "CIS benchmarks"). */
    cis: "standards/cis-aws-foundations-benchmark/v/3.0.0",
    /** PCI DSS v4.0.1 (the spec's PCI DSS compliance; v3.2.1 retired 2024-03-31). */
    pciDss: "standards/pci-dss/v/4.0.1",
} as const;

export type StandardName = keyof typeof SECURITY_HUB_STANDARDS;

/** The ARN of a standard in a region: `arn:aws:securityhub:<region>::standards/<id>/v/<version>`. */
export function standardsArn(region: string, standard: StandardName): string {
    return `arn:aws:securityhub:${region}::${SECURITY_HUB_STANDARDS[standard]}`;
}

/** Finding severity labels and the alert class each pages (spec "Alerting Strategy"). */
export const FINDING_ROUTES = [
    // A critical finding (exposed credentials, an open data store) is handled as a security incident.
    { label: "CRITICAL", cls: "P0" },
    { label: "HIGH", cls: "P1" },
    // Medium and low findings are the spec's "security audit findings" (P3).
    { label: "MEDIUM", cls: "P3" },
    { label: "LOW", cls: "P3" },
] as const;
