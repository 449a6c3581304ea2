import { NAMESPACE } from "../../stacks/config";
import { listStacks, readStackConfig, StackFileError } from "../../stacks/stack-files";

/** docs/design.md#d4-deploy-waves: the bootstrap stack (account prerequisites), primaries, then standbys, then global. */
export const WAVE_OF: Readonly<Record<string, number>> = { bootstrap: 0, primary: 1, standby: 2, global: 3 };

export interface StackInfo {
    stack: string;
    /** Role from the stack file, or undefined when the file has none (its own run reports that). */
    role?: string;
    wave: number;
    /** Stacks whose outputs this one reads through StackReference. */
    reads: string[];
}

/** What one stack file says about its place in the rollout. */
export function stackInfo(stack: string, root?: string): StackInfo {
    let raw: Record<string, string>;
    try {
        raw = readStackConfig(stack, root);
    } catch (err) {
        // An unreadable stack file is that stack's own failure, reported when it runs; ordering treats it as reading nothing.
        if (err instanceof StackFileError) return { stack, wave: 1, reads: [] };
        throw err;
    }
    const role = raw[`${NAMESPACE}:role`];
    let reads: string[] = [];
    if (role === "standby" && raw[`${NAMESPACE}:primaryStack`]) reads = [raw[`${NAMESPACE}:primaryStack`]];
    if (role === "global") {
        try {
            const listed = JSON.parse(raw[`${NAMESPACE}:regionalStacks`] ?? "[]");
            if (Array.isArray(listed)) reads = listed.map(String);
        } catch {
            // The program reports a malformed list with the key's name; ordering just treats it as empty.
        }
    }
    // Every stack but the bootstrap stack reads it (hosted zone, runner egress, service-linked roles).
    if (role && role !== "bootstrap") reads = [raw[`${NAMESPACE}:bootstrapStack`] ?? "bootstrap", ...reads];
    return { stack, role, wave: WAVE_OF[role ?? ""] ?? 1, reads };
}

/** Every stack in wave order (stable by name within a wave). */
export function wavesOf(root?: string): StackInfo[] {
    return listStacks(root)
        .map((s) => stackInfo(s, root))
        .sort((a, b) => a.wave - b.wave || a.stack.localeCompare(b.stack));
}

/** The stack and everything it reads, transitively, in an order that plans what is read first. */
export function withDependencies(stack: string, root?: string): string[] {
    const order: string[] = [];
    const visit = (s: string, path: string[]) => {
        if (order.includes(s)) return;
        if (path.includes(s)) throw new Error(`stack references form a cycle: ${[...path, s].join(" -> ")}`);
        for (const dep of stackInfo(s, root).reads) {
            if (listStacks(root).includes(dep)) visit(dep, [...path, s]);
        }
        order.push(s);
    };
    visit(stack, []);
    return order;
}

/** The infrastructure canary: the spec's rollout order starts in us-east-1 (its primary region), alone, before any other region. */
export const CANARY_STACK = "us-east-1";

/**
 * The deploy pipeline's waves (.github/workflows/deploy.yml): docs/design.md#d4-deploy-waves with the canary
 * split out of the primaries: bootstrap, the canary alone, the other primaries, the standbys, global.
 */
export function rolloutWaves(root?: string): string[][] {
    const waves = wavesOf(root);
    const of = (wave: number) => waves.filter((w) => w.wave === wave).map((w) => w.stack);
    const primaries = of(WAVE_OF.primary);
    if (!primaries.includes(CANARY_STACK))
        throw new Error(`the infrastructure canary ${CANARY_STACK} is not a primary stack (primaries: ${primaries.join(", ")})`);
    return [of(WAVE_OF.bootstrap), [CANARY_STACK], primaries.filter((s) => s !== CANARY_STACK), of(WAVE_OF.standby), of(WAVE_OF.global)];
}
