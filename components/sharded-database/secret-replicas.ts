import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicy } from "../kms-keys";
import { CMK_LIFECYCLE } from "../kms-keys";

/**
 * Replicas of the zone primary's database secrets in the zone's standby region, so the standby's
 * PgBouncer reads its credentials in its own region and keeps working when the primary region is down.
 *
 * The replicas need a customer-managed key in the standby region, and the primary (wave 1) creates its
 * secrets before the standby's stack and its secrets key exist (wave 2). The primary stack therefore
 * creates this key itself, in the standby region, through a provider for that region: one key per zone,
 * used only for these replicas, with the same policy as every regional secrets key (the account
 * administers it; principals use it only through Secrets Manager, RDS or SSM in that region). Why not
 * the alternatives: a multi-Region replica of the primary's secrets key needs that key to be
 * multi-Region, which an existing key cannot become (the key and every secret on it would be replaced);
 * keys made by the bootstrap wave would put every zone's data keys into one stack in one account region
 * and a wave that otherwise holds no data. The alias is fixed, so the standby names the key (in its
 * PgBouncer role's policy) without a reference to the primary's stack.
 */

/** Alias of a zone's replica key in its standby region. */
export function secretsReplicaAlias(zone: string): string {
    return `alias/bookedbarber/${zone}-primary-secrets-replica`;
}

export interface SecretReplicaTarget {
    /** The zone's standby region. */
    region: string;
    /** An AWS provider for that region. */
    provider: pulumi.ProviderResource;
    accountId: pulumi.Input<string>;
}

export function secretsReplicaKey(name: string, zone: string, target: SecretReplicaTarget, protect: boolean, parent: pulumi.Resource): aws.kms.Key {
    const key = new aws.kms.Key(
        `${name}-secrets-replica-key`,
        {
            description: `BookedBarber ${zone} zone primary's database secrets, replicated to ${target.region}`,
            ...CMK_LIFECYCLE,
            policy: pulumi.output(target.accountId).apply((acct) => keyPolicy("secrets", target.region, acct, "")),
            // The provider's default tags name the primary's region; this key lives in the standby's.
            tags: { "data-domain": "secrets", region: target.region },
        },
        { parent, provider: target.provider, protect },
    );
    new aws.kms.Alias(`${name}-secrets-replica-alias`, { name: secretsReplicaAlias(zone), targetKeyId: key.keyId }, { parent: key, provider: target.provider });
    return key;
}
