import { NAMESPACE } from "../../../stacks/config";
import type { CapturedInvoke } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import { WAVE_OF } from "../waves";
import { describe, Located, PlanIndex, policyDocuments, principalsOf } from "./plan-index";
import type { ReadinessItem, ReadinessSection } from "./types";

type Verdict = Pick<ReadinessItem, "detail" | "problem">;

/** How long aws.acm.CertificateValidation waits for ISSUED by default (test/upstream/acm/dns-validation.json). */
export const CERTIFICATE_VALIDATION_TIMEOUT_MINUTES = 75;

const waveOf = (plan: PlanFile | undefined) => WAVE_OF[String(plan?.config[`${NAMESPACE}:role`] ?? "")] ?? 1;
const created = (found: Located[]) => `created by ${found.map(describe).join(", ")}`;

/** Lookups that read facts AWS itself provides (the caller, regions, zones) or compute locally: nothing has to exist. */
const AWS_FACTS: Record<string, string> = {
    "aws:index/getCallerIdentity:getCallerIdentity": "the caller's own account",
    "aws:index/getRegion:getRegion": "the provider's region",
    "aws:index/getPartition:getPartition": "the partition",
    "aws:index/getAvailabilityZones:getAvailabilityZones": "the region's availability zones",
    "aws:iam/getPolicyDocument:getPolicyDocument": "renders a policy document locally",
};

/**
 * Lookups of things that must exist: what in the planned stacks creates each. A lookup whose token is
 * not here is a problem until a rule is added, so a new `get*` cannot assume an account's contents silently.
 */
const LOOKUPS: Record<string, (i: CapturedInvoke, index: PlanIndex) => Verdict> = {
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (i, index) => {
        const name = String(i.inputs.name ?? "");
        // AWS publishes and maintains the com.amazonaws.* prefix lists in every region.
        if (name.startsWith("com.amazonaws.")) return { detail: `AWS-managed prefix list ${name}` };
        const found = index.ofType("aws:ec2/managedPrefixList:ManagedPrefixList").filter((l) => l.resource.inputs.name === name);
        return found.length ? { detail: created(found) } : { detail: "", problem: `prefix list ${name} is looked up, but no planned stack creates it` };
    },
    "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks": (i, index) => {
        const found = index.find(i.inputs.planArn, "aws:arcregionswitch/plan:Plan");
        return found.length
            ? { detail: `ARC creates them for the plan ${created(found).replace("created by ", "")}` }
            : { detail: "", problem: `health checks of plan ${String(i.inputs.planArn)} are looked up, but no planned stack creates that plan` };
    },
    "aws:acm/getCertificate:getCertificate": (i, index) => {
        const domain = String(i.inputs.domain ?? "");
        const found = index
            .ofType("aws:acm/certificate:Certificate")
            .filter(
                (l) =>
                    index.regionAt(l) === i.region &&
                    [l.resource.inputs.domainName, ...((l.resource.inputs.subjectAlternativeNames as unknown[]) ?? [])].includes(domain),
            );
        return found.length
            ? { detail: created(found) }
            : {
                  detail: "",
                  problem: `an ISSUED certificate for ${domain} in ${i.region} is looked up, but no planned stack creates one: create it (aws.acm.Certificate with DNS validation)`,
              };
    },
};

function lookups(plan: PlanFile, index: PlanIndex): ReadinessItem[] {
    const seen = new Set<string>();
    const items: ReadinessItem[] = [];
    for (const i of plan.invokes ?? []) {
        const fact = AWS_FACTS[i.token];
        const subject = `lookup ${i.token.split(":").pop()}${fact ? "" : ` ${JSON.stringify(i.inputs)}`}${fact ? "" : ` in ${i.region}`}`;
        if (seen.has(subject)) continue;
        seen.add(subject);
        if (fact) items.push({ subject, detail: `${fact}: nothing has to exist` });
        else if (LOOKUPS[i.token]) items.push({ subject, ...LOOKUPS[i.token](i, index) });
        else
            items.push({
                subject,
                detail: "",
                problem: `nothing in the planned stacks is known to create what ${i.token} looks up: create it in a stack (or the bootstrap stack), or teach tools/offline/readiness/prerequisites.ts where it comes from`,
            });
    }
    return items;
}

