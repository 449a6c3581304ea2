/**
 * Pod disruption budget and replica count every system add-on gets, so a node drain never takes one down.
 * The pinned charts and the release helper are in components/helm/.
 */
export const SYSTEM_REPLICAS = 2;
