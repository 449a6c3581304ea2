import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { accessStringEnabled, elasticacheUserIamAuth, IAM_AUTH_MIN_ENGINE_VERSION } from "../../policies/rules/identity/elasticache-user-iam-auth";
import { projectRoot } from "../../stacks/stack-files";
import { res, violationsOf } from "./helpers";

const USER = "aws:elasticache/user:User";
const user = (inputs: Record<string, unknown>) => res(USER, { engine: "valkey", ...inputs });
const messages = async (inputs: Record<string, unknown>) => (await violationsOf(elasticacheUserIamAuth, [user(inputs)])).map((v) => v.message);
const app = { userId: "cache-app", userName: "cache-app", accessString: "on ~us-east-1:* +@all -@dangerous" };
const standIn = { userId: "cache-default", userName: "default", accessString: "off -@all" };

/** The cases beyond the pack's pass/fail pair (test/policies/corpus/identity.ts): each defect the rule names. */
describe("elasticache-user-iam-auth", () => {
    it("passes an IAM user whose id is its name, and a disabled stand-in default with a password", async () => {
        expect(await messages({ ...app, authenticationMode: { type: "iam" } })).to.deep.equal([]);
        expect(await messages({ ...standIn, authenticationMode: { type: "password", passwords: ["[secret]"] } })).to.deep.equal([]);
    });

    it("reports any other user on a password, on no password, or on the legacy passwords input", async () => {
        expect((await messages({ ...app, authenticationMode: { type: "password", passwords: ["[secret]"] } }))[0]).to.contain(
            "authenticates with password, not IAM",
        );
        expect((await messages({ ...app, authenticationMode: { type: "no-password-required" } }))[0]).to.contain("no-password-required, not IAM");
        expect((await messages({ ...app, noPasswordRequired: true }))[0]).to.contain("no-password-required, not IAM");
        expect((await messages({ ...app, passwords: ["[secret]"] }))[0]).to.contain("password, not IAM");
        // A disabled user is no exception unless it is the default's stand-in.
        expect(await messages({ ...app, accessString: "off -@all", authenticationMode: { type: "password", passwords: ["[secret]"] } })).to.have.length(1);
    });

    it("reports a default user left enabled, whatever its access string's order", async () => {
        expect((await messages({ ...standIn, accessString: "on ~* +@all", authenticationMode: { type: "password", passwords: ["[secret]"] } }))[0]).to.contain(
            "is enabled",
        );
        expect(await messages({ ...standIn, accessString: "off -@all on", authenticationMode: { type: "password", passwords: ["[secret]"] } })).to.have.length(
            1,
        );
    });

    it("reports an IAM user whose id differs from its name (ElastiCache refuses it)", async () => {
        expect((await messages({ ...app, userId: "cache-app-1", authenticationMode: { type: "iam" } }))[0]).to.contain("requires the two to be identical");
    });

    it("judges nothing it cannot know at preview", async () => {
        expect(await messages({ ...app, userName: "[unknown]", authenticationMode: { type: "password" } })).to.deep.equal([]);
    });

    it("reads an access string as the engine does: the last on/off wins, neither means off", () => {
        expect(accessStringEnabled("off -@all")).to.equal(false);
        expect(accessStringEnabled("on ~* +@all off")).to.equal(false);
        expect(accessStringEnabled("off on ~*")).to.equal(true);
        expect(accessStringEnabled("~* +@all")).to.equal(false);
    });

    describe("a replication group whose user group holds an IAM user", () => {
        const iamUser = () => user({ ...app, authenticationMode: { type: "iam" } });
        const group = () =>
            res("aws:elasticache/userGroup:UserGroup", { userGroupId: "cache-users", engine: "valkey", userIds: ["cache-default", "cache-app"] });
        const rg = (inputs: Record<string, unknown>) =>
            res("aws:elasticache/replicationGroup:ReplicationGroup", {
                engine: "valkey",
                engineVersion: "7.2",
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                userGroupIds: ["cache-users"],
                ...inputs,
            });
        const judged = async (inputs: Record<string, unknown>) =>
            (await violationsOf(elasticacheUserIamAuth, [iamUser(), group(), rg(inputs)])).map((v) => v.message);

        it("passes on an engine that offers IAM authentication, with TLS required", async () => {
            expect(await judged({})).to.deep.equal([]);
            expect(await judged({ engine: "redis", engineVersion: "7.1" })).to.deep.equal([]);
            expect(await judged({ engineVersion: "8.0" })).to.deep.equal([]);
        });
        it("reports an engine version below IAM authentication's minimum", async () => {
            expect((await judged({ engine: "redis", engineVersion: "6.2" }))[0]).to.contain("runs redis 6.2; its IAM users need redis 7.0 or later");
        });
        it("reports TLS off or merely preferred", async () => {
            expect((await judged({ transitEncryptionEnabled: false }))[0]).to.contain("does not require TLS");
            expect((await judged({ transitEncryptionMode: "preferred" }))[0]).to.contain("does not require TLS");
        });
        it("leaves a Global Datastore secondary to its primary, and a group with no IAM user alone", async () => {
            expect(
                await judged({ engine: undefined, engineVersion: undefined, transitEncryptionEnabled: undefined, globalReplicationGroupId: "ldgnf-x" }),
            ).to.deep.equal([]);
            expect(await judged({ engineVersion: "6.2", userGroupIds: ["other-users"] })).to.deep.equal([]);
        });
        it("keeps the minimum versions AWS documents (test/upstream/elasticache/iam-auth.json)", () => {
            const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "elasticache", "iam-auth.json"), "utf8"));
            expect(IAM_AUTH_MIN_ENGINE_VERSION).to.deep.equal(facts.minimumEngineVersion);
        });
    });
});
