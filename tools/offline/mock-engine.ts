import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { mockCall, mockResource } from "./mock-outputs";

/** One registration, as the engine saw it: what the plan file and the policy runner read. */
export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** Parent URN, or null for the root stack. */
    parent: string | null;
    /** URN of the explicit or default provider, or null for components and providers. */
    provider: string | null;
    custom: boolean;
    /** Inputs with secrets shown as "[secret]" and resource references as their URN. */
    inputs: Record<string, unknown>;
    /**
     * What the engine answered that names the resource: its id, ARN and addresses (string outputs only).
     * Readiness checks follow references by these (an ARN in a key policy to the role that has it).
     */
    identity?: Record<string, string>;
    /**
     * Paths of the inputs that reached the engine as Pulumi secrets (`masterPassword`,
     * `authenticationMode.passwords[0]`); their values are masked as "[secret]" in `inputs`,
     * so a credential shown in clear in a plan was never a secret. @pulumi/aws wraps every
     * credential input in `pulumi.secret` itself, so a secret with no property dependency
     * (options.propertyDependencies) was still typed into the program: policies/lib/secrets.ts.
     * Absent when no input was secret, and in plans written before secrets were tracked.
     */
    secretPaths?: string[];
    /**
     * The `aliases` option as the engine receives it: old URNs, or specs of what changed (name, type, parent).
     * The engine also derives aliases for the children of an aliased resource; tools/offline/aliases.ts replays
     * both against a previous state. Absent when the resource has none.
     */
    aliases?: CapturedAlias[];
    /** The resource options the engine receives (the policy SDK's PolicyResourceOptions). */
    options: {
        protect: boolean;
        ignoreChanges: string[];
        retainOnDelete: boolean;
        deleteBeforeReplace: boolean;
        additionalSecretOutputs: string[];
        dependencies: string[];
        /** Per top-level input, the resources its value came from (the engine's propertyDependencies). */
        propertyDependencies?: Record<string, string[]>;
    };
}

/**
 * One alias, as the SDK sends it (pulumi/proto alias.proto): an old URN, or a spec whose empty fields mean "as
 * now". `parentUrn` is the URN the SDK resolved for the alias's parent (the resource's own parent when the
 * alias names none); `noParent` says the resource used to be top-level.
 */
export interface CapturedAlias {
    urn?: string;
    name?: string;
    type?: string;
    stack?: string;
    project?: string;
    parentUrn?: string;
    noParent?: boolean;
}

/** The request's aliases in plain form (empty spec fields left out). */
function capturedAliases(req: any): CapturedAlias[] {
    const list: any[] = typeof req.getAliasesList === "function" ? req.getAliasesList() : [];
    return list.map((a): CapturedAlias => {
        if (a.hasUrn()) return { urn: a.getUrn() };
        const s = a.getSpec();
        const spec: CapturedAlias = {};
        for (const [k, v] of [
            ["name", s.getName()],
            ["type", s.getType()],
            ["stack", s.getStack()],
            ["project", s.getProject()],
            ["parentUrn", s.getParenturn()],
        ] as const) {
            if (v) spec[k] = v;
        }
        if (s.getNoparent()) spec.noParent = true;
        return spec;
    });
}

export const SECRET = "[secret]";

/** One provider function call (a data-source lookup such as aws.acm.getCertificate), as the program made it. */
export interface CapturedInvoke {
    token: string;
    /** Region of the provider the call went through. */
    region: string;
    inputs: Record<string, unknown>;
}

/** Outputs that name a resource, kept in `identity`. */
const IDENTITY_OUTPUTS = ["id", "arn", "dnsName", "zoneId", "publicIp", "domainName", "fqdn", "certificateArn"];

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Paths (`a.b[0]`) of the values that are secrets in the wire form of a property map. */
export function secretPaths(value: unknown, at = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, `${at}[${i}]`));
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG] === SECRET_SIG) return [at];
        if (obj[SIG] !== undefined) return [];
        return Object.entries(obj).flatMap(([k, v]) => secretPaths(v, at ? `${at}.${k}` : k));
    }
    return [];
}

/** Turns the wire form of a property map into plain JSON for the plan: secrets masked, references as URNs. */
export function plainProperties(value: unknown): any {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(plainProperties);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG] === SECRET_SIG) return SECRET;
        if (obj[SIG] === RESOURCE_SIG) return obj.urn;
        if (obj[SIG] !== undefined) return "[asset]";
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plainProperties(v)]));
    }
    return value;
}

type Callback = (err: any, response: any) => void;

/**
 * A mock resource monitor that records every registration, answers with the
 * realistic outputs of mock-outputs.ts, works out each resource's region from
 * its provider (or its own `region` input, which @pulumi/aws 7 allows), and
 * serves StackReference reads from outputs the caller supplies.
 */
