import { CapturedResource } from "../../../tools/offline/mock-engine";

/**
 * One parity case: a misconfiguration a peer tool publishes a failing example for,
 * restated on our own compliant baseline (base.ts). `bad` must draw `rule`; `good`
 * must draw nothing from the whole pack.
 */
export interface CorpusCase {
    /** Our rule that must catch `bad`. */
    rule: string;
    /** The peer check the case comes from: a Checkov ID, a compliance-policies name, or "issue-14" for the issue's own classes. */
    peer: string;
    /** What is wrong in `bad`, in a few words. */
    what: string;
    good: () => CapturedResource[];
    bad: () => CapturedResource[];
}
