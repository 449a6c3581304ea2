import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_ROLE_POLICY_ARN, FINDING_ROUTES, SECURITY_HUB_STANDARDS, standardsArn } from "../../../components/compliance";
import { ALERT_CLASSES } from "../../../components/observability/alerts";
import { projectRoot } from "../../../stacks/stack-files";
import { allStacks, REGIONAL_STACKS } from "../../support/fixtures";
import { CapturedResource } from "../../../tools/offline/mock-engine";

const upstream = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "securityhub", "standards.json"), "utf8"));

/** ContinuousCompliance (components/compliance): AWS Config and Security Hub in every regional stack. */
describe("continuous compliance (AWS Config and Security Hub)", () => {
    let runs: Awaited<ReturnType<typeof allStacks>>;
    before(async () => {
        runs = await allStacks();
    });
    const of = (stack: string, type: string): CapturedResource[] => runs[stack].resources.filter((r) => r.type === type);

    it("uses the standards ARNs and event names AWS documents", () => {
        expect(SECURITY_HUB_STANDARDS).to.deep.equal(upstream.standards);
        expect(standardsArn("eu-west-1", "pciDss")).to.equal("arn:aws:securityhub:eu-west-1::standards/pci-dss/v/4.0.1");
        expect(CONFIG_ROLE_POLICY_ARN).to.equal(upstream.configRolePolicy.arn);
        for (const r of FINDING_ROUTES) expect(upstream.findingEvent.severityLabels).to.include(r.label);
        for (const r of FINDING_ROUTES) expect(ALERT_CLASSES).to.include(r.cls);
    });

    for (const stack of REGIONAL_STACKS) {
        it(`${stack}: records every supported type, delivers to a CMK-encrypted bucket and subscribes FSBP, CIS and PCI DSS in its region`, () => {
            const [recorder] = of(stack, "aws:cfg/recorder:Recorder");
            expect(recorder.inputs.recordingGroup).to.deep.include({ allSupported: true, includeGlobalResourceTypes: stack === "us-east-1" });
            const [status] = of(stack, "aws:cfg/recorderStatus:RecorderStatus");
            expect(status.inputs.isEnabled).to.equal(true);
            const [channel] = of(stack, "aws:cfg/deliveryChannel:DeliveryChannel");
            expect(channel.inputs.s3KmsKeyArn).to.match(new RegExp(`^arn:aws:kms:${stack}:`));
            const bucket = of(stack, "aws:s3/bucket:Bucket").find((b) => (b.inputs.tags as Record<string, string>)?.["log-class"] === "config-history");
            expect(bucket, "the history bucket").to.not.equal(undefined);
            const attachments = of(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn);
            expect(attachments).to.include(CONFIG_ROLE_POLICY_ARN);
            const [hub] = of(stack, "aws:securityhub/account:Account");
            expect(hub.inputs).to.deep.include({ enableDefaultStandards: false, autoEnableControls: true });
            const arns = of(stack, "aws:securityhub/standardsSubscription:StandardsSubscription")
                .map((s) => s.inputs.standardsArn)
                .sort();
            expect(arns).to.deep.equal(
                Object.values(upstream.standards as Record<string, string>)
                    .map((s) => `arn:aws:securityhub:${stack}::${s}`)
                    .sort(),
            );
        });

        it(`${stack}: routes new findings to the alert topic of their severity, GuardDuty's excepted`, () => {
            const rules = of(stack, "aws:cloudwatch/eventRule:EventRule").filter((r) => String(r.inputs.eventPattern).includes("aws.securityhub"));
            expect(rules).to.have.length(FINDING_ROUTES.length);
            const targets = of(stack, "aws:cloudwatch/eventTarget:EventTarget");
            for (const route of FINDING_ROUTES) {
                const rule = rules.find((r) => JSON.parse(String(r.inputs.eventPattern)).detail.findings.Severity.Label[0] === route.label)!;
                const pattern = JSON.parse(String(rule.inputs.eventPattern));
                expect(pattern["detail-type"]).to.deep.equal([upstream.findingEvent.detailType]);
                expect(pattern.detail.findings.ProductName).to.deep.equal([{ "anything-but": "GuardDuty" }]);
                const target = targets.find((t) => t.parent === rule.urn)!;
                expect(String(target.inputs.arn), route.label).to.match(new RegExp(`:sns:${stack}:\\d+:.*${route.cls.toLowerCase()}`, "i"));
            }
        });
    }

    it("refuses an unknown standard before registering anything", async () => {
        const { ContinuousCompliance } = await import("../../../components/compliance");
        expect(
            () =>
                new ContinuousCompliance("x", {
                    region: "eu-west-1",
                    accountId: "1",
                    logsKeyArn: "k",
                    alertTopicArns: { P0: "a", P1: "b", P2: "c", P3: "d" },
                    standards: ["nist" as never],
                }),
        ).to.throw(/standards has "nist"; allowed: fsbp, cis, pciDss/);
    });
});
