import { auroraStack, one, backupPlan, backupsFor, backupVault, rotatedSecret, secret, STANDBY_VAULT, vaultLock } from "./base";
import { CorpusCase } from "./types";

/** Issue 15: AWS Backup for Aurora, in-zone copies, locked vaults on a CMK. */
const OTHER_ZONE_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:aurora-us-west-2";
const withCopies = (...arns: string[]) => ({
    ...backupPlan,
    rules: [{ ...backupPlan.rules[0], copyActions: arns.map((a) => ({ destinationVaultArn: a, lifecycle: { deleteAfter: 35 } })) }],
});
const backed =
    (plan = backupPlan, vault = backupVault, lock: Record<string, unknown> | null = vaultLock) =>
    () => {
        const [c, ...instances] = auroraStack(undefined, undefined, false);
        return [c, ...instances, ...backupsFor([c], plan, vault, lock)];
    };

/** A secret replicated as the zone primary replicates its database secrets (eu-west-1 -> eu-central-1, a key there). */
const replicated = (...replicas: Record<string, unknown>[]) => rotatedSecret({ ...secret, replicas });
const IN_ZONE_REPLICA = { region: "eu-central-1", kmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/22222222-2222-2222-2222-222222222222" };

export const BACKUP_CASES: CorpusCase[] = [
    { rule: "backup-copy-in-zone", peer: "issue-15", what: "copy to a vault outside the zone", good: backed(), bad: backed(withCopies(OTHER_ZONE_VAULT)) },
    {
        rule: "backup-copy-in-zone",
        peer: "issue-15",
        what: "a second copy outside the zone next to the in-zone one",
        good: backed(withCopies(STANDBY_VAULT)),
        bad: backed(withCopies(STANDBY_VAULT, OTHER_ZONE_VAULT)),
    },
    { rule: "backup-copy-in-zone", peer: "issue-15", what: "a plan rule with no copy", good: backed(), bad: backed(withCopies()) },
    {
        rule: "backup-copy-in-zone",
        peer: "issue-15",
        what: "a copy to the plan's own region",
        good: backed(),
        bad: backed(withCopies("arn:aws:backup:eu-west-1:123456789012:backup-vault:other")),
    },
    {
        rule: "aurora-backup-coverage",
        peer: "issue-15",
        what: "an Aurora cluster no backup plan selects",
        good: () => auroraStack(),
        bad: () => auroraStack(undefined, undefined, false),
    },
    { rule: "backup-vault-locked", peer: "issue-15", what: "a vault without vault lock", good: backed(), bad: backed(backupPlan, backupVault, null) },
    {
        rule: "backup-vault-locked",
        peer: "issue-15",
        what: "a lock that lets recovery points go after a day",
        good: backed(),
        bad: backed(backupPlan, backupVault, { ...vaultLock, minRetentionDays: 1 }),
    },
    {
        rule: "secret-rotation-configured",
        peer: "issue-15",
        what: "a secret with no rotation schedule",
        good: rotatedSecret(),
        bad: rotatedSecret(secret, null),
    },
    {
        rule: "secret-rotation-configured",
        peer: "issue-15",
        what: "an unlisted name is not waived; a listed one is",
        good: rotatedSecret({ ...secret, name: "/global/apis/stripe/key" }, null),
        bad: rotatedSecret({ ...secret, name: "bookedbarber/payments/stripe" }, null),
    },
    {
        rule: "secret-replica-in-zone",
        peer: "issue-15",
        what: "a secret replica outside the zone",
        good: replicated(IN_ZONE_REPLICA),
        bad: replicated({ ...IN_ZONE_REPLICA, region: "us-east-1" }),
    },
    {
        rule: "secret-replica-in-zone",
        peer: "issue-15",
        what: "a second replica outside the zone next to the in-zone one",
        good: replicated(IN_ZONE_REPLICA),
        bad: replicated(IN_ZONE_REPLICA, { region: "ap-southeast-1", kmsKeyId: "arn:aws:kms:ap-southeast-1:123456789012:key/3" }),
    },
    {
        rule: "secret-replica-in-zone",
        peer: "issue-15",
        what: "a replica on the AWS-managed key",
        good: replicated(IN_ZONE_REPLICA),
        bad: replicated({ region: "eu-central-1" }),
    },
    {
        rule: "secret-replica-in-zone",
        peer: "issue-15",
        what: "a replica in the secret's own region",
        good: replicated(IN_ZONE_REPLICA),
        bad: replicated({ ...IN_ZONE_REPLICA, region: "eu-west-1" }),
    },
    {
        rule: "inspector-scans-images",
        peer: "issue-15",
        what: "Inspector enabled for EC2 only, not ECR images",
        good: one("aws:inspector2/enabler:Enabler", { accountIds: ["123456789012"], resourceTypes: ["ECR"] }),
        bad: one("aws:inspector2/enabler:Enabler", { accountIds: ["123456789012"], resourceTypes: ["EC2"] }),
    },
    {
        rule: "backup-vault-encrypted-with-cmk",
        peer: "CKV_AWS_166",
        what: "a vault on the AWS-managed backup key",
        good: backed(),
        bad: backed(backupPlan, { ...backupVault, kmsKeyArn: undefined }),
    },
];