/** Every AWS or Federated principal named in a policy must be the account, or created by a planned stack. */
function principals(plan: PlanFile, index: PlanIndex): ReadinessItem[] {
    const byPrincipal = new Map<string, { kind: string; namedIn: Set<string> }>();
    for (const r of plan.resources) {
        for (const doc of policyDocuments(r.inputs)) {
            for (const p of principalsOf(doc)) {
                if (p.kind !== "AWS" && p.kind !== "Federated") continue;
                if (p.value === "*" || p.value === "[unknown]") continue;
                const entry = byPrincipal.get(p.value) ?? { kind: p.kind, namedIn: new Set<string>() };
                entry.namedIn.add(`${r.type.split(":").pop()} ${r.name}`);
                byPrincipal.set(p.value, entry);
            }
        }
    }
    const items: ReadinessItem[] = [];
    for (const [value, { kind, namedIn }] of [...byPrincipal].sort(([a], [b]) => a.localeCompare(b))) {
        const where = [...namedIn].slice(0, 3).join(", ") + (namedIn.size > 3 ? `, +${namedIn.size - 3} more` : "");
        const subject = `${kind} principal ${value}`;
        if (/^\d{12}$/.test(value) || /^arn:aws[\w-]*:iam::\d{12}:root$/.test(value)) {
            items.push({ subject, detail: `the account itself (named in ${where})` });
            continue;
        }
        const found = index.find(value).filter((l) => l.resource.custom);
        if (found.length) items.push({ subject, detail: `${created(found)} (named in ${where})` });
        // AWS refuses a key or resource policy that names a principal which does not exist (MalformedPolicyDocument).
        else
            items.push({
                subject,
                detail: `named in ${where}`,
                problem: `no planned stack creates ${value}; AWS refuses a policy naming a principal that does not exist: create it (a service-linked role in the bootstrap stack, say) and pass its ARN`,
            });
    }
    return items;
}

/** Records go into a zone some planned stack creates; certificate validation waits only on zones of an earlier wave. */
function zonesAndValidation(plan: PlanFile, all: ReadonlyMap<string, PlanFile>, index: PlanIndex): ReadinessItem[] {
    const items: ReadinessItem[] = [];
    const zoneIds = new Set(plan.resources.filter((r) => r.type === "aws:route53/record:Record").map((r) => String(r.inputs.zoneId)));
    for (const zoneId of [...zoneIds].sort()) {
        const zone = index.find(zoneId, "aws:route53/zone:Zone");
        items.push(
            zone.length
                ? { subject: `hosted zone ${zoneId}`, detail: created(zone) }
                : { subject: `hosted zone ${zoneId}`, detail: "", problem: "records are written to a hosted zone that no planned stack creates" },
        );
    }
    for (const v of plan.resources.filter((r) => r.type === "aws:acm/certificateValidation:CertificateValidation")) {
        const fqdns = (v.inputs.validationRecordFqdns as string[] | undefined) ?? [];
        const records = plan.resources.filter((r) => r.type === "aws:route53/record:Record" && fqdns.includes(r.identity?.fqdn ?? ""));
        const zones = [...new Set(records.map((r) => String(r.inputs.zoneId)))].flatMap((id) => index.find(id, "aws:route53/zone:Zone"));
        const subject = `certificate validation ${v.name}`;
        if (!records.length || !zones.length) {
            items.push({ subject, detail: "", problem: "its validation records are not in a hosted zone any planned stack creates" });
            continue;
        }
        for (const z of zones) {
            const sameRun = z.stack === plan.stack;
            const earlier = waveOf(all.get(z.stack)) < waveOf(plan);
            const delegation = index
                .ofType("aws:route53domains/registeredDomain:RegisteredDomain")
                .find((d) => d.stack === z.stack && d.resource.inputs.domainName === z.resource.inputs.name);
            const delegated = delegation
                ? `delegated by ${describe(delegation)}`
                : `delegated by hand before the wave that validates (README "Deploy", step 3 checks it)`;
            if (sameRun || !earlier) {
                items.push({
                    subject,
                    detail: "",
                    problem: `waits on the delegation of ${String(z.resource.inputs.name)}, whose zone is created in ${sameRun ? "the same run" : `stack ${z.stack}, not an earlier wave`}: ACM gives up after 72 h and the validation's wait times out at ${CERTIFICATE_VALIDATION_TIMEOUT_MINUTES} minutes. Create the zone in the bootstrap stack (wave 0)`,
                });
            } else items.push({ subject, detail: `zone ${String(z.resource.inputs.name)} from ${z.stack} (wave ${waveOf(all.get(z.stack))}), ${delegated}` });
        }
    }
    return items;
}

/**
 * Resource types that need a service-linked role AWS does not create through the API call that makes
 * them (test/upstream/service-linked-roles/aws.json holds the sources).
 */
