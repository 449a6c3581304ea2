/**
 * kubernetes-models and its @kubernetes-models/* packages are ESM-only. TypeScript
 * compiles `import()` to `require()` under CommonJS, which their `exports` refuse,
 * so the import is kept native here.
 */
const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, unknown>>;

interface Validatable {
    validate(): void;
}

/** Validates a manifest against the upstream schema of `module`'s `kind` (e.g. "kubernetes-models/v1", "ConfigMap"); throws when invalid. */
export async function validateManifest(module: string, kind: string, manifest: object): Promise<void> {
    const mod = await esmImport(module);
    const Model = mod[kind] as (new (data: object) => Validatable) | undefined;
    if (!Model) throw new Error(`${module} has no ${kind}`);
    new Model(manifest).validate();
}
