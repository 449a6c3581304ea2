import { expect } from "chai";
import { formatReadiness, readinessProblems } from "../../../../tools/offline/readiness";

describe("deploy readiness report", () => {
    const sections = [
        {
            title: "hostnames and certificates",
            items: [
                { subject: "us-east-1.api.example.com", detail: "covered by *.api.example.com" },
                { subject: "us.api.example.com", detail: "", problem: "no certificate served there names it" },
            ],
        },
    ];

    it("lists each problem with its section and subject, and nothing that holds", () => {
        expect(readinessProblems(sections)).to.deep.equal(["hostnames and certificates: us.api.example.com: no certificate served there names it"]);
    });

    it("prints every item, problems marked, with a count per section", () => {
        const text = formatReadiness(sections).join("\n");
        expect(text).to.include("hostnames and certificates: 2 checked, 1 problem");
        expect(text).to.match(/PROBLEM us\.api\.example\.com: no certificate/);
        expect(text).to.match(/ok +us-east-1\.api\.example\.com: covered/);
    });
});
