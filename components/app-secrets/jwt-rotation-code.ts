import { rotationFunctionCode } from "../secret-rotation/rotation-code";

/**
 * Code of the JWT signing-key rotation function, on the shared four-step skeleton
 * (components/secret-rotation/rotation-code.ts), for the secrets it is given:
 * - createSecret: a new Ed25519 key pair into the version Secrets Manager labelled AWSPENDING;
 * - setSecret: nothing: no other service holds the key, the app reads it from this secret;
 * - testSecret: the pending private key signs a probe that its public key verifies;
 * - finishSecret: AWSCURRENT moves to the new version (Secrets Manager moves AWSPREVIOUS to the old one),
 *   so the app verifies tokens with both during the overlap.
 * The first rotation of an empty secret has no AWSCURRENT: it creates the first key.
 */
export function jwtRotationCode(secretArns: readonly string[]): string {
    return rotationFunctionCode({
        secretArns,
        imports: `import { generateKeyPairSync, randomUUID, sign, verify, createPrivateKey, createPublicKey } from "node:crypto";`,
        setSecretNote: "setSecret: nothing: no other service holds the key, the app reads it from this secret.",
        steps: `
async function newValue() {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    return JSON.stringify({
        kid: randomUUID(),
        alg: "EdDSA",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }),
        publicKey: publicKey.export({ type: "spki", format: "pem" }),
        createdAt: new Date().toISOString(),
    });
}

async function testValue(raw, token) {
    const key = JSON.parse(raw);
    if (key.alg !== "EdDSA" || !key.kid) throw new Error("pending key has alg " + key.alg + " and kid " + key.kid);
    const probe = Buffer.from("rotation-probe:" + token);
    const signature = sign(null, probe, createPrivateKey(key.privateKey));
    if (!verify(null, probe, createPublicKey(key.publicKey), signature)) throw new Error("pending public key does not verify its private key's signature");
}`,
    });
}
