import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import {
    DATABASE_LOGIN_ENV,
    DATABASE_LOGIN_MOUNT,
    databaseLoginPod,
    loginFiles,
    poolerServices,
    shardServiceName,
} from "../../../components/sharded-database/clients";
import { CSI_ROTATION_POLL_INTERVAL, USERLIST_REFRESH_SECONDS } from "../../../components/sharded-database/kubernetes";
import { APP_ROTATION_DAYS } from "../../../components/sharded-database/rotation";
import { DATABASE_NAME, PORT } from "../../../components/sharded-database/shards";
import { allStacks, ofType, REGIONAL_STACKS } from "../../support/fixtures";

type Obj = Record<string, any>;
/** The AWS provider's rules for `objects` (test/upstream/secrets-store-csi-provider-aws/objects.json), as problems of one SecretProviderClass. */
const FACTS = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "..", "test", "upstream", "secrets-store-csi-provider-aws", "objects.json"), "utf8"));
export function objectsProblems(objectsYaml: string): string[] {
    const problems: string[] = [];
    const entries = parse(objectsYaml) as Obj[];
    const aliases: string[] = [];
    entries.forEach((e, n) => {
        for (const k of Object.keys(e)) if (!FACTS.objectFields.includes(k)) problems.push(`entry ${n}: unknown field ${k}`);
        if (!FACTS.objectTypes.includes(e.objectType)) problems.push(`entry ${n}: objectType ${e.objectType}`);
        for (const j of (e.jmesPath ?? []) as Obj[]) {
            if (!j.path || !j.objectAlias) problems.push(`entry ${n}: a jmesPath entry without path or objectAlias`);
            for (const k of Object.keys(j)) if (!FACTS.jmesPathFields.includes(k)) problems.push(`entry ${n}: unknown jmesPath field ${k}`);
            aliases.push(j.objectAlias);
        }
        if (e.objectAlias) aliases.push(e.objectAlias);
        for (const other of entries.slice(0, n).filter((o) => o.objectName === e.objectName)) {
            // The provider's four refused cases (NewSecretDescriptorList): same alias and no labels; no aliases and the same
            // label; same alias and same label; no alias and no label.
            const [a, b, la, lb] = [e.objectAlias ?? "", other.objectAlias ?? "", e.objectVersionLabel ?? "", other.objectVersionLabel ?? ""];
            const refused = (a && a === b && !la && !lb) || (!a && !b && la && la === lb) || (a && a === b && la && la === lb) || (!a && !b && !la && !lb);
            if (refused) problems.push(`entry ${n}: ${e.objectName} twice without a distinct alias and label`);
        }
    });
    for (const a of new Set(aliases.filter((x, i) => aliases.indexOf(x) !== i))) problems.push(`alias ${a} used twice`);
    for (const a of aliases) if (a.includes("/")) problems.push(`alias ${a} holds a slash (the provider would rename the file)`);
    return problems;
}

const ROOT = join(__dirname, "..", "..", "..", "..");
/** The figures that bound the client contract, by the name the docs cite them with. */
const FIGURES: Record<string, string> = {
    APP_ROTATION_DAYS: String(APP_ROTATION_DAYS),
    CSI_ROTATION_POLL_INTERVAL,
    USERLIST_REFRESH_SECONDS: String(USERLIST_REFRESH_SECONDS),
};

/** Every "`NAME` (value)" in a text whose value is not the constant's, and every figure the text never cites. */
export function figureProblems(text: string, figures: Record<string, string> = FIGURES): string[] {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(figures)) {
        const cited = [...text.matchAll(new RegExp("`" + name + "` \\(([^)]*)\\)", "g"))].map((m) => m[1]);
        if (!cited.length) problems.push(`${name} is not cited`);
        for (const c of cited) if (c !== value) problems.push(`${name} is cited as ${c}, but it is ${value}`);
    }
    return problems;
}

