// loadHost: one entry for --root and --host, with typed errors for each way it can fail.
import { writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HostFileMissingError,
  HostSpecError,
  UnreadableRootError,
  loadHost,
} from '../../../electron/host/load';
import { fixture, removeTempDirs, tempDir } from './cli-helpers';

afterAll(removeTempDirs);

const tmp = () => tempDir('gf-load-');

describe('loadHost', () => {
  it('materializes a spec, scans it and removes the temporary root on cleanup', async () => {
    const host = await loadHost({ host: fixture('intel-igpu-nvidia') });
    expect(host.model.pci.some((d) => d.address === '0000:01:00.0')).toBe(true);
    expect(existsSync(host.root)).toBe(true);
    await host.cleanup();
    expect(existsSync(host.root)).toBe(false);
  });

  it('scans a root directory in place and never removes it', async () => {
    const root = tmp();
    const host = await loadHost({ root });
    expect(host.model.root).toBe(root);
    await host.cleanup();
    expect(existsSync(root)).toBe(true);
  });

  it('throws a typed error for each failure', async () => {
    const dir = tmp();
    await expect(loadHost({ host: path.join(dir, 'missing.json') })).rejects.toBeInstanceOf(
      HostFileMissingError,
    );
    writeFileSync(path.join(dir, 'broken.json'), '{"format": ');
    await expect(loadHost({ host: path.join(dir, 'broken.json') })).rejects.toThrow(/not valid JSON/);
    writeFileSync(path.join(dir, 'other.json'), '{"format": "something/1"}');
    await expect(loadHost({ host: path.join(dir, 'other.json') })).rejects.toThrow(
      /format: must be "gpu-ferry-host\/1" or "gpu-ferry-snapshot\/1"/,
    );
    await expect(loadHost({ host: path.join(dir, 'other.json') })).rejects.toBeInstanceOf(HostSpecError);
    await expect(loadHost({ root: path.join(dir, 'nope') })).rejects.toBeInstanceOf(UnreadableRootError);
    await expect(loadHost({ root: path.join(dir, 'broken.json') })).rejects.toThrow(/not a directory/);
    await expect(loadHost({ root: dir, host: fixture('no-libvirt') })).rejects.toThrow(
      /cannot be used together/,
    );
  });
});
