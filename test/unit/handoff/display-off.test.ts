// The display-off-vm-gpu goal plans on real fixture hosts: the Xorg snippet and the GNOME udev rule for the
// VM's GPU, what it refuses (single GPU, the GPU the desktop runs on, a non-GPU), a ServerFlags section the
// person already has, removal, and that planning again after applying has nothing left to do.
import { describe, expect, it } from 'vitest';
import { guardPlan } from '../../../electron/privileged/guards';
import { XORG_SNIPPET_PATH, udevRulePath } from '../../../shared/handoff/display-off-files';
import { displayOffGoal } from '../../../shared/handoff/plan-display-off';
import type { HostModel } from '../../../shared/host/model';
import type { Plan } from '../../../shared/plan/model';
import { appliedModel } from '../../lib/applied-model';
import { fixtureHost } from '../lg/load-fixture';

const host = fixtureHost;
const applied = appliedModel;

const plan = (model: HostModel, options: unknown) => displayOffGoal.plan(model, displayOffGoal.options.parse(options));
const refusal = (model: HostModel, options: unknown): string => {
  try {
    plan(model, options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('planned where it should have refused');
};

// intel-igpu-nvidia: the desktop on the Intel iGPU (boot VGA, a monitor), the NVIDIA card at 01:00.0 for the VM.
const VM_GPU = '0000:01:00.0';

describe('display-off-vm-gpu', () => {
  it('writes the Xorg snippet and the udev rule for the VM GPU, reloads udev, and says how it takes effect', async () => {
    const model = await host('intel-igpu-nvidia');
    const p = plan(model, { gpu: VM_GPU.toUpperCase() });
    expect(p.goal).toBe('display-off-vm-gpu');
    expect(p.steps.map((s) => (s.kind === 'run' ? s.argv.join(' ') : `${s.kind} ${'path' in s ? s.path : ''}`))).toEqual([
      `write-file ${XORG_SNIPPET_PATH}`,
      `write-file /etc/udev/rules.d/61-gpu-ferry-display-off-0000-01-00-0.rules`,
      'udevadm control --reload',
    ]);
    const [xorg, rule, reload] = p.steps;
    expect(xorg).toMatchObject({ before: null, mode: 0o644, owner: 'root', group: 'root' });
    expect(xorg?.kind === 'write-file' && xorg.content.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['Section "ServerFlags"', '    Option "AutoAddGPU" "false"', 'EndSection', '']);
    expect(rule?.kind === 'write-file' && rule.content).toContain('SUBSYSTEM=="drm", KERNEL=="card[0-9]*", KERNELS=="0000:01:00.0", TAG+="mutter-device-ignore"\n');
    expect(reload).toMatchObject({ kind: 'run', undo: 'rerun' });
    // How it takes effect: the display manager of this machine named, a computer restart always enough.
    expect(p.reboot).toMatch(/restart the computer/);
    expect(p.reboot).toContain(`sudo systemctl restart ${model.displayManager.unit ?? 'display-manager.service'}`);
    // KWin and wlroots get words, with the host's own card.
    expect(p.warnings.join(' ')).toMatch(/KWIN_DRM_DEVICES .*WLR_DRM_DEVICES .*\/dev\/dri\/card0 \(the host's GPU 0000:00:02.0 today/);
    // Root computes the same plan and its guards let it through.
    expect(() => guardPlan(model, p)).not.toThrow();
    // Planning again after applying: nothing left to do.
    expect(plan(applied(model, p), { gpu: VM_GPU }).steps).toEqual([]);
  });

  it('takes the card by any of its functions (its HDMI audio)', async () => {
    const model = await host('intel-igpu-nvidia');
    expect(plan(model, { gpu: '0000:01:00.1' }).steps.some((s) => 'path' in s && s.path === udevRulePath(VM_GPU))).toBe(true);
  });

  it('refuses the only GPU, the GPU the desktop starts on, an integrated GPU, a non-GPU and a missing device', async () => {
    expect(refusal(await host('nvidia-only-desktop'), { gpu: '0000:0a:00.0' })).toMatch(/only GPU \(single-GPU mode\)/);
    const model = await host('intel-igpu-nvidia');
    expect(refusal(model, { gpu: '0000:00:02.0' })).toMatch(/integrated GPU/);
    // The NVIDIA card as the firmware's boot GPU with the monitor on it: the desktop's own GPU.
    const nvidiaBoot = await host('iommu-off-firmware');
    expect(refusal(nvidiaBoot, { gpu: '0000:01:00.0' })).toMatch(/drives every screen|boot VGA/);
    const other = model.pci.find((d) => !d.classCode.startsWith('03') && !d.address.startsWith('0000:01:00.') && !d.address.startsWith('0000:00:02.'));
    expect(other).toBeDefined();
    expect(refusal(model, { gpu: other?.address })).toMatch(new RegExp(`${other?.address} is not a GPU \\(PCI class ${other?.classCode}\\)`));
    expect(refusal(model, { gpu: '0000:7f:00.0' })).toMatch(/No GPU at 0000:7f:00.0 .*GPUs found: /);
  });

  it('refuses malformed options before planning', () => {
    for (const options of [{}, { gpu: VM_GPU, remove: true }, { gpu: '01:00.0' }, { gpu: '0000:01:00.0; reboot' }, { gpu: '../../etc' }, { gpu: VM_GPU, path: '/etc/passwd' }])
      expect(displayOffGoal.options.safeParse(options).success, JSON.stringify(options)).toBe(false);
  });

  it("leaves an existing ServerFlags section alone: tells what to add instead, or nothing when it is already off", async () => {
    const model = await host('intel-igpu-nvidia');
    const mine = { ...model, files: { ...model.files, '/etc/X11/xorg.conf': 'Section "ServerFlags"\n    Option "BlankTime" "0"\nEndSection\n' } };
    const p = plan(mine, { gpu: VM_GPU });
    expect(p.steps.some((s) => 'path' in s && s.path === XORG_SNIPPET_PATH)).toBe(false);
    expect(p.warnings.join(' ')).toMatch(/\/etc\/X11\/xorg.conf already has a ServerFlags section.*Option "AutoAddGPU" "false"/);
    const off = { ...model, files: { ...model.files, '/etc/X11/xorg.conf.d/50-mine.conf': 'Section "ServerFlags"\n  Option "AutoAddGPU" "off"\nEndSection\n' } };
    expect(plan(off, { gpu: VM_GPU }).warnings.join(' ')).not.toMatch(/ServerFlags/);
    // A commented-out section is no section.
    const commented = { ...model, files: { ...model.files, '/etc/X11/xorg.conf': '#Section "ServerFlags"\n' } };
    expect(plan(commented, { gpu: VM_GPU }).steps.some((s) => 'path' in s && s.path === XORG_SNIPPET_PATH)).toBe(true);
  });

  it('--remove takes every file of the goal away, and nothing when there is none', async () => {
    const model = await host('intel-igpu-nvidia');
    const after = applied(model, plan(model, { gpu: VM_GPU }));
    const removal = plan(after, { remove: true });
    expect(removal.steps.map((s) => (s.kind === 'remove-file' ? s.path : s.kind))).toEqual([XORG_SNIPPET_PATH, udevRulePath(VM_GPU), 'run']);
    expect(() => guardPlan(after, removal)).not.toThrow();
    expect(plan(applied(after, removal), { remove: true }).steps).toEqual([]);
  });

  it("root's guard refuses a rule that would hide the desktop's own GPU or another device than its name says", async () => {
    const model = await host('intel-igpu-nvidia');
    const good = plan(model, { gpu: VM_GPU });
    const swap = (from: string, to: string): Plan => ({ ...good, steps: good.steps.map((s) => (s.kind === 'write-file' && s.path === udevRulePath(VM_GPU) ? { ...s, content: s.content.replaceAll(from, to) } : s)) });
    expect(() => guardPlan(model, swap('KERNELS=="0000:01:00.0"', 'KERNELS=="0000:00:02.0"'))).toThrow(/another device than the one it is named after/);
    const renamed: Plan = { ...good, steps: good.steps.map((s) => (s.kind === 'write-file' && s.path === udevRulePath(VM_GPU) ? { ...s, path: udevRulePath('0000:00:02.0'), content: s.content.replaceAll(VM_GPU, '0000:00:02.0') } : s)) };
    expect(() => guardPlan(model, renamed)).toThrow(/drives the host's display/);
    expect(() => guardPlan(model, swap('TAG+="mutter-device-ignore"', 'RUN+="/bin/sh -c reboot"'))).toThrow(/does not write/);
  });
});
