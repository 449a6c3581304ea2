import { expect } from "chai";
import { parse } from "yaml";
import { GRAFANA_ADMIN_ROTATION_DAYS } from "../../../components/observability/grafana-admin-rotation";
import { GRAFANA_HTTP_PORT, GRAFANA_PASSWORD_SYNC, GRAFANA_PREVIOUS_PASSWORD_FILE } from "../../../components/observability/grafana-password-sync";
import { IMAGES, restricted } from "../../../components/sharded-database/pod-common";
import { evaluatePolicies } from "../../../tools/offline/policy-runner";
import { GRAFANA_SERVICE_ACCOUNT, SECRETS_STORE_CSI_DRIVER } from "../../../components/observability/kubernetes";
import { MONITORING_NAMESPACE } from "../../../components/observability/prometheus-rules";
import { plannedReleases } from "../../../tools/charts/releases";
import { releaseServiceAccounts } from "../../../tools/charts/services";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { mockResource } from "../../../tools/offline/mock-outputs";
import { allStacks, REGIONAL_STACKS } from "../../support/fixtures";

/**
 * Issue 15, "one in-cluster secret mechanism" (docs/secrets.md): the Secrets Store CSI driver only. No External
 * Secrets objects or release in any plan, and Grafana's admin password reaches Grafana as a file on a CSI mount,
 * read with Grafana's own Pod Identity role, never as a value in the plan.
 */
type Res = CapturedResource;
type Obj = any;
const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
/** What the offline engine returns for a RandomPassword's `result` (tools/offline/mock-outputs.ts): never in any input. */
const MOCK_PASSWORD = /offline-[0-9a-f]{6,}x{8,}/;

/** External Secrets left anywhere in one stack's resources. */
function externalSecretsLeft(rs: Res[]): string[] {
    return [
        ...rs.filter((r) => r.type.includes("external-secrets.io")).map((r) => `${r.type} ${r.name}`),
        ...rs.filter((r) => r.type === RELEASE && r.inputs.chart === "external-secrets").map((r) => `release ${r.name}`),
        ...rs
            .filter((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as Obj)?.name === "external-secrets")
            .map((r) => `namespace ${r.name}`),
    ];
}

