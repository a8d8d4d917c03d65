// The VM step over the real store: what the form sends to vm.review, the review shown (diff, disk
// command, warnings), one Apply, the Undo offer; and the options the wizard builds pass the real schemas.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreProvider } from '../../renderer/src/store/context';
import { createAppStore, type AppStore } from '../../renderer/src/store/store';
import { goalOptions } from '../../renderer/src/wizard/goal-options';
import { defaultVmForm, vmRequest } from '../../renderer/src/wizard/vm-request';
import { VmStep } from '../../renderer/src/wizard/VmStep';
import type { VmChangeReview } from '../../shared/ipc/contract';
import { goalList } from '../../shared/plan/goals.registry';
import { vmChangeRequest } from '../../shared/vm/vm-change-request';
import { createFakeApi, singleGpuReport } from './fake-api';

afterEach(cleanup);
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

const created: VmChangeReview = {
  id: '7d0b5f0e-3f5a-4c8e-9a51-1f2a3b4c5d6e',
  kind: 'create',
  name: 'Gaming PC',
  title: 'Create the VM "Gaming PC"',
  before: null,
  after: "<domain type='kvm'>\n  <name>Gaming PC</name>\n</domain>\n",
  createDisk: ['qemu-img', 'create', '-f', 'qcow2', '--', '/var/lib/libvirt/images/Gaming PC.qcow2', '200G'],
  warnings: ['No evdev keyboard chosen: attach a USB keyboard to the VM or add one later.'],
  unchanged: false,
};

/** Renders the VM step over the real store on a fake API; `state` is what the store holds before. */
function renderVmStep(replies: Parameters<typeof createFakeApi>[0], state: Partial<ReturnType<AppStore['getState']>>) {
  const api = createFakeApi(replies);
  const store = createAppStore(api);
  store.setState(state);
  render(
    <StoreProvider store={store}>
      <VmStep />
    </StoreProvider>,
  );
  return { api, store };
}

