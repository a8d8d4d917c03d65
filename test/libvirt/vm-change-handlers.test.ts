// The app's VM changes (IPC vm.review / vm.apply) through the real dispatcher against the real libvirtd:
// attach the GPU with tuning to a virt-manager domain, refuse a stale or replayed review, detach, and
// undo — checking libvirt's own XML after each step.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { createEventHub } from '../../electron/services/events';
import { createHandlers } from '../../electron/services/handlers';
import { applyDomainChange } from '../../electron/system/libvirt-apply';
import { listBackups, readBackup } from '../../electron/system/libvirt-backup';
import { NO_DOMAIN } from '../../shared/vm/no-domain';
import { defineXml, destroyDomain, dumpXml, listDomains, undefineDomain } from '../../electron/system/virsh';
import type { VmChangeOutcome, VmChangeReview, VmSummary } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';
import { passedThrough } from '../../shared/vm/gpu-hostdev';
import { appliedTuning } from '../../shared/vm/tuning';
import { ensureLibvirtd } from './ensure-daemon';

const system = { uri: 'qemu:///system' };
const name = 'gpu-ferry-test-vm-app change';
let work = '';
const states: VmSummary[] = [];

const handlers = () => {
  const events = createEventHub();
  events.onAny((event, payload) => {
    if (event === 'vm.state') states.push(payload as VmSummary);
  });
  return createHandlers({
    hostSource: { host: path.join(__dirname, '..', 'fixtures', 'hosts', 'nvidia-only-desktop.host.json') },
    simulatedRoot: null,
    libvirtUri: system.uri,
    dataDir: path.join(work, 'data'),
    events,
    shell: 'browser',
    version: '0',
  });
};

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

beforeAll(async () => {
  ensureLibvirtd();
  await destroyDomain(name, system).catch(() => undefined);
  await undefineDomain(name, system).catch(() => undefined);
  work = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-vm-change-'));
  const fixture = await readFile(path.join(__dirname, '..', 'fixtures', 'libvirt', 'win11-virt-manager.xml'), 'utf8');
  // Same adjustments as vm-lifecycle.test.ts: no KVM, no OVMF paths of Arch, no swtpm on this machine.
  await defineXml(
    fixture
      .replace('<name>win11</name>', `<name>${name}</name>`)
      .replace(/\s*<uuid>[^<]*<\/uuid>/, '')
      .replace("<domain type='kvm'", "<domain type='qemu'")
      .replace("machine='pc-q35-8.2'", "machine='q35'")
      .replace(/\s*<loader[^>]*>[^<]*<\/loader>\s*<nvram[^>]*>[^<]*<\/nvram>/, '')
      .replace(/\s*<tpm model='tpm-crb'>[\s\S]*?<\/tpm>/, ''),
    system,
  );
}, 180_000);

