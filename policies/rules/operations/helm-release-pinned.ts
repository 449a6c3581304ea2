import { resourceRule } from "../../lib/rule";

const EXACT = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export const helmReleasePinned = resourceRule({
    name: "helm-release-pinned",
    description: "Helm releases and charts must pin an exact chart version from an HTTPS or OCI repository.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["change-management", "supply-chain", "kubernetes"],
    resourceTypes: ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"],
    remediation: 'set version to an exact chart version (e.g. "1.27.1") and repositoryOpts.repo / repositoryOpts to an https:// or oci:// URL.',
    check: ({ props }, report) => {
        if (!EXACT.test(String(props.version ?? "")))
            report(`The chart version is ${JSON.stringify(props.version)}, not an exact version; an upgrade could change the cluster unreviewed.`);
        const repo = props.repositoryOpts?.repo ?? (/^[a-z]+:\/\//.test(String(props.chart ?? "")) ? props.chart : undefined);
        if (typeof repo === "string" && !/^(https|oci):\/\//.test(repo)) report(`The chart repository ${repo} is not HTTPS or OCI.`);
    },
});
