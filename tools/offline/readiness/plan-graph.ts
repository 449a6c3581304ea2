import { CLOUDFRONT_ORIGIN_PREFIX_LIST, PREFIX_LIST_WEIGHT, route53HealthCheckersPrefixList } from "../../../components/regional-cluster/ingress";
import type { CapturedResource } from "../mock-engine";
import { mockCall, mockResource } from "../mock-outputs";
import type { PlanFile } from "../plan-file";

/**
 * What a readiness check needs to follow references between resources of an
 * offline plan. The plan records each resource's inputs, and an input that
 * names another resource carries that resource's id or ARN as the offline
 * engine answered it; so the engine's own answers (mock-outputs.ts) give each
 * resource its id and outputs back, and references can be followed exactly.
 */
export interface Resolved {
    resource: CapturedResource;
    id: string;
    state: Record<string, unknown>;
}

/** The region a resource lives in: its own `region` input, else its provider's, else the stack's. */
export function regionOf(plan: PlanFile, r: CapturedResource): string {
    if (typeof r.inputs.region === "string" && r.inputs.region) return r.inputs.region;
    // A provider reference is the provider's URN, possibly followed by "::<id>".
    const provider = r.provider
        ? plan.resources.find((p) => p.type.startsWith("pulumi:providers:") && (r.provider === p.urn || r.provider!.startsWith(`${p.urn}::`)))
        : undefined;
    if (provider && typeof provider.inputs.region === "string") return provider.inputs.region;
    return String(plan.config["aws:region"] ?? "us-east-1");
}

/** Every resource of a plan with the id and outputs the engine gave it. */
export function resolve(plan: PlanFile, type?: string): Resolved[] {
    return plan.resources
        .filter((r) => r.custom && (!type || r.type === type))
        .map((r) => {
            const { id, state } = mockResource(r.type, r.name, r.inputs, regionOf(plan, r));
            return { resource: r, id, state };
        });
}

/** A managed prefix list the program references, known by name and by the weight it counts against a group's rules. */
export interface KnownPrefixList {
    name: string;
    /** Who sends from its addresses, in words. */
    client: string;
    weight: number;
}

/** The AWS-managed prefix lists the program may reference in `region`, by the id the engine gives them there. */
export function knownPrefixLists(region: string): Map<string, KnownPrefixList> {
    const lists: KnownPrefixList[] = [
        { name: CLOUDFRONT_ORIGIN_PREFIX_LIST, client: "CloudFront origin fetches", weight: PREFIX_LIST_WEIGHT.cloudfrontOriginFacing },
        { name: route53HealthCheckersPrefixList(region), client: "Route 53 health checkers", weight: PREFIX_LIST_WEIGHT.route53HealthChecks },
    ];
    return new Map(lists.map((l) => [String(mockCall("aws:ec2/getManagedPrefixList:getManagedPrefixList", { name: l.name }, region).id), l]));
}

/** One inbound rule of a security group, whichever way it was written (standalone rule resource or inline block). */
export interface InboundRule {
    securityGroupId: string;
    fromPort: number;
    toPort: number;
    protocol: string;
    prefixListIds: string[];
    cidrs: string[];
    securityGroupIds: string[];
    /** The resource that declared it. */
    declaredBy: string;
}

const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : fallback);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

