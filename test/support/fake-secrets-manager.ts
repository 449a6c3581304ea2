import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

/**
 * An in-memory Secrets Manager (and SNS) for running our functions' generated code on this machine: a stand-in
 * for the SDK modules they import that keeps Secrets Manager's staging-label rules, and what Secrets Manager does
 * for RotateSecret. Shared by the specs of the JWT, vendor-key and Grafana admin functions.
 */

/** A real ESM import(): tsc would turn `import()` into `require()`. */
const esm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<{ handler: (event?: unknown) => Promise<unknown> }>;

export interface Version {
    stages: string[];
    value?: string;
    created: Date;
}
export interface FakeState {
    arn: string;
    versions: Map<string, Version>;
    published: { Subject: string; Message: string }[];
    calls: string[];
    /** The inputs of each GetRandomPassword call. */
    randomPasswordInputs: Record<string, unknown>[];
}
export const fake = globalThis as unknown as { __fakeAws: FakeState };

/** The SDK modules the functions import, as a tiny stand-in that keeps Secrets Manager's staging-label rules. */
function writeFakeSdk(dir: string): void {
    const mod = (name: string, body: string) => {
        const d = path.join(dir, "node_modules", "@aws-sdk", name);
        fs.mkdirSync(d, { recursive: true });
        fs.writeFileSync(path.join(d, "package.json"), JSON.stringify({ name: `@aws-sdk/${name}`, type: "module", main: "index.js" }));
        fs.writeFileSync(path.join(d, "index.js"), body);
    };
    const command = (n: string) => `export class ${n} { constructor(input) { this.input = input; } }`;
    mod(
        "client-secrets-manager",
        `
${["DescribeSecretCommand", "GetSecretValueCommand", "PutSecretValueCommand", "UpdateSecretVersionStageCommand", "ListSecretVersionIdsCommand", "GetRandomPasswordCommand"].map(command).join("\n")}
const notFound = (m) => Object.assign(new Error(m), { name: "ResourceNotFoundException" });
export class SecretsManagerClient {
    async send(cmd) {
        const s = globalThis.__fakeAws;
        const op = cmd.constructor.name;
        s.calls.push(op);
        const i = cmd.input;
        if (op === "GetRandomPasswordCommand") {
            // Secrets Manager API reference, GetRandomPassword: letters, digits and punctuation unless excluded (a few punctuation characters here).
            s.randomPasswordInputs.push(i);
            const classes = ["abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", ...(i.ExcludePunctuation ? [] : ["!#%&()*+,-./:;<=>?@[]^_|~"])];
            const all = classes.join("");
            const pick = (set) => set[Math.floor(Math.random() * set.length)];
            const out = i.RequireEachIncludedType ? classes.map(pick) : [];
            while (out.length < (i.PasswordLength ?? 32)) out.push(pick(all));
            return { RandomPassword: out.sort(() => Math.random() - 0.5).join("") };
        }
        if (i.SecretId !== s.arn) throw notFound("no secret " + i.SecretId);
        const holder = (stage) => [...s.versions].find(([, v]) => v.stages.includes(stage))?.[0];
        if (op === "DescribeSecretCommand") return { RotationEnabled: true, VersionIdsToStages: Object.fromEntries([...s.versions].filter(([, v]) => v.stages.length).map(([id, v]) => [id, [...v.stages]])) };
        if (op === "ListSecretVersionIdsCommand") return { Versions: [...s.versions].map(([id, v]) => ({ VersionId: id, VersionStages: [...v.stages], CreatedDate: v.created })) };
        if (op === "GetSecretValueCommand") {
            const id = i.VersionId ?? holder(i.VersionStage ?? "AWSCURRENT");
            const v = s.versions.get(id);
            if (!v || v.value === undefined || (i.VersionStage && !v.stages.includes(i.VersionStage))) throw notFound("no value for " + id);
            return { VersionId: id, SecretString: v.value };
        }
        if (op === "PutSecretValueCommand") {
            const v = s.versions.get(i.ClientRequestToken) ?? { stages: [], created: new Date() };
            if (v.value !== undefined && v.value !== i.SecretString) throw Object.assign(new Error("version exists with another value"), { name: "ResourceExistsException" });
            for (const st of i.VersionStages) for (const [, o] of s.versions) o.stages = o.stages.filter((x) => x !== st);
            v.value = i.SecretString;
            v.stages = [...new Set([...v.stages, ...i.VersionStages])];
            s.versions.set(i.ClientRequestToken, v);
            return {};
        }
        if (op === "UpdateSecretVersionStageCommand") {
            const from = holder(i.VersionStage);
            if (from && from !== i.RemoveFromVersionId) throw Object.assign(new Error(i.VersionStage + " is on " + from + ": name it in RemoveFromVersionId"), { name: "InvalidParameterException" });
            if (from) s.versions.get(from).stages = s.versions.get(from).stages.filter((x) => x !== i.VersionStage);
            s.versions.get(i.MoveToVersionId).stages.push(i.VersionStage);
            if (i.VersionStage === "AWSCURRENT" && from) {
                for (const [, o] of s.versions) o.stages = o.stages.filter((x) => x !== "AWSPREVIOUS");
                s.versions.get(from).stages.push("AWSPREVIOUS");
            }
            return {};
        }
        throw new Error("unexpected " + op);
    }
}
`,
    );
    mod(
        "client-sns",
        `
export class PublishCommand { constructor(input) { this.input = input; } }
export class SNSClient { async send(cmd) { globalThis.__fakeAws.calls.push("Publish"); globalThis.__fakeAws.published.push(cmd.input); return { MessageId: "m" }; } }
`,
    );
}

/** The folders `load` wrote, removed after each suite (the run's temp-folder check fails on leftovers). */
const loaded: string[] = [];
export const removeLoaded = () => {
    for (const d of loaded.splice(0)) fs.rmSync(d, { recursive: true, force: true });
};

export async function load(code: string): Promise<(event?: unknown) => Promise<unknown>> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-secrets-fn-"));
    loaded.push(dir);
    writeFakeSdk(dir);
    fs.writeFileSync(path.join(dir, "index.mjs"), code);
    try {
        // The function's imports are static: once loaded, the module no longer needs its files.
        return (await esm(pathToFileURL(path.join(dir, "index.mjs")).href)).handler;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** What Secrets Manager does for RotateSecret: refuse while a rotation is pending, label a new empty version AWSPENDING, run the steps. */
export async function rotateSecret(
    handler: (event?: unknown) => Promise<unknown>,
    arn: string,
    steps = ["createSecret", "setSecret", "testSecret", "finishSecret"],
): Promise<string> {
    const s = fake.__fakeAws;
    const pending = [...s.versions].find(([, v]) => v.stages.includes("AWSPENDING"));
    if (pending && !pending[1].stages.includes("AWSCURRENT")) throw new Error("a previous rotation request is still in progress");
    if (pending) pending[1].stages = pending[1].stages.filter((x) => x !== "AWSPENDING");
    const token = randomUUID();
    s.versions.set(token, { stages: ["AWSPENDING"], created: new Date() });
    for (const Step of steps) await handler({ SecretId: arn, ClientRequestToken: token, Step });
    return token;
}
