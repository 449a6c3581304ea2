import * as pulumi from "@pulumi/pulumi";
import { Limit, limitProblem } from "./limits";

/**
 * Bad component arguments. Components check their args before `super()`, so
 * the error fires before anything is registered and nothing half-built is left.
 */
export class ArgsError extends pulumi.ResourceError {
    constructor(
        readonly component: string,
        readonly resourceName: string,
        readonly problems: readonly string[],
    ) {
        super(`${component} '${resourceName}': ${problems.length === 1 ? problems[0] : "\n" + problems.map((p) => `  - ${p}`).join("\n")}`, undefined);
        this.name = "ArgsError";
    }
}

/** Collects argument problems so a caller sees all of them at once. */
export class ArgsCheck {
    private readonly problems: string[] = [];

    constructor(
        private readonly component: string,
        private readonly resourceName: string,
    ) {}

    /** Records "<field> = <value>: <allowed>" unless `ok`. */
    that(ok: boolean, field: string, value: unknown, allowed: string): this {
        if (!ok) this.problems.push(`${field} = ${JSON.stringify(value)}: ${allowed}`);
        return this;
    }

    integer(field: string, value: number | undefined, min: number, max: number): this {
        return this.that(
            value !== undefined && Number.isInteger(value) && value >= min && value <= max,
            field,
            value,
            `must be an integer from ${min} to ${max}`,
        );
    }

    oneOf<T>(field: string, value: T, allowed: readonly T[]): this {
        return this.that(allowed.includes(value), field, value, `must be one of ${allowed.join(", ")}`);
    }

    /** Records a problem unless `value` is within `limit` (a component's exported `<COMPONENT>_LIMITS` entry). */
    within(field: string, value: unknown, limit: Limit): this {
        const problem = limitProblem(limit, value);
        return this.that(problem === undefined, field, value, problem ?? "");
    }

    nonEmpty(field: string, value: readonly unknown[] | undefined): this {
        return this.that(Array.isArray(value) && value.length > 0, field, value, "must be a non-empty list");
    }

    /** The problems recorded so far, for a caller that reports them in its own terms (stack config). */
    get recorded(): readonly string[] {
        return this.problems;
    }

    /** Throws ArgsError with every recorded problem, if any. */
    done(): void {
        if (this.problems.length) throw new ArgsError(this.component, this.resourceName, this.problems);
    }
}
