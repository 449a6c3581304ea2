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

/** Packages holding upstream models, tried in order: core Kubernetes, Istio, prometheus-operator, External Secrets. */
const MODEL_PACKAGES = ["kubernetes-models", "@kubernetes-models/istio", "@kubernetes-models/prometheus-operator", "@kubernetes-models/external-secrets"];

/**
 * The upstream model class for an apiVersion and kind ("v1"/"ConfigMap",
 * "networking.istio.io/v1"/"DestinationRule"), or undefined when no installed
 * package models it.
 */
export async function modelFor(apiVersion: string, kind: string): Promise<(new (data: object) => Validatable) | undefined> {
    for (const pkg of MODEL_PACKAGES) {
        try {
            const mod = await esmImport(`${pkg}/${apiVersion}/${kind}`);
            if (typeof mod[kind] === "function") return mod[kind] as new (data: object) => Validatable;
        } catch {
            // Not in this package; try the next.
        }
    }
    return undefined;
}