/** How Grafana's admin password reaches Grafana in one regional stack's resources: each problem names a defect. */
function grafanaAdminProblems(rs: Res[]): string[] {
    const problems: string[] = [];
    const kps = rs.find((r) => r.type === RELEASE && r.inputs.chart === "kube-prometheus-stack");
    if (!kps) return ["no kube-prometheus-stack release"];
    const g = (kps.inputs.values as Obj).grafana ?? {};
    const env = g.env ?? {};
    if (g.adminPassword !== undefined) problems.push("grafana.adminPassword set: the chart would put it in a Secret");
    if (env.GF_SECURITY_ADMIN_PASSWORD !== undefined) problems.push("GF_SECURITY_ADMIN_PASSWORD set as a value");
    if (g.admin?.existingSecret) problems.push(`grafana.admin.existingSecret ${g.admin.existingSecret}: a Kubernetes Secret holds the login`);
    const file = env.GF_SECURITY_ADMIN_PASSWORD__FILE as string | undefined;
    if (!file) return [...problems, "no GF_SECURITY_ADMIN_PASSWORD__FILE: the chart creates its own admin Secret"];
    if (!env.GF_SECURITY_ADMIN_USER) problems.push("no GF_SECURITY_ADMIN_USER: the chart references an admin Secret for the user");
    const mount = ((g.extraSecretMounts ?? []) as Obj[]).find((m) => file.startsWith(`${m.mountPath}/`));
    if (mount?.csi?.driver !== SECRETS_STORE_CSI_DRIVER) return [...problems, `${file} is not on a Secrets Store CSI mount`];
    const spcName = mount.csi.volumeAttributes?.secretProviderClass;
    const spc = rs.find((r) => r.type === SPC && (r.inputs.metadata as Obj).name === spcName && (r.inputs.metadata as Obj).namespace === MONITORING_NAMESPACE);
    if (!spc) return [...problems, `no SecretProviderClass ${spcName} in ${MONITORING_NAMESPACE}`];
    const params = (spc.inputs.spec as Obj).parameters;
    const secret = rs.find((r) => r.type === "aws:secretsmanager/secret:Secret" && String(r.inputs.name).endsWith("/grafana-admin"));
    const arn = secret?.identity?.arn;
    if (!arn) return [...problems, "no Grafana admin secret in Secrets Manager"];
    if (params.usePodIdentity !== "true") problems.push(`SecretProviderClass ${spcName} does not read with Pod Identity`);
    const objects = (parse(String(params.objects)) ?? []) as Obj[];
    const others = objects.filter((o) => o.objectName !== arn).map((o) => o.objectName);
    if (objects.length === 0 || others.length > 0) problems.push(`SecretProviderClass ${spcName} does not mount ${arn} only (${JSON.stringify(others)})`);
    // The file of each version label: AWSCURRENT (no label) and AWSPREVIOUS, by their jmesPath aliases.
    const fileOf = (label: string | undefined) =>
        objects
            .filter((o) => o.objectVersionLabel === label)
            .flatMap((o) => ((o.jmesPath ?? []) as Obj[]).filter((j) => j.path === "password").map((j) => j.objectAlias));
    if (!fileOf(undefined).includes(file.slice(mount.mountPath.length + 1))) problems.push(`SecretProviderClass ${spcName} writes no file ${file}`);
    problems.push(...passwordSyncProblems(g, mount, fileOf("AWSPREVIOUS")));
    // Grafana's ServiceAccount is bound to a role that may read exactly that secret.
    const sa = g.serviceAccount?.name;
    const assoc = rs.find(
        (r) =>
            r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" && r.inputs.namespace === MONITORING_NAMESPACE && r.inputs.serviceAccount === sa,
    );
    if (!assoc) return [...problems, `no Pod Identity association for ${MONITORING_NAMESPACE}/${sa}`];
    const policies = rs.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.parent === assoc.parent).map((r) => JSON.parse(String(r.inputs.policy)));
    const reads = policies
        .flatMap((p) => p.Statement)
        .filter((s: Obj) => [s.Action].flat().includes("secretsmanager:GetSecretValue"))
        .flatMap((s: Obj) => [s.Resource].flat());
    if (JSON.stringify(reads) !== JSON.stringify([arn])) problems.push(`Grafana's role reads ${JSON.stringify(reads)}, not exactly ${arn}`);
    // The password itself: a Pulumi secret in Secrets Manager, and nowhere in any input of the plan.
    const version = rs.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.parent === secret!.urn);
    if (version?.inputs.secretString !== "[secret]") problems.push("the admin secret's value is not a Pulumi secret");
    for (const r of rs) if (MOCK_PASSWORD.test(JSON.stringify(r.inputs))) problems.push(`a generated password in clear in ${r.type} ${r.name}`);
    return problems;
}

/**
 * The sidecar that applies a rotated password: in the chart's extraContainers, the pinned curl image, Pod Security
 * restricted, on the admin-login CSI volume at the mount Grafana reads, with the previous password mounted too.
 */
function passwordSyncProblems(g: Obj, mount: Obj, previousFiles: string[]): string[] {
    const problems: string[] = [];
    if (!previousFiles.includes(GRAFANA_PREVIOUS_PASSWORD_FILE)) problems.push(`no AWSPREVIOUS password file ${GRAFANA_PREVIOUS_PASSWORD_FILE} in the mount`);
    const containers = (typeof g.extraContainers === "string" ? parse(g.extraContainers) : []) as Obj[];
    const sync = containers.find((c) => c.name === GRAFANA_PASSWORD_SYNC);
    if (!sync) return [...problems, `no ${GRAFANA_PASSWORD_SYNC} container in grafana.extraContainers`];
    if (sync.image !== IMAGES.init) problems.push(`${GRAFANA_PASSWORD_SYNC} runs ${sync.image}, not the pinned ${IMAGES.init}`);
    if (JSON.stringify(sync.securityContext) !== JSON.stringify(restricted)) problems.push(`${GRAFANA_PASSWORD_SYNC} is not Pod Security restricted`);
    const vm = ((sync.volumeMounts ?? []) as Obj[]).find((m) => m.name === mount.name);
    if (vm?.mountPath !== mount.mountPath || vm?.readOnly !== true)
        problems.push(`${GRAFANA_PASSWORD_SYNC} does not mount ${mount.name} read-only at ${mount.mountPath}`);
    const env = Object.fromEntries(((sync.env ?? []) as Obj[]).map((e) => [e.name, e.value]));
    if (env.SECRETS_DIR !== mount.mountPath) problems.push(`${GRAFANA_PASSWORD_SYNC} reads ${env.SECRETS_DIR}, not ${mount.mountPath}`);
    if (env.GRAFANA_URL !== `http://127.0.0.1:${GRAFANA_HTTP_PORT}`)
        problems.push(`${GRAFANA_PASSWORD_SYNC} calls ${env.GRAFANA_URL}, not Grafana on localhost`);
    return problems;
}

