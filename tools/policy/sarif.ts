import type { Rule } from "../../policies/lib/rule";
import type { JudgedPlan } from "./report";

/**
 * The violations as a SARIF 2.1.0 log (OASIS Static Analysis Results
 * Interchange Format, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the format Checkov and Trivy emit and
 * code-scanning UIs read. One run; the driver lists every rule of the pack
 * (§3.19.23 `rules`, reportingDescriptor §3.49); each violation is a result
 * (§3.27) with ruleId and ruleIndex, level `error` for mandatory and `warning`
 * for advisory (§3.27.10, §3.58.1 reportingConfiguration.level), the message
 * (§3.11), and a location (§3.28) whose physicalLocation is the plan file and
 * whose logicalLocation (§3.33) is the resource, by its URN as fullyQualifiedName.
 */
export const SARIF_VERSION = "2.1.0";
export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const sarifLevel = (level: string) => (level === "mandatory" ? "error" : level === "advisory" ? "warning" : "none");

export function toSarif(plans: readonly JudgedPlan[], rules: readonly Rule[], version: string): object {
    const sorted = [...rules].sort((a, b) => a.name.localeCompare(b.name));
    const index = new Map(sorted.map((r, i) => [r.name, i]));
    return {
        $schema: SARIF_SCHEMA_URI,
        version: SARIF_VERSION,
        runs: [
            {
                tool: {
                    driver: {
                        name: "bookedbarber-policy-pack",
                        version,
                        informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                        rules: sorted.map((r) => ({
                            id: r.name,
                            name: r.name,
                            shortDescription: { text: r.description },
                            fullDescription: { text: `${r.description} Remediation: ${r.metadata.remediation}` },
                            defaultConfiguration: { level: sarifLevel(r.enforcementLevel), enabled: r.enforcementLevel !== "disabled" },
                            properties: {
                                tags: [...r.metadata.frameworks, ...r.metadata.topics],
                                frameworks: [...r.metadata.frameworks],
                                resourceTypes: [...r.metadata.resourceTypes],
                            },
                        })),
                    },
                },
                results: plans.flatMap((p) =>
                    p.violations.map((v) => ({
                        ruleId: v.policy,
                        ...(index.has(v.policy) ? { ruleIndex: index.get(v.policy) } : {}),
                        level: sarifLevel(v.level),
                        message: { text: v.message },
                        locations: [
                            {
                                physicalLocation: { artifactLocation: { uri: p.file.split("\\").join("/") } },
                                logicalLocations: [{ fullyQualifiedName: v.urn, name: v.urn.split("::").pop(), kind: "resource" }],
                            },
                        ],
                        properties: { stack: p.stack },
                    })),
                ),
            },
        ],
    };
}
