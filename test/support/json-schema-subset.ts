/**
 * A small JSON Schema validator for the keywords our schemas use (draft-07
 * semantics): type, required, properties, additionalProperties (boolean or
 * schema), items, enum, const, minItems, minimum, pattern, anyOf, $ref to
 * "#/definitions/<name>". Enough to check plan files (docs/plan-file.schema.json)
 * and SARIF logs (test/upstream/sarif/) without a dependency; an unknown keyword
 * throws, so a schema cannot silently ask for more than is checked.
 */
export type Schema = { [k: string]: unknown };

const KNOWN = new Set([
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "source",
    "retrieved",
    "definitions",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "minItems",
    "minimum",
    "pattern",
    "anyOf",
    "$ref",
    "default",
]);

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
    const actual = typeOf(v);
    return actual === t || (t === "number" && actual === "integer");
}

/** Every violation, as "<json path>: <what>"; empty when the value conforms. */
export function validate(value: unknown, schema: Schema, root: Schema = schema, at = "$"): string[] {
    for (const k of Object.keys(schema))
        if (!KNOWN.has(k)) throw new Error(`schema keyword ${k} at ${at} is not supported by test/support/json-schema-subset.ts`);
    if (typeof schema.$ref === "string") {
        const m = /^#\/definitions\/(.+)$/.exec(schema.$ref);
        const target = m ? (root.definitions as Record<string, Schema> | undefined)?.[m[1]] : undefined;
        if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
        return validate(value, target, root, at);
    }
    const errors: string[] = [];
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
        if (!types.some((t) => typeMatches(value, t))) return [`${at}: is ${typeOf(value)}, expected ${types.join(" or ")}`];
    }
    if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value)))
        errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${at}: must be ${JSON.stringify(schema.const)}`);
    if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) errors.push(`${at}: ${value} is below ${schema.minimum}`);
    if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern, "u").test(value))
        errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (Array.isArray(value)) {
        if (typeof schema.minItems === "number" && value.length < schema.minItems)
            errors.push(`${at}: has ${value.length} items, at least ${schema.minItems} needed`);
        if (schema.items) value.forEach((v, i) => errors.push(...validate(v, schema.items as Schema, root, `${at}[${i}]`)));
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
        const obj = value as Record<string, unknown>;
        for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in obj)) errors.push(`${at}: lacks required "${r}"`);
        const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
        for (const [k, v] of Object.entries(obj)) {
            if (props[k]) errors.push(...validate(v, props[k], root, `${at}.${k}`));
            else if (schema.additionalProperties === false) errors.push(`${at}: property "${k}" is not allowed`);
            else if (schema.additionalProperties && typeof schema.additionalProperties === "object")
                errors.push(...validate(v, schema.additionalProperties as Schema, root, `${at}.${k}`));
        }
    }
    if (schema.anyOf) {
        const branches = (schema.anyOf as Schema[]).map((s) => validate(value, s, root, at));
        if (!branches.some((b) => b.length === 0)) errors.push(`${at}: matches none of anyOf (${branches.map((b) => b[0]).join("; ")})`);
    }
    return errors;
}
