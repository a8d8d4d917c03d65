// `gpu-ferry rescue` through the real built CLI, on a fake tree (--root): a GPU left on vfio-pci with no
// state file comes back (driver_override cleared, reprobed), and bad input changes nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffConfigPath, renderHandoffConfig } from '../../../shared/handoff/config';
import { buildCli, removeTempDirs, runCli, tempDir } from '../host/cli-helpers';

const GPU = '0000:03:00.0';
let root = '';
const put = (rel: string, content: string) => { const p = path.join(root, rel); mkdirSync(path.dirname(p), { recursive: true }); writeFileSync(p, content); };

beforeAll(() => {
  buildCli();
  root = tempDir('gft-rescue-');
  put(handoffConfigPath('win11'), renderHandoffConfig({ vm: 'win11', mode: 'dual-gpu', devices: [GPU], modules: [], displayManager: null, session: 'wait', holders: 'refuse', timeoutStopSeconds: 1, timeoutDeviceSeconds: 1 }));
  put(`sys/bus/pci/devices/${GPU}/driver_override`, 'vfio-pci\n');
  put(`sys/bus/pci/drivers/vfio-pci/${GPU}/uevent`, '');
  put('sys/bus/pci/drivers/vfio-pci/unbind', '');
  put('sys/bus/pci/drivers_probe', '');
});
afterAll(() => removeTempDirs());

describe('gpu-ferry rescue', () => {
  it('takes every configured function off vfio-pci and asks the kernel to reprobe it', () => {
    const r = runCli(['rescue', '--root', root]);
    expect(readFileSync(path.join(root, 'sys/bus/pci/drivers/vfio-pci/unbind'), 'utf8')).toBe(GPU);
    expect(readFileSync(path.join(root, `sys/bus/pci/devices/${GPU}/driver_override`), 'utf8')).toBe('\n');
    // The fake tree has no kernel to move the device, so it is still listed under vfio-pci: rescue says so and fails.
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/is back on the host/);
    const last = readFileSync(path.join(root, 'var/log/gpu-ferry/win11.jsonl'), 'utf8').trim().split('\n').at(-1) ?? '';
    expect(JSON.parse(last)).toMatchObject({ phase: 'rescue', step: 'rescue', message: expect.stringContaining(`${GPU}:vfio-pci`) });
  });

  it('refuses a bad VM name or extra arguments, exit 2', () => {
    expect(runCli(['rescue', 'a/b', '--root', root]).status).toBe(2);
    expect(runCli(['rescue', 'a', 'b', '--root', root]).status).toBe(2);
  });
});
