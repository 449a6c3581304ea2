import { stackRule } from "../../lib/rule";
import { ofType } from "../../lib/props";

const VAULT = "aws:backup/vault:Vault";
const LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";

/** A lock belongs to the vault it depends on (its backupVaultName is the vault's output) or names it. */
export const backupVaultLocked = stackRule<{ minDays: number }>({
    name: "backup-vault-locked",
    description: "Every AWS Backup vault has vault lock, so no one can delete recovery points, or shorten their retention, below the minimum.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["backup", "data-loss"],
    resourceTypes: [VAULT, LOCK],
    remediation:
        "add an aws.backup.VaultLockConfiguration for the vault with minRetentionDays of at least the minimum (governance mode; compliance mode with changeableForDays is irreversible, see docs/backups.md).",
    config: { minDays: { type: "integer", default: 7, description: "Least minRetentionDays a vault lock may set." } },
    check: (resources, config, report) => {
        const locks = ofType(resources, LOCK);
        for (const l of locks) {
            const min = Number(l.props.minRetentionDays);
            if (!(min >= config.minDays))
                report(
                    `minRetentionDays is ${l.props.minRetentionDays ?? "unset"}, less than ${config.minDays}: recovery points could be deleted the day they are made.`,
                    l.urn,
                );
        }
        for (const v of ofType(resources, VAULT)) {
            const locked = locks.some(
                (l) => l.dependencies.some((d) => d.urn === v.urn) || (typeof v.props.name === "string" && l.props.backupVaultName === v.props.name),
            );
            if (!locked) report("The vault has no vault lock: anyone with backup:DeleteRecoveryPoint can delete its recovery points.", v.urn);
        }
    },
});
