// vm.*, handoff.log and lg.status through dispatch: virsh against libvirt's built-in test driver
// (test:///default, a "test" domain that is running), the handoff log and device state from a simulated root.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/services/dispatch';
import { createEventHub } from '../../../electron/services/events';
import { createHandlers } from '../../../electron/services/handlers';
import type { HandoffEvent, PreflightItem } from '../../../shared/ipc/contract';

const spec = path.join(__dirname, 'fixtures/single-gpu.host.json');
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-vmh-'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const handlersFor = (libvirtUri = 'test:///default') =>
  createHandlers({
    hostSource: { host: spec },
    simulatedRoot: root,
    libvirtUri,
    dataDir: path.join(root, 'data'),
    events: createEventHub(),
    shell: 'browser',
    version: '0',
  });

describe('vm handlers', () => {
  it('vm.list names the test driver domain with its state and no GPU', async () => {
    expect(await dispatch(handlersFor(), 'vm.list', [])).toEqual({
      ok: true,
      value: [{ name: 'test', state: 'running', mode: null, gpu: null }],
    });
  });

  it('vm.check runs the preflight on the domain', async () => {
    const r = await dispatch(handlersFor(), 'vm.check', ['test']);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const items = (r as { value: PreflightItem[] }).value;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(['pass', 'warn', 'fail']).toContain(item.status);
  });

  it('an unknown VM and an unreachable daemon are typed errors with libvirt words', async () => {
    expect(await dispatch(handlersFor(), 'vm.start', ['no-such-vm'])).toMatchObject({
      ok: false,
      error: { code: 'no-domain' },
    });
    const down = await dispatch(
      handlersFor('qemu+unix:///system?socket=/nonexistent/libvirt-sock'),
      'vm.list',
      [],
    );
    expect(down.ok).toBe(false);
    if (!down.ok) expect(down.error.code).toMatch(/daemon-down|failed/);
  });

  it('vm.start runs the checks first: a VM given the only GPU without the hook installed is refused, with the fix', async () => {
    const node = `<node>
  <domain type='kvm' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>win11</name>
    <memory unit='GiB'>1</memory>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <devices>
      <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x0a' slot='0x00' function='0x0'/></source></hostdev>
      <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x0a' slot='0x00' function='0x1'/></source></hostdev>
    </devices>
    <test:runstate>5</test:runstate>
  </domain>
</node>
`;
    await writeFile(path.join(root, 'libvirt.xml'), node);
    const refused = await dispatch(handlersFor(`test://${path.join(root, 'libvirt.xml')}`), 'vm.start', ['win11']);
    expect(refused).toMatchObject({ ok: false, error: { code: 'checks-failed', message: expect.stringMatching(/^win11 was not started: .*is not installed.*\(Install the hook/) } });
  });

  it('handoff.log reads the runtime log under the simulated root; a missing log is empty', async () => {
    expect(await dispatch(handlersFor(), 'handoff.log', ['win11'])).toEqual({ ok: true, value: [] });
    const event: HandoffEvent = {
      ts: '2026-11-23T20:00:00Z',
      vm: 'win11',
      phase: 'release',
      step: 'release',
      status: 'done',
      durationMs: 4200,
      message: 'display back',
    };
    await mkdir(path.join(root, 'var/log/gpu-ferry'), { recursive: true });
    await writeFile(
      path.join(root, 'var/log/gpu-ferry/win11.jsonl'),
      `${JSON.stringify({ ...event, waitMs: 900, runWaitMs: 900 })}\nnot json\n`,
    );
    expect(await dispatch(handlersFor(), 'handoff.log', ['win11'])).toEqual({ ok: true, value: [event] });
  });

  it('lg.status answers on a simulated root without a client', async () => {
    expect(await dispatch(handlersFor(), 'lg.status', ['test'])).toMatchObject({
      ok: true,
      value: { client: false, version: null },
    });
  });
});