/** The admin secret's rotation in one regional stack: our function, in the secret's region, allowed exactly this secret. */
function rotationProblems(rs: Res[], region: string): string[] {
    const secret = rs.find((r) => r.type === SECRET && String(r.inputs.name).endsWith("/grafana-admin"))!;
    const rotation = rs.find((r) => r.type === ROTATION && r.inputs.secretId === secret.identity!.id);
    if (!rotation) return [`no rotation of ${secret.inputs.name}`];
    const problems: string[] = [];
    const days = (rotation.inputs.rotationRules as Obj)?.automaticallyAfterDays;
    if (days !== GRAFANA_ADMIN_ROTATION_DAYS) problems.push(`rotates every ${days} days, not ${GRAFANA_ADMIN_ROTATION_DAYS}`);
    if (rotation.inputs.rotateImmediately !== true) problems.push("the first rotation waits: AWSPREVIOUS, which Grafana's pod mounts, would not exist");
    const fn = rs.find((r) => r.type === "aws:lambda/function:Function" && r.identity?.arn === rotation.inputs.rotationLambdaArn);
    if (!fn) return [...problems, `no function ${rotation.inputs.rotationLambdaArn} in the plan`];
    if (!String(fn.identity!.arn).startsWith(`arn:aws:lambda:${region}:`)) problems.push(`the function runs outside ${region}`);
    const policy = rs.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `${fn.name}-policy`);
    const doc = policy ? JSON.parse(String(policy.inputs.policy)) : { Statement: [] };
    const writes = (doc.Statement as Obj[]).filter((st) => [st.Action].flat().includes("secretsmanager:PutSecretValue")).flatMap((st) => [st.Resource].flat());
    if (JSON.stringify(writes) !== JSON.stringify([secret.identity!.arn]))
        problems.push(`the function writes ${JSON.stringify(writes)}, not exactly the admin secret`);
    const kms = (doc.Statement as Obj[]).find((st) => [st.Action].flat().includes("kms:Decrypt"));
    if (kms?.Resource !== secret.inputs.kmsKeyId || kms?.Condition?.StringEquals?.["kms:ViaService"] !== `secretsmanager.${region}.amazonaws.com`)
        problems.push("the function does not use the secret's key through Secrets Manager in its region only");
    return problems;
}

const clone = (rs: Res[]): Res[] => JSON.parse(JSON.stringify(rs)) as Res[];
const grafanaValues = (rs: Res[]): Obj => (rs.find((r) => r.type === RELEASE && r.inputs.chart === "kube-prometheus-stack")!.inputs.values as Obj).grafana;

