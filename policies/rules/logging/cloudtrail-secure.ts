import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey, isFalse, isTrue } from "../../lib/props";

export const cloudtrailSecure = resourceRule({
    name: "cloudtrail-secure",
    description: "CloudTrail trails must be multi-region, include global service events, validate log files and encrypt with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["audit-logging", "cloudtrail"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    peers: { checkov: ["CKV_AWS_35", "CKV_AWS_36", "CKV_AWS_67", "CKV_AWS_251"] },
    remediation: "set isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true and kmsKeyId to the logs key.",
    check: ({ props }, report) => {
        if (!isTrue(props.isMultiRegionTrail)) report("isMultiRegionTrail is not true.");
        if (isFalse(props.includeGlobalServiceEvents)) report("includeGlobalServiceEvents is false.");
        if (!isTrue(props.enableLogFileValidation)) report("enableLogFileValidation is not true.");
        if (!isCustomerManagedKey(props.kmsKeyId)) report("kmsKeyId is not set.");
        if (isFalse(props.enableLogging)) report("enableLogging is false.");
    },
});
