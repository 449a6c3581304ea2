import { expect } from "chai";
import { APPS } from "../../../components/app-images";
import { ADMITTED_RESOURCES, IMAGE_POLICY, ISTIO_PROXY_IMAGE } from "../../../components/regional-cluster/admission";
import { APP_NAMESPACE } from "../../../components/regional-cluster/manifests";
import { PlanFile } from "../../../tools/offline/plan-file";
import { allowedImages, imageAdmission } from "../../../tools/offline/readiness/image-admission";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, oneOfType, REGIONAL_STACKS } from "../../support/fixtures";

const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const VAPB = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";
const ACCOUNT = "123456789012";
const DIGEST = `sha256:${"ab12".repeat(16)}`;
type Obj = Record<string, any>;

/** The plan's resources as a plan file the readiness check reads. */
const planOf = (run: RunResult, extra: Obj[] = []): PlanFile => ({ stack: run.stack, resources: [...run.resources, ...extra] }) as unknown as PlanFile;
const deployment = (namespace: string, containers: Obj[], initContainers?: Obj[]) => ({
    type: "kubernetes:apps/v1:Deployment",
    urn: `urn:test:${namespace}`,
    name: "d",
    inputs: { metadata: { name: "probe", namespace }, spec: { template: { spec: { containers, ...(initContainers ? { initContainers } : {}) } } } },
});

/**
 * What is proven offline: the policy's shape (kinds, namespaces, fail-closed, Deny), and the behaviour of the
 * image pattern and sidecar exception it carries, read back out of the generated CEL and run as a JavaScript
 * RegExp (the pattern uses only constructs RE2 and JavaScript agree on). What is not: that the API server
 * compiles the CEL and evaluates the whole expression the same way (no CEL interpreter here); the binding's
 * Audit action records every refusal, and docs/runtime-security.md gives the kubectl dry-run that checks it live.
 */
