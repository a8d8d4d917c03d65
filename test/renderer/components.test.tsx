import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { VmCard } from '../../renderer/src/dashboard/VmCard';
import { JournalList } from '../../renderer/src/plans/JournalList';
import { SettingsView } from '../../renderer/src/settings/SettingsView';
import { PlanReview } from '../../renderer/src/plans/PlanReview';
import { StoreProvider } from '../../renderer/src/store/context';
import { createAppStore, type AppStore } from '../../renderer/src/store/store';
import { DoneStep } from '../../renderer/src/wizard/DoneStep';
import { GpuStep } from '../../renderer/src/wizard/GpuStep';
import { LookingGlassStep } from '../../renderer/src/wizard/LookingGlassStep';
import { ErrorNotice } from '../../renderer/src/ui/Notice';
import type { Plan } from '../../shared/plan/model';
import { createFakeApi, readyReport, singleGpuReport, type FakeApi } from './fake-api';

afterEach(cleanup);

const settings = { autostart: false, launchLookingGlassAutomatically: false, theme: 'system' as const };
const info = { version: '0.1.0', shell: 'browser' as const, simulated: true, hostName: 'demo', readOnly: false };

const mount = (ui: React.ReactNode, store: AppStore) => render(<StoreProvider store={store}>{ui}</StoreProvider>);
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

/** Mounts the whole App on a fake API answering a first run's calls; `replies` overrides or adds answers. */
function startApp(replies: Parameters<typeof createFakeApi>[0]): FakeApi {
  const api = createFakeApi({
    'app.info': info,
    'settings.get': settings,
    'host.rescan': singleGpuReport(),
    'plan.goals': [],
    'journal.list': [],
    'vm.list': [],
    ...replies,
  });
  const store = createAppStore(api);
  mount(<App store={store} />, store);
  return api;
}

