import { dnsNames } from "../components/edge-network/dns";

/**
 * Every hostname under which clients reach a region's ingress load balancer, so its certificate
 * names each one (a wildcard covers exactly one label, so `*.<domain>` covers none of them):
 * - `<region>.api.<domain>`: CloudFront's origin for the region, and its Route 53 health check;
 * - `<zone>.api.<domain>`: the zone's failover record (primary or standby) and CloudFront's failover origin;
 * - `api.<domain>` (geolocation) and `nearest.api.<domain>` (latency): both alias the zone failover names;
 * The records are the global stack's (components/edge-network/dns.ts); the readiness check
 * "hostnames and certificates" holds this list to them.
 */
export function ingressHostnames(domain: string, region: string, zone: string): string[] {
    const n = dnsNames(domain);
    return [n.regional(region), n.failover(zone), n.geo, n.latency];
}
