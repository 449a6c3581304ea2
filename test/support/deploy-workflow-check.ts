import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "../../stacks/stack-files";
import { rolloutWaves, wavesOf } from "../../tools/offline/waves";

/** A workflow as parsed from YAML (only what the checks read). */
export interface WorkflowJob {
    needs?: string | string[];
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    strategy?: { "fail-fast"?: boolean; matrix?: { include?: { stack: string; runner: string; requires: string }[] } };
    "runs-on"?: string;
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    "continue-on-error"?: unknown;
    steps?: { name?: string; id?: string; uses?: string; run?: string; if?: string; "continue-on-error"?: unknown }[];
}
export interface Workflow {
    on: Record<string, any>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    permissions?: Record<string, string>;
    jobs: Record<string, WorkflowJob>;
}

export const WORKFLOWS = path.join(projectRoot(), ".github", "workflows");
export const readWorkflow = (file: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;

const needsOf = (j: WorkflowJob) => [j.needs ?? []].flat();

/** The deploy jobs of deploy.yml in the order `needs` runs them: each wave job needs exactly the one before. */
export function waveChain(doc: Workflow): { job: string; stacks: string[] }[] | string {
    const waves = Object.entries(doc.jobs).filter(([, j]) => j.uses === "./.github/workflows/deploy-stack.yml");
    const first = waves.filter(([, j]) => !needsOf(j).some((n) => waves.some(([w]) => w === n)));
    if (first.length !== 1) return `expected one first wave, found ${first.map(([n]) => n).join(", ") || "none"}`;
    const chain = [first[0]];
    for (;;) {
        const last = chain[chain.length - 1][0];
        const next = waves.filter(([, j]) => needsOf(j).includes(last));
        if (next.length === 0) break;
        if (next.length > 1) return `${next.map(([n]) => n).join(" and ")} both follow ${last}: waves must run one after another`;
        chain.push(next[0]);
    }
    if (chain.length !== waves.length)
        return `jobs outside the chain: ${waves
            .filter((w) => !chain.includes(w))
            .map(([n]) => n)
            .join(", ")}`;
    return chain.map(([job, j]) => ({ job, stacks: (j.strategy?.matrix?.include ?? []).map((m) => m.stack) }));
}

/**
 * Everything the rollout must hold, as problems (empty when it holds): the waves in the
 * pipeline's order, each waiting for the last one's success, the canary flagged for its soak,
 * every deploy behind the production environment, each stack deployed with its prerequisites.
 */
export function rolloutProblems(deploy: Workflow): string[] {
    const problems: string[] = [];
    const chain = waveChain(deploy);
    if (typeof chain === "string") return [chain];
    const expected = rolloutWaves();
    const got = chain.map((w) => [...w.stacks].sort());
    if (JSON.stringify(got) !== JSON.stringify(expected.map((w) => [...w].sort()))) {
        problems.push(
            `wave order is ${JSON.stringify(got)}; the rollout is ${JSON.stringify(expected)} (bootstrap, the canary alone, the other primaries, the standbys, global)`,
        );
    }
    const reads = new Map(wavesOf().map((w) => [w.stack, w.reads]));
    for (const [i, { job }] of chain.entries()) {
        const j = deploy.jobs[job];
        // Without an `if` (or with one that keeps the implicit success()), a failed or skipped wave skips this one.
        if (i > 0 && j.if && /always\(\)|failure\(\)|cancelled\(\)/.test(j.if)) problems.push(`${job}: if: ${j.if} runs it after a failed wave`);
        if (j.with?.environment !== "production")
            problems.push(`${job}: deploys outside the production environment (with.environment = ${JSON.stringify(j.with?.environment)})`);
        const canary = j.with?.canary === true;
        if (canary !== (i === 1)) problems.push(`${job}: canary is ${canary}; only the second wave (${expected[1].join(", ")}) is the canary with a soak`);
        if (!/github\.event_name == 'push'/.test(String(j.with?.selected)) || !/inputs\.stack == matrix\.stack/.test(String(j.with?.selected))) {
            problems.push(`${job}: selected must be true on push and, by hand, for the chosen stack (got ${JSON.stringify(j.with?.selected)})`);
        }
        if ((j.strategy?.matrix?.include?.length ?? 0) > 1 && j.strategy?.["fail-fast"] !== false)
            problems.push(`${job}: fail-fast must be false (cancelling a sibling mid-\`up\` leaves pending operations)`);
        for (const m of j.strategy?.matrix?.include ?? []) {
            const want = reads.get(m.stack) ?? [];
            const have = m.requires.split(" ").filter(Boolean);
            if (want.length !== have.length || want.some((s) => !have.includes(s)))
                problems.push(`${job} ${m.stack}: requires "${m.requires}", but the stack reads ${want.join(" ") || "nothing"}`);
        }
    }
    if (chain.length && deploy.jobs[chain[0].job].if !== "needs.inventory.outputs.credentials == 'true'")
        problems.push(`${chain[0].job}: must wait for the credentials check`);
    if (deploy.concurrency?.["cancel-in-progress"] !== false)
        problems.push("deploy.yml: a newer rollout must not cancel a running one (concurrency.cancel-in-progress: false)");
    return problems;
}

/** What the per-stack deploy must hold: preview with the pack, up with the pack, the health gate, in that order, nothing allowed to fail. */
export function stackDeployProblems(stackDoc: Workflow): string[] {
    const problems: string[] = [];
    const job = stackDoc.jobs.deploy;
    if (!job) return ["deploy-stack.yml has no deploy job"];
    const steps = job.steps ?? [];
    const at = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? ""));
    const preview = at(/^pulumi preview --stack "\$STACK" --policy-pack policies\b/);
    const up = at(/^pulumi up --stack "\$STACK" --policy-pack policies --yes\b/);
    const gate = at(/^node dist\/tools\/deploy\/health-gate\.js "\$\{\{ inputs\.stack \}\}" \$\{\{ inputs\.canary && '--canary' \|\| '' \}\}$/);
    if (preview < 0) problems.push("no `pulumi preview --policy-pack policies` step");
    if (up < 0) problems.push("no `pulumi up --policy-pack policies --yes` step");
    if (gate < 0) problems.push("no health gate step (node dist/tools/deploy/health-gate.js <stack>, --canary on the canary)");
    if (preview >= 0 && up >= 0 && gate >= 0 && !(preview < up && up < gate)) problems.push("steps must run preview, then up, then the health gate");
    for (const s of steps) {
        if (s["continue-on-error"] !== undefined || s.if !== undefined)
            problems.push(`step ${s.name ?? s.uses ?? s.run?.split("\n")[0]}: may be skipped or fail without stopping the rollout`);
    }
    if (job["continue-on-error"] !== undefined) problems.push("the deploy job has continue-on-error");
    if (job.environment !== "${{ inputs.environment }}") problems.push(`the deploy job's environment is ${JSON.stringify(job.environment)}, not the caller's`);
    if (job.concurrency?.group !== "deploy-stack-${{ inputs.stack }}" || job.concurrency?.["cancel-in-progress"] !== false)
        problems.push("one deploy per stack at a time, never cancelled: concurrency deploy-stack-<stack>, cancel-in-progress false");
    if (job.if !== "inputs.selected") problems.push("the deploy job must run only when selected");
    return problems;
}
