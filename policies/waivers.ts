/**
 * Peer checks (Checkov, pulumi/compliance-policies) for resource types this pack judges,
 * that no rule implements, each with the reason. docs/compliance.md lists them next to the
 * mapping; test/policies/corpus.spec.ts fails when a waived check is also claimed by a rule.
 * Peer sources read: bridgecrewio/checkov at 03d5fdad (2026-08-20),
 * pulumi/compliance-policies at 712a9017 (2025-05-23); retrieved 2026-11-29.
 */
export interface PeerWaiver {
    /** Checkov ID or compliance-policies policy name. */
    peer: string;
    /** What the peer checks. */
    check: string;
    /** Why no rule of ours implements it. */
    reason: string;
}

export const PEER_WAIVERS: readonly PeerWaiver[] = [];