describe("PgBouncer's clients (components/sharded-database/clients.ts)", () => {
    it("databaseLoginPod: a read-only CSI volume of the database-login class, and env with the pools and file paths only", () => {
        const pod = databaseLoginPod(poolerServices([0, 1], "database"));
        expect(pod.volume).to.deep.equal({
            name: DATABASE_LOGIN_MOUNT.volume,
            csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: DATABASE_LOGIN_MOUNT.secretProviderClass } },
        });
        expect(pod.volumeMount).to.deep.equal({ name: DATABASE_LOGIN_MOUNT.volume, mountPath: DATABASE_LOGIN_MOUNT.mountPath, readOnly: true });
        expect(pod.env.name).to.equal(DATABASE_LOGIN_ENV);
        expect(JSON.parse(pod.env.value)).to.deep.equal(
            [0, 1].map((n) => ({
                shardId: n,
                writer: `${shardServiceName(n, "rw")}.database.svc.cluster.local`,
                reader: `${shardServiceName(n, "ro")}.database.svc.cluster.local`,
                port: PORT,
                database: DATABASE_NAME,
                usernameFile: `${DATABASE_LOGIN_MOUNT.mountPath}/${loginFiles(n).username}`,
                passwordFile: `${DATABASE_LOGIN_MOUNT.mountPath}/${loginFiles(n).password}`,
            })),
        );
    });

    it("the pools the stack hands the apps are the Services ShardedDatabase creates and publishes in its catalog", async () => {
        const runs = await allStacks();
        for (const stack of REGIONAL_STACKS) {
            const services = ofType(runs[stack], "kubernetes:core/v1:Service")
                .map((s) => s.inputs.metadata as { name: string; namespace: string })
                .filter((m) => m.namespace === "database")
                .map((m) => `${m.name}.${m.namespace}.svc.cluster.local`);
            const rollout = ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Rollout")[0].inputs.spec as any;
            const env = rollout.template.spec.containers[0].env.find((e: { name: string }) => e.name === DATABASE_LOGIN_ENV);
            const shards = JSON.parse(env.value) as { writer: string; reader: string }[];
            expect(shards.flatMap((s) => [s.writer, s.reader]).sort(), stack).to.deep.equal([...services].sort());
            const catalog = JSON.parse(
                String(
                    ofType(runs[stack], "aws:ssm/parameter:Parameter").find((p) => String(p.inputs.name).endsWith("/database/shard-catalog"))!.inputs
                        .insecureValue,
                ),
            );
            expect(
                catalog.shards.map((s: any) => [s.pooler.writer, s.pooler.reader]),
                stack,
            ).to.deep.equal(shards.map((s) => [s.writer, s.reader]));
            // The CSI driver polls at the interval the docs cite.
            const csi = ofType(runs[stack], "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "secrets-store-csi-driver-provider-aws")!;
            expect((csi.inputs.values as any)["secrets-store-csi-driver"].rotationPollInterval).to.equal(CSI_ROTATION_POLL_INTERVAL);
        }
    });

    it("every SecretProviderClass of every plan is one the AWS provider accepts (its sourced rules), PgBouncer's current and previous entries included", async () => {
        const runs = await allStacks();
        let seen = 0;
        for (const stack of REGIONAL_STACKS)
            for (const spc of ofType(runs[stack], "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass")) {
                seen++;
                expect(objectsProblems((spc.inputs.spec as Obj).parameters.objects), `${stack} ${spc.name}`).to.deep.equal([]);
            }
        expect(seen).to.be.greaterThan(REGIONAL_STACKS.length * 5);
        // The rules catch what the provider refuses.
        const entry = (alias: string, label?: string) =>
            [`- objectName: "s"`, "  objectType: secretsmanager", `  objectAlias: ${alias}`, ...(label ? [`  objectVersionLabel: ${label}`] : [])].join("\n");
        expect(objectsProblems([entry("a.json"), entry("a.json")].join("\n"))).to.include.members([
            "entry 1: s twice without a distinct alias and label",
            "alias a.json used twice",
        ]);
        expect(objectsProblems([entry("a.json"), entry("b.json", "AWSPREVIOUS")].join("\n"))).to.deep.equal([]);
        expect(objectsProblems(entry("x/y.json"))).to.deep.equal(["alias x/y.json holds a slash (the provider would rename the file)"]);
    });

    it("the README and docs/secrets.md cite the contract's figures with the values their constants hold", () => {
        for (const file of ["components/sharded-database/README.md", "docs/secrets.md"])
            expect(figureProblems(readFileSync(join(ROOT, file), "utf8")), file).to.deep.equal([]);
        // The check catches a stale figure and a missing one.
        expect(
            figureProblems("every `APP_ROTATION_DAYS` (90) days, `CSI_ROTATION_POLL_INTERVAL` (2m)", {
                APP_ROTATION_DAYS: "30",
                CSI_ROTATION_POLL_INTERVAL: "2m",
                X: "1",
            }),
        ).to.deep.equal(["APP_ROTATION_DAYS is cited as 90, but it is 30", "X is not cited"]);
    });
});
