import { describe, expect, it } from 'vitest';
import { connectEvents, createAppStore } from '../../renderer/src/store/store';
import type { Plan } from '../../shared/plan/model';
import { createFakeApi, singleGpuReport } from './fake-api';

const plan: Plan = {
  format: 'gpu-ferry-plan/1',
  goal: 'iommu',
  title: 'Turn the IOMMU on',
  steps: [{ kind: 'run', argv: ['update-grub'], reason: 'Regenerate grub.cfg.' }],
  warnings: [],
  reboot: 'The kernel command line is read at boot.',
};
const review = { id: '3b241101-e2bb-4255-8caf-4136c566a962', fingerprint: 'f'.repeat(64), plan };

describe('store', () => {
  it('rescan stores the report, and a failed rescan keeps the error without inventing a report', async () => {
    const api = createFakeApi({ 'host.rescan': singleGpuReport() });
    const store = createAppStore(api);
    await store.getState().rescan();
    expect(store.getState().report?.gpus[0]?.name).toBe('GeForce RTX 3080');
    expect(store.getState().hostError).toBeNull();

    const broken = createAppStore(createFakeApi({}));
    await broken.getState().rescan();
    expect(broken.getState().report).toBeNull();
    expect(broken.getState().hostError?.code).toBe('unavailable');
    expect(broken.getState().scanning).toBe(false);
  });

  it('makes, applies a plan, then re-reads the journal and the machine', async () => {
    const api = createFakeApi({
      'plan.make': review,
      'plan.apply': { journalId: 'j1', steps: [{ index: 0, status: 'done', message: '' }] },
      'journal.list': [{ id: 'j1', goal: 'iommu', title: plan.title, createdAt: '2026-01-01T00:00:00Z', state: 'applied', files: ['/etc/default/grub'] }],
      'host.rescan': singleGpuReport(),
    });
    const store = createAppStore(api);
    await store.getState().makePlan('iommu', { gpu: '0000:0a:00.0' });
    expect(api.calls.at(-1)).toEqual({ channel: 'plan.make', args: ['iommu', { gpu: '0000:0a:00.0' }] });
    expect(store.getState().plan?.title).toBe('Turn the IOMMU on');
    await store.getState().applyPlan();
    expect(api.calls.map((c) => c.channel)).toEqual(['plan.make', 'plan.apply', 'journal.list', 'host.rescan']);
    // Only the review id goes back to main, never the plan.
    expect(api.calls.find((c) => c.channel === 'plan.apply')?.args).toEqual([review.id]);
    expect(store.getState().lastApply?.journalId).toBe('j1');
    expect(store.getState().journal).toHaveLength(1);
    expect(store.getState().planBusy).toBeNull();
  });

  it('keeps the plan and shows the error when apply fails', async () => {
    const api = createFakeApi({ 'plan.make': review });
    const store = createAppStore(api);
    await store.getState().makePlan('iommu', {});
    await store.getState().applyPlan();
    expect(store.getState().plan).not.toBeNull();
    expect(store.getState().planError?.message).toContain('plan.apply');
    expect(store.getState().lastApply).toBeNull();
  });

  it('undo calls journal.undo with the id and refreshes', async () => {
    const api = createFakeApi({
      'journal.undo': { journalId: 'j1', steps: [] },
      'journal.list': [],
      'host.rescan': singleGpuReport(),
    });
    const store = createAppStore(api);
    await store.getState().undo('j1');
    expect(api.calls[0]).toEqual({ channel: 'journal.undo', args: ['j1'] });
    expect(store.getState().undoing).toBeNull();
  });

  it('routes pushed events into progress, VM state and the handoff log', () => {
    const api = createFakeApi({});
    const store = createAppStore(api);
    const off = connectEvents(api, store);
    api.emit('plan.progress', { journalId: null, index: 1, line: 'update-initramfs: Generating /boot/initrd.img' });
    api.emit('vm.state', { name: 'win11', state: 'running', mode: 'single-gpu', gpu: '0000:0a:00.0' });
    api.emit('handoff.event', { ts: 't', vm: 'win11', phase: 'prepare', step: 'stop-dm', status: 'done', durationMs: 800, message: '' });
    expect(store.getState().progress).toEqual([{ index: 1, line: 'update-initramfs: Generating /boot/initrd.img' }]);
    expect(store.getState().vms.map((v) => v.state)).toEqual(['running']);
    expect(store.getState().handoffLogs.win11).toHaveLength(1);
    off();
    api.emit('vm.state', { name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: null });
    expect(store.getState().vms[0]?.state).toBe('running');
  });

  it('starting a VM updates its card and reloads its handoff log; a refusal is kept as the VM error', async () => {
    const api = createFakeApi({
      'vm.start': { name: 'win11', state: 'running', mode: 'dual-gpu', gpu: '0000:01:00.0' },
      'handoff.log': [{ ts: 't', vm: 'win11', phase: 'prepare', step: 'bind', status: 'done', durationMs: 5, message: '' }],
    });
    const store = createAppStore(api);
    expect(await store.getState().startVm('win11')).toBe(true);
    expect(store.getState().vms[0]?.state).toBe('running');
    expect(store.getState().handoffLogs.win11).toHaveLength(1);
    expect(store.getState().vmBusy.win11).toBeUndefined();
    api.answers['vm.stop'] = { ok: false, error: { code: 'not-allowed', message: 'Read-only session.' } };
    await store.getState().stopVm('win11', false);
    expect(store.getState().vmError?.message).toBe('Read-only session.');
  });

  it('settings.set sends only the change and stores the answer', async () => {
    const api = createFakeApi({
      'settings.set': { autostart: false, launchLookingGlassAutomatically: false, theme: 'light' },
    });
    const store = createAppStore(api);
    await store.getState().updateSettings({ theme: 'light' });
    expect(api.calls[0]?.args).toEqual([{ theme: 'light' }]);
    expect(store.getState().settings?.theme).toBe('light');
  });
});
