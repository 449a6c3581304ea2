import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { ArgsError } from "../../components/args";
import { DeployRunner, RUNNER_PROJECT_NAME } from "../../components/deploy-runner";
import { SERVICE_LINKED_ROLES } from "../../components/service-linked-roles";
import { CI_ROLE_NAME, GITHUB_OIDC_URL } from "../../stacks/bootstrap";
import { toPlanFile } from "../../tools/offline/plan-file";
import { RunResult, runStack } from "../../tools/offline/stack-runner";
import { wavesOf } from "../../tools/offline/waves";
import { allStacks, ofType, oneOfType, registeredBesidesStack, REGIONAL_STACKS } from "../support/fixtures";

const policyOf = (r: { inputs: Record<string, unknown> }, key = "policy") => JSON.parse(String(r.inputs[key]));

describe("bootstrap stack (wave 0)", () => {
    let run: RunResult;
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
        run = runs.bootstrap;
    });

    it("is planned first, and every other stack reads it", () => {
        const waves = wavesOf();
        expect(waves[0]).to.include({ stack: "bootstrap", wave: 0 });
        for (const w of waves.slice(1)) expect(w.reads, w.stack).to.include("bootstrap");
    });

    it("creates the public hosted zone (protected) and points the domain registration's name servers at it", () => {
        const zone = oneOfType(run, "aws:route53/zone:Zone");
        expect(zone.inputs).to.include({ name: "bookedbarber.com", forceDestroy: false });
        expect(zone.options.protect).to.equal(true);
        const domain = oneOfType(run, "aws:route53domains/registeredDomain:RegisteredDomain");
        expect(domain.inputs).to.include({ domainName: "bookedbarber.com", autoRenew: true, transferLock: true });
        expect((domain.inputs.nameServers as { name: string }[]).map((n) => n.name)).to.deep.equal(run.outputs.nameServers);
        expect(run.outputs).to.include({ hostedZoneId: zone.identity!.zoneId, domainName: "bookedbarber.com", dnsDelegation: "route53-domains" });
    });

    it("leaves the registration alone when the domain is registered elsewhere (delegation is then README Deploy step 3)", async () => {
        const r = await runStack({ stack: "bootstrap", configOverrides: { "bookedbarber:dnsDelegation": "registrar" } });
        expect(r.error).to.equal(undefined);
        expect(ofType(r, "aws:route53domains/registeredDomain:RegisteredDomain")).to.deep.equal([]);
        expect(r.outputs.dnsDelegation).to.equal("registrar");
    });

    it("creates the service-linked roles the stacks name or need, and exports their ARNs", () => {
        const roles = ofType(run, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
        expect(roles.map((r) => r.inputs.awsServiceName)).to.have.members(Object.values(SERVICE_LINKED_ROLES).map((r) => r.service));
        const arns = run.outputs.serviceLinkedRoleArns as Record<string, string>;
        expect(arns.autoscaling).to.equal(
            `arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/${SERVICE_LINKED_ROLES.autoscaling.roleName}`,
        );
    });

    it("runs the deploy runner in its own VPC's private subnets, so its egress is the NAT gateways' Elastic IPs", () => {
        const project = oneOfType(run, "aws:codebuild/project:Project");
        expect(project.inputs.name).to.equal(RUNNER_PROJECT_NAME);
        const vpcConfig = project.inputs.vpcConfig as { subnets: string[]; vpcId: string };
        const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet")
            .filter((s) => (s.inputs.tags as Record<string, string>).tier === "app")
            .map((s) => s.identity!.id);
        expect(vpcConfig.subnets).to.have.members(privateSubnets).and.to.have.length(3);
        const eips = ofType(run, "aws:ec2/eip:Eip").map((e) => `${e.identity!.publicIp}/32`);
        expect((run.outputs.runner as { egressCidrs: string[] }).egressCidrs)
            .to.have.members(eips)
            .and.to.have.length(3);
        expect(project.inputs.encryptionKey).to.match(/^arn:aws:kms:us-east-1:/);
        expect((project.inputs.environment as Record<string, unknown>).privilegedMode).to.equal(false);
        expect((project.inputs.source as Record<string, unknown>).location).to.equal("https://github.com/bookedbarber/infrastructure.git");
    });

    it("registers the project as a runner for queued workflow jobs, and labels jobs with its name, as CodeBuild documents", () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "ci-runner", "codebuild.json"), "utf8"));
        const hook = oneOfType(run, "aws:codebuild/webhook:Webhook");
        expect(hook.inputs.filterGroups).to.deep.equal([{ filters: [{ type: "EVENT", pattern: facts.webhookEvent.pattern }] }]);
        expect((run.outputs.runner as { label: string }).label).to.equal(facts.runsOnLabel.format.replace("<project-name>", RUNNER_PROJECT_NAME));
    });

    it("gives the runner only HTTPS egress and a service role limited to its logs, key and network interfaces", () => {
        const rules = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        expect(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([[443, 443]]);
        expect(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).to.deep.equal([]);
        const policy = policyOf(run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "bb-runner-role-policy")!);
        const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
        for (const a of actions) expect(a).to.match(/^(logs:(CreateLogStream|PutLogEvents)|kms:|ec2:)/);
        expect(JSON.stringify(policy)).not.to.contain("sts:AssumeRole");
    });

    it("creates GitHub's OIDC provider and a CI role only this repository's workflows can assume", () => {
        const oidc = oneOfType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        expect(oidc.inputs).to.deep.include({ url: GITHUB_OIDC_URL, clientIdLists: ["sts.amazonaws.com"] });
        const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === CI_ROLE_NAME)!;
        const [statement] = policyOf(role, "assumeRolePolicy").Statement;
        expect(statement.Principal).to.deep.equal({ Federated: oidc.identity!.arn });
        expect(statement.Condition.StringLike["token.actions.githubusercontent.com:sub"]).to.equal("repo:bookedbarber/infrastructure:*");
        expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).to.equal("sts.amazonaws.com");
    });

    it("stores a configured GitHub token as a secret source credential, ahead of the project", async () => {
        const r = await runStack({ stack: "bootstrap", configOverrides: { "bookedbarber:runnerGithubToken": "github_pat_0123456789abcdefghij" } });
        expect(r.error).to.equal(undefined);
        const cred = oneOfType(r, "aws:codebuild/sourceCredential:SourceCredential");
        expect(cred.inputs).to.include({ authType: "PERSONAL_ACCESS_TOKEN", serverType: "GITHUB", token: "[secret]" });
        expect(oneOfType(r, "aws:codebuild/project:Project").options.dependencies).to.include(cred.urn);
        expect(JSON.stringify(r.outputs)).not.to.contain("github_pat_");
        expect(JSON.stringify(toPlanFile(r, { violations: [] }))).not.to.contain("github_pat_");
    });

    it("refuses bad bootstrap config before registering anything, naming the keys", async () => {
        const r = await runStack({
            stack: "bootstrap",
            configOverrides: {
                "bookedbarber:githubRepository": "not a repo",
                "bookedbarber:dnsDelegation": "carrier-pigeon",
                "bookedbarber:runnerComputeType": "HUGE",
                "bookedbarber:vpcCidr": "10.10.0.0/16",
            },
        });
        const msg = r.error?.message ?? "";
        expect(msg).to.contain('bookedbarber:githubRepository = "not a repo": must be owner/name of a GitHub repository');
        expect(msg).to.contain('bookedbarber:dnsDelegation = "carrier-pigeon": must be one of route53-domains, registrar');
        expect(msg).to.contain('bookedbarber:runnerComputeType = "HUGE": must be one of BUILD_GENERAL1_SMALL');
        expect(msg).to.contain("overlaps stack us-east-1's 10.10.0.0/16");
        expect(registeredBesidesStack(r)).to.deep.equal([]);
    });

    it("DeployRunner refuses bad args before registering anything", async () => {
        const r = await runStack({
            stack: "bootstrap",
            program: async () => {
                new DeployRunner("r", {
                    network: { cidr: "10.250.0.0/20", azs: ["a"] },
                    githubRepository: "x",
                    accountId: "1",
                    region: "us-east-1",
                    computeType: "BIG",
                    timeoutMinutes: 1,
                });
                return {};
            },
        });
        expect(r.error).to.be.instanceOf(ArgsError);
        for (const m of ["network.azs", 'githubRepository = "x"', 'computeType = "BIG"', "timeoutMinutes = 1: must be an integer from 5 to 2160"])
            expect(r.error!.message).to.contain(m);
        expect(registeredBesidesStack(r)).to.deep.equal([]);
    });

    it("orders every regional eks key after the Auto Scaling service-linked role: its policy names the role by the ARN the bootstrap stack exports", () => {
        const slr = (run.outputs.serviceLinkedRoleArns as Record<string, string>).autoscaling;
        for (const stack of REGIONAL_STACKS) {
            const key = runs[stack].resources.find((r) => r.type === "aws:kms/key:Key" && r.name.endsWith("-keys-eks"))!;
            const statement = policyOf(key).Statement.find((s: { Sid: string }) => s.Sid === "AutoScalingLaunchesEncryptedNodeVolumes");
            expect(statement.Principal.AWS, stack).to.equal(slr);
        }
    });
});