/** Every inbound rule in a plan: `aws:vpc` rule resources, `aws:ec2` rule resources and groups' inline `ingress` blocks. */
export function inboundRules(plan: PlanFile): InboundRule[] {
    const rules: InboundRule[] = [];
    for (const r of plan.resources) {
        const i = r.inputs;
        if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
            rules.push({
                securityGroupId: String(i.securityGroupId),
                fromPort: num(i.fromPort, 0),
                toPort: num(i.toPort, 65535),
                protocol: String(i.ipProtocol ?? "tcp"),
                prefixListIds: strings(i.prefixListId),
                cidrs: [...strings(i.cidrIpv4), ...strings(i.cidrIpv6)],
                securityGroupIds: strings(i.referencedSecurityGroupId),
                declaredBy: r.name,
            });
        } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && i.type === "ingress") {
            rules.push({
                securityGroupId: String(i.securityGroupId),
                fromPort: num(i.fromPort, 0),
                toPort: num(i.toPort, 65535),
                protocol: String(i.protocol ?? "tcp"),
                prefixListIds: strings(i.prefixListIds),
                cidrs: [...strings(i.cidrBlocks), ...strings(i.ipv6CidrBlocks)],
                securityGroupIds: strings(i.sourceSecurityGroupId),
                declaredBy: r.name,
            });
        }
    }
    for (const sg of resolve(plan, "aws:ec2/securityGroup:SecurityGroup")) {
        for (const b of (sg.resource.inputs.ingress as Record<string, unknown>[] | undefined) ?? []) {
            rules.push({
                securityGroupId: sg.id,
                fromPort: num(b.fromPort, 0),
                toPort: num(b.toPort, 65535),
                protocol: String(b.protocol ?? "tcp"),
                prefixListIds: strings(b.prefixListIds),
                cidrs: [...strings(b.cidrBlocks), ...strings(b.ipv6CidrBlocks)],
                securityGroupIds: strings(b.securityGroups),
                declaredBy: sg.resource.name,
            });
        }
    }
    return rules;
}

/** Does the rule admit TCP on `port`? Protocol "-1" is every protocol. */
export const coversPort = (rule: { fromPort: number; toPort: number; protocol: string }, port: number) =>
    rule.protocol === "-1" || rule.protocol === "all" || ((rule.protocol === "tcp" || rule.protocol === "6") && rule.fromPort <= port && port <= rule.toPort);

/** Rules-quota weight of one rule: a prefix list counts as its maximum entries, anything else as one rule per source. */
export function ruleWeight(rule: InboundRule, lists: Map<string, KnownPrefixList>): number {
    const listWeight = rule.prefixListIds.reduce((sum, id) => sum + (lists.get(id)?.weight ?? 1), 0);
    return Math.max(1, listWeight + rule.cidrs.length + rule.securityGroupIds.length);
}

/** One outbound rule (standalone `aws:vpc` egress rule or inline `egress` block); only security-group and CIDR destinations are kept. */
export interface OutboundRule {
    securityGroupId: string;
    fromPort: number;
    toPort: number;
    protocol: string;
    cidrs: string[];
    securityGroupIds: string[];
}

export function outboundRules(plan: PlanFile): OutboundRule[] {
    const rules: OutboundRule[] = [];
    for (const r of plan.resources) {
        const i = r.inputs;
        if (r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") {
            rules.push({
                securityGroupId: String(i.securityGroupId),
                fromPort: num(i.fromPort, 0),
                toPort: num(i.toPort, 65535),
                protocol: String(i.ipProtocol ?? "tcp"),
                cidrs: strings(i.cidrIpv4),
                securityGroupIds: strings(i.referencedSecurityGroupId),
            });
        } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && i.type === "egress") {
            rules.push({
                securityGroupId: String(i.securityGroupId),
                fromPort: num(i.fromPort, 0),
                toPort: num(i.toPort, 65535),
                protocol: String(i.protocol ?? "tcp"),
                cidrs: strings(i.cidrBlocks),
                securityGroupIds: strings(i.sourceSecurityGroupId),
            });
        }
    }
    for (const sg of resolve(plan, "aws:ec2/securityGroup:SecurityGroup")) {
        for (const b of (sg.resource.inputs.egress as Record<string, unknown>[] | undefined) ?? []) {
            rules.push({
                securityGroupId: sg.id,
                fromPort: num(b.fromPort, 0),
                toPort: num(b.toPort, 65535),
                protocol: String(b.protocol ?? "tcp"),
                cidrs: strings(b.cidrBlocks),
                securityGroupIds: strings(b.securityGroups),
            });
        }
    }
    return rules;
}
