import type { Framework } from "./rule";

/**
 * The control each framework names for a rule's topic, so docs/compliance.md maps every
 * rule to SOC 2 / PCI DSS / GDPR / HIPAA controls from the rule's own metadata. Sources:
 * AICPA Trust Services Criteria (2017, rev. 2022 points of focus); PCI DSS v4.0.1 (June 2024);
 * GDPR (Regulation (EU) 2016/679); HIPAA Security Rule (45 CFR 164.308-164.316); CIS AWS
 * Foundations Benchmark v3.0.0. The table runs from specific themes to general ones;
 * the first theme among a rule's topics that names a control for the framework wins.
 */
type Controls = Partial<Record<Framework, string>>;

const BY_TOPIC: [RegExp, Controls][] = [
    [/^(waf|cdn)$/, { soc2: "CC6.6", "pci-dss": "6.4.2", gdpr: "Art. 32(1)(b)", hipaa: "164.312(e)(1)", cis: "—" }],
    [/^(encryption-at-rest|ebs)$/, { soc2: "CC6.1", "pci-dss": "3.5.1", gdpr: "Art. 32(1)(a)", hipaa: "164.312(a)(2)(iv)", cis: "2.2.1, 2.3.1" }],
    [/^(kms|key-management)$/, { soc2: "CC6.1", "pci-dss": "3.6.1, 3.7.4", gdpr: "Art. 32(1)(a)", hipaa: "164.312(a)(2)(iv)", cis: "3.6" }],
    [/^(encryption-in-transit|tls|mtls|service-mesh)$/, { soc2: "CC6.7", "pci-dss": "4.2.1", gdpr: "Art. 32(1)(a)", hipaa: "164.312(e)(1)", cis: "—" }],
    [/^(secrets|credentials|passwords)$/, { soc2: "CC6.1", "pci-dss": "8.3.1, 8.6.2", gdpr: "Art. 32(1)(b)", hipaa: "164.312(d)", cis: "1.8-1.9" }],
    [/^(mfa|authentication)$/, { soc2: "CC6.1", "pci-dss": "8.4.2", gdpr: "Art. 32(1)(b)", hipaa: "164.312(d)", cis: "1.10" }],
    [/^(least-privilege|iam|rbac)$/, { soc2: "CC6.3", "pci-dss": "7.2.1", gdpr: "Art. 25(2)", hipaa: "164.312(a)(1)", cis: "1.16" }],
    [
        /^(public-exposure|security-groups|segmentation|network-segmentation|network|vpc|load-balancer)$/,
        { soc2: "CC6.6", "pci-dss": "1.3.1, 1.4.1", gdpr: "Art. 32(1)(b)", hipaa: "164.312(e)(1)", cis: "5.1-5.3" },
    ],
    [/^(audit-logging|cloudtrail|logging)$/, { soc2: "CC7.2", "pci-dss": "10.2.1", gdpr: "Art. 30, Art. 32(1)(d)", hipaa: "164.312(b)", cis: "3.1-3.4" }],
    [/^retention$/, { soc2: "CC7.2", "pci-dss": "10.5.1", gdpr: "Art. 5(1)(e)", hipaa: "164.316(b)(2)(i)", cis: "—" }],
    [
        /^(monitoring|alerting|threat-detection)$/,
        { soc2: "CC7.2, CC7.3", "pci-dss": "10.4.1, 11.5.1", gdpr: "Art. 33", hipaa: "164.308(a)(1)(ii)(D)", cis: "4.x, 3.5" },
    ],
    [/^(change-management|supply-chain)$/, { soc2: "CC8.1", "pci-dss": "6.3.3", gdpr: "Art. 32(1)(d)", hipaa: "164.308(a)(5)(ii)(B)", cis: "—" }],
    [
        /^(backup|data-loss|recovery|disaster-recovery|failover|replication|availability|dns)$/,
        { soc2: "A1.2", "pci-dss": "12.10.1", gdpr: "Art. 32(1)(c)", hipaa: "164.308(a)(7)", cis: "—" },
    ],
    [/^(data-residency)$/, { soc2: "C1.1", "pci-dss": "—", gdpr: "Art. 44", hipaa: "—", cis: "—" }],
    [/^(tagging|cost-allocation|data-classification)$/, { soc2: "CC2.1", "pci-dss": "12.5.1", gdpr: "Art. 30", hipaa: "164.310(d)(1)", cis: "—" }],
    [
        /^(kubernetes|pod-security|compute|database|cache|search|s3|sns|messaging)$/,
        { soc2: "CC6.1", "pci-dss": "2.2.1", gdpr: "Art. 32(1)(b)", hipaa: "164.308(a)(1)(ii)(B)", cis: "—" },
    ],
];

/** The control a rule answers for in `framework`, from its topics; undefined when the rule does not serve that framework. */
export function controlFor(topics: readonly string[], frameworks: readonly Framework[], framework: Framework): string | undefined {
    if (!frameworks.includes(framework)) return undefined;
    for (const [re, controls] of BY_TOPIC) {
        const c = controls[framework];
        if (c && c !== "—" && topics.some((t) => re.test(t))) return c;
    }
    return undefined;
}
