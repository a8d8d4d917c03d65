// `npm run bench [name...]`: runs every test/bench/*.bench.ts (or the named ones) one after another and
// writes bench-results/<name>.json for each. A module either default-exports a Bench (./bench.ts), or
// exports one `run…Bench()` function that writes its own result file.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench } from './bench';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../../bench-results');
const wanted = process.argv.slice(2);

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  process.stderr.write(`bench: nothing to run${wanted.length ? ` (asked for ${wanted.join(', ')})` : ''}\n`);
  process.exit(2);
}

mkdirSync(outDir, { recursive: true });
let failed = 0;
type BenchModule = { default?: Bench } & Record<string, unknown>;

async function runOne(file: string): Promise<void> {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as BenchModule;
  const bench = mod.default;
  if (!bench) {
    const runner = Object.entries(mod).find(
      ([name, v]) => /^run\w*Bench$/.test(name) && typeof v === 'function',
    );
    if (!runner) throw new Error(`${file} exports neither a default Bench nor a run…Bench() function`);
    process.stdout.write(`bench ${file}: ${runner[0]}()\n`);
    const results = await (runner[1] as () => Promise<unknown>)();
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  process.stdout.write(`bench ${bench.name}: ${bench.description}\n`);
  const results = await bench.run();
  const record = {
    name: bench.name,
    description: bench.description,
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    loadavg: os.loadavg(),
    results,
  };
  const out = path.join(outDir, `${bench.name}.json`);
  writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n→ ${path.relative(process.cwd(), out)}\n`);
}

for (const file of files) {
  try {
    await runOne(file);
  } catch (error) {
    failed++;
    process.stderr.write(`bench ${file} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
