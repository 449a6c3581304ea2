import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "../../../stacks/stack-files";
import { toPlanFile } from "../../../tools/offline/plan-file";
import { apiVersionKind, exportManifests } from "../../../tools/security/export-manifests";
import {
    auditFindings,
    AUDIT_ALLOWLIST_FILE,
    judgeAudit,
    judgeSarif,
    loadWaivers,
    sarifFindings,
    waiverProblems,
    WAIVERS_FILE,
} from "../../../tools/security/gate";
import { readWorkflow } from "../../support/deploy-workflow-check";
import { allStacks } from "../../support/fixtures";

const sarif = (results: object[]) => ({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results }] });
const result = (ruleId: string, uri: string, level?: string) => ({
    ruleId,
    ...(level ? { level } : {}),
    message: { text: `${ruleId} failed` },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 3 } } }],
});
const REASON = "the runner image is pinned by the CodeBuild project, not by this workflow";

/** `npm audit --json` (npm 7+) shape: an advisory on a direct dependency and the package it reaches through. */
const audit = {
    auditReportVersion: 2,
    vulnerabilities: {
        yaml: {
            name: "yaml",
            severity: "moderate",
            via: [
                {
                    source: 1,
                    name: "yaml",
                    title: "Uncontrolled resource consumption",
                    url: "https://github.com/advisories/GHSA-f9xv-q969-pqx4",
                    severity: "moderate",
                    range: "<2.2.2",
                },
            ],
        },
        "@pulumi/pulumi": { name: "@pulumi/pulumi", severity: "moderate", via: ["yaml"] },
    },
};

