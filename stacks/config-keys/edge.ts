// Stack config keys of EdgeNetwork and the global stack (issue 7). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.

export const EDGE_KEYS = {} as const;
