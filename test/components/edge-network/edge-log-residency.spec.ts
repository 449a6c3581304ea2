import { expect } from "chai";
import { ACCESS_LOG_FIELDS, VIEWER_ADDRESS_FIELDS } from "../../../components/edge-network/logs";
import { EU_VIEWER_LABEL, RESIDENT_ZONE, WAF_GEO_UNSUPPORTED, zoneCountries } from "../../../components/edge-network/waf";
import { countryZones } from "../../../components/edge-network/geo";
import { PlanFile, toPlanFile } from "../../../tools/offline/plan-file";
import { allStacks } from "../../support/fixtures";

type Obj = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * EU viewers' IP addresses are not stored outside the EU (docs/decisions/edge-log-residency.md): what the
 * global stack's plan must hold, as problems. WAF: the first rule labels every eu-zone viewer without a
 * terminating action, and the logging configuration drops records with that label. CloudFront: the
 * access log delivery names its fields and none of them is the viewer's address.
 */
function residencyProblems(plan: PlanFile): string[] {
    const out: string[] = [];
    const of = (t: string) => plan.resources.filter((r) => r.type === t).map((r) => r.inputs as Obj);
    for (const acl of of("aws:wafv2/webAcl:WebAcl")) {
        const rules = [...(acl.rules as Obj[])].sort((a, b) => a.priority - b.priority);
        const i = rules.findIndex((r) => (r.ruleLabels ?? []).some((l: Obj) => l.name === EU_VIEWER_LABEL));
        if (i < 0) {
            out.push(`web ACL ${acl.name}: no rule labels ${EU_VIEWER_LABEL}`);
            continue;
        }
        const label = rules[i];
        const terminatingBefore = rules.slice(0, i).filter((r) => r.action?.block || r.overrideAction?.none);
        if (terminatingBefore.length)
            out.push(`web ACL ${acl.name}: ${terminatingBefore.map((r) => r.name).join(", ")} can end a request before it is labelled`);
        if (!label.action?.count) out.push(`web ACL ${acl.name}: the labelling rule acts on requests (${JSON.stringify(label.action)}); it must only count`);
        const countries = new Set<string>(label.statement?.geoMatchStatement?.countryCodes ?? []);
        const missing = Object.entries(countryZones("us"))
            .filter(([, z]) => z === RESIDENT_ZONE)
            .map(([c]) => c)
            .filter((c) => !countries.has(c) && !WAF_GEO_UNSUPPORTED.includes(c));
        if (missing.length) out.push(`web ACL ${acl.name}: eu-zone countries not labelled: ${missing.join(" ")}`);
    }
    for (const logging of of("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")) {
        const f = logging.loggingFilter as Obj | undefined;
        const drops = (f?.filters ?? []).some(
            (x: Obj) =>
                x.behavior === "DROP" && (x.conditions ?? []).some((c: Obj) => String(c.labelNameCondition?.labelName ?? "").endsWith(`:${EU_VIEWER_LABEL}`)),
        );
        if (!drops) out.push(`WAF logging to ${JSON.stringify(logging.logDestinationConfigs)} keeps eu-zone viewers' records (client IP included)`);
    }
    for (const d of of("aws:cloudwatch/logDelivery:LogDelivery")) {
        const fields = d.recordFields as string[] | undefined;
        if (!fields?.length) out.push(`log delivery ${d.deliverySourceName}: no recordFields, so every field (the viewer's IP included) is delivered`);
        else {
            const ip = fields.filter((x) => VIEWER_ADDRESS_FIELDS.includes(x));
            if (ip.length) out.push(`log delivery ${d.deliverySourceName}: delivers ${ip.join(", ")}`);
        }
    }
    return out;
}

describe("edge logs: EU viewers' IP addresses are not stored outside the EU", () => {
    let global: PlanFile;
    const mutated = (edit: (p: PlanFile) => void) => {
        const p = clone(global);
        edit(p);
        return p;
    };
    const inputs = (p: PlanFile, t: string) => p.resources.find((r) => r.type === t)!.inputs as Obj;
    before(async () => {
        const runs = await allStacks();
        global = toPlanFile(runs.global, { violations: [] });
    });

    it("holds in the global stack's plan", () => {
        expect(residencyProblems(global)).to.deep.equal([]);
        expect(zoneCountries(RESIDENT_ZONE)).to.include.members(["DE", "FR", "IE", "ZA"]);
        expect(ACCESS_LOG_FIELDS).to.include.members(["c-country", "x-edge-request-id"]);
        const filter = inputs(global, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").loggingFilter;
        expect(filter.filters[0].conditions[0].labelNameCondition.labelName).to.match(/^awswaf:123456789012:webacl:bb-edge-waf:viewer-zone:eu$/);
    });

    it("fails when WAF keeps EU viewers' records (the filter removed)", () => {
        expect(
            residencyProblems(
                mutated((p) => {
                    delete inputs(p, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").loggingFilter;
                }),
            ).join("\n"),
        ).to.match(/keeps eu-zone viewers' records/);
    });

    it("fails when a blocking rule comes before the label, or the label rule blocks, or an EU country is left out", () => {
        expect(
            residencyProblems(
                mutated((p) => {
                    for (const r of inputs(p, "aws:wafv2/webAcl:WebAcl").rules) if (r.name === "rate-limit-per-ip") r.priority = -1;
                }),
            ).join("\n"),
        ).to.match(/rate-limit-per-ip can end a request before it is labelled/);
        expect(
            residencyProblems(
                mutated((p) => {
                    inputs(p, "aws:wafv2/webAcl:WebAcl").rules[0].action = { block: {} };
                }),
            ).join("\n"),
        ).to.match(/must only count/);
        expect(
            residencyProblems(
                mutated((p) => {
                    const g = inputs(p, "aws:wafv2/webAcl:WebAcl").rules[0].statement.geoMatchStatement;
                    g.countryCodes = g.countryCodes.filter((c: string) => c !== "DE");
                }),
            ).join("\n"),
        ).to.match(/eu-zone countries not labelled: DE/);
    });

    it("fails when CloudFront logs carry the viewer's IP (c-ip added, or every field delivered)", () => {
        expect(
            residencyProblems(
                mutated((p) => {
                    inputs(p, "aws:cloudwatch/logDelivery:LogDelivery").recordFields.push("c-ip");
                }),
            ).join("\n"),
        ).to.match(/delivers c-ip/);
        expect(
            residencyProblems(
                mutated((p) => {
                    delete inputs(p, "aws:cloudwatch/logDelivery:LogDelivery").recordFields;
                }),
            ).join("\n"),
        ).to.match(/no recordFields/);
    });
});