describe("image admission: only the apps' digest-pinned ECR images in the app namespace (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("every regional stack binds the policy to the app namespace only, failing closed and denying", () => {
        for (const stack of REGIONAL_STACKS) {
            const policy = oneOfType(runs[stack], VAP);
            const binding = oneOfType(runs[stack], VAPB);
            expect((policy.inputs.metadata as Obj).name).to.equal(IMAGE_POLICY);
            expect((policy.inputs.spec as Obj).failurePolicy).to.equal("Fail");
            expect((binding.inputs.spec as Obj).policyName).to.equal(IMAGE_POLICY);
            expect((binding.inputs.spec as Obj).validationActions).to.include("Deny");
            expect((binding.inputs.spec as Obj).matchResources.namespaceSelector.matchExpressions).to.deep.equal([
                { key: "kubernetes.io/metadata.name", operator: "In", values: [APP_NAMESPACE] },
            ]);
            const rules = (policy.inputs.spec as Obj).matchConstraints.resourceRules as Obj[];
            expect(rules.flatMap((r) => r.resources)).to.include.members([
                "pods",
                "pods/ephemeralcontainers",
                "deployments",
                "statefulsets",
                "daemonsets",
                "jobs",
                "cronjobs",
                "rollouts",
            ]);
            expect(rules.length).to.equal(ADMITTED_RESOURCES.length);
            for (const r of rules) expect(r.operations).to.deep.equal(["CREATE", "UPDATE"]);
        }
    });

    it("the CEL judges containers, init containers and ephemeral containers of every pod spec, and its quotes and brackets balance", () => {
        for (const stack of REGIONAL_STACKS) {
            const spec = oneOfType(runs[stack], VAP).inputs.spec as Obj;
            const expr = String(spec.validations[0].expression);
            for (const list of ["s.containers.all(", "s.initContainers.all(", "s.ephemeralContainers.all("]) expect(expr).to.include(list);
            expect(spec.variables[0].expression).to.include("object.spec.template.spec").and.to.include("object.spec.jobTemplate.spec.template.spec");
            const unquoted = expr.replace(/'(?:[^'\\]|\\.)*'/g, "''");
            for (const [open, close] of [
                ["(", ")"],
                ["[", "]"],
            ])
                expect(unquoted.split(open).length, `${stack} ${open}${close}`).to.equal(unquoted.split(close).length);
        }
    });

    describe("the pattern and sidecar exception carried by eu-west-1's policy", () => {
        let allowed: (name: string, image: string) => boolean;
        before(() => {
            const a = allowedImages(String((oneOfType(runs["eu-west-1"], VAP).inputs.spec as Obj).validations[0].expression));
            allowed = (name, image) => a.patterns.some((re) => re.test(image)) || a.exact.some((e) => e.names.includes(name) && e.image === image);
        });
        const own = (app: string, region = "eu-west-1", account = ACCOUNT) => `${account}.dkr.ecr.${region}.amazonaws.com/bookedbarber/${app}@${DIGEST}`;
        it("allows every app's digest-pinned image from this account's registry in the region", () => {
            for (const app of APPS) expect(allowed("app", own(app)), app).to.equal(true);
        });
        const refused: [string, string][] = [
            ["a tag instead of a digest", `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber/backend:1.4.2`],
            ["a tag and a digest", `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber/backend:1.4.2@${DIGEST}`],
            ["another region's registry", own("backend", "eu-central-1")],
            ["another account's registry", own("backend", "eu-west-1", "210987654321")],
            ["a repository outside bookedbarber/", `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/tools/backend@${DIGEST}`],
            ["a look-alike prefix", `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber-evil/backend@${DIGEST}`],
            ["a host that only ends like ours", `evil.example/${own("backend")}`],
            ["a dot that is not escaped", `${ACCOUNT}xdkr.ecr.eu-west-1.amazonaws.com/bookedbarber/backend@${DIGEST}`],
            ["a short digest", `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber/backend@sha256:abc`],
            ["an uppercase digest", `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber/backend@${DIGEST.toUpperCase().replace("SHA256", "sha256")}`],
            ["a public image", "docker.io/library/nginx:1.27"],
            ["a public image by digest", `docker.io/library/nginx@${DIGEST}`],
            ["the proxy image in an app container", ISTIO_PROXY_IMAGE],
        ];
        for (const [what, image] of refused) it(`refuses ${what}`, () => expect(allowed("app", image)).to.equal(false));
        it("allows Istio's injected containers the mesh's proxy image, and only that image", () => {
            expect(allowed("istio-proxy", ISTIO_PROXY_IMAGE)).to.equal(true);
            expect(allowed("istio-validation", ISTIO_PROXY_IMAGE)).to.equal(true);
            expect(allowed("istio-proxy", "docker.io/istio/proxyv2:1.0.0")).to.equal(false);
            expect(allowed("istio-proxy", "evil.example/proxyv2:latest")).to.equal(false);
        });
    });

    describe("readiness: the policy would admit the plan's own pods", () => {
        it("reports nothing wrong in any regional plan", () => {
            for (const stack of REGIONAL_STACKS)
                expect(
                    imageAdmission(planOf(runs[stack])).items.filter((i) => i.problem),
                    stack,
                ).to.deep.equal([]);
        });
        it("reports a Deployment in the app namespace with a public image, or an init container by tag (mutation)", () => {
            const ok = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bookedbarber/backend@${DIGEST}`;
            const bad = imageAdmission(
                planOf(runs["eu-west-1"], [deployment(APP_NAMESPACE, [{ name: "app", image: ok }], [{ name: "migrate", image: "postgres:16" }])]),
            );
            expect(
                bad.items
                    .filter((i) => i.problem)
                    .map((i) => i.problem)
                    .join("\n"),
            ).to.include('initContainers migrate image "postgres:16"');
            const good = imageAdmission(planOf(runs["eu-west-1"], [deployment(APP_NAMESPACE, [{ name: "app", image: ok }])]));
            expect(good.items.filter((i) => i.problem)).to.deep.equal([]);
            expect(good.items.map((i) => i.subject)).to.include(`Deployment ${APP_NAMESPACE}/probe`);
        });
        it("does not judge namespaces the policy does not bind (system charts pull public images)", () => {
            const section = imageAdmission(planOf(runs["eu-west-1"], [deployment("monitoring", [{ name: "app", image: "docker.io/library/nginx:1.27" }])]));
            expect(section.items.filter((i) => i.problem)).to.deep.equal([]);
        });
        it("reports a binding whose policy is missing, and a binding that does not deny (mutation)", () => {
            const rs = JSON.parse(JSON.stringify(runs["eu-west-1"].resources)) as Obj[];
            rs.find((r) => r.type === VAPB)!.inputs.spec.validationActions = ["Audit"];
            expect(imageAdmission({ stack: "x", resources: rs } as unknown as PlanFile).items.filter((i) => i.problem)).to.have.length(1);
            const noPolicy = rs.filter((r) => r.type !== VAP);
            expect(
                imageAdmission({ stack: "x", resources: noPolicy } as unknown as PlanFile)
                    .items.filter((i) => i.problem)
                    .map((i) => i.problem),
            ).to.have.length(1);
        });
    });
});
