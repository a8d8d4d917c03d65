// What a benchmark module looks like, and the timing helper they share. Each `test/bench/*.bench.ts`
// default-exports a Bench; `npm run bench` (test/bench/run.ts) runs them and writes
// bench-results/<name>.json. Figures are recorded, never asserted in tests.

export interface Bench {
  /** File name of the result: bench-results/<name>.json */
  name: string;
  description: string;
  run(): Promise<Record<string, unknown>>;
}

export interface Timing {
  iterations: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return {
    iterations: s.length,
    minMs: round(s[0] ?? NaN),
    medianMs: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(s[s.length - 1] ?? NaN),
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** Runs `fn` `warmup` times unmeasured, then `iterations` times measured. */
export async function measure(fn: () => unknown, iterations: number, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}