describe("security scans (security.yml, tools/security/gate.ts)", () => {
    it("fails a SARIF finding unless a waiver with a reason names its tool and rule (and path)", () => {
        const findings = sarifFindings(
            sarif([
                result("CKV_GHA_7", ".github/workflows/deploy.yml"),
                result("CKV_K8S_8", "scan/manifests/a.yaml", "error"),
                result("CKV_K8S_9", "x.yaml", "note"),
            ]),
            "checkov",
        );
        expect(findings.map((f) => f.rule)).to.deep.equal(["CKV_GHA_7", "CKV_K8S_8"]); // a note does not fail
        expect(judgeSarif(findings, []).failing).to.have.length(2);
        const v = judgeSarif(findings, [
            { tool: "checkov", rule: "CKV_K8S_8", path: "scan/manifests/", reason: REASON },
            { tool: "checkov", rule: "CKV_K8S_99", reason: REASON },
        ]);
        expect(v.failing.map((f) => f.rule)).to.deep.equal(["CKV_GHA_7"]);
        expect(v.waived.map((f) => f.rule)).to.deep.equal(["CKV_K8S_8"]);
        expect(v.unused).to.deep.equal(["checkov CKV_K8S_99"]);
        // Another tool's waiver does not apply.
        expect(judgeSarif(findings, [{ tool: "codeql", rule: "CKV_GHA_7", reason: REASON }]).failing).to.have.length(2);
        expect(() => sarifFindings({}, "codeql")).to.throw("not a SARIF log");
    });

    it("fails an npm audit advisory unless the allowlist names it for that package, with a reason", () => {
        const findings = auditFindings(audit);
        expect(findings).to.have.length(1);
        expect(judgeAudit(findings, []).failing).to.have.length(1);
        expect(
            judgeAudit(findings, [{ advisory: "https://github.com/advisories/GHSA-f9xv-q969-pqx4", package: "yaml", reason: REASON }]).failing,
        ).to.deep.equal([]);
        expect(
            judgeAudit(findings, [{ advisory: "https://github.com/advisories/GHSA-f9xv-q969-pqx4", package: "other", reason: REASON }]).failing,
        ).to.have.length(1);
        // An audit that did not run (registry error) is not a pass.
        expect(() => auditFindings({ message: "405 Method Not Allowed" })).to.throw("no vulnerabilities object");
    });

    it("refuses a waiver without a reason or without what it waives", () => {
        expect(waiverProblems([{ tool: "checkov", rule: "CKV_GHA_7", reason: "ok" }], WAIVERS_FILE)[0]).to.contain("must say why");
        expect(waiverProblems([{ tool: "", rule: "CKV_GHA_7", reason: REASON }], WAIVERS_FILE)[0]).to.contain("tool and rule are required");
        expect(waiverProblems([{ advisory: "GHSA-f9xv-q969-pqx4", package: "yaml", reason: REASON }], AUDIT_ALLOWLIST_FILE)[0]).to.contain(
            "GitHub advisory URL",
        );
    });

    it("keeps the committed waiver files valid", () => {
        const { sarif: w, audit: a } = loadWaivers();
        expect(waiverProblems(w, WAIVERS_FILE)).to.deep.equal([]);
        expect(waiverProblems(a, AUDIT_ALLOWLIST_FILE)).to.deep.equal([]);
    });

    /** Fingerprint lines of .gitleaksignore that have no "# reason:" line right above them. */
    const unexplained = (text: string) =>
        text
            .split("\n")
            .map((l, i, all) => ({ l: l.trim(), prev: (all[i - 1] ?? "").trim() }))
            .filter(({ l, prev }) => l && !l.startsWith("#") && !/^# reason: .{20,}/.test(prev))
            .map(({ l }) => l);

    it("gives every gitleaks waiver a reason", () => {
        expect(unexplained(fs.readFileSync(path.join(projectRoot(), ".gitleaksignore"), "utf8"))).to.deep.equal([]);
        expect(
            unexplained("# reason: a test fixture's fake key, not a credential\nabc:test/x.ts:generic-api-key:3\ndef:a.ts:aws-access-token:1\n"),
        ).to.deep.equal(["def:a.ts:aws-access-token:1"]);
    });

    it("runs each scan on pull requests, pinned, with the gate deciding after the scanner", () => {
        const wf = readWorkflow("security.yml");
        expect(Object.keys(wf.on)).to.include("pull_request");
        const steps = (job: string) => wf.jobs[job].steps!;
        const after = (job: string, scanner: RegExp, gate: RegExp) => {
            const s = steps(job);
            const i = s.findIndex((x) => scanner.test(x.uses ?? x.run ?? ""));
            const j = s.findIndex((x) => gate.test(x.run ?? ""));
            expect(i, `${job}: scanner`).to.be.at.least(0);
            expect(j, `${job}: gate after the scanner`).to.be.greaterThan(i);
        };
        after("iac", /^bridgecrewio\/checkov-action@/, /^node dist\/tools\/security\/gate\.js sarif checkov /);
        after("dependencies", /^npm audit --omit=dev --json/, /^node dist\/tools\/security\/gate\.js audit npm-audit\.json$/);
        after("sast", /^github\/codeql-action\/analyze@/, /^node dist\/tools\/security\/gate\.js sarif codeql /);
        expect(steps("secrets").some((s) => /^gitleaks\/gitleaks-action@/.test(s.uses ?? ""))).to.equal(true);
        const text = fs.readFileSync(path.join(projectRoot(), ".github", "workflows", "security.yml"), "utf8");
        expect(text).to.not.contain("continue-on-error");
        const checkov = steps("iac").find((s) => s.uses?.startsWith("bridgecrewio/"))! as { with?: Record<string, unknown> };
        expect(checkov.with).to.include({ output_file_path: "console,checkov.sarif" });
        expect(String(checkov.with!.framework)).to.contain("kubernetes");
        expect(parse(text).jobs.sast.steps.find((s: { uses?: string }) => s.uses?.includes("codeql-action/init")).with.languages).to.equal(
            "javascript-typescript",
        );
    });

    it("exports every Kubernetes object of the plans as a manifest for the IaC scan", async () => {
        expect(apiVersionKind("kubernetes:apps/v1:Deployment")).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment" });
        expect(apiVersionKind("kubernetes:core/v1:Service")).to.deep.equal({ apiVersion: "v1", kind: "Service" });
        expect(apiVersionKind("kubernetes:helm.sh/v3:Release")).to.equal(undefined);
        const runs = await allStacks();
        const plan = toPlanFile(runs["us-east-1"], { violations: [] });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manifests-"));
        try {
            const files = exportManifests([plan], dir);
            const objects = plan.resources.filter((r) => apiVersionKind(r.type) && !r.type.endsWith("List"));
            expect(files).to.have.length(objects.length).and.length.greaterThan(5);
            const docs = files.map((f) => parse(fs.readFileSync(f, "utf8")) as { apiVersion: string; kind: string });
            expect(docs.some((d) => d.kind === "Deployment" && d.apiVersion === "apps/v1")).to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
