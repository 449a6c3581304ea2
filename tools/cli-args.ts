import { didYouMean } from "../policies/lib/nearest";

/**
 * The one flag parser of the repo's CLIs (plan, policy-check, cost, bench, docs),
 * so their flags behave alike:
 * - `--help` / `-h` print the usage and exit 0 before anything else runs;
 * - `--flag=value` and `--flag value` are the same;
 * - every flag is checked (unknown name, missing value, value not among the
 *   choices) before the tool does any work, with the nearest known flag named;
 * - `npm run plan --all` (no `--`) is recognised: npm takes `--all` as its own
 *   config and exports it as `npm_config_all`, so the tool never sees it; the
 *   error says to put `--` before the tool's flags.
 * `runCli` sets process.exitCode and returns, never ending the process itself: it
 * ends once stdout and stderr have drained, so a piped report arrives whole.
 */

export interface Flag {
    /** Long name without dashes: "stack" is `--stack`. */
    name: string;
    /** Placeholder of the value ("<dir>"); absent for a switch. */
    value?: string;
    /** May be given more than once (each value kept, in order). */
    repeatable?: boolean;
    /** The only values allowed. */
    choices?: readonly string[];
    help: string;
}

export interface CliSpec {
    /** The npm script: `npm run <tool>`. */
    tool: string;
    /** What the tool does, one line. */
    summary: string;
    flags: readonly Flag[];
    /** Arguments that are not flags (policy-check's plan files); none allowed when absent. `fixed`: the name spells out every argument (no "..."). */
    positional?: { name: string; help: string; fixed?: boolean };
    /** How the tool is started when it is not an npm script (a CI entry point): "node dist/tools/deploy/health-gate.js". */
    command?: string;
}

/** A problem with the command line: the tool prints it with the usage line and exits 2. */
export class UsageError extends Error {}

export interface Parsed {
    /** Every value given per flag name; a switch given is [""] */
    values: Map<string, string[]>;
    positionals: string[];
    help: boolean;
}

export const HELP_FLAG: Flag = { name: "help", help: "print this text and exit 0; nothing else runs" };

export function synopsis(spec: CliSpec): string {
    const flags = spec.flags.map((f) => `[--${f.name}${f.value ? ` ${f.value}` : ""}]${f.repeatable ? "..." : ""}`);
    const words = [...flags, ...(spec.positional ? [`${spec.positional.name}${spec.positional.fixed ? "" : "..."}`] : [])];
    if (spec.command) return `usage: ${spec.command}${words.length ? ` ${words.join(" ")}` : ""}`;
    return `usage: npm run ${spec.tool}${words.length ? ` -- ${words.join(" ")}` : ""}`;
}

