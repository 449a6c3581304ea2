import { KEY, clone, Inputs, one } from "./base";
import { CorpusCase } from "./types";
import { res } from "../helpers";

/** Issue 15: the apps' ECR repositories (components/container-registry.ts). */
const REPO = "aws:ecr/repository:Repository";
const SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration";
const REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";

const repository: Inputs = {
    name: "bookedbarber/backend",
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }],
    forceDelete: false,
};
const scanning: Inputs = {
    scanType: "ENHANCED",
    rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "bookedbarber/*", filterType: "WILDCARD" }] }],
};
const replicateTo =
    (region: string, registryId = "123456789012", filters: object[] = [{ filter: "bookedbarber/", filterType: "PREFIX_MATCH" }]) =>
    () => [
        res(REPO, clone(repository)),
        res(REPLICATION, { replicationConfiguration: { rules: [{ destinations: [{ region, registryId }], repositoryFilters: filters }] } }),
    ];
const repo = (change: Inputs) => one(REPO, { ...clone(repository), ...change });

const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const VAPB = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";
const vap = (spec: Inputs) => one(VAP, { metadata: { name: "images" }, spec: { failurePolicy: "Fail", validations: [{ expression: "true" }], ...spec } });
const vapb = (actions: string[]) => one(VAPB, { metadata: { name: "images" }, spec: { policyName: "images", validationActions: actions } });

export const REGISTRY_CASES: CorpusCase[] = [
    { rule: "ecr-immutable-tags", peer: "CKV_AWS_51", what: "a repository with mutable tags", good: repo({}), bad: repo({ imageTagMutability: "MUTABLE" }) },
    { rule: "ecr-immutable-tags", peer: "issue-15", what: "tag mutability left at the default", good: repo({}), bad: repo({ imageTagMutability: undefined }) },
    {
        rule: "ecr-scan-on-push",
        peer: "CKV_AWS_163",
        what: "a repository without scan on push",
        good: repo({}),
        bad: repo({ imageScanningConfiguration: { scanOnPush: false } }),
    },
    {
        rule: "ecr-scan-on-push",
        peer: "issue-15",
        what: "enhanced scanning with no rule that scans (Inspector replaces the repository setting)",
        good: one(SCANNING, scanning),
        bad: one(SCANNING, { scanType: "ENHANCED", rules: [] }),
    },
    {
        rule: "ecr-scan-on-push",
        peer: "issue-15",
        what: "a scanning rule that scans only on manual request",
        good: one(SCANNING, scanning),
        bad: one(SCANNING, { scanType: "BASIC", rules: [{ scanFrequency: "MANUAL", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }] }),
    },
    {
        rule: "ecr-encrypted-with-cmk",
        peer: "CKV_AWS_136",
        what: "a repository on the default AES256 encryption",
        good: repo({}),
        bad: repo({ encryptionConfigurations: undefined }),
    },
    {
        rule: "ecr-encrypted-with-cmk",
        peer: "issue-15",
        what: "KMS with the AWS-managed aws/ecr key",
        good: repo({}),
        bad: repo({ encryptionConfigurations: [{ encryptionType: "KMS" }] }),
    },
    {
        rule: "ecr-replication-in-zone",
        peer: "issue-15",
        what: "replication from an EU registry to a US region",
        good: replicateTo("eu-central-1"),
        bad: replicateTo("us-east-1"),
    },
    {
        rule: "ecr-replication-in-zone",
        peer: "issue-15",
        what: "replication to another account's registry",
        good: replicateTo("eu-central-1"),
        bad: replicateTo("eu-central-1", "210987654321"),
    },
    {
        rule: "ecr-replication-in-zone",
        peer: "issue-15",
        what: "replication of every repository (no filter)",
        good: replicateTo("eu-central-1"),
        bad: replicateTo("eu-central-1", "123456789012", []),
    },
    {
        rule: "ecr-replication-in-zone",
        peer: "issue-15",
        what: "replication to the registry's own region",
        good: replicateTo("eu-central-1"),
        bad: replicateTo("eu-west-1"),
    },
    {
        rule: "k8s-image-admission",
        peer: "issue-15",
        what: "an admission policy that admits when it cannot evaluate",
        good: vap({}),
        bad: vap({ failurePolicy: "Ignore" }),
    },
    { rule: "k8s-image-admission", peer: "issue-15", what: "an admission policy with no validations", good: vap({}), bad: vap({ validations: [] }) },
    { rule: "k8s-image-admission", peer: "issue-15", what: "a binding that only audits", good: vapb(["Deny", "Audit"]), bad: vapb(["Audit", "Warn"]) },
];
