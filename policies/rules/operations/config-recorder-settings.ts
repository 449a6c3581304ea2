import { resourceRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey, isFalse, isTrue, isUnknown } from "../../lib/props";
import { DELIVERY_CHANNEL, RECORDER, RECORDER_STATUS } from "../../lib/compliance-types";

export const configRecorderSettings = resourceRule({
    name: "config-recorder-settings",
    description:
        "AWS Config must record every supported resource type, its recorder must be switched on, and its delivery channel must write to S3 encrypted with a customer-managed key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["monitoring", "audit-logging"],
    resourceTypes: [RECORDER, RECORDER_STATUS, DELIVERY_CHANNEL],
    peers: { checkov: ["CKV2_AWS_48", "CKV2_AWS_45"] },
    remediation:
        "set recordingGroup.allSupported: true (no exclusions), RecorderStatus isEnabled: true, and the delivery channel's s3BucketName and s3KmsKeyArn.",
    check: ({ type, props }, report) => {
        if (type === RECORDER) {
            const g = props.recordingGroup ?? {};
            const strategy = asArray<any>(g.recordingStrategies).map((s) => s?.useOnly);
            // No recordingGroup at all means every supported type (the AWS default).
            if (props.recordingGroup !== undefined && !isTrue(g.allSupported) && !strategy.includes("ALL_SUPPORTED_RESOURCE_TYPES"))
                report("recordingGroup does not record all supported resource types.");
            if (asArray(g.exclusionByResourceTypes).some((e: any) => asArray(e?.resourceTypes).length)) report("recordingGroup excludes resource types.");
            return;
        }
        if (type === RECORDER_STATUS) {
            if (!isTrue(props.isEnabled)) report(`isEnabled is ${isFalse(props.isEnabled) ? "false" : "unset"}: the recorder records nothing.`);
            return;
        }
        if (!props.s3BucketName) report("The delivery channel has no s3BucketName.");
        if (!isUnknown(props.s3KmsKeyArn) && !isCustomerManagedKey(props.s3KmsKeyArn))
            report("The delivery channel has no s3KmsKeyArn: the history is encrypted with an AWS-owned key only.");
    },
});
