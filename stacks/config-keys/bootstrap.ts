// Stack config keys of the bootstrap stack (wave 0) and the keys its readers use to find it (issue 11).
// Merged into CONFIG_SCHEMA (stacks/config-schema.ts); decoded values reach the stacks as `config.values.<key>`.
import { DEPLOY_RUNNER_DEFAULTS, DEPLOY_RUNNER_LIMITS } from "../../components/deploy-runner";
import { argsOf, BOOTSTRAP_READERS, key, oneOf, STACK_NAME_RE } from "./define";

const runnerArg = argsOf("DeployRunner", DEPLOY_RUNNER_DEFAULTS, DEPLOY_RUNNER_LIMITS);

const DNS_NAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function dnsName(v: string): string[] {
    return DNS_NAME_RE.test(v) ? [] : ["must be a lower-case DNS name such as bookedbarber.com"];
}

/** How the public hosted zone is delegated to (docs/decisions/eks-api-access.md, "DNS delegation"). */
export const DNS_DELEGATIONS = ["route53-domains", "registrar"] as const;

export const BOOTSTRAP_KEYS = {
    domainName: key<string>({
        type: "string",
        description:
            "Public hostname users reach through CloudFront (spec: CDN and Global Load Balancing); www.<domainName> is served too, and the API names are <region>.api.<domainName>, <zone>.api.<domainName> and api.<domainName>. Must be inside hostedZoneName. The global and regional stacks read it from the bootstrap stack.",
        default: "bookedbarber.com",
        roles: ["bootstrap"],
        check: dnsName,
    }),
    hostedZoneName: key<string>({
        type: "string",
        description:
            "Route 53 public hosted zone the bootstrap stack creates (spec: Global Load Balancing Strategy). It exists one wave before any certificate is validated in it, so validation never waits on delegation made in the same run.",
        default: "bookedbarber.com",
        roles: ["bootstrap"],
        check: dnsName,
    }),
    dnsDelegation: key<string>({
        type: "string",
        description:
            "How the hosted zone is delegated: route53-domains (the domain is registered with Route 53 Domains in this account; the bootstrap stack sets its name servers, no manual step) or registrar (another registrar: set the NS records to the bootstrap output nameServers, README Deploy step 3, which checks it).",
        default: "route53-domains",
        roles: ["bootstrap"],
        check: oneOf(DNS_DELEGATIONS),
    }),
    githubRepository: key<string>({
        type: "string",
        description: "GitHub repository (owner/name) whose workflow jobs the deploy runner takes (CodeBuild-hosted GitHub Actions runner).",
        roles: ["bootstrap"],
        check: (v) => (/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(v) ? [] : ["must be owner/name of a GitHub repository"]),
    }),
    runnerGithubToken: key<string>({
        type: "string",
        description:
            "Secret (`pulumi config set --secret`): GitHub token CodeBuild uses to register the runner (repo and admin:repo_hook scopes). Unset: the account's existing CodeBuild GitHub credential in the bootstrap region is used.",
        roles: ["bootstrap"],
        optional: true,
        secret: true,
        check: (v) => (v.length >= 20 ? [] : ["must be a GitHub token"]),
    }),
    runnerComputeType: key<string>({
        type: "string",
        description: "CodeBuild compute type of the deploy runner. MEDIUM (2 vCPUs, 4 GiB) fits `tsc` (about 700 MB) and one stack's `pulumi up`.",
        ...runnerArg("computeType"),
        roles: ["bootstrap"],
    }),
    bootstrapStack: key<string>({
        type: "string",
        description:
            "The bootstrap stack the regional and global stacks read through StackReference: hosted zone, domain, the deploy runner's egress addresses and the service-linked roles.",
        default: "bootstrap",
        roles: BOOTSTRAP_READERS,
        check: (v) => (STACK_NAME_RE.test(v) ? [] : ["must be a stack name (letters, digits, _ . -)"]),
    }),
} as const;
