import { UsageError } from "./cli-args";
import { COST_CLI, CostUsageError, runCost } from "./offline/cost/cli";

// `npm run cost`: see COST_CLI in tools/offline/cost/cli.ts.
// process.exitCode, not an explicit exit: the process ends once stdout has drained, so a piped table is whole.
try {
    const { code, out } = runCost(process.argv.slice(2));
    console.log(out);
    process.exitCode = code;
} catch (err) {
    // Bad input gets its message only; anything else is a bug in the tool and keeps its trace.
    const expected = err instanceof CostUsageError || err instanceof UsageError;
    console.error(`${COST_CLI.tool}: ${expected ? (err as Error).message : (err as Error).stack}`);
    process.exitCode = 2;
}
