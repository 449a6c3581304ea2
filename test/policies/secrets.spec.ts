import { expect } from "chai";
import { RULES } from "../../policies/rules";
import { plainProperties, secretPaths } from "../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { res, stack } from "./helpers";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET_SIG, value });
const rule = RULES.find((r) => r.name === "no-literal-credentials")!;
const CLUSTER = "aws:rds/cluster:Cluster";

/** Secret tracking in plans (tools/offline/mock-engine.ts) and how no-literal-credentials reads it. */
describe("secrets in plan inputs", () => {
    it("the engine records the path of every secret input and masks its value", () => {
        const wire = { masterUsername: "admin", masterPassword: secret("x"), authenticationMode: { type: "password", passwords: [secret("a"), "b"] } };
        expect(secretPaths(wire)).to.deep.equal(["masterPassword", "authenticationMode.passwords[0]"]);
        expect(plainProperties(wire)).to.deep.equal({
            masterUsername: "admin",
            masterPassword: "[secret]",
            authenticationMode: { type: "password", passwords: ["[secret]", "b"] },
        });
    });

    const judge = async (...resources: ReturnType<typeof res>[]) =>
        (await evaluatePolicies(stack(...resources), { rules: [rule] })).violations.map((v) => v.message.split(" Remediation:")[0]);

    it("a tracked plan: a secret from a RandomPassword passes, a secret with no source and a value in clear do not", async () => {
        const pw = res("random:index/randomPassword:RandomPassword", { length: 40 });
        const generated = res(CLUSTER, { engine: "aurora-postgresql", masterPassword: "[secret]" }, { deps: [pw] });
        generated.secretPaths = ["masterPassword"];
        generated.options.propertyDependencies = { masterPassword: [pw.urn] };
        expect(await judge(pw, generated)).to.deep.equal([]);

        const typedIn = res(CLUSTER, { engine: "aurora-postgresql", masterPassword: "[secret]" });
        typedIn.secretPaths = ["masterPassword"];
        expect(await judge(pw, generated, typedIn)).to.deep.equal([
            "masterPassword is a value written in the program or its config (it depends on no resource such as a RandomPassword or a Secrets Manager secret).",
        ]);

        const edited = JSON.parse(JSON.stringify(generated));
        edited.inputs.masterPassword = "hunter2hunter2";
        expect(await judge(pw, edited)).to.deep.equal(["masterPassword is in clear text in the plan: it is not a Pulumi secret."]);
    });

    it("a plan written before secrets were tracked: a masked value is not judged, a value in clear is", async () => {
        expect(await judge(res(CLUSTER, { engine: "aurora-postgresql", masterPassword: "[secret]" }))).to.deep.equal([]);
        expect(await judge(res(CLUSTER, { engine: "aurora-postgresql", masterPassword: "Winter2026!" }))).to.have.length(1);
    });

    it("manageMasterUserPassword and unknown values need no password", async () => {
        expect(await judge(res(CLUSTER, { engine: "aurora-postgresql", manageMasterUserPassword: true }))).to.deep.equal([]);
        expect(await judge(res(CLUSTER, { engine: "aurora-postgresql", masterPassword: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }))).to.deep.equal([]);
    });

    it("a String SSM parameter holds no secret; a SecureString literal is refused", async () => {
        expect(await judge(res("aws:ssm/parameter:Parameter", { type: "String", value: "eu-west-1" }))).to.deep.equal([]);
        expect(await judge(res("aws:ssm/parameter:Parameter", { type: "SecureString", value: "sk_live_123" }))).to.have.length(1);
    });
});
