import type { ReadinessCheck, ReadinessItem } from "./types";
import { podIdentityItems } from "./in-cluster/accounts";
import { injectionItems, namespaceItems } from "./in-cluster/namespaces";
import { openSearchItems } from "./in-cluster/opensearch";
import { addressesIn, providedServices, resolve } from "./in-cluster/services";

export { ADDON_SERVICE_ACCOUNTS, providedServiceAccounts } from "./in-cluster/accounts";
export { BUILT_IN_NAMESPACES } from "./in-cluster/namespaces";
export { fluentBitSections } from "./in-cluster/opensearch";
export { addressesIn, APPLICATION_SERVICES, providedServices } from "./in-cluster/services";

/**
 * In-cluster addresses: every Service address one component gives another (a URL in a chart's values,
 * an exporter endpoint, an Istio route destination, a TargetGroupBinding's serviceRef, an address in
 * the stack outputs) must name a Service that the plan creates, in that namespace, on that port. The
 * Services a Helm release creates come from its chart's vendored naming facts
 * (test/upstream/charts/<chart>/<version>/services.json: fullname rules, templates, default ports);
 * the ones the program writes itself from the plan. Every namespace used must exist. A namespace that asks for sidecar injection must
 * name a revision that an istiod in the plan serves, and an EKS Pod Identity association must name a
 * ServiceAccount that something in the plan creates (else the pods run without the role's credentials), as
 * must every pod template's serviceAccountName. One file per concern under in-cluster/.
 * The in-cluster clients of the region's OpenSearch domain (Fluent Bit, Jaeger) must name a domain of
 * the plan, over HTTPS with SigV4.
 */
export const inClusterAddresses: ReadinessCheck = (plan) => {
    const services = providedServices(plan);
    const seen = new Set<string>();
    const items: ReadinessItem[] = [];
    for (const a of addressesIn(plan)) {
        const item = resolve(a, services, plan);
        if (seen.has(item.subject)) continue;
        seen.add(item.subject);
        items.push(item);
    }
    items.push(...namespaceItems(plan), ...injectionItems(plan), ...podIdentityItems(plan), ...openSearchItems(plan));
    return { title: "in-cluster addresses", items };
};
