import * as aws from "@pulumi/aws";
import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { expect } from "chai";
import { Rule } from "../../policies/lib/rule";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { PROVIDER, res, stack } from "./helpers";

/** The runner hands rules what the engine hands them; these rules record it. */
describe("policy runner", () => {
    const key = res("aws:kms/key:Key", { enableKeyRotation: true }, { protect: true });
    const alias = { ...res("aws:kms/alias:Alias", { name: "alias/x" }, { deps: [key] }), parent: key.urn };
    const resources = stack(key, alias);

    it("passes resource rules the engine's arguments: type, props, urn, name, opts, provider, isType/asType, getConfig, notApplicable, stackTags", async () => {
        const seen: ResourceValidationArgs[] = [];
        const probe = {
            name: "probe",
            description: "Records its arguments.",
            enforcementLevel: "mandatory",
            severity: "low",
            configSchema: { properties: { threshold: { type: "integer" } } },
            validateResource: (args: ResourceValidationArgs) => {
                seen.push(args);
                if (args.type === "aws:kms/alias:Alias") args.notApplicable("aliases are not judged");
            },
        } as unknown as Rule;
        const stackTags = new Map([["team", "platform"]]);
        const { violations } = await evaluatePolicies(resources, {
            rules: [probe],
            config: { probe: { enforcementLevel: "advisory", threshold: 3 } },
            stackTags,
        });
        expect(violations).to.deep.equal([]);
        const k = seen.find((a) => a.urn === key.urn)!;
        expect(k.type).to.equal("aws:kms/key:Key");
        expect(k.name).to.equal(key.name);
        expect(k.props.enableKeyRotation).to.equal(true);
        expect(k.opts.protect).to.equal(true);
        expect(k.provider?.urn).to.equal(PROVIDER.urn);
        expect(k.provider?.props.region).to.equal("eu-west-1");
        expect(k.isType(aws.kms.Key)).to.equal(true);
        expect(k.isType(aws.kms.Alias)).to.equal(false);
        expect(k.asType(aws.kms.Key)?.enableKeyRotation).to.equal(true);
        expect(k.getConfig<{ threshold: number }>()).to.deep.equal({ threshold: 3 });
        expect(k.stackTags.get("team")).to.equal("platform");
        expect(seen.find((a) => a.urn === alias.urn)!.opts.parent).to.equal(key.urn);
    });

    it("passes stack rules every resource, linked to its parent, provider and dependencies", async () => {
        let got: PolicyResource[] = [];
        const probe = {
            name: "stack-probe",
            description: "Records the stack.",
            enforcementLevel: "mandatory",
            severity: "low",
            validateStack: (args: StackValidationArgs, report: (m: string, urn?: string) => void) => {
                got = args.resources;
                report("one", alias.urn);
                report("two");
            },
        } as unknown as Rule;
        const { violations } = await evaluatePolicies(resources, { rules: [probe] });
        expect(got.map((r) => r.urn)).to.deep.equal(resources.map((r) => r.urn));
        const a = got.find((r) => r.urn === alias.urn)!;
        expect(a.parent?.urn).to.equal(key.urn);
        expect(a.dependencies.map((d) => d.urn)).to.deep.equal([key.urn]);
        expect(a.provider?.props.region).to.equal("eu-west-1");
        // A stack violation without a urn belongs to the stack.
        expect(violations.map((v) => v.urn)).to.deep.equal([alias.urn, resources[0].urn]);
        expect(violations.map((v) => v.level)).to.deep.equal(["mandatory", "mandatory"]);
    });

    it("fails loudly, naming the rule, when a rule throws: a crashing policy is never a pass", async () => {
        const broken = {
            name: "broken",
            description: "Throws.",
            enforcementLevel: "mandatory",
            severity: "low",
            validateResource: () => {
                throw new Error("boom");
            },
        } as unknown as Rule;
        let err: Error | undefined;
        await evaluatePolicies(resources, { rules: [broken] }).catch((e: Error) => (err = e));
        expect(err?.message).to.equal("policy broken failed: boom");
    });
});
