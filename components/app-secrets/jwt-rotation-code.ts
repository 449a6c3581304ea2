/**
 * Code of the JWT signing-key rotation function (Node.js ES module, run by Lambda with the AWS SDK for
 * JavaScript v3 the runtime ships). It implements Secrets Manager's four rotation steps for the secrets it
 * is given and refuses any other:
 * - createSecret: a new Ed25519 key pair into the version Secrets Manager labelled AWSPENDING (idempotent: a
 *   retried step finds the value there and keeps it);
 * - setSecret: nothing: no other service holds the key, the app reads it from this secret;
 * - testSecret: the pending private key signs a probe that its public key verifies;
 * - finishSecret: AWSCURRENT moves to the new version (Secrets Manager moves AWSPREVIOUS to the old one),
 *   so the app verifies tokens with both during the overlap.
 * The first rotation of an empty secret has no AWSCURRENT: it creates the first key.
 */
export function jwtRotationCode(secretArns: readonly string[]): string {
    return `import { SecretsManagerClient, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { generateKeyPairSync, randomUUID, sign, verify, createPrivateKey, createPublicKey } from "node:crypto";

const SECRET_ARNS = ${JSON.stringify(secretArns)};
const client = new SecretsManagerClient({});

function newKey() {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    return {
        kid: randomUUID(),
        alg: "EdDSA",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }),
        publicKey: publicKey.export({ type: "spki", format: "pem" }),
        createdAt: new Date().toISOString(),
    };
}

async function pendingValue(arn, token) {
    try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: "AWSPENDING" }));
        return out.SecretString;
    } catch (e) {
        if (e.name === "ResourceNotFoundException") return undefined;
        throw e;
    }
}

async function createSecret(arn, token) {
    if (await pendingValue(arn, token) !== undefined) return;
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: JSON.stringify(newKey()), VersionStages: ["AWSPENDING"] }));
}

async function testSecret(arn, token) {
    const raw = await pendingValue(arn, token);
    if (raw === undefined) throw new Error("no AWSPENDING value for version " + token);
    const key = JSON.parse(raw);
    if (key.alg !== "EdDSA" || !key.kid) throw new Error("pending key has alg " + key.alg + " and kid " + key.kid);
    const probe = Buffer.from("rotation-probe:" + token);
    const signature = sign(null, probe, createPrivateKey(key.privateKey));
    if (!verify(null, probe, createPublicKey(key.publicKey), signature)) throw new Error("pending public key does not verify its private key's signature");
}

async function finishSecret(arn, token, stages) {
    const current = Object.keys(stages).find((v) => stages[v].includes("AWSCURRENT"));
    if (current === token) return;
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: "AWSCURRENT", MoveToVersionId: token, ...(current ? { RemoveFromVersionId: current } : {}) }));
}

export const handler = async (event) => {
    const { SecretId: arn, ClientRequestToken: token, Step: step } = event;
    if (!SECRET_ARNS.includes(arn)) throw new Error("this function rotates only " + SECRET_ARNS.join(", ") + ", not " + arn);
    const meta = await client.send(new DescribeSecretCommand({ SecretId: arn }));
    if (meta.RotationEnabled === false) throw new Error("rotation is not enabled on " + arn);
    const stages = meta.VersionIdsToStages ?? {};
    if (!stages[token]) throw new Error("version " + token + " has no stage for rotation of " + arn);
    if (stages[token].includes("AWSCURRENT")) return;
    if (!stages[token].includes("AWSPENDING")) throw new Error("version " + token + " is not AWSPENDING for rotation of " + arn);
    if (step === "createSecret") return createSecret(arn, token);
    if (step === "setSecret") return;
    if (step === "testSecret") return testSecret(arn, token);
    if (step === "finishSecret") return finishSecret(arn, token, stages);
    throw new Error("unknown rotation step " + step);
};
`;
}
