import { expect } from "chai";
import { accessStringEnabled, elasticacheUserIamAuth } from "../../policies/rules/identity/elasticache-user-iam-auth";
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
});
