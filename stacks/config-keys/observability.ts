// Stack config keys of ObservabilityStack (issue 8). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.

export const OBSERVABILITY_KEYS = {} as const;
