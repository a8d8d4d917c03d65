// Electronegativity (offline, through electronegativity-scan.cjs) over the app's sources: no HIGH/CRITICAL finding, every other finding
// reviewed in .electronegativity/reviewed.json, and the review file kept current. A canary file with
// known-bad settings proves in the same run that the scanner is working.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const CANARY = 'canary/bad-window.js';

interface Finding {
  check: string;
  severity: string;
  file: string;
  location: string;
  sample: string;
}
interface Reviewed {
  check: string;
  file: string;
  severity: string;
  count: number;
  reason: string;
}

let findings: Finding[] = [];
let stage: string;

beforeAll(async () => {
  stage = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-en-'));
  const app = path.join(stage, 'app');
  for (const part of ['electron', 'renderer', 'package.json']) {
    await cp(path.join(repo, part), path.join(app, part), {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
  }
  await mkdir(path.join(app, 'canary'));
  await writeFile(
    path.join(app, CANARY),
    "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
  );
  const out = path.join(stage, 'findings.json');
  await run(process.execPath, [path.join(__dirname, 'electronegativity-scan.cjs'), app, out], {
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(await readFile(out, 'utf8')) as {
    checks: number;
    findings: Finding[];
    errors: { file: string; message: string }[];
  };
  expect(result.checks).toBeGreaterThan(30);
  expect(result.errors, 'files the scanner could not parse are files it did not check').toEqual([]);
  findings = result.findings;
}, 300_000);

afterAll(async () => rm(stage, { recursive: true, force: true }));

describe('electronegativity', () => {
  it('is working: it flags the canary window without isolation or sandbox', () => {
    const canary = findings.filter((f) => f.file === CANARY);
    expect(canary.map((f) => f.check)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']),
    );
    expect(canary.some((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).toBe(true);
  });

  const appFindings = () => findings.filter((f) => f.file !== CANARY);

  it('reports no HIGH or CRITICAL finding in the app', () => {
    expect(appFindings().filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).toEqual([]);
  });

  it('reports nothing that is not reviewed in .electronegativity/reviewed.json, and nothing reviewed is stale', async () => {
    const { reviewed } = JSON.parse(
      await readFile(path.join(repo, '.electronegativity/reviewed.json'), 'utf8'),
    ) as { reviewed: Reviewed[] };
    for (const r of reviewed)
      expect(r.reason.length, `${r.check} ${r.file} needs a reason`).toBeGreaterThan(40);
    const counts = new Map<string, Finding[]>();
    for (const f of appFindings())
      counts.set(`${f.check} ${f.file}`, [...(counts.get(`${f.check} ${f.file}`) ?? []), f]);
    const unreviewed = [...counts].flatMap(([key, list]) => {
      const entry = reviewed.find((r) => `${r.check} ${r.file}` === key);
      return entry && list.length <= entry.count
        ? []
        : list.map((f) => `${f.severity} ${f.check} ${f.file}:${f.location} ${f.sample}`);
    });
    expect(unreviewed, 'new findings: fix them or review them in .electronegativity/reviewed.json').toEqual(
      [],
    );
    const stale = reviewed
      .filter((r) => !counts.has(`${r.check} ${r.file}`))
      .map((r) => `${r.check} ${r.file}`);
    expect(
      stale,
      'reviewed findings that no longer occur: remove them from .electronegativity/reviewed.json',
    ).toEqual([]);
  });
});
