import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { asArray, ofType, parseJson } from "../../lib/props";

const ROUTE = "aws:ec2/route:Route";
const TABLE = "aws:ec2/routeTable:RouteTable";
const ASSOC = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const SUBNET = "aws:ec2/subnet:Subnet";
const IGW = "aws:ec2/internetGateway:InternetGateway";
const NAT = "aws:ec2/natGateway:NatGateway";
const EIGW = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway";

/** What a route sends traffic to, when that is the internet (directly or through NAT); undefined otherwise. */
function internetTarget(route: Record<string, any>, deps: readonly PolicyResource[]): string | undefined {
    const gw = route.gatewayId;
    if (typeof gw === "string" && gw.startsWith("igw-")) return `internet gateway ${gw}`;
    if (route.natGatewayId) return "a NAT gateway";
    if (route.egressOnlyGatewayId) return "an egress-only internet gateway";
    if (route.carrierGatewayId) return "a carrier gateway";
    // Offline and in a preview the ids are not known yet: the dependency names the target's type.
    if (gw && deps.some((d) => d.type === IGW)) return "an internet gateway";
    return undefined;
}

/**
 * The data tier has no route to or from the internet (docs/design.md#topology, network tiers; PCI DSS 1.3 keeps
 * the cardholder-data environment off the internet). Data route tables are found through their
 * associations with subnets tagged tier=data. A standalone route whose table is not in this stack
 * (cross-stack peering routes) may not target the internet at all: it cannot be proven not to be data.
 */
export const dataTierNoInternetRoute = stackRule({
    name: "data-tier-no-internet-route",
    description: "Route tables of data-tier subnets must have no route to an internet gateway, NAT gateway or egress-only gateway.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["public-exposure", "network-segmentation", "vpc"],
    resourceTypes: [ROUTE, TABLE, ASSOC, SUBNET],
    remediation:
        "remove the internet or NAT route from the data route table; the data tier reaches AWS services through VPC endpoints and other regions through peering routes only.",
    check: (resources, _c, report) => {
        const dataTables = new Set<string>();
        const knownTables = new Set(ofType(resources, TABLE).map((t) => t.urn));
        for (const a of ofType(resources, ASSOC)) {
            const dataSubnet = a.dependencies.some((d) => d.type === SUBNET && parseJson(d.props.tags)?.tier === "data");
            if (dataSubnet) for (const d of a.dependencies) if (d.type === TABLE) dataTables.add(d.urn);
        }
        for (const t of ofType(resources, TABLE).filter((x) => dataTables.has(x.urn))) {
            for (const r of asArray<Record<string, any>>(t.props.routes)) {
                const target = internetTarget(
                    r,
                    t.dependencies.filter((d) => [IGW, NAT, EIGW].includes(d.type)),
                );
                if (target) report(`The data route table routes ${r.cidrBlock ?? r.ipv6CidrBlock} to ${target}.`, t.urn);
            }
        }
        for (const r of ofType(resources, ROUTE)) {
            const table = r.dependencies.find((d) => d.type === TABLE);
            const target = internetTarget(r.props, r.dependencies);
            if (!target) continue;
            if (table && knownTables.has(table.urn) && !dataTables.has(table.urn)) continue;
            const where = table ? "the data route table" : "a route table this stack cannot prove is outside the data tier";
            report(`The route sends ${r.props.destinationCidrBlock ?? r.props.destinationIpv6CidrBlock} in ${where} to ${target}.`, r.urn);
        }
    },
});
