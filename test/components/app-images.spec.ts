import { expect } from "chai";
import { appImageDigestProblems, appImageReference, IMAGE_DIGEST_RE } from "../../components/app-images";
import { ConfigError, parseStackConfig } from "../../stacks/config";
import { readStackConfig, siblingStacks } from "../../stacks/stack-files";
import { REGIONAL_STACKS } from "../support/fixtures";

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe("app images", () => {
    it("every regional stack file pins each app by digest", () => {
        for (const stack of REGIONAL_STACKS) {
            const raw = readStackConfig(stack);
            const images = JSON.parse(raw["bookedbarber:appImages"] ?? "null");
            expect(images, stack).to.be.an("object");
            for (const d of Object.values(images)) expect(d, stack).to.match(IMAGE_DIGEST_RE);
        }
    });

    it("refuses a tag, a missing app and an unknown app, naming each", () => {
        expect(appImageDigestProblems({ backend: digest("a"), worker: digest("b") })).to.deep.equal([]);
        const problems = appImageDigestProblems({ backend: "latest", extra: digest("c") });
        expect(problems.join("\n")).to.contain('.backend = "latest"').and.contain(".worker is missing").and.contain(".extra is not an app");
    });

    it("a bad digest in a stack file is a config error that names the key", () => {
        const raw = { ...readStackConfig("us-east-1"), "bookedbarber:appImages": JSON.stringify({ backend: "v1.2", worker: digest("d") }) };
        try {
            parseStackConfig(raw, "us-east-1", "bookedbarber", siblingStacks());
            expect.fail("expected a ConfigError");
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            expect((err as ConfigError).problems.join("\n"))
                .to.contain("appImages")
                .and.contain('"v1.2"');
        }
    });

    it("the reference a pod uses is registry/repository@digest", async () => {
        const ref = await new Promise<string>((resolve) => appImageReference("123456789012", "eu-west-1", "worker", digest("e")).apply(resolve));
        expect(ref).to.equal(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber/worker@${digest("e")}`);
    });
});