describe('App', () => {
  it('scans on start and resumes at the checklist when the IOMMU is off, showing each fix', async () => {
    const api = startApp({});
    await flush();
    // A first run starts with the welcome: the two modes in words, this machine's marked, what is needed.
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Welcome');
    expect(screen.getByRole('heading', { name: 'One GPU — this machine' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Two GPUs' })).toBeTruthy();
    expect(screen.getByText(/Windows 11 installer ISO/)).toBeTruthy();
    // No step is drawn as done that is not: the checks fail and the IOMMU is off.
    expect(screen.getByRole('button', { name: /^Check this machine \(to do\)$/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Boot setup \(to do\)$/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Continue to Check this machine' }));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Check this machine');
    expect(screen.getByText('The IOMMU is off in the kernel.')).toBeTruthy();
    expect(screen.getByText('Apply the boot setup plan.')).toBeTruthy();
    expect(screen.getByText(/Demo machine/)).toBeTruthy();
    expect(api.calls.map((c) => c.channel)).toContain('host.rescan');
  });

  it('opens the dashboard when the machine is set up and a VM exists', async () => {
    startApp({
      'host.rescan': readyReport(),
      'vm.list': [{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }],
      'handoff.log': [],
    });
    await flush();
    expect(screen.getByRole('heading', { name: 'Your VMs' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Launch win11' })).toBeTruthy();
  });
});

describe('Read-only session', () => {
  it('says so on every screen when browser mode serves this machine without permission to change it', async () => {
    startApp({ 'app.info': { ...info, simulated: false, hostName: 'gamebox', readOnly: true } });
    await flush();
    expect(screen.getByText(/this browser session shows gamebox but cannot change it/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Journal' }));
    expect(screen.getByText(/cannot change it/)).toBeTruthy();
  });
});

describe('App start', () => {
  it('keeps the view the person picked while the first scan is still running', async () => {
    let releaseVms: (v: unknown) => void = () => {};
    startApp({
      'host.rescan': singleGpuReport({ iommu: { state: 'on', groups: 30 } }),
      'vm.list': () => new Promise((resolve) => (releaseVms = resolve)) as never,
      'handoff.log': [],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Journal' }));
    releaseVms([{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: null }]);
    await flush();
    // The machine is set up (resume point "done" = dashboard), but the person asked for the journal.
    expect(screen.getByRole('heading', { name: 'Journal' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Your VMs' })).toBeNull();
  });
});

describe('GPU step', () => {
  it('draws the IOMMU group with foreign members and warns about identical ids', async () => {
    const store = createAppStore(createFakeApi({ 'host.rescan': singleGpuReport() }));
    await store.getState().rescan();
    mount(<GpuStep />, store);
    const group = screen.getByRole('figure', { name: 'IOMMU group 27' });
    expect(within(group).getAllByRole('listitem').map((li) => li.className)).toEqual(['member own', 'member own', 'member peer']);
    expect(screen.getByText(/^Shares its IOMMU group with other device \(0000:09:00.0\)/)).toBeTruthy(); // class not scanned in this test
    expect(screen.getByText(/Identical vendor and device id as 0000:0b:00.0/)).toBeTruthy();
    expect((screen.getByRole('radio') as HTMLInputElement).checked).toBe(true);
    // With one GPU there is no other for the host to keep: no "your desktop runs on this GPU" warning.
    expect(screen.queryByText(/Your desktop runs on this GPU/)).toBeNull();
  });

  it('names each group member once, by what it is; a laptop GPU without outputs is not told to use a dummy plug', async () => {
    const report = singleGpuReport();
    const gpu = report.gpus[0];
    if (!gpu) throw new Error('fixture has a GPU');
    // The peer is listed twice by the report (as the issue saw it); it is drawn once.
    const doubled = { ...gpu, groupPeers: ['0000:09:00.0', '0000:09:00.0', '0000:08:00.0'], displayOutputs: false };
    const api = createFakeApi({
      'host.scan': { pci: [{ address: '0000:09:00.0', classCode: '0c0330' }, { address: '0000:08:00.0', classCode: '010802' }, { address: '0000:0a:00.1', classCode: '040300' }] } as never,
    });
    const store = createAppStore(api);
    store.setState({ report: { ...report, gpus: [doubled] } });
    mount(<GpuStep />, store);
    await flush();
    const group = screen.getByRole('figure', { name: 'IOMMU group 27' });
    expect(within(group).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '0000:0a:00.0this GPU',
      "0000:0a:00.1this GPU's audio device",
      '0000:09:00.0USB controller',
      '0000:08:00.0NVMe SSD',
    ]);
    expect(screen.getByText('Shares its IOMMU group with USB controller (0000:09:00.0) and NVMe SSD (0000:08:00.0); they would all have to go to the VM.')).toBeTruthy();
    expect(screen.queryByText(/other device/)).toBeNull();
    expect(screen.queryByText(/dummy plug/)).toBeNull();
  });

  it('warns before giving away the GPU the desktop runs on when another GPU exists', async () => {
    const report = singleGpuReport();
    const igpu = { ...report.gpus[0]!, address: '0000:00:02.0', name: 'UHD 770', integrated: true, isolation: 'isolated' as const, groupPeers: [], identicalIdsWith: [] };
    const dgpu = { ...report.gpus[0]!, drivesHostDisplay: false, identicalIdsWith: [] };
    const store = createAppStore(createFakeApi({ 'host.rescan': { ...report, gpus: [igpu, dgpu] } }));
    await store.getState().rescan();
    mount(<GpuStep />, store);
    const warnings = screen.getAllByText(/Your desktop runs on this GPU/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.closest('.gpu-card')?.textContent).toContain('UHD 770');
    fireEvent.click(screen.getAllByRole('radio')[0]!);
    expect(store.getState().selectedGpu).toBe('0000:00:02.0');
  });
});

describe('Plan review', () => {
  const plan: Plan = {
    format: 'gpu-ferry-plan/1',
    goal: 'iommu',
    title: 'Turn the IOMMU on',
    steps: [
      { kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n', after: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet amd_iommu=on"\n', reason: 'Add amd_iommu=on.' },
      { kind: 'run', argv: ['grub-mkconfig', '-o', '/boot/grub/grub.cfg'], reason: 'Regenerate the boot menu.', undo: 'rerun' },
    ],
    warnings: ['Your root is encrypted.'],
    reboot: 'The kernel reads its command line at boot.',
  };

  it('shows the diff, the exact command, the reasons, and applies once', async () => {
    const api: FakeApi = createFakeApi({
      'plan.make': { id: '3b241101-e2bb-4255-8caf-4136c566a962', fingerprint: 'f'.repeat(64), plan },
      'plan.apply': { journalId: 'j1', steps: [{ index: 0, status: 'done', message: '' }, { index: 1, status: 'done', message: '' }] },
      'journal.list': [],
      'host.rescan': singleGpuReport(),
    });
    const store = createAppStore(api);
    await store.getState().makePlan('iommu', {});
    mount(<PlanReview />, store);
    expect(screen.getByText('Add amd_iommu=on.')).toBeTruthy();
    const diff = screen.getByLabelText('Changes to /etc/default/grub');
    expect(diff.querySelectorAll('.dl-add')).toHaveLength(1);
    expect(diff.querySelectorAll('.dl-del')).toHaveLength(1);
    expect(screen.getByLabelText('Exact command').textContent).toBe('$ grub-mkconfig -o /boot/grub/grub.cfg');
    expect(screen.getByText(/Undo runs it again once the files are back/)).toBeTruthy();
    expect(screen.getByText('Your root is encrypted.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await flush();
    expect(api.calls.filter((c) => c.channel === 'plan.apply')).toHaveLength(1);
    expect(screen.getByText(/Reboot needed:/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull();
  });
});

describe('VM card', () => {
  const passing = [{ id: 'iommu-group', status: 'pass' as const, message: 'IOMMU group 27 is complete in the VM.', fix: null }];

  it('runs the checks on Launch, asks before closing the desktop on a single-GPU VM, starts only after confirmation', async () => {
    const api = createFakeApi({
      'vm.check': passing,
      'vm.start': { name: 'win11', state: 'running', mode: 'single-gpu', gpu: '0000:0a:00.0' },
      'handoff.log': [],
    });
    const store = createAppStore(api);
    store.setState({ vms: [{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }] });
    mount(<VmCard vm={{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Launch win11' }));
    await flush();
    expect(api.calls.map((c) => c.channel)).toEqual(['vm.check']);
    expect(screen.getByText('Your desktop will close')).toBeTruthy();
    expect(document.querySelector('dialog')?.open).toBe(true);
    // The way back is named before it is needed: not only SSH.
    expect(screen.getByText(/text console with/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close desktop and launch win11' }));
    await flush();
    expect(api.calls.map((c) => c.channel)).toEqual(['vm.check', 'vm.start', 'handoff.log']);
  });

  it('a failing check blocks Launch and shows its fix; nothing starts', async () => {
    const api = createFakeApi({
      'vm.check': [
        { id: 'handoff-file:/etc/libvirt/hooks/qemu', status: 'fail', message: '/etc/libvirt/hooks/qemu is not installed: the GPU would not be handed over (single-gpu).', fix: 'Install the hook in Setup.' },
      ],
    });
    const store = createAppStore(api);
    mount(<VmCard vm={{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Launch win11' }));
    await flush();
    expect(api.calls.map((c) => c.channel)).toEqual(['vm.check']);
    expect(screen.getByRole('alert').textContent).toMatch(/Not launched: a check below failed/);
    expect(screen.getByText('Install the hook in Setup.')).toBeTruthy();
    expect(document.querySelector('dialog')?.open).toBe(false);
  });

  it('a warning asks first on a dual-GPU VM, listing it', async () => {
    const api = createFakeApi({
      'vm.check': [...passing, { id: 'input', status: 'warn', message: 'The VM has no keyboard or mouse of its own and no SPICE screen.', fix: null }],
      'vm.start': { name: 'w', state: 'running', mode: 'dual-gpu', gpu: null },
      'handoff.log': [],
    });
    const store = createAppStore(api);
    mount(<VmCard vm={{ name: 'w', state: 'shut off', mode: 'dual-gpu', gpu: null }} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Launch w' }));
    await flush();
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect(within(dialog).getByRole('list', { name: 'Warnings', hidden: true }).textContent).toMatch(/no keyboard or mouse/);
    expect(api.calls.map((c) => c.channel)).toEqual(['vm.check']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Launch w anyway', hidden: true }));
    await flush();
    expect(api.calls.map((c) => c.channel)).toContain('vm.start');
  });

  it('names the GPU from the scan, and offers Setup for a VM without one', async () => {
    const store = createAppStore(createFakeApi({}));
    store.setState({ report: singleGpuReport() });
    let opened = 0;
    mount(<VmCard vm={{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }} onOpenSetup={() => opened++} />, store);
    expect(screen.getByText('GeForce RTX 3080')).toBeTruthy();
    cleanup();
    mount(<VmCard vm={{ name: 'plain', state: 'shut off', mode: null, gpu: null }} onOpenSetup={() => opened++} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Give it the GPU in Setup' }));
    expect(opened).toBe(1);
  });

  it('launches a dual-GPU VM whose checks all pass at once', async () => {
    const api = createFakeApi({ 'vm.check': passing, 'vm.start': { name: 'w', state: 'running', mode: 'dual-gpu', gpu: null }, 'handoff.log': [] });
    const store = createAppStore(api);
    mount(<VmCard vm={{ name: 'w', state: 'shut off', mode: 'dual-gpu', gpu: null }} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Launch w' }));
    await flush();
    expect(api.calls.map((c) => c.channel).slice(0, 2)).toEqual(['vm.check', 'vm.start']);
  });
});

describe('Done step', () => {
  it('says what is still missing instead of claiming success', async () => {
    const api = createFakeApi({ 'host.rescan': singleGpuReport({ iommu: { state: 'on', groups: 30 } }), 'vm.list': [] });
    const store = createAppStore(api);
    await Promise.all([store.getState().rescan(), store.getState().loadVms()]);
    mount(<DoneStep onOpenDashboard={() => {}} />, store);
    expect(screen.getByText('Almost there.')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Still to do' })).getAllByRole('listitem')).toHaveLength(1);
    cleanup();
    api.answers['vm.list'] = [{ name: 'win11', state: 'shut off', mode: null, gpu: null }];
    await store.getState().loadVms();
    mount(<DoneStep onOpenDashboard={() => {}} />, store);
    expect(screen.getByText(/No VM has the GPU yet/)).toBeTruthy();
    cleanup();
    api.answers['vm.list'] = [{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }];
    // The VM has the GPU but the hook is missing: the same check Launch runs says so, and Done lists it.
    api.answers['vm.check'] = [
      { id: 'handoff-file:/etc/libvirt/hooks/qemu', status: 'fail', message: '/etc/libvirt/hooks/qemu is not installed.', fix: 'Set up the handoff in "The VM".' },
    ];
    await store.getState().loadVms();
    mount(<DoneStep onOpenDashboard={() => {}} />, store);
    await flush();
    expect(api.calls.filter((c) => c.channel === 'vm.check').map((c) => c.args)).toEqual([['win11']]);
    expect(screen.getByText('Almost there.')).toBeTruthy();
    expect(screen.getByText(/win11: \/etc\/libvirt\/hooks\/qemu is not installed/)).toBeTruthy();
    expect(screen.queryByText('You are set up.')).toBeNull();
    cleanup();
    api.answers['vm.check'] = [{ id: 'iommu-group', status: 'pass', message: 'IOMMU group 27 is complete in the VM.', fix: null }];
    mount(<DoneStep onOpenDashboard={() => {}} />, store);
    await flush();
    expect(screen.getByText('You are set up.')).toBeTruthy();
  });
});

describe('Journal undo', () => {
  const hook = { id: '20261203-093000-1', goal: 'hook-install', title: 'Install the libvirt hook', createdAt: '2026-12-03T09:30:00Z', state: 'applied' as const, files: ['/etc/libvirt/hooks/qemu.d/gpu-ferry', '/usr/local/libexec/gpu-ferry-handoff'] };

  it('reviews first (files back, the VMs that depend on the hook), undoes only on confirmation, shows the result', async () => {
    const api = createFakeApi({
      'journal.undo': { journalId: hook.id, steps: [{ index: 0, status: 'done', message: 'restored' }] },
      'journal.list': [{ ...hook, state: 'undone' }],
      'host.rescan': singleGpuReport(),
    });
    const store = createAppStore(api);
    store.setState({ journal: [hook], vms: [{ name: 'win11', state: 'shut off', mode: 'single-gpu', gpu: '0000:0a:00.0' }, { name: 'plain', state: 'shut off', mode: null, gpu: null }] });
    mount(<JournalList />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Undo Install the libvirt hook' }));
    expect(api.calls).toHaveLength(0); // one click reviews, never acts
    const review = screen.getByRole('group', { name: 'Review undo of Install the libvirt hook' });
    expect(within(review).getByText('/etc/libvirt/hooks/qemu.d/gpu-ferry')).toBeTruthy();
    expect(within(review).getByRole('alert').textContent).toMatch(/^win11 uses this hook: .*no longer hands the GPU over/);
    expect(within(review).getByRole('alert').textContent).not.toContain('plain');
    fireEvent.click(within(review).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('group')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Undo Install the libvirt hook' }));
    fireEvent.click(screen.getByRole('button', { name: 'Undo this change' }));
    await flush();
    expect(api.calls.filter((c) => c.channel === 'journal.undo').map((c) => c.args)).toEqual([[hook.id]]);
    expect(screen.getByText('Undone: Install the libvirt hook')).toBeTruthy();
    expect(screen.getByText('2 files are back as they were.')).toBeTruthy();
  });
});

describe('Looking Glass', () => {
  const dual = () => {
    const report = singleGpuReport({ recommendation: { mode: 'dual-gpu', gpu: '0000:0a:00.0', reasons: [] } });
    return report;
  };

  it('the step lists what Windows needs, with links; a GPU without outputs is not told to use a dummy plug', async () => {
    const api = createFakeApi({ 'lg.status': { client: true, version: 'B7', running: false } });
    const store = createAppStore(api);
    store.setState({ report: dual(), vms: [{ name: 'win11', state: 'shut off', mode: 'dual-gpu', gpu: '0000:0a:00.0' }] });
    mount(<LookingGlassStep />, store);
    await flush();
    const list = screen.getByRole('list', { name: 'Inside Windows' });
    expect(within(list).getByText('Install Looking Glass host B7 in Windows')).toBeTruthy();
    expect(within(list).getByText('Install the IVSHMEM driver')).toBeTruthy();
    expect(within(list).getAllByText(/dummy plug/).length).toBeGreaterThan(0);
    expect(within(list).getAllByRole('link').map((a) => a.getAttribute('href'))).toContain('https://looking-glass.io/downloads');
    cleanup();
    const laptop = dual();
    store.setState({ report: { ...laptop, gpus: laptop.gpus.map((g) => ({ ...g, displayOutputs: false })) } });
    mount(<LookingGlassStep />, store);
    await flush();
    const noOutputs = screen.getByRole('list', { name: 'Inside Windows' });
    expect(within(noOutputs).queryByText(/dummy plug/)).toBeNull();
    expect(within(noOutputs).getByText('Add a virtual display in Windows')).toBeTruthy();
  });

  it('Open Looking Glass shows only when the same detection that launches it finds the client; the address is a link', async () => {
    const running = { name: 'w', state: 'running', mode: 'dual-gpu' as const, gpu: '0000:0a:00.0' };
    const api = createFakeApi({ 'lg.status': { client: false, version: null, running: false }, 'handoff.log': [] });
    const store = createAppStore(api);
    mount(<VmCard vm={running} />, store);
    await flush();
    expect(screen.queryByRole('button', { name: 'Open Looking Glass' })).toBeNull();
    expect(screen.getByRole('link', { name: 'https://looking-glass.io/downloads' })).toBeTruthy();
    cleanup();
    api.answers['lg.status'] = { client: true, version: 'B7', running: false };
    await store.getState().loadLgStatus('w');
    mount(<VmCard vm={running} />, store);
    await flush();
    expect(screen.getByRole('button', { name: 'Open Looking Glass' })).toBeTruthy();
  });

  it('web addresses in an error are links', () => {
    const store = createAppStore(createFakeApi({}));
    mount(<ErrorNotice error={{ code: 'lg-missing', message: 'Install it from https://looking-glass.io/downloads (the same version).' }} />, store);
    expect(screen.getByRole('link', { name: 'https://looking-glass.io/downloads' }).getAttribute('href')).toBe('https://looking-glass.io/downloads');
    expect(screen.getByRole('alert').textContent).toContain('(the same version).');
  });
});

describe('Settings: system integration', () => {
  const files = [
    { target: '/usr/libexec/gpu-ferry/gpu-ferry-privileged', mode: '0755', source: 'resources/privileged', state: 'missing' as const },
    { target: '/usr/share/polkit-1/actions/app.gpuferry.policy', mode: '0644', source: 'resources/polkit', state: 'missing' as const },
  ];
  const node = { path: '/usr/bin/node', version: '22.12.0', ok: true, message: 'Node.js 22.12.0 at /usr/bin/node runs the privileged program.' };

  it('shows the state, reviews the exact files, installs only on confirmation, then shows the new state', async () => {
    const api = createFakeApi({
      'integration.status': { installed: false, files, node },
      'integration.review': { action: 'install', files, node, blocked: null },
      'integration.apply': { installed: true, files: files.map((f) => ({ ...f, state: 'installed' as const })), node },
    });
    const store = createAppStore(api);
    mount(<SettingsView />, store);
    await flush();
    expect(screen.getByText('Not installed (or not current)')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'System files' })).getAllByText(/missing/)).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Review install' }));
    await flush();
    const review = screen.getByRole('group', { name: 'Review install' });
    expect(within(review).getByText('/usr/libexec/gpu-ferry/gpu-ferry-privileged')).toBeTruthy();
    expect(api.calls.map((c) => c.channel)).toEqual(['integration.status', 'integration.review']);
    fireEvent.click(within(review).getByRole('button', { name: 'Install' }));
    await flush();
    expect(api.calls.filter((c) => c.channel === 'integration.apply').map((c) => c.args)).toEqual([[{ action: 'install' }]]);
    expect(screen.getByText('Installed and current')).toBeTruthy();
  });

  it('a blocked review says why and offers no Install', async () => {
    const api = createFakeApi({
      'integration.status': { installed: false, files, node: { ...node, ok: false, message: 'No Node.js 20.19 or later at /usr/bin/node.' } },
      'integration.review': { action: 'install', files, node, blocked: 'Install Node.js 20.19 or later first.' },
    });
    const store = createAppStore(api);
    mount(<SettingsView />, store);
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Review install' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toBe('Install Node.js 20.19 or later first.');
    expect((screen.getByRole('button', { name: 'Install' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
