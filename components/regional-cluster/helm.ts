/** Pod disruption budget and replica count every system add-on gets, so a node drain never takes one down. */
export const SYSTEM_REPLICAS = 2;