export class CaptureMonitor extends MockMonitor {
    readonly captured: CapturedResource[] = [];
    /** Every provider function the program called, in order. */
    readonly invokes: CapturedInvoke[] = [];
    stackOutputs: Record<string, unknown> = {};
    private readonly providerRegions = new Map<string, string>();
    private readonly providerUrns = new Map<string, string>();
    private rootUrn: string | undefined;

    constructor(
        private readonly defaultRegion: string,
        private readonly stackReferences: Readonly<Record<string, Record<string, unknown>>>,
    ) {
        super({
            newResource: (args) => this.answer(args),
            call: (args) => {
                const region = this.regionOf(args.provider);
                this.invokes.push({ token: args.token, region, inputs: plainProperties(args.inputs ?? {}) });
                return mockCall(args.token, args.inputs, region);
            },
        });
    }

    private regionOf(providerRef: string | undefined, inputs?: Record<string, unknown>): string {
        if (inputs && typeof inputs.region === "string" && inputs.region) return inputs.region;
        return (providerRef && this.providerRegions.get(providerRef)) || this.defaultRegion;
    }

    private answer(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        if (args.type.startsWith("pulumi:providers:")) return { id: `${args.name}-provider`, state: args.inputs };
        if (args.type === "pulumi:pulumi:StackReference") {
            const name = String(args.inputs.name);
            const outputs = this.stackReferences[name] ?? this.stackReferences[name.split("/").pop()!];
            if (!outputs) {
                throw new Error(`no outputs were supplied for the stack reference '${name}'; plan the stacks it reads first (npm run plan -- --all)`);
            }
            return { id: name, state: { name, outputs, secretOutputNames: [] } };
        }
        return mockResource(args.type, args.name, args.inputs, this.regionOf(args.provider, args.inputs));
    }

    async registerResource(req: any, callback: Callback): Promise<void> {
        return super.registerResource(req, this.capture(req, req.getObject(), req.getCustom(), callback));
    }

    /** Reads (`Resource.get`, StackReference) are registrations too: the engine shows them in the plan. */
    async readResource(req: any, callback: Callback): Promise<void> {
        return super.readResource(req, this.capture(req, req.getProperties(), true, callback));
    }

    private capture(req: any, props: any, custom: boolean, callback: Callback): Callback {
        const type: string = req.getType();
        const providerRef: string = req.getProvider();
        const wire = props?.toJavaScript() ?? {};
        const inputs = plainProperties(wire);
        const secrets = secretPaths(wire);
        const propertyDependencies: Record<string, string[]> = {};
        const pdeps = typeof req.getPropertydependenciesMap === "function" ? req.getPropertydependenciesMap() : undefined;
        pdeps?.forEach((v: any, k: string) => {
            const urns: string[] = v.getUrnsList();
            if (urns.length) propertyDependencies[k] = urns;
        });
        const opt = (getter: string, fallback: unknown): any => (typeof req[getter] === "function" ? req[getter]() : fallback);
        const aliases = capturedAliases(req);
        return (err, response) => {
            if (!err && response) {
                const urn: string = response.getUrn();
                if (type.startsWith("pulumi:providers:")) {
                    const ref = `${urn}::${response.getId()}`;
                    this.providerUrns.set(ref, urn);
                    if (typeof inputs.region === "string") this.providerRegions.set(ref, inputs.region);
                }
                if (type === "pulumi:pulumi:Stack") this.rootUrn = urn;
                const outputs = plainProperties(response.getObject?.()?.toJavaScript?.() ?? {}) as Record<string, unknown>;
                const identity: Record<string, string> = {};
                if (typeof response.getId === "function" && response.getId()) identity.id = response.getId();
                for (const k of IDENTITY_OUTPUTS) if (typeof outputs[k] === "string" && outputs[k]) identity[k] = outputs[k] as string;
                this.captured.push({
                    urn,
                    type,
                    name: req.getName(),
                    parent: req.getParent() || null,
                    provider: providerRef ? (this.providerUrns.get(providerRef) ?? providerRef.split("::").slice(0, -1).join("::")) : null,
                    custom,
                    inputs,
                    ...(Object.keys(identity).length ? { identity } : {}),
                    ...(secrets.length ? { secretPaths: secrets } : {}),
                    ...(aliases.length ? { aliases } : {}),
                    options: {
                        protect: opt("getProtect", false) === true,
                        ignoreChanges: opt("getIgnorechangesList", []),
                        retainOnDelete: opt("getRetainondelete", false) === true,
                        deleteBeforeReplace: opt("getDeletebeforereplace", false) === true,
                        additionalSecretOutputs: opt("getAdditionalsecretoutputsList", []),
                        dependencies: opt("getDependenciesList", []),
                        ...(Object.keys(propertyDependencies).length ? { propertyDependencies } : {}),
                    },
                });
            }
            callback(err, response);
        };
    }

    registerResourceOutputs(req: any, callback: Callback): void {
        if (req.getUrn() === this.rootUrn) this.stackOutputs = plainProperties(req.getOutputs()?.toJavaScript() ?? {});
        super.registerResourceOutputs(req, callback);
    }
}
