import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../../stacks/stack-files";
import { changedPaths, forcingEntries, REPLACE_ON_CHANGE_TABLE } from "../../../../tools/offline/diff/plan-diff";

/**
 * The replace-on-change table behind `plan --diff` (tools/offline/diff/replace-on-change.json):
 * facts read from the Terraform AWS provider's schemas, written as Pulumi input names. These
 * tests hold the table to its sources and to the SDK the program compiles against. That every
 * type in the plans is covered is checked on real plan files in cli-output.spec.ts.
 */

const sdk = path.join(projectRoot(), "node_modules", "@pulumi", "aws");
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The body of `export interface <name> {` (top level) or `<indent>interface <name> {` (inside a namespace) up to its closing brace, or undefined. */
function interfaceBody(text: string, name: string, indent = ""): string | undefined {
    const at = text.indexOf(`\n${indent}${indent ? "" : "export "}interface ${name} {`);
    if (at < 0) return undefined;
    return text.slice(at, text.indexOf(`\n${indent}}`, at + 1));
}

const hasField = (body: string, field: string) => new RegExp(`\\n\\s+(readonly )?${field}\\??:`).test(body);

describe("replace-on-change table", () => {
    const table = REPLACE_ON_CHANGE_TABLE;

    it("is sourced and dated, each type with the provider file it was read from", () => {
        expect(table.source).to.match(/^https:\/\/github\.com\/hashicorp\/terraform-provider-aws$/);
        expect(table.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
        for (const [type, e] of Object.entries(table.types)) {
            expect(e.file, type).to.match(/^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go$/);
            if (e.commit !== null) expect(e.commit, type).to.match(/^[0-9a-f]{40}$/);
            expect(e.forceNew, type).to.have.length.greaterThan(0);
            expect([...e.forceNew].sort(), `${type}: sorted, no duplicates`).to.deep.equal([...new Set(e.forceNew)].sort());
        }
        for (const [type, e] of Object.entries(table.noForceNew.types)) {
            expect(e.file, type).to.match(/^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go$/);
            if (e.commit !== null) expect(e.commit, type).to.match(/^[0-9a-f]{40}$/);
            expect(type in table.types, `${type}: either it has ForceNew inputs or it has none`).to.equal(false);
        }
        const both = table.notYetSourced.types.filter((t) => t in table.types || t in table.noForceNew.types);
        expect(both, "a type is either sourced or not yet").to.deep.equal([]);
        expect(table.notYetSourced.reason).to.match(/update/);
        expect(table.noForceNew.reason).to.match(/no attribute .* ForceNew/);
    });

    it("names inputs the @pulumi/aws SDK has: each entry is a property of the type's Args (and of its block type when dotted)", () => {
        const inputTypes = fs.readFileSync(path.join(sdk, "types", "input.d.ts"), "utf8");
        for (const [type, e] of Object.entries(table.types)) {
            const m = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(type);
            expect(m, type).to.not.equal(null);
            const [, mod, file, cls] = m!;
            const dts = fs.readFileSync(path.join(sdk, mod, `${file}.d.ts`), "utf8");
            const args = interfaceBody(dts, `${cls}Args`);
            expect(args, `${type}: ${cls}Args in @pulumi/aws/${mod}/${file}.d.ts`).to.be.a("string");
            for (const entry of e.forceNew) {
                const [top, field] = entry.split(".");
                expect(hasField(args!, top), `${type}: ${top} is not an input of ${cls}Args`).to.equal(true);
                if (!field) continue;
                const ns = inputTypes.slice(inputTypes.indexOf(`export declare namespace ${mod} {`));
                const block = interfaceBody(ns, `${cls}${cap(top)}`, "    ");
                expect(block, `${type}: ${mod}.${cls}${cap(top)}`).to.be.a("string");
                expect(hasField(block!, field), `${type}: ${entry}`).to.equal(true);
            }
        }
    });

    it("the entries a changed path touches: the input itself, a field inside a ForceNew block, or the block above a ForceNew field", () => {
        const entries = ["name", "encryptAtRest.kmsKeyId", "vpcOptions", "launchTemplate.id"];
        expect(forcingEntries("name", entries)).to.deep.equal(["name"]);
        expect(forcingEntries("namePrefix", entries), "a name that only starts like an entry").to.deep.equal([]);
        expect(forcingEntries("vpcOptions.subnetIds[1]", entries)).to.deep.equal(["vpcOptions"]);
        expect(forcingEntries("encryptAtRest.kmsKeyId", entries)).to.deep.equal(["encryptAtRest.kmsKeyId"]);
        expect(forcingEntries("encryptAtRest", entries), "the whole block replaced").to.deep.equal(["encryptAtRest.kmsKeyId"]);
        expect(forcingEntries("encryptAtRest.enabled", entries), "a sibling field that updates in place").to.deep.equal([]);
        expect(forcingEntries("launchTemplate.version", entries)).to.deep.equal([]);
        expect(forcingEntries("tags.Name", entries)).to.deep.equal([]);
        // Paths come from changedPaths, whose array indexes are bracketed.
        expect(changedPaths({ vpcOptions: { subnetIds: ["a", "b"] } }, { vpcOptions: { subnetIds: ["a", "c"] } })).to.deep.equal(["vpcOptions.subnetIds[1]"]);
    });
});
