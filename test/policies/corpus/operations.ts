import { res } from "../helpers";
import { complianceBaseline, deliveryChannel, eksCluster, nodeGroup, one, recorder, trail } from "./base";
import { CorpusCase } from "./types";

const TRAIL = "aws:cloudtrail/trail:Trail";
const vpc = () => res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
/** A VPC with its flow log and a compliant EKS cluster (a workload), so only the compliance baseline decides. */
const vpcStack = (omit?: string[]) => () => {
    const v = vpc();
    const lg = res("aws:cloudwatch/logGroup:LogGroup", {
        kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        retentionInDays: 365,
    });
    return [
        v,
        lg,
        res("aws:ec2/flowLog:FlowLog", { vpcId: v.urn, trafficType: "ALL", logDestination: lg.urn, maxAggregationInterval: 60 }, { deps: [v, lg] }),
        ...one("eks:index:Cluster", eksCluster)(),
        ...(omit ? complianceBaseline(omit) : []),
    ];
};

const rawEks = {
    version: "1.33",
    roleArn: "arn:aws:iam::123456789012:role/eks",
    deletionProtection: true,
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    vpcConfig: { subnetIds: ["a", "b", "c"], endpointPublicAccess: false, endpointPrivateAccess: true },
};

export const OPERATIONS_CASES: CorpusCase[] = [
    {
        rule: "eks-supported-version",
        peer: "CKV_AWS_339",
        what: "Kubernetes 1.22",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, version: "1.22" }),
    },
    {
        rule: "eks-supported-version",
        peer: "CKV_AWS_339",
        what: "a raw aws.eks.Cluster on 1.27",
        good: one("aws:eks/cluster:Cluster", rawEks),
        bad: one("aws:eks/cluster:Cluster", { ...rawEks, version: "1.27" }),
    },
    {
        rule: "eks-supported-version",
        peer: "issue-14",
        what: "node group on an unsupported version",
        good: one("aws:eks/nodeGroup:NodeGroup", nodeGroup),
        bad: one("aws:eks/nodeGroup:NodeGroup", { ...nodeGroup, version: "1.25" }),
    },
    {
        rule: "eks-endpoint-private",
        peer: "CKV_AWS_39",
        what: "public API endpoint",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, endpointPublicAccess: true }),
    },
    {
        rule: "eks-control-plane-logs",
        peer: "CKV_AWS_37",
        what: "no audit log",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, enabledClusterLogTypes: ["api"] }),
    },
    {
        rule: "eks-secrets-encrypted-with-cmk",
        peer: "CKV_AWS_58",
        what: "no secrets encryption",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, encryptionConfigKeyArn: undefined }),
    },
    {
        rule: "cloudtrail-notifications",
        peer: "CKV_AWS_252",
        what: "trail without an SNS topic",
        good: one(TRAIL, trail),
        bad: one(TRAIL, { ...trail, snsTopicName: undefined }),
    },
    {
        rule: "cloudtrail-log-validation",
        peer: "CKV_AWS_36",
        what: "no log file validation",
        good: one(TRAIL, trail),
        bad: one(TRAIL, { ...trail, enableLogFileValidation: false }),
    },
    {
        rule: "cloudtrail-multi-region",
        peer: "CKV_AWS_67",
        what: "single-region trail",
        good: one(TRAIL, trail),
        bad: one(TRAIL, { ...trail, isMultiRegionTrail: false }),
    },
    {
        rule: "cloudtrail-encrypted-with-cmk",
        peer: "CKV_AWS_35",
        what: "trail without a CMK",
        good: one(TRAIL, trail),
        bad: one(TRAIL, { ...trail, kmsKeyId: undefined }),
    },
    {
        rule: "cloudtrail-logging-on",
        peer: "CKV_AWS_251",
        what: "logging stopped",
        good: one(TRAIL, trail),
        bad: one(TRAIL, { ...trail, enableLogging: false }),
    },
    {
        rule: "continuous-compliance-on",
        peer: "CKV2_AWS_45",
        what: "a region running a cluster with no Config recorder",
        good: vpcStack([]),
        bad: vpcStack(["recorder"]),
    },
    { rule: "continuous-compliance-on", peer: "issue-14", what: "recorder never started", good: vpcStack([]), bad: vpcStack(["status"]) },
    { rule: "continuous-compliance-on", peer: "issue-14", what: "no delivery channel", good: vpcStack([]), bad: vpcStack(["channel"]) },
    { rule: "continuous-compliance-on", peer: "issue-14", what: "no PCI DSS standard", good: vpcStack([]), bad: vpcStack(["pci-dss"]) },
    {
        rule: "continuous-compliance-on",
        peer: "issue-14",
        what: "no Security Hub at all",
        good: vpcStack([]),
        bad: vpcStack(["hub", "aws-foundational", "cis", "pci-dss"]),
    },
    {
        rule: "continuous-compliance-on",
        peer: "issue-14",
        what: "a region with only supporting network is watched by its workload stack's recorder",
        good: () => vpcStack()().filter((r) => r.type !== "eks:index:Cluster"),
        bad: vpcStack(),
    },
    {
        rule: "config-recorder-settings",
        peer: "CKV2_AWS_48",
        what: "recorder of a few types only",
        good: one("aws:cfg/recorder:Recorder", recorder),
        bad: one("aws:cfg/recorder:Recorder", { ...recorder, recordingGroup: { allSupported: false, resourceTypes: ["AWS::EC2::Instance"] } }),
    },
    {
        rule: "config-recorder-settings",
        peer: "CKV2_AWS_45",
        what: "recorder status off",
        good: one("aws:cfg/recorderStatus:RecorderStatus", { name: "default", isEnabled: true }),
        bad: one("aws:cfg/recorderStatus:RecorderStatus", { name: "default", isEnabled: false }),
    },
    {
        rule: "config-recorder-settings",
        peer: "issue-14",
        what: "history not on a CMK",
        good: one("aws:cfg/deliveryChannel:DeliveryChannel", deliveryChannel),
        bad: one("aws:cfg/deliveryChannel:DeliveryChannel", { ...deliveryChannel, s3KmsKeyArn: undefined }),
    },
    {
        rule: "security-hub-settings",
        peer: "issue-14",
        what: "controls not enabled automatically",
        good: one("aws:securityhub/account:Account", { enableDefaultStandards: false, autoEnableControls: true }),
        bad: one("aws:securityhub/account:Account", { enableDefaultStandards: false, autoEnableControls: false }),
    },
    {
        rule: "security-hub-settings",
        peer: "issue-14",
        what: "a malformed standards ARN",
        good: one("aws:securityhub/standardsSubscription:StandardsSubscription", { standardsArn: "arn:aws:securityhub:eu-west-1::standards/pci-dss/v/4.0.1" }),
        bad: one("aws:securityhub/standardsSubscription:StandardsSubscription", { standardsArn: "arn:aws:securityhub:::standards/pci-dss" }),
    },
];
