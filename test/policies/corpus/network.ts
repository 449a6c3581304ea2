import { res } from "../helpers";
import { albLb, clone, egressRule, ingressRule, launchTemplate, listener, nlb, nodeGroup, one, securityGroup, sgRule } from "./base";
import { CorpusCase } from "./types";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const world = (port: number, extra: object = {}) => ({ description: "web", protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"], ...extra });

export const NETWORK_CASES: CorpusCase[] = [
    { rule: "security-group-descriptions", peer: "aws-ec2-securitygroup-missing-description", what: "group without a description", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, description: undefined }) },
    { rule: "security-group-descriptions", peer: "CKV_AWS_23", what: "group left with the provider's default description", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, description: "Managed by Pulumi" }) },
    {
        rule: "security-group-descriptions", peer: "aws-ec2-securitygroup-missing-ingress-rule-description", what: "inline ingress rule without a description",
        good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, ingress: [{ ...securityGroup.ingress[0], description: undefined }] }),
    },
    {
        rule: "security-group-descriptions", peer: "aws-ec2-securitygroup-missing-egress-rule-description", what: "inline egress rule without a description",
        good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, egress: [{ ...securityGroup.egress[0], description: "" }] }),
    },
    { rule: "security-group-descriptions", peer: "CKV_AWS_23", what: "standalone ingress rule without a description", good: one(IN, ingressRule), bad: one(IN, { ...ingressRule, description: undefined }) },
    { rule: "security-group-descriptions", peer: "CKV_AWS_23", what: "standalone egress rule without a description", good: one(OUT, egressRule), bad: one(OUT, { ...egressRule, description: undefined }) },
    { rule: "security-group-descriptions", peer: "CKV_AWS_23", what: "aws_security_group_rule without a description", good: one(SG_RULE, sgRule), bad: one(SG_RULE, { ...sgRule, description: undefined }) },
    { rule: "no-plaintext-http-ingress", peer: "CKV_AWS_260", what: "port 80 open to the world", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, ingress: [world(80)] }) },
    { rule: "no-plaintext-http-ingress", peer: "CKV_AWS_260", what: "a range covering 80 open over IPv6", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, ingress: [{ ...world(0), fromPort: 0, toPort: 1024, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }] }) },
    { rule: "no-plaintext-http-ingress", peer: "aws-ec2-securitygroup-disallow-inbound-http-traffic", what: "standalone rule opening 80", good: one(IN, ingressRule), bad: one(IN, { ...ingressRule, referencedSecurityGroupId: undefined, fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" }) },
    { rule: "no-world-ingress", peer: "CKV_AWS_24", what: "SSH open to the world", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, ingress: [world(22)] }) },
    { rule: "no-world-ingress", peer: "CKV_AWS_25", what: "RDP open to the world", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, ingress: [world(3389)] }) },
    { rule: "no-world-ingress", peer: "CKV_AWS_277", what: "every port open to the world", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, ingress: [{ description: "all", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }) },
    { rule: "no-unrestricted-egress", peer: "CKV_AWS_382", what: "egress to every port anywhere", good: one(SG, securityGroup), bad: one(SG, { ...securityGroup, egress: [{ description: "all", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }) },
    { rule: "no-unrestricted-egress", peer: "CKV_AWS_382", what: "standalone egress rule to every port", good: one(OUT, egressRule), bad: one(OUT, { ...egressRule, ipProtocol: "-1", fromPort: undefined, toPort: undefined }) },
    { rule: "lb-deletion-protection", peer: "CKV_AWS_150", what: "no deletion protection", good: one(LB, albLb), bad: one(LB, { ...albLb, enableDeletionProtection: false }) },
    { rule: "lb-drop-invalid-headers", peer: "CKV_AWS_131", what: "ALB keeps invalid headers", good: one(LB, albLb), bad: one(LB, { ...albLb, dropInvalidHeaderFields: undefined }) },
    { rule: "lb-desync-mitigation", peer: "CKV_AWS_328", what: "desync mitigation in monitor mode", good: one(LB, albLb), bad: one(LB, { ...albLb, desyncMitigationMode: "monitor" }) },
    { rule: "lb-cross-zone", peer: "CKV_AWS_152", what: "NLB without cross-zone balancing", good: one(LB, nlb), bad: one(LB, { ...nlb, enableCrossZoneLoadBalancing: false }) },
    { rule: "lb-access-logs", peer: "CKV_AWS_91", what: "no access logs", good: one(LB, albLb), bad: one(LB, { ...albLb, accessLogs: { bucket: "lb-logs", enabled: false } }) },
    { rule: "lb-listener-encrypted", peer: "CKV_AWS_2", what: "HTTP listener on port 80 forwarding", good: one("aws:lb/listener:Listener", listener), bad: one("aws:lb/listener:Listener", { port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }) },
    {
        rule: "lb-listener-encrypted", peer: "CKV_AWS_2", what: "HTTP listener on port 80 that redirects is fine",
        good: one("aws:lb/listener:Listener", { port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] }),
        bad: one("aws:lb/listener:Listener", { port: 80, protocol: "HTTP", defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] }),
    },
    { rule: "lb-listener-tls-policy", peer: "aws-lb-listener-configure-secure-tls", what: "old TLS policy", good: one("aws:lb/listener:Listener", listener), bad: one("aws:lb/listener:Listener", { ...listener, sslPolicy: "ELBSecurityPolicy-2016-08" }) },
    { rule: "eks-node-group-no-ssh", peer: "CKV_AWS_100", what: "SSH key with no source groups", good: one("aws:eks/nodeGroup:NodeGroup", nodeGroup), bad: one("aws:eks/nodeGroup:NodeGroup", { ...nodeGroup, remoteAccess: { ec2SshKey: "ops" } }) },
    {
        rule: "eks-node-group-no-ssh", peer: "CKV_AWS_100", what: "SSH limited to a source group passes",
        good: one("aws:eks/nodeGroup:NodeGroup", { ...nodeGroup, remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-bastion"] } }),
        bad: one("aws:eks/nodeGroup:NodeGroup", { ...nodeGroup, remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: [] } }),
    },
    { rule: "imdsv2-required", peer: "CKV_AWS_79", what: "IMDSv1 left on", good: one(LT, launchTemplate), bad: one(LT, { ...launchTemplate, metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" } }) },
    { rule: "imdsv2-required", peer: "CKV_AWS_79", what: "no metadata options at all", good: one(LT, launchTemplate), bad: one(LT, { ...launchTemplate, metadataOptions: undefined }) },
    { rule: "imds-hop-limit", peer: "CKV_AWS_341", what: "hop limit 2", good: one(LT, launchTemplate), bad: one(LT, { ...launchTemplate, metadataOptions: { ...launchTemplate.metadataOptions, httpPutResponseHopLimit: 2 } }) },
    {
        rule: "no-credentials-in-user-data", peer: "CKV_AWS_46", what: "AWS keys in user data", good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, userData: Buffer.from("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n").toString("base64") }),
    },
    {
        rule: "no-credentials-in-user-data", peer: "CKV_AWS_46", what: "a database password in user data", good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, userData: Buffer.from("#!/bin/bash\nDB_PASSWORD=Sup3rS3cret!\n").toString("base64") }),
    },
    {
        rule: "launch-template-no-public-ip", peer: "CKV_AWS_88", what: "public IP on the interface", good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, networkInterfaces: [{ associatePublicIpAddress: "true", deviceIndex: 0 }] }),
    },
    {
        rule: "ebs-encrypted", peer: "aws-ec2-launchtemplate-disallow-unencrypted-block-device", what: "unencrypted root volume", good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] }),
    },
    {
        rule: "security-group-descriptions", peer: "issue-14", what: "a group judged with its standalone rules, context-free",
        good: () => [res(SG, clone(securityGroup)), res(IN, clone(ingressRule))],
        bad: () => [res(SG, clone(securityGroup)), res(IN, { ...clone(ingressRule), description: " " })],
    },
];