afterAll(async () => {
  await undefineDomain(name, system).catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('vm.review and vm.apply on the real libvirtd', () => {
  it('attach + tuning, replay refused, stale review refused, detach, undo', async () => {
    const h = handlers();
    const original = await dumpXml(name, system);

    const review = value<VmChangeReview>(
      await dispatch(h, 'vm.review', [{ kind: 'attach', name, gpu: '0000:0a:00.0', tune: ['pinning', 'hyperv', 'memballoon'] }]),
    );
    expect(review.unchanged).toBe(false);
    expect(review.before).toBe(original);
    expect(review.title).toContain('0000:0a:00.0');
    expect(await dumpXml(name, system)).toBe(original); // review changes nothing

    const outcome = value<VmChangeOutcome>(await dispatch(h, 'vm.apply', [review.id]));
    expect(outcome.backup).toMatch(/\.xml$/);
    expect(await readFile(outcome.backup ?? '', 'utf8')).toBe(original);
    const attached = await dumpXml(name, system);
    expect(passedThrough(attached)).toEqual(['0000:0a:00.0', '0000:0a:00.1']);
    expect(appliedTuning(attached)).toEqual(['pinning', 'hyperv', 'memballoon']);
    expect(states.at(-1)).toMatchObject({ name, gpu: '0000:0a:00.0' });

    // One review, one apply.
    const replay = await dispatch(h, 'vm.apply', [review.id]);
    expect(replay.ok || replay.error.code).toBe('review-expired');

    // A review made before someone else changed the VM is refused and changes nothing.
    const detach = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'detach', name, gpu: null, keepTuning: false }]));
    await defineXml(attached.replace('<vcpu', '<description>edited in virt-manager</description>\n  <vcpu'), system);
    const edited = await dumpXml(name, system);
    const stale = await dispatch(h, 'vm.apply', [detach.id]);
    expect(stale.ok || stale.error.code).toBe('refused');
    expect(stale.ok || stale.error.message).toMatch(/changed since/);
    expect(await dumpXml(name, system)).toBe(edited);

    // Detach again from the current XML: the GPU and the tuning go, the description stays.
    const detach2 = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'detach', name, gpu: null, keepTuning: false }]));
    value(await dispatch(h, 'vm.apply', [detach2.id]));
    const detached = await dumpXml(name, system);
    expect(passedThrough(detached)).toEqual([]);
    expect(appliedTuning(detached)).toEqual([]);
    expect(detached).toContain('edited in virt-manager');
    expect(await listBackups(path.join(work, 'data'), name)).toHaveLength(2);

    // Undo restores the XML before the detach, and consumes that backup.
    const undo = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'undo', name }]));
    expect(undo.after).toBe(edited);
    value(await dispatch(h, 'vm.apply', [undo.id]));
    expect(await dumpXml(name, system)).toBe(edited);
    expect(await listBackups(path.join(work, 'data'), name)).toHaveLength(2); // one consumed, one for the state left
  }, 300_000);

  it('adds the Looking Glass device sized for the resolution, and removes it again', async () => {
    const h = handlers();
    const before = await dumpXml(name, system);
    const add = value<VmChangeReview>(
      await dispatch(h, 'vm.review', [{ kind: 'looking-glass', name, resolution: '2560x1440', hdr: false, shm: false, remove: false }]),
    );
    expect(add.title).toBe(`Add the Looking Glass device to "${name}" (2560x1440)`);
    value(await dispatch(h, 'vm.apply', [add.id]));
    const withLg = await dumpXml(name, system);
    expect(withLg).toMatch(/kvmfr/); // libvirt kept our qemu:commandline device
    expect(withLg).toMatch(/size[^0-9]*67108864|64M/); // 2560x1440 SDR: 64 MiB
    const remove = value<VmChangeReview>(
      await dispatch(h, 'vm.review', [{ kind: 'looking-glass', name, resolution: '2560x1440', hdr: false, shm: false, remove: true }]),
    );
    value(await dispatch(h, 'vm.apply', [remove.id]));
    expect(await dumpXml(name, system)).toBe(before);
  }, 120_000);

  it('a created VM is recorded as new, so undo removes it from the real daemon (UEFI vars kept) and can bring it back', async () => {
    const created = 'gpu-ferry-test-vm-created';
    const data = path.join(work, 'data');
    await undefineDomain(created, system).catch(() => undefined);
    const xml = `<domain type='qemu'><name>${created}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os></domain>\n`;
    try {
      const made = await applyDomainChange({ name: created, before: null, after: xml, createDisk: null }, { ...system, dataDir: data });
      expect(await readBackup(made.backup ?? '')).toBe(NO_DOMAIN);
      const h = handlers();
      const undo = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'undo', name: created }]));
      expect(undo.after).toBe(NO_DOMAIN);
      const defined = await dumpXml(created, system);
      value(await dispatch(h, 'vm.apply', [undo.id]));
      expect((await listDomains(system)).map((d) => d.name)).not.toContain(created);
      const redo = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'undo', name: created }]));
      value(await dispatch(h, 'vm.apply', [redo.id]));
      expect(await dumpXml(created, system)).toBe(defined);
    } finally {
      await undefineDomain(created, system).catch(() => undefined);
    }
  }, 120_000);

  it('refuses what cannot be done with a specific error and changes nothing', async () => {
    const h = handlers();
    const before = await dumpXml(name, system);
    const exists = await dispatch(h, 'vm.review', [
      { kind: 'create', name, gpu: null, memoryMiB: 4096, hugepages: false, disk: { newGiB: 64 }, windowsIso: null, virtioIso: null, input: { usb: [], evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' } },
    ]);
    expect(exists.ok || exists.error.code).toBe('vm-exists');
    const badGpu = await dispatch(h, 'vm.review', [{ kind: 'attach', name, gpu: '0000:03:00.0', tune: [] }]);
    expect(badGpu.ok || badGpu.error.code).toBe('invalid-choice');
    expect(badGpu.ok || badGpu.error.message).toContain('is not a GPU on this machine');
    const missing = await dispatch(h, 'vm.review', [{ kind: 'detach', name: 'gpu-ferry-no-such-vm', gpu: null, keepTuning: false }]);
    expect(missing.ok || missing.error.code).toBe('no-domain');
    const undoMissing = await dispatch(h, 'vm.review', [{ kind: 'undo', name: 'gpu-ferry-no-such-vm' }]);
    expect(undoMissing.ok || undoMissing.error.code).toBe('nothing-to-undo');
    const oddName = await dispatch(h, 'vm.review', [{ kind: 'undo', name: '12345' }]);
    expect(oddName.ok || oddName.error.code).toBe('invalid-arguments');
    expect(await dumpXml(name, system)).toBe(before);
  }, 120_000);
});