export const NEEDS_SERVICE_LINKED_ROLE: Readonly<Record<string, string>> = {
    // VPC domains: created only from the console; the API call fails without it.
    "aws:opensearch/domain:Domain": "opensearchservice.amazonaws.com",
};

function serviceLinkedRoles(plan: PlanFile, index: PlanIndex): ReadinessItem[] {
    const needed = new Map<string, string[]>();
    for (const r of plan.resources) {
        const service = NEEDS_SERVICE_LINKED_ROLE[r.type];
        if (service) needed.set(service, [...(needed.get(service) ?? []), r.name]);
    }
    return [...needed].map(([service, users]) => {
        const found = index.ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole").filter((l) => l.resource.inputs.awsServiceName === service);
        const subject = `service-linked role for ${service}`;
        return found.length
            ? { subject, detail: `${created(found)} (needed by ${users.join(", ")})` }
            : {
                  subject,
                  detail: `needed by ${users.join(", ")}`,
                  problem: `no planned stack creates the service-linked role of ${service}; create it once per account in the bootstrap stack (aws.iam.ServiceLinkedRole)`,
              };
    });
}

/**
 * CI reaches every cluster's API: the Kubernetes provider contacts it on every preview and `up`, and
 * CI runs on the bootstrap stack's deploy runner, so each of the runner's egress addresses must be
 * allowed on the public endpoint (docs/decisions/eks-api-access.md).
 */
