import { BACKUP_CASES } from "./backup";
import { DATA_CASES } from "./data";
import { EDGE_CASES } from "./edge";
import { EXISTING_CASES } from "./existing";
import { IDENTITY_CASES } from "./identity";
import { NETWORK_CASES } from "./network";
import { OPERATIONS_CASES } from "./operations";
import { REGISTRY_CASES } from "./registry";
import { CorpusCase } from "./types";

export type { CorpusCase } from "./types";

/** Every parity case, by class. */
export const CORPUS: readonly CorpusCase[] = [
    ...EDGE_CASES,
    ...NETWORK_CASES,
    ...DATA_CASES,
    ...IDENTITY_CASES,
    ...OPERATIONS_CASES,
    ...EXISTING_CASES,
    ...BACKUP_CASES,
    ...REGISTRY_CASES,
];
