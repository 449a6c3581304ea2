// Stack config keys of RegionalCluster (issue 3). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.

export const CLUSTER_KEYS = {} as const;
