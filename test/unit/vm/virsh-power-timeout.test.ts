// Starting and stopping a VM are not cut off by the deadline of an ordinary virsh call: a start runs the
// prepare hook and QEMU (minutes on a big VM), and killing virsh would not stop libvirtd's start anyway.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { destroyDomain, domainState, startDomain } from '../../../electron/system/virsh';

const dir = mkdtempSync(path.join(tmpdir(), 'gft-virsh-'));
const program = path.join(dir, 'virsh');
// A virsh that takes 1.5 s for everything, as a busy libvirtd would.
writeFileSync(program, '#!/bin/sh\nsleep 1.5\necho running\n');
chmodSync(program, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('virsh deadlines', () => {
  it('an ordinary call past its deadline fails, saying so', async () => {
    await expect(domainState('win', { program, timeoutMs: 300 })).rejects.toThrow(/did not finish in time/);
  });

  it('start and destroy outlast that deadline: they have their own', async () => {
    await expect(startDomain('win', { program, timeoutMs: 300 })).resolves.toBeUndefined();
    await expect(destroyDomain('win', { program, timeoutMs: 300 })).resolves.toBeUndefined();
  });

  it('and their own deadline still ends a start that hangs', async () => {
    await expect(startDomain('win', { program, timeoutMs: 300, powerTimeoutMs: 300 })).rejects.toThrow(/did not finish in time/);
  });
});
