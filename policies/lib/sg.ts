import { asArray } from "./props";

export const SG = "aws:ec2/securityGroup:SecurityGroup";
export const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const SG_TYPES = [SG, DEFAULT_SG, SG_RULE, INGRESS_RULE, EGRESS_RULE];
export const WORLD = ["0.0.0.0/0", "::/0"];

/** One permission of a security group, whichever of the four ways it was written. */
export interface Permission {
    direction: "ingress" | "egress";
    /** "-1" (all), "tcp", "udp", "icmp" or a protocol number, lower case. */
    protocol: string;
    from: number;
    to: number;
    cidrs: string[];
    description?: string;
    /** Where it was written, for messages: "ingress[0]" or "the rule". */
    label: string;
}

const proto = (p: unknown) => String(p ?? "").toLowerCase();

/** The permissions a resource of one of SG_TYPES grants. */
export function permissionsOf(type: string, props: Record<string, any>): Permission[] {
    if (type === SG || type === DEFAULT_SG) {
        return (["ingress", "egress"] as const).flatMap((direction) =>
            asArray<any>(props[direction]).map((r, i) => ({
                direction,
                protocol: proto(r?.protocol),
                from: Number(r?.fromPort),
                to: Number(r?.toPort),
                cidrs: [...asArray<string>(r?.cidrBlocks), ...asArray<string>(r?.ipv6CidrBlocks)],
                description: r?.description,
                label: `${direction}[${i}]`,
            })),
        );
    }
    if (type === SG_RULE) {
        const direction = props.type === "egress" ? "egress" : "ingress";
        return [
            {
                direction,
                protocol: proto(props.protocol),
                from: Number(props.fromPort),
                to: Number(props.toPort),
                cidrs: [...asArray<string>(props.cidrBlocks), ...asArray<string>(props.ipv6CidrBlocks)],
                description: props.description,
                label: "the rule",
            },
        ];
    }
    if (type === INGRESS_RULE || type === EGRESS_RULE) {
        const all = proto(props.ipProtocol) === "-1";
        return [
            {
                direction: type === INGRESS_RULE ? "ingress" : "egress",
                protocol: proto(props.ipProtocol),
                // ipProtocol "-1" takes no ports: it means every port.
                from: all ? 0 : Number(props.fromPort),
                to: all ? 65535 : Number(props.toPort),
                cidrs: [props.cidrIpv4, props.cidrIpv6].filter((c): c is string => typeof c === "string" && c.length > 0),
                description: props.description,
                label: "the rule",
            },
        ];
    }
    return [];
}

export const allProtocols = (p: Permission) => p.protocol === "-1" || p.protocol === "all";

/** True when the permission covers `port` over TCP (or every protocol). */
export function coversTcpPort(p: Permission, port: number): boolean {
    if (allProtocols(p)) return true;
    if (p.protocol !== "tcp" && p.protocol !== "6") return false;
    // fromPort/toPort 0 (or -1) with TCP is how Terraform and the AWS API write "every port".
    if ((p.from === 0 && p.to === 0) || (p.from === -1 && p.to === -1)) return true;
    return p.from <= port && port <= p.to;
}

/** Every port: all protocols (AWS ignores ports for protocol -1), a 0-65535 range, or 0/0 or -1/-1. */
export function allPorts(p: Permission): boolean {
    return allProtocols(p) || (p.from <= 0 && p.to >= 65535) || (p.from === 0 && p.to === 0) || (p.from === -1 && p.to === -1);
}
