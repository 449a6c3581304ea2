import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const inspectorScansImages = resourceRule({
    name: "inspector-scans-images",
    description: "Amazon Inspector enablers must cover ECR, so every container image the clusters run is scanned for vulnerabilities.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["threat-detection", "supply-chain"],
    resourceTypes: ["aws:inspector2/enabler:Enabler"],
    remediation: 'include "ECR" in the enabler\'s resourceTypes (ObservabilityStack imageScanning).',
    check: ({ props }, report) => {
        const types = asArray<string>(props.resourceTypes);
        if (!types.includes("ECR")) report(`resourceTypes is ${JSON.stringify(types)}: container images in ECR are not scanned.`);
    },
});
