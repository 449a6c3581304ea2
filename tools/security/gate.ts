import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { CliSpec, runCli, synopsis, UsageError } from "../cli-args";

/**
 * The security scans' pass/fail (.github/workflows/security.yml): a finding fails the run unless a
 * committed file waives it with a reason.
 * - `sarif <tool> <file>...`: findings of a SARIF scanner (Checkov, CodeQL), waived in security/waivers.json;
 * - `audit <npm-audit.json>`: advisories of `npm audit --omit=dev --json`, allowed in security/audit-allowlist.json.
 * A waiver without a reason, or one that names nothing, is itself an error: the file must say why.
 */

export interface Finding {
    tool: string;
    rule: string;
    path: string;
    line?: number;
    message: string;
}

export interface SarifWaiver {
    tool: string;
    rule: string;
    /** A path, or a path prefix ending in "/"; omitted: every path. */
    path?: string;
    reason: string;
}

export interface AuditAllow {
    /** The advisory URL (https://github.com/advisories/GHSA-...). */
    advisory: string;
    package: string;
    reason: string;
}

export const WAIVERS_FILE = path.join("security", "waivers.json");
export const AUDIT_ALLOWLIST_FILE = path.join("security", "audit-allowlist.json");

/** At least this many characters: a reason says why the finding does not apply or is accepted. */
export const MIN_REASON_LENGTH = 20;

/** SARIF levels that fail: errors and warnings; notes are informational. */
const FAILING_LEVELS = new Set(["error", "warning"]);

interface SarifResult {
    ruleId?: string;
    level?: string;
    message?: { text?: string };
    locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
    suppressions?: unknown[];
}

/** Findings of a SARIF log (every run). A result's level defaults to "warning" (SARIF 2.1.0 §3.27.10). */
export function sarifFindings(sarif: unknown, tool: string): Finding[] {
    const runs = (sarif as { runs?: { results?: SarifResult[] }[] } | undefined)?.runs;
    if (!Array.isArray(runs)) throw new Error(`${tool}: not a SARIF log (no runs)`);
    return runs.flatMap((run) =>
        (run.results ?? [])
            .filter((r) => FAILING_LEVELS.has(r.level ?? "warning") && !r.suppressions?.length)
            .map((r) => {
                const loc = r.locations?.[0]?.physicalLocation;
                return {
                    tool,
                    rule: String(r.ruleId ?? "?"),
                    path: String(loc?.artifactLocation?.uri ?? "?"),
                    line: loc?.region?.startLine,
                    message: String(r.message?.text ?? "").split("\n")[0],
                };
            }),
    );
}

/** Advisories of `npm audit --json` (npm 7+): one finding per advisory and package. */
export function auditFindings(audit: unknown): Finding[] {
    const vulns = (audit as { vulnerabilities?: Record<string, { name: string; via: unknown[] }> } | undefined)?.vulnerabilities;
    if (!vulns || typeof vulns !== "object") throw new Error("npm audit: not `npm audit --json` output (no vulnerabilities object)");
    const out = new Map<string, Finding>();
    for (const v of Object.values(vulns)) {
        for (const via of v.via ?? []) {
            if (typeof via !== "object" || via === null) continue; // a string: reached through another package, reported there
            const a = via as { url?: string; title?: string; name?: string; severity?: string; range?: string };
            const key = `${a.url}|${a.name}`;
            out.set(key, {
                tool: "npm-audit",
                rule: String(a.url),
                path: String(a.name ?? v.name),
                message: `${a.severity ?? "?"}: ${a.title ?? ""} (${a.name} ${a.range ?? ""})`,
            });
        }
    }
    return [...out.values()];
}

const waives = (w: SarifWaiver, f: Finding) =>
    w.tool === f.tool && w.rule === f.rule && (w.path === undefined || (w.path.endsWith("/") ? f.path.startsWith(w.path) : f.path === w.path));

/** Problems with a waiver list: each needs its keys and a reason. */
export function waiverProblems(waivers: readonly (SarifWaiver | AuditAllow)[], file: string): string[] {
    const problems: string[] = [];
    waivers.forEach((w, i) => {
        const reason = typeof w.reason === "string" ? w.reason.trim() : "";
        if (reason.length < MIN_REASON_LENGTH)
            problems.push(`${file} entry ${i}: reason ${JSON.stringify(w.reason)} must say why (at least ${MIN_REASON_LENGTH} characters)`);
        if ("advisory" in w) {
            if (!/^https:\/\/github\.com\/advisories\/GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.test(String(w.advisory)))
                problems.push(`${file} entry ${i}: advisory ${JSON.stringify(w.advisory)} must be a GitHub advisory URL`);
            if (!w.package) problems.push(`${file} entry ${i}: package is required`);
        } else if (!w.tool || !w.rule) problems.push(`${file} entry ${i}: tool and rule are required`);
    });
    return problems;
}

