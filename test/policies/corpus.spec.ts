import { expect } from "chai";
import { RULES } from "../../policies/rules";
import { PEER_WAIVERS } from "../../policies/waivers";
import { evaluatePolicies, formatViolations } from "../../tools/offline/policy-runner";
import { CORPUS } from "./corpus";
import { stack } from "./helpers";

/**
 * Parity with the peer tools (issue 14): each case restates a peer's published failing
 * example on our own compliant baseline. The whole pack runs over both halves: the bad
 * half must draw the named rule, the good half must draw nothing from any rule.
 */
describe("policy pack parity corpus (test/policies/corpus/)", () => {
    for (const c of CORPUS) {
        describe(`${c.rule} ← ${c.peer}: ${c.what}`, () => {
            it("the bad case draws the rule", async () => {
                const { violations } = await evaluatePolicies(stack(...c.bad()));
                expect(
                    violations.filter((v) => v.policy === c.rule),
                    formatViolations(violations).join("\n"),
                ).to.have.length.greaterThan(0);
            });
            it("the good case draws no violation from any rule", async () => {
                const { violations } = await evaluatePolicies(stack(...c.good()));
                expect(formatViolations(violations)).to.deep.equal([]);
            });
        });
    }

    it("names only rules of the pack", () => {
        const names = new Set(RULES.map((r) => r.name));
        expect(CORPUS.filter((c) => !names.has(c.rule)).map((c) => c.rule)).to.deep.equal([]);
    });

    it("has a case for every peer check a rule claims, and for no check the waiver table sets aside", () => {
        const claimed = RULES.flatMap((r) =>
            [...(r.metadata.peers?.checkov ?? []), ...(r.metadata.peers?.compliancePolicies ?? [])].map((id) => `${r.name} ${id}`),
        );
        const cased = new Set(CORPUS.map((c) => `${c.rule} ${c.peer}`));
        const waived = new Set(PEER_WAIVERS.map((w) => w.peer));
        expect(
            claimed.filter((k) => !cased.has(k) && !COVERED_ELSEWHERE.has(k.split(" ")[1])),
            "claimed peer checks without a corpus case",
        ).to.deep.equal([]);
        expect(
            CORPUS.filter((c) => waived.has(c.peer)).map((c) => c.peer),
            "a waived check may not also be claimed",
        ).to.deep.equal([]);
    });
});

/**
 * Peer checks answered by rules that predate the corpus, whose pass/fail pairs live in
 * test/policies/rules.spec.ts and rule-details.spec.ts.
 */
const COVERED_ELSEWHERE = new Set<string>([]);
