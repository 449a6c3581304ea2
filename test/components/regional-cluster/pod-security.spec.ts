import { expect } from "chai";
import { restricted } from "../../../components/sharded-database/pod-common";
import { APP_NAMESPACE } from "../../../components/regional-cluster/manifests";
import { PlanFile } from "../../../tools/offline/plan-file";
import { POD_SECURITY_STANDARDS, podSecurity, restrictedViolations } from "../../../tools/offline/readiness/pod-security";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, REGIONAL_STACKS } from "../../support/fixtures";

type Obj = Record<string, any>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** A pod spec that meets restricted the way the platform's pods do. */
const good = (): Obj => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "app", image: "x", securityContext: clone(restricted), ports: [{ containerPort: 8000 }] }],
    initContainers: [{ name: "init", image: "x", securityContext: clone(restricted) }],
    volumes: [
        { name: "tmp", emptyDir: {} },
        { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io" } },
        { name: "token", projected: { sources: [] } },
    ],
});

/** Each defect the restricted profile names, as a mutation of `good()`, with the words the check must use. */
const DEFECTS: [string, (s: Obj) => void, RegExp][] = [
    [
        "a privileged container",
        (s) => {
            s.containers[0].securityContext.privileged = true;
        },
        /privileged/,
    ],
    [
        "hostNetwork",
        (s) => {
            s.hostNetwork = true;
        },
        /hostNetwork/,
    ],
    [
        "hostPID",
        (s) => {
            s.hostPID = true;
        },
        /hostPID/,
    ],
    [
        "a hostPath volume",
        (s) => {
            s.volumes.push({ name: "root", hostPath: { path: "/" } });
        },
        /volume root is hostPath/,
    ],
    [
        "allowPrivilegeEscalation left unset",
        (s) => {
            delete s.initContainers[0].securityContext.allowPrivilegeEscalation;
        },
        /initContainers init allowPrivilegeEscalation/,
    ],
    [
        "runAsNonRoot nowhere",
        (s) => {
            delete s.securityContext.runAsNonRoot;
            delete s.containers[0].securityContext.runAsNonRoot;
        },
        /runAsNonRoot is not true/,
    ],
    [
        "runAsUser 0",
        (s) => {
            s.containers[0].securityContext.runAsUser = 0;
        },
        /runAsUser is 0/,
    ],
    [
        "no seccomp profile anywhere",
        (s) => {
            delete s.securityContext.seccompProfile;
            delete s.containers[0].securityContext.seccompProfile;
        },
        /containers app seccompProfile is "unset"/,
    ],
    [
        "an Unconfined container seccomp",
        (s) => {
            s.containers[0].securityContext.seccompProfile = { type: "Unconfined" };
        },
        /seccompProfile is "Unconfined"/,
    ],
    [
        "capabilities not dropped",
        (s) => {
            s.containers[0].securityContext.capabilities = {};
        },
        /does not drop ALL/,
    ],
    [
        "NET_ADMIN added",
        (s) => {
            s.containers[0].securityContext.capabilities.add = ["NET_ADMIN"];
        },
        /adds NET_ADMIN/,
    ],
    [
        "a host port",
        (s) => {
            s.containers[0].ports[0].hostPort = 8000;
        },
        /hostPort 8000/,
    ],
    [
        "an ephemeral container without a context",
        (s) => {
            s.ephemeralContainers = [{ name: "debug", image: "x" }];
        },
        /ephemeralContainers debug/,
    ],
    [
        "an unsafe sysctl",
        (s) => {
            s.securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }];
        },
        /sysctl kernel.msgmax/,
    ],
];

