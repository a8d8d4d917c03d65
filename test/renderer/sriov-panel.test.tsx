// The GPU step's SR-IOV section over the real store, with the real doctor's report of published
// machines (fixture hosts) and the real planner's plan as main would send it: the PF's VFs with their
// groups, a count reviewed as the sriov-vfs plan (the same review as every goal) and applied by its id,
// a VF chosen as the VM's GPU; an iGPU without the SR-IOV module gets the doctor's words, no count. The VM
// step attaches a chosen VF alone and offers no handoff for it.
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHost } from '../../electron/host/load';
import { StoreProvider } from '../../renderer/src/store/context';
import { createAppStore } from '../../renderer/src/store/store';
import { GpuStep } from '../../renderer/src/wizard/GpuStep';
import { VmStep } from '../../renderer/src/wizard/VmStep';
import { goalList } from '../../shared/plan/goals.registry';
import { buildDoctorReport } from '../../shared/analyze/doctor';
import type { HostModel } from '../../shared/host/model';
import { previewStep } from '../../shared/plan/preview';
import { planSriovVfs } from '../../shared/setup/plan-sriov';
import { createFakeApi } from './fake-api';

afterEach(cleanup);
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const REVIEW_ID = '7d0b5f0e-3f5a-4c8e-9a51-1f2a3b4c5d6e';

async function fixtureModel(name: string): Promise<HostModel> {
  const loaded = await loadHost({ host: path.resolve(__dirname, `../fixtures/hosts/${name}.host.json`) });
  try {
    return loaded.model;
  } finally {
    await loaded.cleanup();
  }
}

async function renderGpuStep(fixture: string) {
  const model = await fixtureModel(fixture);
  const report = buildDoctorReport(model);
  const api = createFakeApi({
    'plan.make': (_goal, options) => ({
      id: REVIEW_ID,
      fingerprint: 'f',
      plan: planSriovVfs(model, options as { device: string; count: number }),
    }),
    'plan.apply': { journalId: 'j1', steps: [{ index: 0, status: 'done', message: '' }] },
    'journal.list': [],
    'host.rescan': report,
  });
  const store = createAppStore(api);
  store.setState({ report, pciClasses: {} });
  render(
    <StoreProvider store={store}>
      <GpuStep />
    </StoreProvider>,
  );
  return { api, store, model };
}

describe('SR-IOV on the GPU step', () => {
  it('an iGPU with VFs: its VFs and groups, a count reviewed and applied, a VF chosen for the VM', async () => {
    const { api, store, model } = await renderGpuStep('intel-sriov-igpu');
    const section = screen.getByRole('region', { name: 'Share the GPU: SR-IOV virtual functions' });
    expect(section.textContent).toContain('2 of 7 virtual functions exist now');
    const vfs = within(section).getByRole('group', { name: 'The virtual function the VM gets' });
    expect(
      within(vfs)
        .getAllByRole('radio')
        .map((r) => (r as HTMLInputElement).value),
    ).toEqual(['0000:00:02.1', '0000:00:02.2']);
    expect(within(vfs).getByText(/IOMMU group 20, alone in it/)).toBeTruthy();
    // The VFs are chosen here, not offered again as GPUs of their own.
    expect(
      screen
        .getAllByRole('radio')
        .filter((r) => (r as HTMLInputElement).name === 'gpu')
        .map((r) => (r as HTMLInputElement).value),
    ).toEqual(['0000:00:02.0']);

    const count = within(section).getByLabelText(/^Virtual functions, now and at every boot/);
    fireEvent.change(count, { target: { value: '8' } });
    expect(within(section).getByText('Choose a whole number from 0 to 7.')).toBeTruthy();
    expect((within(section).getByRole('button', { name: 'Review plan' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    fireEvent.change(count, { target: { value: '3' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Review plan' }));
    await flush();
    expect(api.calls.find((c) => c.channel === 'plan.make')?.args).toEqual([
      'sriov-vfs',
      { device: '0000:00:02.0', count: 3 },
    ]);
    // The review every goal gets, with the planner's own words for the live step.
    const plan = planSriovVfs(model, { device: '0000:00:02.0', count: 3 });
    const numvfs = plan.steps.find((s) => s.kind === 'sriov-numvfs');
    if (!numvfs) throw new Error('no sriov-numvfs step');
    const review = within(section).getByRole('region', { name: plan.title });
    expect(review.textContent).toContain(`${previewStep(numvfs).summary.replace(/^s/, 'S')}.`);
    expect(review.querySelectorAll('li.step')).toHaveLength(plan.steps.length);
    fireEvent.click(within(review).getByRole('button', { name: 'Apply' }));
    await flush();
    expect(api.calls.filter((c) => c.channel === 'plan.apply').map((c) => c.args)).toEqual([[REVIEW_ID]]);
    expect(within(section).getByText('Applied')).toBeTruthy();

    fireEvent.click(within(vfs).getByRole('radio', { name: /0000:00:02\.2/ }));
    expect(store.getState().selectedGpu).toBe('0000:00:02.2');
    expect((within(vfs).getByRole('radio', { name: /0000:00:02\.2/ }) as HTMLInputElement).checked).toBe(
      true,
    );
  });

  it('an iGPU whose i915 has no SR-IOV: the doctor says why, and nothing offers a count', async () => {
    await renderGpuStep('intel-igpu-no-sriov-module');
    const section = screen.getByRole('region', { name: 'Share the GPU: SR-IOV virtual functions' });
    expect(section.textContent).toMatch(
      /asks for SR-IOV virtual functions, but the iGPU \(i915\) offers none/,
    );
    expect(section.textContent).toMatch(/i915-sriov-dkms/);
    expect(within(section).queryByRole('spinbutton')).toBeNull();
  });

  it('a machine without SR-IOV shows no such section', async () => {
    await renderGpuStep('intel-igpu-nvidia');
    expect(screen.queryByRole('region', { name: /SR-IOV/ })).toBeNull();
  });
});

describe('a VF on the VM step', () => {
  it('is attached alone, and no handoff is offered: libvirt moves it, the host keeps the GPU', async () => {
    const report = buildDoctorReport(await fixtureModel('intel-sriov-igpu'));
    const store = createAppStore(createFakeApi({}));
    store.setState({
      report,
      selectedGpu: '0000:00:02.2',
      vms: [],
      goals: goalList.map((g) => ({ name: g.name, summary: g.summary })),
    });
    render(
      <StoreProvider store={store}>
        <VmStep />
      </StoreProvider>,
    );
    expect(
      screen.getByText(
        /\(0000:00:02\.2\) is passed through on its own: an SR-IOV virtual function, while the host keeps the GPU\./,
      ),
    ).toBeTruthy();
    expect(screen.getByRole('heading', { name: '2. When the VM starts and stops' })).toBeTruthy();
    expect(
      screen.queryByRole('button', { name: /^Review plan: Write the per-VM handoff config/ }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: /^Review plan: Install the libvirt hook/ })).toBeNull();
  });
});
