/**
 * The offline engine as a library (package.json `exports["./testing"]`): what a
 * program that uses the components needs to plan itself in a test, with no CLI,
 * no plugin and no cloud account. `runStack({ stack, root, program })` runs
 * `program` against mocks with the config of `<root>/Pulumi.<stack>.yaml` and
 * returns every registered resource with its inputs (docs/library.md).
 */
export { runStack, describeError } from "./stack-runner";
export type { RunOptions, RunResult } from "./stack-runner";
export type { CapturedInvoke, CapturedResource } from "./mock-engine";
export { SECRET } from "./mock-engine";
export { ACCOUNT_ID } from "./mock-outputs";
