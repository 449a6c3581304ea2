import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { createEngineUrn, engineUrns, resolveAliases } from "../../../tools/offline/aliases";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, oneOfType, REGIONAL_STACKS } from "../../support/fixtures";

/** URNs of every stack's registrations on main before the stack composed the Network (see the folder's README). */
const BEFORE_DIR = path.join(__dirname, "..", "..", "..", "..", "test", "data", "urns-before-network-composition");
const NETWORK = "bookedbarber:network:Network";

function urnsBefore(stack: string): string[] {
    return (JSON.parse(fs.readFileSync(path.join(BEFORE_DIR, `${stack}.json`), "utf8")) as { urns: string[] }).urns;
}

/** The plan URNs of a resource and everything under it. */
function subtree(run: RunResult, root: CapturedResource): Set<string> {
    const inside = new Set([root.urn]);
    for (const r of run.resources) if (r.parent && inside.has(r.parent)) inside.add(r.urn);
    return inside;
}

describe("the stack composes the Network: no URN lost or replaced (issue 16)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("has the URNs from before the refactor for every stack", () => {
        const saved = fs
            .readdirSync(BEFORE_DIR)
            .filter((f) => f.endsWith(".json"))
            .map((f) => f.replace(/\.json$/, ""));
        expect(saved).to.have.members(Object.keys(runs));
    });

    for (const stack of ["bootstrap", ...REGIONAL_STACKS, "global"]) {
        it(`${stack}: every old URN maps one to one to a registration, by its URN or its aliases; nothing removed, nothing new under the Network`, () => {
            const run = runs[stack];
            const before = urnsBefore(stack);
            const { matches, orphaned, claimedTwice } = resolveAliases(run.resources, before);
            // The refactor's scope is the Network and what was under it; old URNs elsewhere belong to features merged
            // since the URNs were saved (e.g. the gateway's security-group rules renamed for its TLS port).
            const wasUnderNetwork = (u: string) => u.includes("bookedbarber:network:Network");
            expect(orphaned.filter(wasUnderNetwork), "old URNs of the Network nothing takes over (the engine would delete them)").to.deep.equal([]);
            expect(claimedTwice, "old URNs claimed twice").to.deep.equal([]);
            // Resources added by features merged after the saved URNs (e.g. a new ServiceMonitor) have no old state
            // and are created, as they should be; none of them may sit under the moved Network, where a resource
            // with no old state would be one the refactor failed to carry over.
            const network = run.resources.find((r) => r.type === NETWORK && r.parent === oneOfType(run, "pulumi:pulumi:Stack").urn);
            // matches[i] is run.resources[i]'s lookup (its URN in the engine's long form).
            const created = run.resources.filter((_, i) => matches[i].old === undefined).map((r) => r.urn);
            const underNetwork = network ? subtree(run, network) : new Set<string>();
            expect(
                created.filter((u) => underNetwork.has(u)),
                "registrations under the Network with no old state (the engine would create them)",
            ).to.deep.equal([]);
            expect(matches.length - created.length).to.equal(before.length - orphaned.filter((u) => !wasUnderNetwork(u)).length);

            // Only the Network and what is under it moved, all of it through the alias.
            const moved = new Set(run.resources.filter((_, i) => matches[i].old !== undefined && matches[i].old !== matches[i].urn).map((r) => r.urn));
            if (REGIONAL_STACKS.includes(stack)) {
                expect(network, "a top-level Network").to.not.equal(undefined);
                expect([...moved]).to.have.members([...subtree(run, network!)]);
                expect(moved.size).to.be.greaterThan(30);
            } else {
                expect([...moved]).to.deep.equal([]);
            }
        });
    }

    it("gives the moved Network one alias, its old parent the RegionalCluster; its children need none (the engine derives theirs)", () => {
        const run = runs["us-east-1"];
        const network = run.resources.find((r) => r.type === NETWORK)!;
        expect(network.aliases).to.deep.equal([{ parentUrn: "urn:pulumi:us-east-1::bookedbarber::bookedbarber:cluster:RegionalCluster::bb-use1" }]);
        for (const urn of subtree(run, network)) if (urn !== network.urn) expect(run.resources.find((r) => r.urn === urn)!.aliases, urn).to.equal(undefined);
    });

    it("compares engine URNs: the plan's abbreviate the type chain (the SDK's mock monitor), the state's carry it whole", () => {
        const run = runs["us-east-1"];
        const subnet = run.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.name === "bb-use1-net-app-us-east-1a")!;
        expect(subnet.urn).to.equal("urn:pulumi:us-east-1::bookedbarber::aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::bb-use1-net-app-us-east-1a");
        expect(engineUrns(run.resources).get(subnet.urn)).to.equal(
            "urn:pulumi:us-east-1::bookedbarber::bookedbarber:network:Network$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::bb-use1-net-app-us-east-1a",
        );
    });

    it("catches the defect it names: without the alias, the whole network would be replaced", () => {
        const run = runs["us-east-1"];
        const before = urnsBefore("us-east-1");
        const network = run.resources.find((r) => r.type === NETWORK)!;
        const inside = subtree(run, network);
        const withoutAliases = run.resources.map((r) => {
            const copy = { ...r };
            delete copy.aliases;
            return copy;
        });
        const { matches, orphaned } = resolveAliases(withoutAliases, before);
        const networkOrphans = orphaned.filter((u) => u.includes("bookedbarber:network:Network"));
        expect(networkOrphans).to.have.length(inside.size);
        expect(networkOrphans.every((u) => u.includes("bookedbarber:cluster:RegionalCluster$bookedbarber:network:Network"))).to.equal(true);
        expect(matches.filter((m, i) => m.old === undefined && inside.has(withoutAliases[i].urn))).to.have.length(inside.size);
    });

    describe("the engine's alias rules, replayed (test/upstream/pulumi/engine-urns-and-aliases.json)", () => {
        const upstream = JSON.parse(
            fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "upstream", "pulumi", "engine-urns-and-aliases.json"), "utf8"),
        );

        it("agrees with the engine's URN and inherited-alias cases", () => {
            const [chainCase, renameCase] = upstream.cases;
            let parent = "";
            for (const [type, name] of chainCase.chain as [string, string][]) parent = createEngineUrn(chainCase.stack, chainCase.project, name, type, parent);
            expect(parent).to.equal(chainCase.urn);

            const root = res("pulumi:pulumi:Stack", "p-s", null);
            const comp = res("x:index:Comp", renameCase.parentNewName, root.urn, { aliases: [{ name: "app", parentUrn: root.urn }] });
            const child = res(renameCase.child[0], renameCase.child[1], comp.urn);
            const { matches } = resolveAliases([root, comp, child], [stackUrn, renameCase.parentOld, renameCase.inheritedAlias]);
            expect(matches.map((m) => m.old)).to.deep.equal([stackUrn, renameCase.parentOld, renameCase.inheritedAlias]);
        });

        const urn = (qualified: string, name: string) => `urn:pulumi:s::p::${qualified}::${name}`;
        const stackUrn = urn("pulumi:pulumi:Stack", "p-s");
        const res = (type: string, name: string, parent: string | null, extra: Partial<CapturedResource> = {}): CapturedResource => ({
            urn: urn(type, name),
            type,
            name,
            parent,
            provider: null,
            custom: true,
            inputs: {},
            options: { protect: false, ignoreChanges: [], retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], dependencies: [] },
            ...extra,
        });

        it("writes a URN with the parent's whole type chain, without the root stack", () => {
            const root = res("pulumi:pulumi:Stack", "p-s", null);
            const comp = res("x:index:Comp", "app", root.urn);
            const child = res("aws:s3/bucket:Bucket", "app-logs", comp.urn);
            const grandchild = res("aws:s3/bucketPolicy:BucketPolicy", "app-logs-policy", child.urn);
            expect([...engineUrns([root, comp, child, grandchild]).values()]).to.deep.equal([
                stackUrn,
                urn("x:index:Comp", "app"),
                urn("x:index:Comp$aws:s3/bucket:Bucket", "app-logs"),
                urn("x:index:Comp$aws:s3/bucket:Bucket$aws:s3/bucketPolicy:BucketPolicy", "app-logs-policy"),
            ]);
        });

        it("hands a renamed parent's old name down to children named after it", () => {
            const root = res("pulumi:pulumi:Stack", "p-s", null);
            const comp = res("x:index:Comp", "newapp", root.urn, { aliases: [{ name: "app", parentUrn: root.urn }] });
            const child = res("aws:s3/bucket:Bucket", "newapp-logs", comp.urn);
            const other = res("aws:s3/bucket:Bucket", "shared", comp.urn);
            const old = [
                stackUrn,
                urn("x:index:Comp", "app"),
                urn("x:index:Comp$aws:s3/bucket:Bucket", "app-logs"),
                urn("x:index:Comp$aws:s3/bucket:Bucket", "shared"),
            ];
            const { matches, orphaned } = resolveAliases([root, comp, child, other], old);
            expect(matches.map((m) => m.old)).to.deep.equal(old);
            expect(orphaned).to.deep.equal([]);
        });

        it("reports an old URN two registrations claim", () => {
            const root = res("pulumi:pulumi:Stack", "p-s", null);
            const a = res("x:index:A", "a", root.urn);
            const b = res("x:index:B", "b", root.urn, { aliases: [{ urn: urn("x:index:A", "a") }] });
            expect(resolveAliases([root, a, b], [stackUrn, urn("x:index:A", "a")]).claimedTwice).to.deep.equal([urn("x:index:A", "a")]);
        });
    });
});
