/**
 * The known name closest to a mistyped one, for "did you mean ...?" hints:
 * the smallest edit distance (insertions, deletions, substitutions, and swaps of
 * two neighbouring letters, case-insensitive), when it is small enough to be a
 * typo (at most a third of the longer name, and at least 1). Undefined otherwise.
 */
export function nearest(name: string, known: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of known) {
        const d = editDistance(name.toLowerCase(), k.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [k, d];
    }
    if (best === undefined) return undefined;
    const limit = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
    return bestDistance <= limit ? best : undefined;
}

/** " (did you mean X?)" or "". */
export function didYouMean(name: string, known: Iterable<string>): string {
    const n = nearest(name, known);
    return n === undefined ? "" : ` (did you mean ${n}?)`;
}

/** Optimal string alignment distance. */
function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 0; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