function apiFromRunner(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessItem[] {
    const clusters = plan.resources.filter((r) => r.type === "eks:index:Cluster" || r.type === "aws:eks/cluster:Cluster");
    if (!clusters.length) return [];
    const runners = [...all.values()].filter((p) => p.config[`${NAMESPACE}:role`] === "bootstrap");
    const egress = runners.flatMap((p) => (p.outputs.runner as { egressCidrs?: string[] } | undefined)?.egressCidrs ?? []);
    return clusters.map((c) => {
        const subject = `EKS API of ${c.name} from the deploy runner`;
        const cfg = (c.type === "eks:index:Cluster" ? c.inputs : (c.inputs.vpcConfig ?? {})) as Record<string, unknown>;
        const allowed = (cfg.publicAccessCidrs as string[] | undefined) ?? [];
        if (!runners.length)
            return {
                subject,
                detail: "",
                problem: "no bootstrap stack is planned, so no deploy runner can reach this API: plan the bootstrap stack (npm run plan -- --all)",
            };
        if (cfg.endpointPublicAccess !== true)
            return {
                subject,
                detail: "",
                problem:
                    "the endpoint is private only: no CI runner can reach it on the first `up` (the VPC is created in the same run) or on any later preview",
            };
        const missing = egress.filter((e) => !allowed.includes(e));
        if (!egress.length || missing.length)
            return {
                subject,
                detail: "",
                problem: `publicAccessCidrs lacks the runner's egress ${(missing.length ? missing : ["(none exported)"]).join(", ")}: CI jobs from there cannot reach the API`,
            };
        return { subject, detail: `public endpoint admits the runner's ${egress.join(", ")} (and ${allowed.length - egress.length} more)` };
    });
}

/** Input names that hold a reference to another resource by ARN (not a pattern in a policy). */
const REFERENCE_KEY = /(Arn|Arns|Actions|KeyId|kmsKeyId|Target|target|Role|role)$/;
/**
 * Inputs AWS does not resolve when the resource is created: an AWS Backup copy target is only used when a copy job
 * runs (the API takes vaults in other accounts, which it cannot look up), so a primary (wave 1) may name its standby's
 * vault (wave 2). A missing target fails copy jobs, which alert at P2; test/components/aurora-backups.spec.ts checks the target
 * is the vault the other region's stack creates.
 */
const RESOLVED_AT_RUN_TIME = new Set(["destinationVaultArn"]);
/** A concrete ARN in some account: no wildcard, so it names one resource. */
const CONCRETE_ARN = /^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[^*]+$/;

/**
 * Resources whose ARN the program builds from a name instead of reading an output (remote
 * components expose no ARN under mocks): how to find what creates them.
 */
const BUILT_ARNS: { re: RegExp; find: (m: RegExpExecArray, index: PlanIndex) => Located[] }[] = [
    {
        re: /^arn:aws[\w-]*:eks:([a-z0-9-]+):\d{12}:cluster\/(.+)$/,
        find: (m, index) => index.ofType("eks:index:Cluster").filter((l) => l.resource.inputs.name === m[2] && index.regionAt(l) === m[1]),
    },
    // A function a Serverless Application Repository stack creates (the master password rotation function).
    {
        re: /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:function:(.+)$/,
        find: (m, index) =>
            index
                .ofType("aws:serverlessrepository/cloudFormationStack:CloudFormationStack")
                .filter((l) => (l.resource.inputs.parameters as Record<string, unknown> | undefined)?.functionName === m[2] && index.regionAt(l) === m[1]),
    },
];

/** ARNs a resource's inputs name (alarm actions, keys, roles, targets) must be created by a planned stack or be AWS's own. */
function namedArns(plan: PlanFile, index: PlanIndex): ReadinessItem[] {
    const named = new Map<string, string>();
    const walk = (key: string, v: unknown, where: string): void => {
        if (typeof v === "string") {
            if (REFERENCE_KEY.test(key) && !RESOLVED_AT_RUN_TIME.has(key) && CONCRETE_ARN.test(v) && !named.has(v)) named.set(v, where);
        } else if (Array.isArray(v)) v.forEach((x) => walk(key, x, where));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(k, x, where);
    };
    for (const r of plan.resources) walk("", r.inputs, `${r.type.split(":").pop()} ${r.name}`);
    const missing: ReadinessItem[] = [];
    for (const [arn, where] of named) {
        if (/:iam::\d{12}:root$/.test(arn)) continue;
        if (index.find(arn).length) continue;
        const built = BUILT_ARNS.map((b) => {
            const m = b.re.exec(arn);
            return m ? b.find(m, index) : [];
        }).flat();
        if (built.length) continue;
        missing.push({
            subject: `ARN ${arn}`,
            detail: `named by ${where}`,
            problem: "no planned stack creates it: the resource that names it would fail on a real deploy",
        });
    }
    const ok = named.size - missing.length;
    return [
        ...(named.size ? [{ subject: "ARNs named in inputs", detail: `${ok} of ${named.size} resolve to resources the planned stacks create` }] : []),
        ...missing,
    ];
}

/** AWS-owned policies: IAM managed policies and EKS access policies exist in every account. */
const AWS_POLICY = /^arn:aws[\w-]*:(iam::aws:policy\/|eks::aws:cluster-access-policy\/)/;

/** The AWS-managed policies a stack attaches: AWS provides them (test/upstream/iam/aws-managed-policies.json holds the names to their sources). */
function managedPolicies(plan: PlanFile): ReadinessItem[] {
    const found = new Set<string>();
    const walk = (v: unknown): void => {
        if (typeof v === "string") {
            if (AWS_POLICY.test(v)) found.add(v);
        } else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    for (const r of plan.resources) walk(r.inputs);
    return [...found].sort().map((arn) => ({ subject: `AWS-managed policy ${arn.split("/").slice(1).join("/")}`, detail: "AWS provides it in every account" }));
}

/** Stacks read through StackReference are planned, in an earlier wave. */
function references(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessItem[] {
    return plan.resources
        .filter((r) => r.type === "pulumi:pulumi:StackReference")
        .map((r) => {
            const stack = String(r.inputs.name).split("/").pop()!;
            const read = all.get(stack);
            const subject = `stack reference ${String(r.inputs.name)}`;
            if (!read) return { subject, detail: "", problem: `stack ${stack} is not planned: nothing creates what this stack reads from it` };
            if (waveOf(read) >= waveOf(plan))
                return { subject, detail: "", problem: `stack ${stack} is in wave ${waveOf(read)}, not before this stack's wave ${waveOf(plan)}` };
            return { subject, detail: `wave ${waveOf(read)}, deployed before this stack's wave ${waveOf(plan)}` };
        });
}

/**
 * "prerequisites": what a stack assumes exists in the account and who creates it. Every data-source
 * lookup the program makes, every IAM principal its policies name, every hosted zone it writes to and
 * every stack it reads must be created by a planned stack (the bootstrap stack for account-level
 * things) or be AWS's own; certificate validation must not wait on a zone created in the same run.
 */
export function prerequisites(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessSection {
    const index = new PlanIndex(all.size ? all : new Map([[plan.stack, plan]]));
    return {
        title: "prerequisites",
        items: [
            ...references(plan, all),
            ...apiFromRunner(plan, all),
            ...lookups(plan, index),
            ...principals(plan, index),
            ...namedArns(plan, index),
            ...managedPolicies(plan),
            ...serviceLinkedRoles(plan, index),
            ...zonesAndValidation(plan, all, index),
        ],
    };
}
