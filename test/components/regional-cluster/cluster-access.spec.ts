import { expect } from "chai";
import { allStacks, ofType } from "../../support/fixtures";

describe("RegionalCluster access", () => {
    it("gives cluster-admin only to a role whose trust policy requires MFA", async () => {
        const run = (await allStacks())["us-east-1"];
        const admins = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter(
            (a) => a.inputs.policyArn === "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        );
        expect(admins).to.have.length(1);
        const role = run.resources.find((r) => r.urn === admins[0].parent)!;
        expect(role.type).to.equal("aws:iam/role:Role");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        for (const s of trust.Statement) {
            expect(s.Condition.Bool["aws:MultiFactorAuthPresent"]).to.equal("true");
            expect(Number(s.Condition.NumericLessThan["aws:MultiFactorAuthAge"])).to.be.at.most(3600);
        }
        expect(admins[0].inputs.accessScope).to.deep.equal({ type: "cluster" });
        // No other access entry is mapped into an admin group.
        for (const e of ofType(run, "aws:eks/accessEntry:AccessEntry")) {
            expect((e.inputs.kubernetesGroups as string[] | undefined) ?? []).not.to.include("system:masters");
        }
    });

    it("binds a read-only and a deployer group through access entries to view and namespace-scoped edit", async () => {
        const run = (await allStacks())["eu-central-1"];
        const entries = ofType(run, "aws:eks/accessEntry:AccessEntry");
        const groups = entries.flatMap((e) => (e.inputs.kubernetesGroups as string[] | undefined) ?? []);
        expect(groups).to.have.members(["bookedbarber:readonly", "bookedbarber:deployers"]);
        for (const e of entries) expect(e.inputs.clusterName).to.equal(run.outputs.clusterName);
        const crb = ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").map((b) => b.inputs as any);
        expect(crb).to.have.length(1);
        expect(crb[0].roleRef.name).to.equal("view");
        expect(crb[0].subjects).to.deep.equal([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "bookedbarber:readonly" }]);
        // People's bindings; the in-cluster certificate issuers' bindings (to their own Roles) are in test/components/self-signed-certificate.spec.ts.
        const rb = ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
            .map((b) => b.inputs as any)
            .filter((b) => b.roleRef.kind === "ClusterRole");
        expect(rb).to.have.length(1);
        expect(rb[0].metadata.namespace).to.equal("bookedbarber");
        expect(rb[0].roleRef.name).to.equal("edit");
        expect(rb[0].subjects[0].name).to.equal("bookedbarber:deployers");
    });

    it("lets people assume the read-only and deployer roles only with MFA", async () => {
        const run = (await allStacks())["eu-central-1"];
        const mapped = ofType(run, "aws:eks/accessEntry:AccessEntry").filter((e) => ((e.inputs.kubernetesGroups as string[] | undefined) ?? []).length > 0);
        expect(mapped).to.have.length(2);
        for (const e of mapped) {
            const role = run.resources.find((r) => r.urn === e.parent)!;
            expect(role.type).to.equal("aws:iam/role:Role");
            const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
            expect(trust.Statement.length, role.name).to.be.greaterThan(0);
            for (const s of trust.Statement) {
                expect(s.Principal.AWS, role.name).to.match(/:root$/);
                expect(s.Condition?.Bool?.["aws:MultiFactorAuthPresent"], role.name).to.equal("true");
            }
        }
    });
});
