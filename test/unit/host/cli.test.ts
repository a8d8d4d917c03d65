// doctor, scan and snapshot through the real built CLI: help, exit codes, this machine, replay.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/analyze/report';
import type { HostModel } from '../../../shared/host/model';
import { buildCli, fixture, runCli, removeTempDirs, tempDir } from './cli-helpers';

afterAll(removeTempDirs);

beforeAll(() => buildCli(), 60_000);
const tmp = () => tempDir('gf-cli-');

// A case spawns the CLI up to seven times (each a Node start, and a scan of this machine): a loaded
// 2-core CI machine needs far more than vitest's default 5 s.
describe('gpu-ferry doctor|scan|snapshot', { timeout: 60_000 }, () => {
  it.each(['doctor', 'scan', 'snapshot'])('%s --help prints usage and exits 0', (cmd) => {
    const run = runCli([cmd, '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: gpu-ferry ${cmd}`);
  });

  it('uses distinct exit codes: usage 2, missing file 3, malformed spec 4, unreadable root 5', () => {
    const dir = tmp();
    writeFileSync(
      path.join(dir, 'bad.host.json'),
      JSON.stringify({ format: 'gpu-ferry-host/1', cpu: { vendor: 'GenuineIntel', cores: 0 } }),
    );
    expect(runCli(['doctor', '--frobnicate']).status).toBe(2);
    expect(runCli(['doctor', 'extra']).status).toBe(2);
    const missing = runCli(['doctor', '--host', path.join(dir, 'nope.json')]);
    expect([missing.status, missing.stderr]).toEqual([3, expect.stringContaining('no such file')]);
    const bad = runCli(['scan', '--host', path.join(dir, 'bad.host.json')]);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain('cpu.cores: ');
    const root = runCli(['doctor', '--root', path.join(dir, 'nope')]);
    expect([root.status, root.stderr]).toEqual([5, expect.stringContaining('no such directory')]);
    expect(runCli(['snapshot', '--root', path.join(dir, 'nope')]).status).toBe(5);
  });

  it('doctor on this machine prints an honest report and exits 0', () => {
    const text = runCli(['doctor']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Recommended mode:');
    // Not a TTY: no colour codes.
    expect(text.stdout.includes('\u001b[')).toBe(false);
    const json = runCli(['doctor', '--json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as DoctorReport;
    // This machine has no GPU; the report must say so rather than invent one.
    const scan = JSON.parse(runCli(['scan', '--json']).stdout) as HostModel;
    const displays = scan.pci.filter((d) => d.classCode.startsWith('03')).length;
    expect(report.gpus).toHaveLength(displays);
    if (displays === 0) {
      expect(report.recommendation.mode).toBe('none');
      expect(report.checks.find((c) => c.id === 'gpu-present')?.status).toBe('fail');
    }
  });

  it('the readable report lists GPUs, the mode and fixes', () => {
    const run = runCli(['doctor', '--host', fixture('gpu-shared-group')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('0000:04:00.0');
    expect(run.stdout).toContain('shares its group with: 0000:02:00.0, 0000:02:00.1, 0000:06:00.0');
    expect(run.stdout).toContain('Recommended mode: not possible yet');
    expect(run.stdout).toMatch(/! warn .*shares IOMMU group 4[\s\S]*fix: Move the card/);
  });

  it('a snapshot of this machine replays through --host to the same doctor report', () => {
    const out = path.join(tmp(), 'snap.json');
    expect(runCli(['snapshot', '--output', out]).status).toBe(0);
    const live = JSON.parse(runCli(['doctor', '--json']).stdout) as DoctorReport;
    const replay = runCli(['doctor', '--json', '--host', out]);
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toEqual(live);
  });
});
