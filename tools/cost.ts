import { CostUsageError, runCost } from "./offline/cost/cli";

// `npm run cost`: see COST_USAGE in tools/offline/cost/cli.ts.
try {
    const { code, out } = runCost(process.argv.slice(2));
    console.log(out);
    process.exit(code);
} catch (err) {
    // Bad input gets its message only; anything else is a bug in the tool and keeps its trace.
    console.error(`cost: ${err instanceof CostUsageError ? err.message : (err as Error).stack}`);
    process.exit(2);
}
