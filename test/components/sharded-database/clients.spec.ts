import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
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