describe('VM step', () => {
  it('creates a VM: sends the choices, shows the exact change, applies once', async () => {
    const { api, store } = renderVmStep(
      {
        'vm.review': created,
        'vm.apply': { name: 'Gaming PC', backup: null, diskCreated: '/var/lib/libvirt/images/Gaming PC.qcow2' },
        'vm.list': [{ name: 'Gaming PC', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }],
      },
      { report: singleGpuReport(), goals: goalList.map((g) => ({ name: g.name, summary: g.summary })) },
    );
    expect((screen.getByLabelText('Create a new VM') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Use an existing VM (none found)') as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'Gaming PC' } });
    fireEvent.change(screen.getByLabelText(/^Disk size/), { target: { value: '200' } });
    fireEvent.click(screen.getByLabelText(/^Huge pages/));
    fireEvent.click(screen.getByRole('button', { name: 'Review the change' }));
    await flush();
    expect(api.calls.find((c) => c.channel === 'vm.review')?.args).toEqual([
      { kind: 'create', name: 'Gaming PC', gpu: '0000:0a:00.0', memoryMiB: 16384, hugepages: true, disk: { newGiB: 200 }, windowsIso: null, virtioIso: null, input: { usb: [], evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' } },
    ]);
    expect(screen.getByRole('heading', { name: 'Create the VM "Gaming PC"' })).toBeTruthy();
    expect(screen.getByLabelText('Changes to Gaming PC.xml').querySelectorAll('.dl-add')).toHaveLength(3);
    expect(screen.getByLabelText('Exact command').textContent).toContain("'/var/lib/libvirt/images/Gaming PC.qcow2' 200G");
    expect(screen.getByText(/No evdev keyboard chosen/)).toBeTruthy();
    // Huge pages chosen: the reservation plan is offered next to the handoff goals.
    expect(screen.getByRole('button', { name: /^Review plan: Reserve huge pages/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await flush();
    expect(api.calls.filter((c) => c.channel === 'vm.apply').map((c) => c.args)).toEqual([[created.id]]);
    expect(screen.getByText(/is defined in libvirt\. Its disk is/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull();
    expect(store.getState().vms.map((v) => v.name)).toEqual(['Gaming PC']);
  });

  it('attaches to an existing VM with the tuning chosen, and shows refusals as they come', async () => {
    const { api } = renderVmStep(
      {
        'vm.list': [],
        'vm.review': { ok: false, error: { code: 'invalid-choice', message: '0000:0a:00.0 is not a GPU on this machine (GPUs: 0000:0b:00.0).' } },
      },
      { report: singleGpuReport(), vms: [{ name: 'win11', state: 'shut off', mode: null, gpu: null }] },
    );
    expect((screen.getByLabelText('Use an existing VM') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText(/^Hyper-V enlightenments/)); // off
    fireEvent.click(screen.getByRole('button', { name: 'Review the change' }));
    await flush();
    expect(api.calls.find((c) => c.channel === 'vm.review')?.args).toEqual([
      { kind: 'attach', name: 'win11', gpu: '0000:0a:00.0', tune: ['pinning', 'cpu', 'memballoon'] },
    ]);
    expect(screen.getByRole('alert').textContent).toContain('is not a GPU on this machine');
  });
});

const inputDevices = {
  usb: [
    { vendorId: '046a', productId: '0011', name: 'Cherry USB Keyboard', kind: 'keyboard' as const },
    { vendorId: '046d', productId: 'c077', name: 'Logitech USB Optical Mouse', kind: 'mouse' as const },
  ],
  evdev: [
    { path: '/dev/input/by-id/usb-Cherry_USB_Keyboard-event-kbd', name: 'Cherry USB Keyboard', kind: 'keyboard' as const },
    { path: '/dev/input/by-id/usb-Logitech_USB_Optical_Mouse-event-mouse', name: 'Logitech USB Optical Mouse', kind: 'mouse' as const },
  ],
};

describe('a new VM gets a keyboard, a mouse and a screen', () => {
  const renderStep = (report = singleGpuReport()) => renderVmStep({ 'host.input': inputDevices, 'vm.review': created }, { report }).api;

  it('single GPU: says the installer appears on the GPU monitor, lists USB devices by name, sends the ids chosen', async () => {
    const api = renderStep();
    await flush();
    expect(screen.getByRole('note').textContent).toMatch(/installer appears on the monitor plugged into that GPU/);
    expect(screen.getByText(/Needed: the VM has no other way to get input/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/^Cherry USB Keyboard/));
    fireEvent.click(screen.getByLabelText(/^Logitech USB Optical Mouse/));
    fireEvent.click(screen.getByRole('button', { name: 'Review the change' }));
    await flush();
    const request = api.calls.find((c) => c.channel === 'vm.review')?.args[0] as { input: unknown };
    expect(request.input).toEqual({ usb: [{ vendorId: '046a', productId: '0011' }, { vendorId: '046d', productId: 'c077' }], evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' });
  });

  it('evdev: keyboard and mouse from the machine and the switch keys in words', async () => {
    const api = renderStep();
    await flush();
    fireEvent.click(screen.getByLabelText(/^Shared with Linux/));
    fireEvent.change(screen.getByLabelText('Keyboard'), { target: { value: '/dev/input/by-id/usb-Cherry_USB_Keyboard-event-kbd' } });
    fireEvent.change(screen.getByLabelText('Mouse'), { target: { value: '/dev/input/by-id/usb-Logitech_USB_Optical_Mouse-event-mouse' } });
    fireEvent.change(screen.getByLabelText(/^Switch between Linux and the VM/), { target: { value: 'scrolllock' } });
    expect(screen.getByRole('option', { name: 'both Ctrl keys' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Review the change' }));
    await flush();
    const request = api.calls.find((c) => c.channel === 'vm.review')?.args[0] as { input: unknown };
    expect(request.input).toEqual({
      usb: [],
      evdevKeyboard: '/dev/input/by-id/usb-Cherry_USB_Keyboard-event-kbd',
      evdevMouse: '/dev/input/by-id/usb-Logitech_USB_Optical_Mouse-event-mouse',
      grabToggle: 'scrolllock',
    });
  });

  it('two GPUs: the SPICE screen in virt-manager and Looking Glass is explained; input is optional', async () => {
    const report = singleGpuReport();
    const gpu = report.gpus[0];
    if (!gpu) throw new Error('fixture has a GPU');
    renderStep({ ...report, gpus: [{ ...gpu, drivesHostDisplay: false }], recommendation: { ...report.recommendation, mode: 'dual-gpu' } });
    await flush();
    expect(screen.getByRole('note').textContent).toMatch(/SPICE screen .* virt-manager .* Looking Glass/s);
    expect(screen.getByText(/Optional: the SPICE screen has a keyboard and mouse/)).toBeTruthy();
  });
});

describe('installer ISOs', () => {
  const renderStep = (shell: 'electron' | 'browser') =>
    renderVmStep(
      { 'host.input': inputDevices, 'vm.review': created, 'app.pickIso': '/home/alex/Downloads/Win11_24H2.iso' },
      { report: singleGpuReport(), info: { version: '0', shell, simulated: false, hostName: 'pc', readOnly: false } },
    ).api;

  it('the desktop app browses with the system file chooser and sends the path chosen', async () => {
    const api = renderStep('electron');
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Browse for the Windows installer ISO' }));
    await flush();
    expect((screen.getByLabelText(/^Windows installer ISO/) as HTMLInputElement).value).toBe('/home/alex/Downloads/Win11_24H2.iso');
    fireEvent.click(screen.getByRole('button', { name: 'Review the change' }));
    await flush();
    expect(api.calls.find((c) => c.channel === 'vm.review')?.args[0]).toMatchObject({ windowsIso: '/home/alex/Downloads/Win11_24H2.iso' });
  });

  it('a browser has no Browse: the field says to type the path', async () => {
    renderStep('browser');
    await flush();
    expect(screen.queryByRole('button', { name: /^Browse/ })).toBeNull();
    expect(screen.getAllByText(/In a browser, type the full path/)).toHaveLength(2);
  });
});

describe('what the wizard sends passes the real schemas', () => {
  it('every VM form the step can build is a valid vm.review request', () => {
    const create = defaultVmForm(null);
    const attach = defaultVmForm('win11');
    for (const form of [create, { ...create, disk: 'existing' as const, diskPath: '/vm/w.qcow2', hostCores: 2, windowsIso: ' /iso/w.iso ' }, attach, { ...attach, hugepages: true, hostCores: 3 }]) {
      const parsed = vmChangeRequest.safeParse(vmRequest(form, '0000:0a:00.0'));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(vmRequest({ ...attach, hugepages: true }, null)).toMatchObject({ tune: ['pinning', 'hyperv', 'cpu', 'memballoon', 'hugepages'] });
  });

  it("every goal's options from the wizard pass that goal's schema", () => {
    const choices = { gpu: '0000:0a:00.0', vmName: 'win11', memoryMiB: 16384, mode: 'single-gpu' as const, resolution: '2560x1440', sriov: { device: '0000:00:02.0', count: 3 } };
    expect(goalOptions('sriov-vfs', choices)).toEqual({ device: '0000:00:02.0', count: 3 });
    for (const goal of goalList) {
      const parsed = goal.options.safeParse(goalOptions(goal.name, choices));
      expect(parsed.success, `${goal.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});
