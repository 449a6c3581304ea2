import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { encryptsInTransit, instanceFamily, NITRO_IN_TRANSIT_FAMILIES } from "../../../policies/lib/nitro-in-transit";
import { DEFAULT_NODE_GROUPS, INSTANCE_FAMILIES, SPEC_NODE_GROUPS } from "../../../components/regional-cluster/node-groups";
import { projectRoot } from "../../../stacks/stack-files";

/** The sourced list (AWS EC2 User Guide, Control Tower CT.AUTOSCALING.PR.11), retrieved 2026-11-29. */
const upstream = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "ec2", "nitro-in-transit-encryption.json"), "utf8")) as {
    source: string[];
    retrieved: string;
    requirements: string[];
    families: string[];
    crossCheck: { source: string; encryptingFamilies: string[]; nonEncryptingFamilies: string[] };
};

describe("Nitro in-transit encryption: the instance families (test/upstream/ec2/nitro-in-transit-encryption.json)", () => {
    it("keeps the sourced list with its sources, date and conditions", () => {
        expect(upstream.source.some((s) => s.startsWith("https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/data-protection.html"))).to.equal(true);
        expect(upstream.source.some((s) => s.includes("controltower"))).to.equal(true);
        expect(upstream.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(upstream.requirements.join(" ")).to.match(/load balancer/);
        expect(upstream.families).to.include.members(["r7g", "r8g", "m7g", "c7g", "m6i", "c6i", "r6i"]);
        expect(upstream.families).to.not.include.members(["r6g", "m6g", "c6g", "t4g"]);
    });

    it("the program's list is the sourced list, no more and no less", () => {
        expect([...NITRO_IN_TRANSIT_FAMILIES].sort()).to.deep.equal([...upstream.families].sort());
    });

    it("every family a node group may use, and every type of both default tables, is on the sourced list", () => {
        expect(INSTANCE_FAMILIES.filter((f) => !upstream.families.includes(f))).to.deep.equal([]);
        for (const table of [DEFAULT_NODE_GROUPS, SPEC_NODE_GROUPS])
            for (const [group, spec] of Object.entries(table))
                for (const t of spec.instanceTypes) expect(upstream.families, `${group}: ${t}`).to.include(instanceFamily(t));
    });

    it("agrees with EC2's own flag (EncryptionInTransitSupported, as Karpenter's generated reference records it): every family the program may use encrypts there, and no listed family is marked otherwise", () => {
        const { source, encryptingFamilies, nonEncryptingFamilies } = upstream.crossCheck;
        expect(source).to.match(/^https:\/\/github\.com\/aws\/karpenter-provider-aws\/blob\/[0-9a-f]{40}\//);
        expect(encryptingFamilies).to.include.members(["r7g", "r8g", "m7g", "c7g", "c7gd"]);
        expect(nonEncryptingFamilies).to.include.members(["r6g", "m6g", "c6g", "t4g"]);
        expect(INSTANCE_FAMILIES.filter((f) => !encryptingFamilies.includes(f))).to.deep.equal([]);
        for (const table of [DEFAULT_NODE_GROUPS, SPEC_NODE_GROUPS])
            for (const [group, spec] of Object.entries(table))
                for (const t of spec.instanceTypes) expect(encryptingFamilies, `${group}: ${t}`).to.include(instanceFamily(t));
        expect(NITRO_IN_TRANSIT_FAMILIES.filter((f) => nonEncryptingFamilies.includes(f))).to.deep.equal([]);
    });

    it("reads the family from the type, hyphenated families included", () => {
        expect(instanceFamily("c7i-flex.large")).to.equal("c7i-flex");
        expect(encryptsInTransit("u7i-12tb.224xlarge")).to.equal(true);
        expect(encryptsInTransit("r8g.2xlarge")).to.equal(true);
        expect(encryptsInTransit("r6g.2xlarge")).to.equal(false);
        expect(encryptsInTransit("m5.xlarge")).to.equal(false);
    });
});