/** The --help text: synopsis, summary, then one line per flag. Every flag of every tool is listed here and in docs/offline-tools.md. */
export function helpText(spec: CliSpec): string {
    const rows: [string, string][] = [...spec.flags, HELP_FLAG].map((f) => [
        `--${f.name}${f.value ? ` ${f.value}` : ""}${f.name === "help" ? ", -h" : ""}`,
        f.help + (f.choices ? ` (one of: ${f.choices.join(", ")})` : ""),
    ]);
    if (spec.positional) rows.push([spec.positional.name, spec.positional.help]);
    const width = Math.max(...rows.map(([l]) => l.length));
    return [synopsis(spec), spec.summary, ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`)].join("\n");
}

/**
 * Flags npm consumed: with `npm run <tool> --all` npm sets `npm_config_all=true`
 * (and for `--verbose`, its own `npm_config_loglevel=verbose`). Only consulted when
 * the tool runs under npm (`npm_lifecycle_event` names it) and the flag did not reach it.
 */
function swallowedByNpm(spec: CliSpec, parsed: Parsed, env: NodeJS.ProcessEnv): string[] {
    if (env.npm_lifecycle_event !== spec.tool) return [];
    return [...spec.flags, HELP_FLAG]
        .filter((f) => !parsed.values.has(f.name))
        .filter((f) => {
            const v = env[`npm_config_${f.name.replace(/-/g, "_")}`];
            return (v !== undefined && v !== "" && v !== "false") || (f.name === "verbose" && env.npm_config_loglevel === "verbose");
        })
        .map((f) => `--${f.name}`);
}

export function parseArgs(spec: CliSpec, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Parsed {
    const parsed: Parsed = { values: new Map(), positionals: [], help: false };
    const byName = new Map(spec.flags.map((f) => [f.name, f]));
    // Help wins over anything else on the line, even a bad flag: it never runs the tool.
    const end = argv.indexOf("--");
    if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h")) return { ...parsed, help: true };
    const usage = `\n${synopsis(spec)}\n(npm run ${spec.tool} -- --help for details)`;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            parsed.positionals.push(...argv.slice(i + 1));
            break;
        }
        if (!a.startsWith("-") || a === "-") {
            if (!spec.positional) throw new UsageError(`unexpected argument ${JSON.stringify(a)}: ${spec.tool} takes flags only${usage}`);
            parsed.positionals.push(a);
            continue;
        }
        const m = /^--([^=]+)(?:=(.*))?$/s.exec(a);
        const flag = m ? byName.get(m[1]) : undefined;
        if (!m || !flag) {
            const name = m ? m[1] : a.replace(/^-+/, "");
            throw new UsageError(
                `unknown flag ${JSON.stringify(a)}${didYouMean(name, [...byName.keys(), "help"]).replace(/mean (\S+)\?/, "mean --$1?")}; allowed: ${[...byName.keys(), "help"].map((n) => `--${n}`).join(", ")}${usage}`,
            );
        }
        let value = "";
        if (flag.value) {
            if (m[2] !== undefined) value = m[2];
            else {
                const next = argv[i + 1];
                if (next === undefined || (next.startsWith("-") && next !== "-"))
                    throw new UsageError(`--${flag.name} needs a value: --${flag.name} ${flag.value}${usage}`);
                value = next;
                i++;
            }
            if (value === "") throw new UsageError(`--${flag.name} needs a value: --${flag.name} ${flag.value}${usage}`);
            if (flag.choices && !flag.choices.includes(value))
                throw new UsageError(
                    `--${flag.name} = ${JSON.stringify(value)}: must be one of ${flag.choices.join(", ")}${didYouMean(value, flag.choices)}${usage}`,
                );
        } else if (m[2] !== undefined) throw new UsageError(`--${flag.name} takes no value (got --${flag.name}=${m[2]})${usage}`);
        const seen = parsed.values.get(flag.name) ?? [];
        if (seen.length && !flag.repeatable) throw new UsageError(`--${flag.name} given twice; give it once${usage}`);
        parsed.values.set(flag.name, [...seen, value]);
    }
    const swallowed = swallowedByNpm(spec, parsed, env);
    if (swallowed.length) {
        throw new UsageError(
            `npm took ${swallowed.join(", ")} as its own option, so ${spec.tool} never saw ${swallowed.length === 1 ? "it" : "them"}: npm passes flags to a script only after "--". Type: npm run ${spec.tool} -- ${swallowed.join(" ")} ...${usage}`,
        );
    }
    return parsed;
}

/** Accessors over a Parsed result. */
export const has = (p: Parsed, name: string): boolean => p.values.has(name);
export const one = (p: Parsed, name: string): string | undefined => p.values.get(name)?.[0];
export const all = (p: Parsed, name: string): string[] => p.values.get(name) ?? [];

/**
 * Runs a tool's main: parses the flags (help and usage errors handled here), then
 * awaits main and sets process.exitCode from what it returns. Errors of the
 * `expected` classes print their message only (exit 2); anything else is a bug in
 * the tool and keeps its stack trace.
 */
export function runCli(
    spec: CliSpec,
    main: (args: Parsed) => Promise<number> | number,
    expected: readonly (abstract new (...a: never[]) => Error)[] = [],
    argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
    const fail = (err: unknown) => {
        const e = err as Error;
        const known = e instanceof UsageError || expected.some((c) => e instanceof c);
        console.error(`${spec.tool}: ${known ? e.message : (e?.stack ?? String(err))}`);
        process.exitCode = 2;
    };
    let parsed: Parsed;
    try {
        parsed = parseArgs(spec, argv);
    } catch (err) {
        fail(err);
        return Promise.resolve();
    }
    if (parsed.help) {
        console.log(helpText(spec));
        process.exitCode = 0;
        return Promise.resolve();
    }
    return Promise.resolve()
        .then(() => main(parsed))
        .then((code) => {
            process.exitCode = code;
        }, fail);
}
