/**
 * The four steps of a Secrets Manager rotation function (Secrets Manager User Guide, "Lambda rotation
 * functions"), as the code of a Node.js ES module run by Lambda with the AWS SDK for JavaScript v3 the runtime
 * ships. Each of our rotation functions (JWT signing keys, the Grafana admin login) supplies only how to make a
 * new value and how to test one; the skeleton does the rest, the same way for each:
 * - it refuses any secret but the ones it is given, a secret whose rotation is off, and a version that is not
 *   the rotation's AWSPENDING one (a version already AWSCURRENT is a finished rotation: nothing to do);
 * - createSecret: if the AWSPENDING version has no value yet, put a new one there (a retried step keeps it);
 * - setSecret: nothing here; each function says why (`setSecretNote`);
 * - testSecret: the function's own test of the pending value;
 * - finishSecret: AWSCURRENT moves to the new version (Secrets Manager moves AWSPREVIOUS to the old one).
 */
export interface RotationCodeSpec {
    /** The secrets this function may rotate (ARNs). */
    secretArns: readonly string[];
    /** More `@aws-sdk/client-secrets-manager` commands the helpers use. */
    sdkCommands?: readonly string[];
    /** More import lines (e.g. from node:crypto). */
    imports?: string;
    /**
     * JavaScript that defines `async function newValue(arn, token)` (returns the new SecretString) and
     * `async function testValue(value, token)` (throws when the pending value is unusable). `client` is the SDK client.
     */
    steps: string;
    /** Why setSecret does nothing for this secret (a comment in the code). */
    setSecretNote: string;
}

const BASE_COMMANDS = ["DescribeSecretCommand", "GetSecretValueCommand", "PutSecretValueCommand", "UpdateSecretVersionStageCommand"];

export function rotationFunctionCode(spec: RotationCodeSpec): string {
    const commands = [...new Set([...BASE_COMMANDS, ...(spec.sdkCommands ?? [])])];
    return `import { SecretsManagerClient, ${commands.join(", ")} } from "@aws-sdk/client-secrets-manager";
${spec.imports ?? ""}
const SECRET_ARNS = ${JSON.stringify(spec.secretArns)};
const client = new SecretsManagerClient({});

${spec.steps.trim()}

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
    await client.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: await newValue(arn, token), VersionStages: ["AWSPENDING"] }));
}

async function testSecret(arn, token) {
    const raw = await pendingValue(arn, token);
    if (raw === undefined) throw new Error("no AWSPENDING value for version " + token);
    await testValue(raw, token);
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
    // ${spec.setSecretNote.replace(/\n/g, " ")}
    if (step === "setSecret") return;
    if (step === "testSecret") return testSecret(arn, token);
    if (step === "finishSecret") return finishSecret(arn, token, stages);
    throw new Error("unknown rotation step " + step);
};
`;
}
