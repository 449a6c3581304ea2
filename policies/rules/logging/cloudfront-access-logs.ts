import { stackRule } from "../../lib/rule";
import { dependents, ofType } from "../../lib/props";

const DIST = "aws:cloudfront/distribution:Distribution";
const SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";

export const cloudfrontAccessLogs = stackRule({
    name: "cloudfront-access-logs",
    description: "CloudFront distributions must log every request, through standard logging to S3 or a CloudWatch log delivery source.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss"],
    topics: ["audit-logging", "cdn"],
    resourceTypes: [DIST, SOURCE],
    peers: {
        checkov: ["CKV_AWS_86"],
        compliancePolicies: ["aws-cloudfront-distribution-enable-access-logging", "aws-cloudfront-distribution-configure-access-logging"],
    },
    remediation:
        "set loggingConfig.bucket to the edge log bucket, or add an aws.cloudwatch.LogDeliverySource (logType ACCESS_LOGS) for the distribution with a delivery.",
    check: (resources, _c, report) => {
        for (const d of ofType(resources, DIST)) {
            if (d.props.loggingConfig?.bucket) continue;
            if (dependents(resources, d, SOURCE).length) continue;
            report("The distribution does not log requests.", d.urn);
        }
    },
});
