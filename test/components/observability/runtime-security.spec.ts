import { expect } from "chai";
import { GUARDDUTY_FEATURES, INSPECTOR_RESOURCE_TYPES } from "../../../components/observability/security";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../../tools/offline/policy-runner";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, oneOfType, REGIONAL_STACKS } from "../../support/fixtures";

describe("runtime security (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("every regional stack runs GuardDuty with EKS runtime monitoring, S3 and RDS protection", () => {
        const names = GUARDDUTY_FEATURES.map((f) => f.name);
        expect(names).to.include.members(["RUNTIME_MONITORING", "S3_DATA_EVENTS", "RDS_LOGIN_EVENTS"]);
        for (const stack of REGIONAL_STACKS) {
            const features = ofType(runs[stack], "aws:guardduty/detectorFeature:DetectorFeature");
            expect(
                features.filter((f) => f.inputs.status === "ENABLED").map((f) => f.inputs.name),
                stack,
            ).to.include.members(["RUNTIME_MONITORING", "S3_DATA_EVENTS", "RDS_LOGIN_EVENTS"]);
        }
    });

    it("every regional stack enables Amazon Inspector for the account's ECR images", () => {
        for (const stack of REGIONAL_STACKS) {
            const enabler = oneOfType(runs[stack], "aws:inspector2/enabler:Enabler");
            expect(enabler.inputs.resourceTypes, stack).to.deep.equal([...INSPECTOR_RESOURCE_TYPES]);
            expect(enabler.inputs.accountIds, stack).to.deep.equal(["123456789012"]);
        }
    });

    it("the pack fails an Inspector enabler narrowed to EC2 (mutation of eu-west-1's plan)", async () => {
        const rs = JSON.parse(JSON.stringify(runs["eu-west-1"].resources)) as CapturedResource[];
        rs.find((r) => r.type === "aws:inspector2/enabler:Enabler")!.inputs.resourceTypes = ["EC2"];
        const { violations } = await evaluatePolicies(rs);
        expect(violations.filter((v) => v.policy === "inspector-scans-images" && v.level === "mandatory")).to.have.length(1);
    });
});