describe("One in-cluster secret mechanism: the Secrets Store CSI driver (issue 15)", () => {
    let runs: Record<string, { resources: Res[] }>;
    before(async () => {
        runs = await allStacks();
    });

    it("no plan has an ExternalSecret, a SecretStore, an external-secrets release or namespace", () => {
        expect(Object.keys(runs)).to.include.members(REGIONAL_STACKS);
        for (const [stack, run] of Object.entries(runs)) expect(externalSecretsLeft(run.resources), stack).to.deep.equal([]);
    });

    it("every regional stack gives Grafana its admin password as a file on a CSI mount, read with Grafana's own role, with no value in the plan", () => {
        for (const stack of REGIONAL_STACKS) {
            expect(grafanaAdminProblems(runs[stack].resources), stack).to.deep.equal([]);
            const g = grafanaValues(runs[stack].resources);
            expect(g.serviceAccount.name).to.equal(GRAFANA_SERVICE_ACCOUNT);
            expect(g.env.GF_SECURITY_ADMIN_PASSWORD__FILE).to.equal("/etc/secrets/grafana-admin/password");
        }
    });

    it("every regional stack rotates the admin secret with our function in the secret's region, which may write exactly that secret", () => {
        for (const stack of REGIONAL_STACKS) expect(rotationProblems(runs[stack].resources, stack), stack).to.deep.equal([]);
    });

    it("the pack's secret-rotation-configured passes the admin secret with no exemption, and fails it when the rotation is dropped", async () => {
        const rs = runs["eu-west-1"].resources;
        const violations = async (x: Res[]) =>
            (await evaluatePolicies(x, {})).violations
                .filter((v) => v.policy === "secret-rotation-configured" && v.level === "mandatory")
                .map((v) => v.message);
        expect(await violations(rs)).to.deep.equal([]);
        const secret = rs.find((r) => r.type === SECRET && String(r.inputs.name).endsWith("/grafana-admin"))!;
        const without = rs.filter((r) => !(r.type === ROTATION && r.inputs.secretId === secret.identity!.id));
        expect(rotationProblems(without, "eu-west-1")).to.deep.equal(["no rotation of /global/observability/eu-west-1/grafana-admin"]);
        const found = await violations(without);
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/^Secret \/global\/observability\/eu-west-1\/grafana-admin has no rotation schedule and is not listed as unrotated/);
    });

    it("the grafana subchart's ServiceAccount is the one Grafana's Pod Identity association binds (test/upstream/charts/grafana/10.0.0/services.json)", () => {
        const kps = plannedReleases(runs["eu-west-1"].resources).find((r) => r.chart === "kube-prometheus-stack")!;
        const accounts = (r: typeof kps) => releaseServiceAccounts(r).map((a) => `${a.namespace}/${a.name}`);
        expect(accounts(kps)).to.include(`${MONITORING_NAMESPACE}/${GRAFANA_SERVICE_ACCOUNT}`);
        // Without a name, the chart names it after its fullname; with create off, it creates none.
        const unnamed = JSON.parse(JSON.stringify(kps)) as typeof kps;
        delete (unnamed.values as Obj).grafana.serviceAccount.name;
        expect(accounts(unnamed))
            .to.include(`${MONITORING_NAMESPACE}/kube-prometheus-stack-grafana`)
            .and.not.to.include(`${MONITORING_NAMESPACE}/${GRAFANA_SERVICE_ACCOUNT}`);
        (unnamed.values as Obj).grafana.serviceAccount.create = false;
        expect(accounts(unnamed).filter((a) => a.includes("grafana"))).to.deep.equal([]);
    });

    describe("mutations: each defect is reported", () => {
        const base = () => clone(runs["eu-west-1"].resources);
        it("an ExternalSecret or an external-secrets release", () => {
            const rs = base();
            rs.push({ ...rs[0], type: "kubernetes:external-secrets.io/v1:ExternalSecret", name: "x" });
            rs.push({ ...rs[0], type: RELEASE, name: "eso", inputs: { chart: "external-secrets" } });
            expect(externalSecretsLeft(rs)).to.deep.equal(["kubernetes:external-secrets.io/v1:ExternalSecret x", "release eso"]);
        });
        it("a plaintext admin password in Grafana's env instead of the file", () => {
            const rs = base();
            const env = grafanaValues(rs).env;
            delete env.GF_SECURITY_ADMIN_PASSWORD__FILE;
            env.GF_SECURITY_ADMIN_PASSWORD = "offline-abcdef12xxxxxxxxxxxxxxxx";
            expect(grafanaAdminProblems(rs)).to.include.members([
                "GF_SECURITY_ADMIN_PASSWORD set as a value",
                "no GF_SECURITY_ADMIN_PASSWORD__FILE: the chart creates its own admin Secret",
            ]);
        });
        it("a generated password in clear in any input", () => {
            // The value the engine gives Grafana's RandomPassword is what the scan looks for.
            const generated = String(
                mockResource("random:index/randomPassword:RandomPassword", "bb-euw1-obs-grafana-admin-password", { length: 32, special: false }, "eu-west-1")
                    .state.result,
            );
            expect(generated).to.match(MOCK_PASSWORD);
            const rs = base();
            grafanaValues(rs).adminPassword = generated;
            expect(grafanaAdminProblems(rs)).to.deep.equal([
                "grafana.adminPassword set: the chart would put it in a Secret",
                "a generated password in clear in kubernetes:helm.sh/v3:Release bb-euw1-obs-kube-prometheus-stack",
            ]);
        });
        it("the admin Secret of old (admin.existingSecret) or no user", () => {
            const rs = base();
            grafanaValues(rs).admin = { existingSecret: "grafana-admin" };
            delete grafanaValues(rs).env.GF_SECURITY_ADMIN_USER;
            expect(grafanaAdminProblems(rs)).to.deep.equal([
                "grafana.admin.existingSecret grafana-admin: a Kubernetes Secret holds the login",
                "no GF_SECURITY_ADMIN_USER: the chart references an admin Secret for the user",
            ]);
        });
        it("the file on a volume that is not the CSI driver's, or no mount at all", () => {
            const rs = base();
            grafanaValues(rs).extraSecretMounts[0].csi.driver = "ebs.csi.aws.com";
            expect(grafanaAdminProblems(rs)).to.deep.equal(["/etc/secrets/grafana-admin/password is not on a Secrets Store CSI mount"]);
            grafanaValues(rs).extraSecretMounts = [];
            expect(grafanaAdminProblems(rs)).to.deep.equal(["/etc/secrets/grafana-admin/password is not on a Secrets Store CSI mount"]);
        });
        it("a SecretProviderClass without Pod Identity or naming another secret", () => {
            const rs = base();
            const spc = rs.find((r) => r.type === SPC && (r.inputs.metadata as Obj).name === "grafana-admin")!;
            const params = (spc.inputs.spec as Obj).parameters;
            params.usePodIdentity = "false";
            params.objects = String(params.objects).replace(/objectName: "[^"]+"/, 'objectName: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other"');
            expect(grafanaAdminProblems(rs)).to.have.length(2);
            expect(grafanaAdminProblems(rs).join("\n"))
                .to.match(/does not read with Pod Identity/)
                .and.to.match(/does not mount arn:aws:secretsmanager:.* only \(\["arn:aws:secretsmanager:eu-west-1:123456789012:secret:other"\]\)/);
        });
        it("no AWSPREVIOUS in the mount, or no sidecar, or a sidecar that is not restricted or reads elsewhere", () => {
            const rs = base();
            const spc = rs.find((r) => r.type === SPC && (r.inputs.metadata as Obj).name === "grafana-admin")!;
            const params = (spc.inputs.spec as Obj).parameters;
            const objects = parse(String(params.objects)) as Obj[];
            params.objects = JSON.stringify(objects.filter((o) => o.objectVersionLabel !== "AWSPREVIOUS"));
            expect(grafanaAdminProblems(rs)).to.deep.equal([`no AWSPREVIOUS password file ${GRAFANA_PREVIOUS_PASSWORD_FILE} in the mount`]);
            const g = grafanaValues(rs);
            const sync = (parse(g.extraContainers) as Obj[])[0];
            g.extraContainers = JSON.stringify([
                { ...sync, securityContext: { ...restricted, runAsNonRoot: false }, env: [], image: "curlimages/curl:latest" },
            ]);
            expect(grafanaAdminProblems(rs).slice(1)).to.deep.equal([
                `${GRAFANA_PASSWORD_SYNC} runs curlimages/curl:latest, not the pinned ${IMAGES.init}`,
                `${GRAFANA_PASSWORD_SYNC} is not Pod Security restricted`,
                `${GRAFANA_PASSWORD_SYNC} reads undefined, not /etc/secrets/grafana-admin`,
                `${GRAFANA_PASSWORD_SYNC} calls undefined, not Grafana on localhost`,
            ]);
            delete g.extraContainers;
            expect(grafanaAdminProblems(rs).slice(1)).to.deep.equal([`no ${GRAFANA_PASSWORD_SYNC} container in grafana.extraContainers`]);
        });
        it("Grafana's role reading more than its secret, or no role", () => {
            const rs = base();
            const assoc = rs.find(
                (r) =>
                    r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" &&
                    r.inputs.serviceAccount === GRAFANA_SERVICE_ACCOUNT &&
                    r.inputs.namespace === MONITORING_NAMESPACE,
            )!;
            const policy = rs.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.parent === assoc.parent)!;
            const doc = JSON.parse(String(policy.inputs.policy));
            doc.Statement[0].Resource = "*";
            policy.inputs.policy = JSON.stringify(doc);
            expect(grafanaAdminProblems(rs)).to.have.length(1);
            expect(grafanaAdminProblems(rs)[0]).to.match(/^Grafana's role reads \["\*"\], not exactly arn:aws:secretsmanager:/);
            expect(grafanaAdminProblems(rs.filter((r) => r !== assoc))).to.deep.equal([
                `no Pod Identity association for ${MONITORING_NAMESPACE}/${GRAFANA_SERVICE_ACCOUNT}`,
            ]);
        });
    });
});
