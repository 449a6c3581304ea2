import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const REPOSITORY = "aws:ecr/repository:Repository";
const REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration";
/** Scan frequencies that scan an image when it is pushed (ECR API, RegistryScanningRule.scanFrequency). */
const ON_PUSH = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"];

/**
 * Images are scanned when pushed. Two settings carry that: the repository's scanOnPush (what basic scanning
 * honours) and the registry's scanning configuration (what enhanced scanning, Amazon Inspector's, honours: it
 * replaces the repository setting). Both are judged, so turning either scanning mode on or off keeps scans.
 */
export const ecrScanOnPush = resourceRule({
    name: "ecr-scan-on-push",
    description: "ECR repositories must scan images on push, and a registry scanning configuration must scan some repositories on push or continuously.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["supply-chain", "container-images", "vulnerability-management"],
    resourceTypes: [REPOSITORY, REGISTRY_SCANNING],
    remediation:
        "set imageScanningConfiguration.scanOnPush to true on the repository, and give the registry scanning configuration a rule with scanFrequency CONTINUOUS_SCAN (or SCAN_ON_PUSH) whose filter matches the app repositories (ContainerRegistry does both).",
    peers: { checkov: ["CKV_AWS_163"] },
    check: ({ type, props }, report) => {
        if (type === REPOSITORY) {
            if (props.imageScanningConfiguration?.scanOnPush !== true)
                report(
                    `imageScanningConfiguration.scanOnPush is ${JSON.stringify(props.imageScanningConfiguration?.scanOnPush ?? false)}: pushed images are not scanned.`,
                );
            return;
        }
        const rules = asArray<Record<string, any>>(props.rules);
        const scanning = rules.filter(
            (r) =>
                ON_PUSH.includes(r?.scanFrequency) &&
                asArray<Record<string, any>>(r?.repositoryFilters).some((f) => typeof f?.filter === "string" && f.filter.length > 0),
        );
        if (!scanning.length)
            report(
                `the ${JSON.stringify(props.scanType)} registry scanning configuration has no rule scanning on push or continuously with a repository filter (rules: ${JSON.stringify(rules.map((r) => r?.scanFrequency))}): pushed images are not scanned.`,
            );
    },
});