describe("Pod Security restricted on the app namespace, and the readiness check (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("keeps its rules as sourced, dated data", () => {
        expect(POD_SECURITY_STANDARDS.source).to.equal("https://kubernetes.io/docs/concepts/security/pod-security-standards/");
        expect(POD_SECURITY_STANDARDS.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(POD_SECURITY_STANDARDS.restricted.allowedVolumeTypes).to.not.include("hostPath");
    });

    it("every regional stack's app namespace enforces, audits and warns restricted, pinned to the cluster's minor", () => {
        for (const stack of REGIONAL_STACKS) {
            const ns = ofType(runs[stack], "kubernetes:core/v1:Namespace").find((n) => (n.inputs.metadata as Obj).name === APP_NAMESPACE)!;
            const labels = (ns.inputs.metadata as Obj).labels as Obj;
            const minor = `v${String(ofType(runs[stack], "eks:index:Cluster")[0].inputs.version)}`;
            for (const mode of ["enforce", "audit", "warn"]) {
                expect(labels[`pod-security.kubernetes.io/${mode}`], `${stack} ${mode}`).to.equal("restricted");
                expect(labels[`pod-security.kubernetes.io/${mode}-version`], `${stack} ${mode}-version`).to.match(/^v1\.\d+$/);
            }
            expect(labels["pod-security.kubernetes.io/enforce-version"]).to.equal(minor);
            expect(labels["istio.io/rev"], "the namespace stays in the mesh").to.be.a("string");
        }
    });

    it("the platform's restricted security context passes; each named defect is reported", () => {
        expect(restrictedViolations(good(), true)).to.deep.equal([]);
        for (const [what, mutate, words] of DEFECTS) {
            const s = good();
            mutate(s);
            expect(restrictedViolations(s).join("; "), what).to.match(words);
        }
    });

    it("in a meshed namespace, a pod without a pod-level seccomp profile is reported (Istio's sidecar sets none)", () => {
        const s = good();
        delete s.securityContext.seccompProfile;
        expect(restrictedViolations(s, false)).to.deep.equal([]);
        expect(restrictedViolations(s, true).join()).to.match(/pod-level seccompProfile/);
    });

    it("the PgBouncer and migration pods, which claim to meet restricted, do", () => {
        for (const r of ofType(runs["eu-west-1"], "kubernetes:apps/v1:Deployment").concat(ofType(runs["eu-west-1"], "kubernetes:batch/v1:Job"))) {
            const meta = r.inputs.metadata as Obj;
            if (meta.namespace !== "database") continue;
            expect(restrictedViolations((r.inputs.spec as Obj).template.spec, true), String(meta.name)).to.deep.equal([]);
        }
    });

    describe("readiness over the plans", () => {
        const planWith = (run: RunResult, extra: Obj[] = []) => ({ stack: run.stack, resources: [...run.resources, ...extra] }) as unknown as PlanFile;
        const deployment = (namespace: string, spec: Obj) => ({
            type: "kubernetes:apps/v1:Deployment",
            urn: "urn:test",
            name: "d",
            inputs: { metadata: { name: "probe", namespace }, spec: { template: { spec } } },
        });
        it("finds no problem in any regional plan and lists the app namespace", () => {
            for (const stack of REGIONAL_STACKS) {
                const section = podSecurity(planWith(runs[stack]));
                expect(
                    section.items.filter((i) => i.problem),
                    stack,
                ).to.deep.equal([]);
                expect(section.items.map((i) => i.subject)).to.include(`namespace ${APP_NAMESPACE}`);
            }
        });
        it("reports a privileged Deployment in the app namespace (mutation), passes a good one, and leaves non-enforcing namespaces alone", () => {
            const bad = good();
            bad.containers[0].securityContext.privileged = true;
            const reported = podSecurity(planWith(runs["eu-west-1"], [deployment(APP_NAMESPACE, bad)])).items.filter((i) => i.problem);
            expect(reported.map((i) => i.subject)).to.deep.equal([`Deployment ${APP_NAMESPACE}/probe`]);
            expect(podSecurity(planWith(runs["eu-west-1"], [deployment(APP_NAMESPACE, good())])).items.filter((i) => i.problem)).to.deep.equal([]);
            expect(podSecurity(planWith(runs["eu-west-1"], [deployment("monitoring", bad)])).items.filter((i) => i.problem)).to.deep.equal([]);
        });
        it("does not judge a namespace that stops enforcing restricted", () => {
            const rs = clone(runs["eu-west-1"].resources) as Obj[];
            const ns = rs.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.inputs.metadata.name === APP_NAMESPACE)!;
            ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline";
            expect(podSecurity({ stack: "x", resources: rs } as unknown as PlanFile).items.map((i) => i.subject)).to.not.include(`namespace ${APP_NAMESPACE}`);
        });
    });
});
