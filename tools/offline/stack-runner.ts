import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "../../stacks/config";
import { main } from "../../stacks/main";
import { listStacks, projectName, projectRoot, readStackConfig } from "../../stacks/stack-files";
import { CapturedInvoke, CapturedResource, CaptureMonitor } from "./mock-engine";

/* eslint-disable @typescript-eslint/no-require-imports -- internal SDK modules that have no public typings */
const settings = require("@pulumi/pulumi/runtime/settings");
const state = require("@pulumi/pulumi/runtime/state");
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Errors inside outputs surface as unhandled rejections. A real run fails on
 * them, so the run in progress does too. A failed run leaves work behind (its
 * stack resource's outputs, every output that depended on the failure) that
 * still rejects, and still talks to the SDK's runtime state, after the program
 * has thrown; runStack lets that work run out before it returns (drainLeftovers),
 * so it is charged to the run that already reported its error, and dropped,
 * instead of failing the next stack or registering into its engine.
 */
let currentRun: ((reason: unknown) => void) | undefined;
process.on("unhandledRejection", (reason) => currentRun?.(reason));

/**
 * Waits until a failed run's leftover work stops: event-loop turns go by until
 * several in a row bring no new rejection and no new engine call. Under the
 * offline engine that work is driven by promises and the mock monitor's
 * callbacks only (no I/O, no timers in the program), so it runs out within a
 * few turns. Isolating each run in its own async context (AsyncLocalStorage, as
 * the Automation API does) would also cover work parked on timers, but costs a
 * third more CPU on every run, healthy ones included (measured on plan --all).
 */
async function drainLeftovers(store: { settings: { rpcDone: unknown } }, rejections: () => number): Promise<void> {
    const QUIET_TURNS = 5;
    const MAX_TURNS = 2000;
    let quiet = 0;
    let seen = [rejections(), store.settings.rpcDone] as const;
    for (let turn = 0; quiet < QUIET_TURNS && turn < MAX_TURNS; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        const now = [rejections(), store.settings.rpcDone] as const;
        quiet = now[0] === seen[0] && now[1] === seen[1] ? quiet + 1 : 0;
        seen = now;
    }
}

export interface RunOptions {
    /** Stack name: its Pulumi.<stack>.yaml supplies the config. */
    stack: string;
    /** Keys to change on top of the stack file (undefined removes a key), for tests of bad config. */
    configOverrides?: Record<string, string | undefined>;
    /**
     * Outputs of other stacks, by stack name (or full org/project/stack), served to StackReference.
     * The bootstrap stack's (wave 0, which reads nothing) are planned once per project and served
     * unless given here, so a single regional run needs no set-up; anything else must be given.
     */
    stackReferences?: Record<string, Record<string, unknown>>;
    /** The program to run. Defaults to the real one (stacks/main.ts). */
    program?: () => Promise<Record<string, unknown>>;
    /** Project folder. Defaults to the one holding Pulumi.yaml. */
    root?: string;
}

export interface RunResult {
    stack: string;
    /** The raw config the program saw, as the CLI would pass it. */
    config: Record<string, string>;
    resources: CapturedResource[];
    /** Every provider function (data-source lookup) the program called. */
    invokes: CapturedInvoke[];
    /** Stack outputs with secrets shown as "[secret]". */
    outputs: Record<string, unknown>;
    /** Stack outputs with secrets in the clear, to feed later stacks' StackReferences the way the engine would. */
    rawOutputs: Record<string, unknown>;
    /** Set when the program failed: its error, as the CLI would report it. */
    error?: Error;
}

/**
 * Runs the program once against the offline engine, with the stack's real
 * config, and returns every registration and the stack outputs. Nothing leaves
 * this process: no CLI, no plugin, no cloud API.
 */
export async function runStack(opts: RunOptions): Promise<RunResult> {
    const root = opts.root ?? projectRoot();
    const references = { ...(await bootstrapOutputs(root)), ...(opts.stackReferences ?? {}) };
    return runOnce({ ...opts, root, stackReferences: references });
}

const bootstrapCache = new Map<string, Promise<Record<string, Record<string, unknown>>>>();

/** Outputs of the project's bootstrap-role stacks, planned offline once per project folder (they read no other stack). */
function bootstrapOutputs(root: string): Promise<Record<string, Record<string, unknown>>> {
    if (!bootstrapCache.has(root)) {
        bootstrapCache.set(
            root,
            (async () => {
                const out: Record<string, Record<string, unknown>> = {};
                for (const stack of listStacks(root)) {
                    let role: string | undefined;
                    try {
                        role = readStackConfig(stack, root)[`${NAMESPACE}:role`];
                    } catch {
                        continue; // its own run reports an unreadable file
                    }
                    if (role !== "bootstrap") continue;
                    const run = await runOnce({ stack, root, stackReferences: {} });
                    if (!run.error) out[stack] = run.rawOutputs;
                }
                return out;
            })(),
        );
    }
    return bootstrapCache.get(root)!;
}

async function runOnce(opts: RunOptions & { root: string }): Promise<RunResult> {
    const root = opts.root;
    const config = readStackConfig(opts.stack, root);
    for (const [k, v] of Object.entries(opts.configOverrides ?? {})) {
        if (v === undefined) delete config[k];
        else config[k] = v;
    }
    const monitor = new CaptureMonitor(config["aws:region"] ?? "us-east-1", opts.stackReferences ?? {});
    settings.setMockOptions(monitor, projectName(root), opts.stack, false, "bookedbarber");
    // As the CLI does: the program finds the project's stack files here.
    state.getStore().settings.options.rootDirectory = root;
    // The same feature set pulumi.runtime.setMocks turns on.
    Object.assign(state.getStore(), {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsAliasSpecs: true,
        supportsParameterization: true,
    });
    pulumi.runtime.setAllConfig(config);

    let asyncError: Error | undefined;
    // A resource whose input fails is never registered, and under mocks nothing settles the run:
    // the engine would stop the program there, so the run stops on the first such error too.
    let stopRun: (err: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (stopRun = reject));
    stopped.catch(() => undefined);
    let rejections = 0;
    currentRun = (reason) => {
        rejections++;
        asyncError ??= reason instanceof Error ? reason : new Error(String(reason));
        // Let the rest of the same failure's rejections arrive while this run still owns them.
        setImmediate(() => setImmediate(() => stopRun(asyncError!)));
    };
    // The SDK captures a stack trace for every internal promise; that is most of its cost under mocks (docs/design.md#d27-the-offline-plan-is-product-code).
    const traceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let rawOutputs: Record<string, unknown> = {};
    let error: Error | undefined;
    try {
        rawOutputs = ((await Promise.race([pulumi.runtime.runInPulumiStack(opts.program ?? main), stopped])) ?? {}) as Record<string, unknown>;
        await settings.waitForRPCs();
        // Let late registrations (inside applies) settle.
        await new Promise((resolve) => setImmediate(resolve));
        await settings.waitForRPCs();
    } catch (err) {
        error = err instanceof Error ? err : new Error(String(err));
    } finally {
        Error.stackTraceLimit = traceLimit;
    }
    error ??= asyncError;
    // What a failed program left pending is this run's failure, already reported: let it run out here.
    if (error) await drainLeftovers(state.getStore(), () => rejections);
    currentRun = undefined;
    if (!error && state.getStore().logErrorCount > 0) error = new Error("the program logged errors (see above)");
    return { stack: opts.stack, config, resources: monitor.captured, invokes: monitor.invokes, outputs: monitor.stackOutputs, rawOutputs, error };
}

/** How the SDK wraps an error raised while it serializes a resource's inputs, once per nesting level. */
const SERIALIZING = /^(?:error serializing property "[^"]*": )+/;

/**
 * The message a person should see for a failed run: the error's own text, without the SDK's stack trace,
 * and without the chain of "error serializing property" wrappers the SDK adds for every Output the
 * failure passed through (one per nesting level, often dozens): the cause is what is left.
 */
export function describeError(err: Error): string {
    const msg = err.message.replace(/^Error: /, "");
    const chain = SERIALIZING.exec(msg);
    if (!chain) return msg;
    const first = /"([^"]*)"/.exec(chain[0])![1];
    return `${msg.slice(chain[0].length)} (reached through the input "${first}")`;
}
