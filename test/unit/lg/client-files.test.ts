// The Node side of the client: writing client.ini with a backup, and running a program with its output
// captured (the capture is what is tested here; `sh` stands in because no Looking Glass client exists on CI).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultClientChoices } from '../../../shared/lg/client-config';
import { detectClient, outputTail, runClient } from '../../../electron/system/looking-glass-client';
import { previewClientConfig, writeClientConfig } from '../../../electron/system/looking-glass-config';

const dir = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-lg-ini-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('client.ini on disk', () => {
  it('creates the file (and its folder) when there is none, without a backup', async () => {
    const configDir = path.join(dir, 'new', 'looking-glass');
    const change = await previewClientConfig(defaultClientChoices('/dev/kvmfr0'), configDir);
    expect(change.before).toBeNull();
    expect(await writeClientConfig(change)).toBeNull();
    expect(readFileSync(path.join(configDir, 'client.ini'), 'utf8')).toBe(change.after);
  });

  it('backs up an existing file byte for byte before replacing it, and keeps other settings', async () => {
    const configDir = path.join(dir, 'existing');
    const file = path.join(configDir, 'client.ini');
    const original = '; my settings\n[egl]\nvsync=yes\n';
    await import('node:fs/promises').then((fs) => fs.mkdir(configDir, { recursive: true }));
    writeFileSync(file, original);
    const change = await previewClientConfig(defaultClientChoices('/dev/shm/looking-glass'), configDir);
    const backup = await writeClientConfig(change, new Date('2026-01-02T03:04:05Z'));
    expect(backup).toBe(`${file}.gpu-ferry-2026-01-02T03-04-05-000Z.bak`);
    expect(readFileSync(backup ?? '', 'utf8')).toBe(original);
    expect(readFileSync(file, 'utf8')).toMatch(/vsync=yes/);
    expect(readFileSync(file, 'utf8')).toMatch(/shmFile=\/dev\/shm\/looking-glass/);
    expect(readdirSync(configDir).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('refuses to write when the file changed after the review', async () => {
    const configDir = path.join(dir, 'raced');
    const change = await previewClientConfig(defaultClientChoices('/dev/kvmfr0'), configDir);
    await import('node:fs/promises').then((fs) => fs.mkdir(configDir, { recursive: true }));
    writeFileSync(path.join(configDir, 'client.ini'), '[win]\nfullScreen=yes\n');
    await expect(writeClientConfig(change)).rejects.toThrow(/changed since it was read/);
    expect(readFileSync(path.join(configDir, 'client.ini'), 'utf8')).toBe('[win]\nfullScreen=yes\n');
  });
});

describe('running the client', () => {
  it('captures stdout and stderr and the exit code', async () => {
    const run = await runClient('sh', ['-c', 'echo "[I] Looking Glass (B7)"; echo "[E] ivshmem: could not open /dev/kvmfr0" >&2; exit 3']);
    expect(run.code).toBe(3);
    expect(run.output).toContain('Looking Glass (B7)');
    expect(run.output).toContain('could not open /dev/kvmfr0');
    expect(outputTail('a\nb\nc\n', 2)).toBe('b\nc');
  });

  it('reports a missing program clearly', async () => {
    await expect(runClient(path.join(dir, 'no-such-client'), [])).rejects.toThrow(/is not installed/);
    expect(await detectClient(null)).toEqual({ path: null, version: null, problem: null });
  });

  it('reads the version from what the program prints for --version', async () => {
    const fake = path.join(dir, 'looking-glass-client');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && echo "Looking Glass (B6)" && exit 0\nexit 1\n', { mode: 0o755 });
    const info = await detectClient(fake);
    expect(info.version?.release).toBe('B6');
    writeFileSync(fake, '#!/bin/sh\necho "usage: something else"\n', { mode: 0o755 });
    expect((await detectClient(fake)).problem).toMatch(/printed no version: usage: something else/);
  });
});
