/**
 * Valid ranges of component arguments, written once. A component checks its arg against its
 * `<COMPONENT>_LIMITS` entry (ArgsCheck.within), and the stack config key that sets the arg
 * derives its check from the same entry (stacks/config-keys/define.ts `fromArg`), so the two
 * sides cannot drift apart.
 */

/**
 * The retention periods CloudWatch Logs accepts, in days (AWS CloudWatch Logs API reference,
 * PutRetentionPolicy `retentionInDays`, and the terraform provider's validation of
 * aws_cloudwatch_log_group.retention_in_days). Any other number is refused by the API.
 */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** An integer from `min` to `max`, both included. */
export interface IntegerLimit {
    readonly kind: "integer";
    readonly min: number;
    readonly max: number;
}

/** One of a fixed list of values. */
export interface OneOfLimit<T extends string | number = string | number> {
    readonly kind: "oneOf";
    readonly values: readonly T[];
}

/** A CloudWatch Logs retention period (LOG_RETENTION_DAYS) of at least `min` days. */
export interface LogRetentionLimit {
    readonly kind: "logRetention";
    readonly min: number;
}

export type Limit = IntegerLimit | OneOfLimit | LogRetentionLimit;

export function integerLimit(min: number, max: number): IntegerLimit {
    return { kind: "integer", min, max };
}

export function oneOfLimit<T extends string | number>(values: readonly T[]): OneOfLimit<T> {
    return { kind: "oneOf", values };
}

export function logRetentionLimit(min: number): LogRetentionLimit {
    return { kind: "logRetention", min };
}

/** What `value` breaks of `limit`, phrased to follow "<field> = <value>: ", or undefined when it is allowed. */
export function limitProblem(limit: Limit, value: unknown): string | undefined {
    switch (limit.kind) {
        case "integer":
            return typeof value === "number" && Number.isInteger(value) && value >= limit.min && value <= limit.max
                ? undefined
                : `must be an integer from ${limit.min} to ${limit.max}`;
        case "oneOf":
            return (limit.values as readonly unknown[]).includes(value) ? undefined : `must be one of ${limit.values.join(", ")}`;
        case "logRetention":
            return (LOG_RETENTION_DAYS as readonly unknown[]).includes(value) && (value as number) >= limit.min
                ? undefined
                : `must be a CloudWatch retention period of at least ${limit.min} days (${LOG_RETENTION_DAYS.filter((d) => d >= limit.min).join(", ")})`;
    }
}

/** Values on and just past the edges of `limit`, for tests that compare two checks of the same range. */
export function boundaryProbes(limit: Limit): unknown[] {
    switch (limit.kind) {
        case "integer":
            return [limit.min - 1, limit.min, limit.max, limit.max + 1];
        case "oneOf":
            return [...limit.values, typeof limit.values[0] === "number" ? -1 : "not-a-listed-value"];
        case "logRetention":
            return [...LOG_RETENTION_DAYS, limit.min - 1, limit.min + 1, 3654];
    }
}
