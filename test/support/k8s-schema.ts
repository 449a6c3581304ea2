import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";

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

/**
 * Packages holding upstream models, tried in order: core Kubernetes, Istio, prometheus-operator,
 * Argo Rollouts (0.3.2: 2.0.0 declares engines node>=22, and this project supports Node 20; docs/delivery.md).
 */
const MODEL_PACKAGES = ["kubernetes-models", "@kubernetes-models/istio", "@kubernetes-models/prometheus-operator", "@kubernetes-models/argo-rollouts"];

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
    return crdModelFor(apiVersion, kind);
}

/**
 * Custom resources no model package covers (KEDA's, whose @kubernetes-models package needs Node 22)
 * are validated against the CRD schemas their pinned chart installs, vendored in
 * test/upstream/charts/<chart>/<version>/crd-schemas.json. Strict, like `kubectl apply
 * --validate=strict`: a field the schema does not declare is an error, not silently pruned.
 */
function strict(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(strict);
    if (typeof schema !== "object" || schema === null) return schema;
    const s = Object.fromEntries(
        Object.entries(schema).map(([k, v]) => [
            k,
            k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, strict(ps)])) : strict(v),
        ]),
    ) as Record<string, unknown>;
    if (s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) s.additionalProperties = false;
    return s;
}

export function crdModelFor(apiVersion: string, kind: string): (new (data: object) => Validatable) | undefined {
    const root = path.join(__dirname, "..", "..", "..", "test", "upstream", "charts");
    for (const chart of fs.readdirSync(root)) {
        for (const version of fs.readdirSync(path.join(root, chart))) {
            const file = path.join(root, chart, version, "crd-schemas.json");
            if (!fs.existsSync(file)) continue;
            const schema = (JSON.parse(fs.readFileSync(file, "utf8")) as { schemas: Record<string, object> }).schemas[`${apiVersion}/${kind}`];
            if (!schema) continue;
            const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(strict(schema) as object);
            return class {
                constructor(private readonly data: object) {}
                validate(): void {
                    if (!validate(this.data)) throw new Error(`${apiVersion} ${kind} against ${chart} ${version}'s CRD: ${JSON.stringify(validate.errors)}`);
                }
            };
        }
    }
    return undefined;
}
