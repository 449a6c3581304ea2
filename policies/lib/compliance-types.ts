export const RECORDER = "aws:cfg/recorder:Recorder";
export const RECORDER_STATUS = "aws:cfg/recorderStatus:RecorderStatus";
export const DELIVERY_CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel";
export const SECURITY_HUB = "aws:securityhub/account:Account";
export const STANDARD = "aws:securityhub/standardsSubscription:StandardsSubscription";

/** Security Hub standards every region must run, by the path of their ARN after `::`. */
export const REQUIRED_STANDARDS: Readonly<Record<string, RegExp>> = {
    "AWS Foundational Security Best Practices": /::standards\/aws-foundational-security-best-practices\/v\//,
    "CIS AWS Foundations Benchmark": /::(standards|ruleset)\/cis-aws-foundations-benchmark\/v\//,
    "PCI DSS": /::standards\/pci-dss\/v\//,
};
