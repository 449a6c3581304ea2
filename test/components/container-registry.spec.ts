import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ArgsError } from "../../components/args";
import { APPS, appRepositoryName } from "../../components/app-images";
import { ContainerRegistry, DEFAULT_KEEP_RELEASES, IMAGE_PULL_ACTIONS, UNTAGGED_EXPIRY_DAYS } from "../../components/container-registry";
import { ZONE_REGIONS } from "../../stacks/regions";
import { CapturedResource } from "../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { RunResult } from "../../tools/offline/stack-runner";
import { allStacks, ofType, oneOfType, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../support/fixtures";

const REPO = "aws:ecr/repository:Repository";
const FACTS = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "upstream", "ecr", "facts.json"), "utf8"));
type Obj = Record<string, any>;

/** ECR's wildcard filter: `*` stands for zero or more characters, everything else is literal. */
function wildcardMatches(filter: string, name: string): boolean {
    const re = new RegExp(
        `^${filter
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
            .join(".*")}$`,
    );
    return re.test(name);
}

describe("ContainerRegistry: the apps' ECR repositories (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });
    const zoneOf = (stack: string) => Object.entries(ZONE_REGIONS).find(([, r]) => r.primary === stack || r.standby === stack)![0] as keyof typeof ZONE_REGIONS;

    it("every regional stack has one repository per app: immutable tags, scan on push, the region's eks CMK, no force-delete", () => {
        for (const stack of REGIONAL_STACKS) {
            const repos = ofType(runs[stack], REPO);
            expect(repos.map((r) => r.inputs.name).sort(), stack).to.deep.equal(APPS.map(appRepositoryName).sort());
            const eksKey = (runs[stack].outputs.kmsKeys as Obj).eks;
            for (const r of repos) {
                expect(r.inputs, `${stack} ${r.inputs.name}`).to.deep.include({
                    imageTagMutability: "IMMUTABLE",
                    forceDelete: false,
                    imageScanningConfiguration: { scanOnPush: true },
                });
                expect(r.inputs.encryptionConfigurations).to.deep.equal([{ encryptionType: "KMS", kmsKey: eksKey }]);
                expect(eksKey).to.match(new RegExp(`^arn:aws:kms:${stack}:`));
                expect(FACTS.repository.imageTagMutability).to.include(r.inputs.imageTagMutability);
            }
        }
    });

    it("the eks key lets ECR use it in its own region (kms:ViaService), or repositories on it cannot be created", () => {
        for (const stack of REGIONAL_STACKS) {
            const key = ofType(runs[stack], "aws:kms/key:Key").find((k) => (k.inputs.tags as Obj)?.["data-domain"] === "eks")!;
            const policy = JSON.parse(String(key.inputs.policy));
            const via = policy.Statement.find((s: Obj) => s.Condition?.StringEquals?.["kms:ViaService"]).Condition.StringEquals["kms:ViaService"];
            expect(via, stack).to.include(`ecr.${stack}.amazonaws.com`);
        }
    });

    it("lifecycle: untagged images expire after a day, the newest releases stay, and the 'any' rule comes last (ECR's rule)", () => {
        for (const stack of REGIONAL_STACKS) {
            for (const lp of ofType(runs[stack], "aws:ecr/lifecyclePolicy:LifecyclePolicy")) {
                const rules = JSON.parse(String(lp.inputs.policy)).rules as Obj[];
                const untagged = rules.find((r) => r.selection.tagStatus === "untagged")!;
                expect(untagged.selection).to.deep.include({
                    countType: "sinceImagePushed",
                    countUnit: FACTS.lifecycle.countUnitForSinceImagePushed,
                    countNumber: UNTAGGED_EXPIRY_DAYS,
                });
                const any = rules.find((r) => r.selection.tagStatus === "any")!;
                expect(any.selection).to.deep.include({ countType: "imageCountMoreThan", countNumber: DEFAULT_KEEP_RELEASES });
                expect(any.rulePriority, "the tagStatus any rule has the highest rulePriority").to.equal(Math.max(...rules.map((r) => r.rulePriority)));
                for (const r of rules) {
                    expect(FACTS.lifecycle.tagStatus).to.include(r.selection.tagStatus);
                    expect(FACTS.lifecycle.countType).to.include(r.selection.countType);
                    expect(FACTS.lifecycle.actionTypes).to.include(r.action.type);
                }
            }
        }
    });

    it("only the cluster's node role (and AWS service-linked roles: Inspector, replication) may pull", () => {
        for (const stack of REGIONAL_STACKS) {
            const nodeRole = ofType(runs[stack], "aws:iam/role:Role").find((r) => r.name.endsWith("-node-role"))!;
            const nodeRoleArn = `arn:aws:iam::123456789012:role/${nodeRole.name}`;
            for (const rp of ofType(runs[stack], "aws:ecr/repositoryPolicy:RepositoryPolicy")) {
                const st = JSON.parse(String(rp.inputs.policy)).Statement as Obj[];
                const allow = st.filter((s) => s.Effect === "Allow");
                expect(
                    allow.flatMap((s) => s.Principal.AWS).every((p: string) => p.startsWith(nodeRoleArn)),
                    stack,
                ).to.equal(true);
                const deny = st.find((s) => s.Effect === "Deny")!;
                expect(deny.Principal).to.equal("*");
                expect(deny.Action).to.include.members([...IMAGE_PULL_ACTIONS]);
                const exempt = deny.Condition.ArnNotLike["aws:PrincipalArn"] as string[];
                expect(exempt).to.have.length(2);
                expect(exempt.some((a) => a.startsWith(nodeRoleArn))).to.equal(true);
                expect(exempt).to.include("arn:aws:iam::123456789012:role/aws-service-role/*");
            }
        }
    });

    it("enhanced scanning (Inspector's) scans every app repository continuously: it replaces the repositories' scanOnPush", () => {
        expect(FACTS.scanning.enhancedReplacesRepositoryScanOnPush).to.equal(true);
        for (const stack of REGIONAL_STACKS) {
            const cfg = oneOfType(runs[stack], "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration");
            expect(cfg.inputs.scanType).to.equal("ENHANCED");
            for (const app of APPS) {
                const covering = (cfg.inputs.rules as Obj[]).filter(
                    (r) =>
                        r.scanFrequency === "CONTINUOUS_SCAN" && (r.repositoryFilters as Obj[]).some((f) => wildcardMatches(f.filter, appRepositoryName(app))),
                );
                expect(covering, `${stack} ${app}`).to.have.length.greaterThan(0);
            }
            for (const r of cfg.inputs.rules as Obj[]) {
                expect(FACTS.scanning.scanFrequency).to.include(r.scanFrequency);
                for (const f of r.repositoryFilters as Obj[]) expect(FACTS.scanning.filterType).to.include(f.filterType);
            }
        }
    });

    it("the zone primary replicates the app repositories to its standby only; a standby replicates nowhere", () => {
        for (const stack of PRIMARY_STACKS) {
            const rc = oneOfType(runs[stack], "aws:ecr/replicationConfiguration:ReplicationConfiguration");
            const rules = (rc.inputs.replicationConfiguration as Obj).rules as Obj[];
            expect(rules.flatMap((r) => r.destinations)).to.deep.equal([{ region: ZONE_REGIONS[zoneOf(stack)].standby, registryId: "123456789012" }]);
            for (const r of rules)
                for (const f of r.repositoryFilters) {
                    expect(FACTS.replication.filterType).to.include(f.filterType);
                    for (const app of APPS) expect(appRepositoryName(app).startsWith(f.filter)).to.equal(true);
                }
            // The standby's repositories exist with the same names, so replicated images land on its CMK.
            const standby = ZONE_REGIONS[zoneOf(stack)].standby;
            expect(
                ofType(runs[standby], REPO)
                    .map((r) => r.inputs.name)
                    .sort(),
            ).to.deep.equal(APPS.map(appRepositoryName).sort());
        }
        for (const stack of STANDBY_STACKS) expect(ofType(runs[stack], "aws:ecr/replicationConfiguration:ReplicationConfiguration"), stack).to.have.length(0);
    });

    describe("the pack on mutations of eu-west-1's plan", () => {
        const mutate = (f: (rs: CapturedResource[]) => void) => {
            const rs = JSON.parse(JSON.stringify(runs["eu-west-1"].resources)) as CapturedResource[];
            f(rs);
            return evaluatePolicies(rs).then(({ violations }) => violations.filter((v) => v.level === "mandatory").map((v) => v.policy));
        };
        it("the unmutated plan has no mandatory ECR violations", async () => {
            expect((await mutate(() => undefined)).filter((p) => p.startsWith("ecr-"))).to.deep.equal([]);
        });
        it("replication pointed at a US region fails ecr-replication-in-zone", async () => {
            expect(
                await mutate((rs) => {
                    (
                        rs.find((r) => r.type === "aws:ecr/replicationConfiguration:ReplicationConfiguration")!.inputs.replicationConfiguration as Obj
                    ).rules[0].destinations[0].region = "us-east-1";
                }),
            ).to.include("ecr-replication-in-zone");
        });
        it("a mutable repository fails ecr-immutable-tags; one on AES256 fails ecr-encrypted-with-cmk; one without scan on push fails ecr-scan-on-push", async () => {
            const found = await mutate((rs) => {
                const [a, b] = rs.filter((r) => r.type === REPO);
                a.inputs.imageTagMutability = "MUTABLE";
                b.inputs.encryptionConfigurations = [{ encryptionType: "AES256" }];
                b.inputs.imageScanningConfiguration = { scanOnPush: false };
            });
            expect(found).to.include.members(["ecr-immutable-tags", "ecr-encrypted-with-cmk", "ecr-scan-on-push"]);
        });
    });

    describe("arguments", () => {
        const base = { region: "eu-west-1", accountId: "123456789012", keyArn: "k", pullerRoleArns: ["arn:aws:iam::123456789012:role/node"] };
        const error = (args: Obj) => {
            try {
                new ContainerRegistry("r", { ...base, ...args } as never);
            } catch (e) {
                expect(e).to.be.instanceOf(ArgsError);
                return (e as Error).message;
            }
            throw new Error("no error");
        };
        it("refuses replication outside the zone, naming the zone's regions", () => {
            expect(error({ replicateTo: "us-east-1" })).to.match(/replicateTo = "us-east-1".*eu zone.*eu-central-1/);
        });
        it("refuses replication to its own region, no puller roles and a release count out of range", () => {
            expect(error({ replicateTo: "eu-west-1" })).to.match(/replicateTo = "eu-west-1"/);
            expect(error({ pullerRoleArns: [] })).to.match(/pullerRoleArns/);
            expect(error({ keepReleases: 2 })).to.match(/keepReleases = 2/);
        });
    });
});