export interface Verdict {
    failing: Finding[];
    waived: Finding[];
    /** Waivers that matched nothing: candidates for removal. */
    unused: string[];
}

export function judgeSarif(findings: readonly Finding[], waivers: readonly SarifWaiver[]): Verdict {
    const used = new Set<SarifWaiver>();
    const failing: Finding[] = [];
    const waived: Finding[] = [];
    for (const f of findings) {
        const w = waivers.find((x) => waives(x, f));
        if (w) {
            used.add(w);
            waived.push(f);
        } else failing.push(f);
    }
    const tools = new Set(findings.map((f) => f.tool));
    return { failing, waived, unused: waivers.filter((w) => tools.has(w.tool) && !used.has(w)).map((w) => `${w.tool} ${w.rule}${w.path ? ` ${w.path}` : ""}`) };
}

export function judgeAudit(findings: readonly Finding[], allow: readonly AuditAllow[]): Verdict {
    const used = new Set<AuditAllow>();
    const failing: Finding[] = [];
    const waived: Finding[] = [];
    for (const f of findings) {
        const a = allow.find((x) => x.advisory === f.rule && x.package === f.path);
        if (a) {
            used.add(a);
            waived.push(f);
        } else failing.push(f);
    }
    return { failing, waived, unused: allow.filter((a) => !used.has(a)).map((a) => `${a.package} ${a.advisory}`) };
}

function readJson<T>(file: string): T {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

export function loadWaivers(root = projectRoot()): { sarif: SarifWaiver[]; audit: AuditAllow[] } {
    return {
        sarif: readJson<{ waivers: SarifWaiver[] }>(path.join(root, WAIVERS_FILE)).waivers,
        audit: readJson<{ allow: AuditAllow[] }>(path.join(root, AUDIT_ALLOWLIST_FILE)).allow,
    };
}

export function report(v: Verdict, what: string): string[] {
    return [
        ...v.failing.map(
            (f) => `::error file=${f.path}${f.line ? `,line=${f.line}` : ""}::${f.tool} ${f.rule}: ${f.message} (fix it, or waive it with a reason in ${what})`,
        ),
        ...v.waived.map((f) => `waived  ${f.tool} ${f.rule} ${f.path}`),
        ...v.unused.map((u) => `::notice::${what}: ${u} waives nothing any more; remove it`),
        `${what}: ${v.failing.length} failing, ${v.waived.length} waived`,
    ];
}

export const SECURITY_GATE_CLI: CliSpec = {
    tool: "security-gate",
    command: "node dist/tools/security/gate.js",
    summary:
        "Fail a CI security job on scanner findings not waived in security/waivers.json or security/audit-allowlist.json; exit 1 on a finding, 2 on bad input.",
    flags: [],
    positional: { name: "sarif <tool> <file.sarif>... | audit <npm-audit.json>", help: "the mode and its inputs", fixed: true },
};

function main(argv: string[]): number {
    const [mode, ...rest] = argv;
    const { sarif, audit } = loadWaivers();
    const problems = [...waiverProblems(sarif, WAIVERS_FILE), ...waiverProblems(audit, AUDIT_ALLOWLIST_FILE)];
    if (problems.length) {
        problems.forEach((p) => console.log(`::error::${p}`));
        return 2;
    }
    let verdict: Verdict;
    let what: string;
    if (mode === "sarif" && rest.length >= 2) {
        const [tool, ...files] = rest;
        verdict = judgeSarif(
            files.flatMap((f) => sarifFindings(readJson(f), tool)),
            sarif,
        );
        what = WAIVERS_FILE;
    } else if (mode === "audit" && rest.length === 1) {
        verdict = judgeAudit(auditFindings(readJson(rest[0])), audit);
        what = AUDIT_ALLOWLIST_FILE;
    } else {
        throw new UsageError(synopsis(SECURITY_GATE_CLI));
    }
    report(verdict, what).forEach((l) => console.log(l));
    return verdict.failing.length ? 1 : 0;
}

if (require.main === module) {
    void runCli(SECURITY_GATE_CLI, (args) => {
        try {
            return main(args.positionals);
        } catch (err) {
            if (err instanceof UsageError) throw err;
            console.error(`::error::security gate: ${(err as Error).message}`);
            return 2;
        }
    });
}
