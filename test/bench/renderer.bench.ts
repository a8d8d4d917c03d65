// Renderer benchmark: the gzipped size of the built renderer and the time to first meaningful paint
// (the first screen's heading on a fixture machine, after the app has scanned it) in Chromium.
// Writes bench-results/renderer.json. Run: npx tsx test/bench/renderer.bench.ts (after npm run build).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServe } from '../e2e/serve-process';

const root = path.resolve(import.meta.dirname, '../..');
const distDir = path.join(root, 'dist/renderer');
const runs = 7;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((e) => (statSync(path.join(dir, e)).isDirectory() ? files(path.join(dir, e)) : [path.join(dir, e)]));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

// Recorded in the page: when the first screen's heading (wizard step or dashboard) is in the DOM,
// then after the next two animation frames, i.e. once it has been painted.
// Plain text, not a function: tsx's transform would add helpers the page does not have.
const recordMeaningfulPaint = `
  (() => {
    const check = () => {
      if (window.__fmp !== undefined) return;
      if (document.querySelector('#step-title, #dash-title')) {
        window.__fmp = -1;
        requestAnimationFrame(() => requestAnimationFrame(() => { window.__fmp = performance.now(); }));
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  })();
`;

export const runRendererBench = async () => {
  const sizes = Object.fromEntries(
    files(distDir).map((f) => [path.relative(distDir, f), { bytes: statSync(f).size, gzipBytes: gzipSync(readFileSync(f), { level: 9 }).length }]),
  );
  const gzipBytes = Object.values(sizes).reduce((s, f) => s + f.gzipBytes, 0);

  const served = await startServe(['--host', path.join(root, 'test/fixtures/hosts/nvidia-only-desktop.host.json')]);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const fmp: number[] = [];
  const fcp: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript({ content: recordMeaningfulPaint });
      await page.goto(served.url);
      await page.waitForFunction(() => ((window as unknown as { __fmp?: number }).__fmp ?? -1) > 0, undefined, { timeout: 30000 });
      fmp.push(await page.evaluate(() => (window as unknown as { __fmp: number }).__fmp));
      fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
      await context.close();
    }
  } finally {
    await browser.close();
    await served.stop();
  }
  const result = {
    name: 'renderer',
    date: new Date().toISOString(),
    node: process.version,
    gzipBytes,
    gzipKiB: Math.round((gzipBytes / 1024) * 10) / 10,
    files: sizes,
    firstMeaningfulPaintMs: { median: Math.round(median(fmp)), runs: fmp.map(Math.round) },
    firstContentfulPaintMs: { median: Math.round(median(fcp)), runs: fcp.map(Math.round) },
    targets: { gzipKiB: 300, firstMeaningfulPaintMs: 500 },
    withinTargets: gzipBytes < 300 * 1024 && median(fmp) < 500,
    note: 'First meaningful paint: navigation start to the painted first-screen heading, which needs host.rescan over the loopback server; cold browser context per run.',
  };
  mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  writeFileSync(path.join(root, 'bench-results/renderer.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runRendererBench();
  process.stdout.write(`renderer: ${r.gzipKiB} KiB gzipped, first meaningful paint ${r.firstMeaningfulPaintMs.median} ms (median of ${runs})\n`);
}
