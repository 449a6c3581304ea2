/** One vendor secret the reminder watches. */
export interface WatchedSecret {
    arn: string;
    name: string;
}

/**
 * Code of the vendor-key reminder (Node.js ES module, AWS SDK v3 from the runtime), run daily by an
 * EventBridge schedule. For each vendor secret it finds the AWSCURRENT version and its creation date
 * (ListSecretVersionIds): no value yet, or a value older than `maxAgeDays - noticeDays`, is a P3 alert that
 * names the secret and how to replace it. It never writes a secret and never starts a rotation, so nothing
 * is left pending (docs/secrets.md, "Vendor keys").
 */
export function vendorKeyAgeCode(i: { secrets: readonly WatchedSecret[]; topicArn: string; maxAgeDays: number; noticeDays: number }): string {
    return `import { SecretsManagerClient, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";

const SECRETS = ${JSON.stringify(i.secrets)};
const TOPIC_ARN = ${JSON.stringify(i.topicArn)};
const MAX_AGE_DAYS = ${i.maxAgeDays};
const NOTICE_DAYS = ${i.noticeDays};
const DAY_MS = 86400000;
const sm = new SecretsManagerClient({});
const sns = new SNSClient({});

async function currentVersion(arn) {
    let NextToken;
    do {
        const out = await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn, MaxResults: 100, NextToken }));
        const v = (out.Versions ?? []).find((x) => (x.VersionStages ?? []).includes("AWSCURRENT"));
        if (v) return v;
        NextToken = out.NextToken;
    } while (NextToken);
    return undefined;
}

export const handler = async () => {
    const now = Date.now();
    const findings = [];
    for (const s of SECRETS) {
        const v = await currentVersion(s.arn);
        if (!v) {
            findings.push(s.name + " has no value yet: issue a key in the vendor's console and set it with aws secretsmanager put-secret-value (docs/secrets.md).");
            continue;
        }
        const ageDays = Math.floor((now - new Date(v.CreatedDate).getTime()) / DAY_MS);
        if (ageDays >= MAX_AGE_DAYS - NOTICE_DAYS) {
            findings.push(s.name + " was set " + ageDays + " days ago (replace by day " + MAX_AGE_DAYS + "): issue a new key in the vendor's console, put-secret-value, then revoke the old key once AWSPREVIOUS is unused (docs/secrets.md).");
        }
    }
    if (findings.length > 0) {
        await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Subject: "P3: vendor API keys to replace", Message: findings.join("\\n") }));
    }
    return { findings };
};
`;
}
