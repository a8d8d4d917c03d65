// vm.review / vm.apply creating a VM, through the real dispatcher, in the demo's file-backed libvirt
// test driver (real libvirt parses every definition): the review changes nothing, apply defines it with
// the GPU, the new VM is listed, and what cannot be done is refused with a specific error.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/services/dispatch';
import { createEventHub } from '../../../electron/services/events';
import { createHandlers } from '../../../electron/services/handlers';
import { createDemoLibvirt } from '../../../electron/system/demo-libvirt';
import { dumpXml, listDomains } from '../../../electron/system/virsh';
import type { VmChangeReview, VmSummary } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { passedThrough } from '../../../shared/vm/gpu-hostdev';

let dir: string;
let uri: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-vmchange-'));
  uri = await createDemoLibvirt(dir);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const handlers = () =>
  createHandlers({
    hostSource: { host: path.join(__dirname, 'fixtures/single-gpu.host.json') },
    simulatedRoot: null,
    libvirtUri: uri,
    dataDir: path.join(dir, 'data'),
    events: createEventHub(),
    shell: 'browser',
    version: '0',
  });

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

const create = { kind: 'create', name: 'Jeux vidéo', gpu: '0000:0a:00.0', memoryMiB: 8192, hugepages: true, disk: { newGiB: 100 }, windowsIso: null, virtioIso: '/isos/virtio-win.iso', input: { usb: [], evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' } };

describe('creating a VM through vm.review / vm.apply', () => {
  it('reviews without changing anything, then defines the VM with its GPU', async () => {
    const h = handlers();
    const review = value<VmChangeReview>(await dispatch(h, 'vm.review', [create]));
    expect(review.before).toBeNull();
    expect(review.after).toContain('<name>Jeux vidéo</name>');
    expect(review.after).toContain("<source file='/isos/virtio-win.iso'/>");
    expect(review.createDisk).toBeNull(); // test driver: no disk image is made on this machine
    expect(review.warnings.join('\n')).toMatch(/Demo: libvirt's test driver runs nothing/);
    expect(review.warnings.join('\n')).toMatch(/Huge pages: 4096 pages of 2 MiB are needed/);
    expect((await listDomains({ uri })).map((d) => d.name)).toEqual(['win11']);

    value(await dispatch(h, 'vm.apply', [review.id]));
    expect(passedThrough(await dumpXml('Jeux vidéo', { uri }))).toEqual(['0000:0a:00.0', '0000:0a:00.1']);
    const listed = value<VmSummary[]>(await dispatch(h, 'vm.list', []));
    expect(listed.find((v) => v.name === 'Jeux vidéo')).toMatchObject({ state: 'shut off', gpu: '0000:0a:00.0', mode: 'single-gpu' });
  });

  it('vm.history names VMs with odd characters as they are, and is empty before any change', async () => {
    const h = handlers();
    expect(value(await dispatch(h, 'vm.history', []))).toEqual([]);
    const review = value<VmChangeReview>(await dispatch(h, 'vm.review', [create]));
    value(await dispatch(h, 'vm.apply', [review.id]));
    const attach = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'attach', name: 'Jeux vidéo', gpu: null, tune: ['cpu'] }]));
    value(await dispatch(h, 'vm.apply', [attach.id]));
    expect(value<{ vm: string }[]>(await dispatch(h, 'vm.history', [])).map((e) => e.vm)).toEqual(['Jeux vidéo']);
  });

  it('undoing a create removes the VM (disk kept), and undoing that brings it back as it was', async () => {
    const h = handlers();
    const review = value<VmChangeReview>(await dispatch(h, 'vm.review', [create]));
    value(await dispatch(h, 'vm.apply', [review.id]));
    const created = await dumpXml('Jeux vidéo', { uri });
    const undo = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'undo', name: 'Jeux vidéo' }]));
    expect(undo.title).toBe('Remove "Jeux vidéo", which GPU Ferry created (its disk image stays)');
    expect(undo.after).toBe('');
    value(await dispatch(h, 'vm.apply', [undo.id]));
    expect((await listDomains({ uri })).map((d) => d.name)).toEqual(['win11']);
    const redo = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'undo', name: 'Jeux vidéo' }]));
    expect(redo.title).toBe('Define "Jeux vidéo" again as it was before it was removed');
    expect(redo.before).toBeNull();
    value(await dispatch(h, 'vm.apply', [redo.id]));
    expect(await dumpXml('Jeux vidéo', { uri })).toBe(created);
  });

  it('refuses a second VM of the same name, an undo with no backup, and an unknown review id', async () => {
    const h = handlers();
    const exists = await dispatch(h, 'vm.review', [{ ...create, name: 'win11' }]);
    expect(exists.ok || exists.error).toMatchObject({ code: 'vm-exists' });
    const undo = await dispatch(h, 'vm.review', [{ kind: 'undo', name: 'win11' }]);
    expect(undo.ok || undo.error).toMatchObject({ code: 'nothing-to-undo' });
    const undoUnknown = await dispatch(h, 'vm.review', [{ kind: 'undo', name: 'never-existed' }]);
    expect(undoUnknown.ok || undoUnknown.error).toMatchObject({ code: 'nothing-to-undo' });
    const unknown = await dispatch(h, 'vm.apply', ['5b0a3d1e-8c7f-4e2a-9b6d-0f1e2d3c4b5a']);
    expect(unknown.ok || unknown.error).toMatchObject({ code: 'review-expired' });
    const tooSmall = await dispatch(h, 'vm.review', [{ ...create, memoryMiB: 512 }]);
    expect(tooSmall.ok || tooSmall.error.message).toMatch(/at least 1024 MiB/);
    expect((await listDomains({ uri })).map((d) => d.name)).toEqual(['win11']);
  });

  it('an unchanged attach says so and offers nothing to apply', async () => {
    const h = handlers();
    const first = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'attach', name: 'win11', gpu: '0000:0a:00.0', tune: ['hyperv'] }]));
    value(await dispatch(h, 'vm.apply', [first.id]));
    expect(value(await dispatch(h, 'vm.history', []))).toEqual([{ vm: 'win11', count: 1, newestAt: expect.stringMatching(/^\d{4}-/) }]);
    const again = value<VmChangeReview>(await dispatch(h, 'vm.review', [{ kind: 'attach', name: 'win11', gpu: '0000:0a:00.0', tune: ['hyperv'] }]));
    expect(again.unchanged).toBe(true);
    const applied = await dispatch(h, 'vm.apply', [again.id]);
    expect(applied.ok || applied.error).toMatchObject({ code: 'review-expired' });
  });
});
