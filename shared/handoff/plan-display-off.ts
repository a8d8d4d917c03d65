// Goal `display-off-vm-gpu --gpu ADDR | --remove`: keep the host's display servers off the GPU a VM gets
// while the host keeps another GPU (dual-GPU mode with the start/stop hook). Xorg adds every GPU it finds
// when it starts and holds it; GNOME's compositor does the same; the hook then has to refuse every Launch.
// A goal of its own, not part of handoff-config: it is one setting for the machine (Xorg's flag is not per
// GPU, the udev rule is per GPU, not per VM), it needs the display server restarted, and undoing a VM's
// handoff config must not change the desktop.
import { z } from 'zod';
import type { HostModel } from '../host/model';
import { buildDoctorReport } from '../analyze/doctor';
import type { DoctorReport, GpuReport } from '../analyze/report';
import { defineGoal } from '../plan/goals';
import { emptyPlan, type Plan, type Step } from '../plan/model';
import { filesUnder } from '../setup/cmdline-change';
import { pciAddress } from '../setup/goals';
import { onlyHostDisplay } from '../setup/host-facts';
import { removeStep, writeStep } from '../setup/steps';
import { disablesAutoAddGpu, hasServerFlags, isUdevRulePath, udevRule, udevRulePath, XORG_SNIPPET_PATH, xorgSnippet } from './display-off-files';

export const GOAL = 'display-off-vm-gpu';

export const displayOffOptions = z
  .strictObject({ gpu: pciAddress.optional(), remove: z.boolean().optional() })
  .refine((o) => (o.gpu !== undefined) !== (o.remove === true), 'give either --gpu ADDRESS (the GPU the VM gets) or --remove, not both');
export type DisplayOffOptions = z.infer<typeof displayOffOptions>;

const RELOAD: Step = { kind: 'run', argv: ['udevadm', 'control', '--reload'], reason: 'Make udev read the rule now, for the next time the GPU appears.', undo: 'rerun' };

/** Xorg's configuration files as Xorg reads them: xorg.conf, then both xorg.conf.d folders. */
const xorgFiles = (host: HostModel): string[] => [
  ...(host.files['/etc/X11/xorg.conf'] !== undefined ? ['/etc/X11/xorg.conf'] : []),
  ...filesUnder(host.files, '/etc/X11/xorg.conf.d', '.conf'),
  ...filesUnder(host.files, '/usr/share/X11/xorg.conf.d', '.conf'),
];

/** The GPU the VM gets, or why this goal cannot keep the desktop off it. */
function vmGpu(host: HostModel, report: DoctorReport, address: string): GpuReport {
  const gpu = report.gpus.find((g) => g.address === address || g.functions.includes(address));
  if (!gpu) {
    const device = host.pci.find((d) => d.address === address);
    if (device) throw new Error(`${address} is not a GPU (PCI class ${device.classCode}): give the address of the GPU the VM gets (\`gpu-ferry doctor\` lists them).`);
    throw new Error(`No GPU at ${address} on this machine (GPUs found: ${report.gpus.map((g) => g.address).join(', ') || 'none'}).`);
  }
  if (gpu.integrated) throw new Error(`${gpu.address} (${gpu.name}) is an integrated GPU: it cannot be handed to a VM this way, so there is nothing to keep the desktop off.`);
  if (report.gpus.length < 2)
    throw new Error(`Refusing: ${gpu.address} is this machine's only GPU (single-GPU mode). Keeping the desktop off it would leave Linux without a screen; with one GPU the desktop closes while the VM runs and needs no such setting.`);
  const device = host.pci.find((d) => d.address === gpu.address);
  if (device && onlyHostDisplay(host, device))
    throw new Error(`Refusing: ${gpu.address} drives every screen of this machine now (no other GPU has a monitor connected). Keeping the desktop off it would leave Linux without a screen: connect a monitor to the other GPU first, or use the single-GPU mode.`);
  if (device?.bootVga === true)
    throw new Error(`Refusing: ${gpu.address} is the GPU the firmware starts on (boot VGA), and Xorg makes that GPU its main screen whatever this setting says. Make the other GPU the primary display in the firmware setup first.`);
  return gpu;
}

/** Words for the host's own GPU card today (for KWin's and wlroots' settings, which name a card). */
function hostCard(host: HostModel, report: DoctorReport, vm: GpuReport): string {
  const other = report.gpus.find((g) => g.address !== vm.address && g.drivesHostDisplay) ?? report.gpus.find((g) => g.address !== vm.address);
  const card = host.pci.find((d) => d.address === other?.address)?.drm?.card;
  return card ? `/dev/dri/${card} (the host's GPU ${other?.address ?? ''} today; the number can change between boots)` : "the host GPU's /dev/dri/cardN";
}

/** Plan.reboot's words: a restart of the computer always works; with Xorg restarting the display manager is enough. */
const restartWords = (host: HostModel): string => {
  const unit = host.displayManager.unit ?? 'display-manager.service';
  return `The display server reads this when it starts: restart the computer, or with Xorg (LightDM, SDDM or GDM on X11) log out and run \`sudo systemctl restart ${unit}\` instead (it closes every open window). GNOME on Wayland needs the restart of the computer: the udev tag applies when the GPU appears.`;
};

export function planDisplayOff(host: HostModel, o: DisplayOffOptions): Plan {
  if (o.remove) return planDisplayOffRemove(host);
  if (o.gpu === undefined) throw new Error(`${GOAL} needs --gpu ADDRESS (the GPU the VM gets) or --remove`);
  const report = buildDoctorReport(host);
  const gpu = vmGpu(host, report, o.gpu);
  const plan = emptyPlan(GOAL, `Keep the Linux desktop off the VM's GPU (${gpu.address})`);
  const foreign = xorgFiles(host).filter((p) => p !== XORG_SNIPPET_PATH && hasServerFlags(host.files[p] ?? ''));
  if (foreign.length === 0)
    plan.steps.push(...writeStep(XORG_SNIPPET_PATH, xorgSnippet(), host.files[XORG_SNIPPET_PATH] ?? null, 'Xorg stays on the GPU it starts on and does not open the other GPUs (ServerFlags AutoAddGPU off).'));
  else if (!foreign.some((p) => disablesAutoAddGpu(host.files[p] ?? '')))
    // Xorg keeps only the last ServerFlags section it reads: a second one would drop the person's options.
    plan.warnings.push(
      `${foreign.join(', ')} already ${foreign.length === 1 ? 'has' : 'have'} a ServerFlags section, and Xorg keeps only the last one it reads, so GPU Ferry does not add its own: add the line Option "AutoAddGPU" "false" to that section yourself.`,
    );
  const rule = udevRulePath(gpu.address);
  const ruleSteps = writeStep(rule, udevRule(gpu.address), host.files[rule] ?? null, `GNOME (mutter) ignores the GPU at ${gpu.address} (udev tag mutter-device-ignore).`);
  plan.steps.push(...ruleSteps);
  if (ruleSteps.length > 0) plan.steps.push(RELOAD);
  const screens = Object.entries(host.pci.find((d) => d.address === gpu.address)?.drm?.connectors ?? {}).filter(([, s]) => s === 'connected');
  if (screens.length > 0)
    plan.warnings.push(`A monitor is connected to ${gpu.address} (${screens.map(([n]) => n).join(', ')}): the Linux desktop stops using it; it shows the VM while the VM runs.`);
  plan.warnings.push(
    'Xorg then uses only the GPU it starts on: it adds no second GPU for extra screens or PRIME render offload while this is applied.',
    `KDE Plasma on Wayland (KWin) and wlroots compositors (Sway, Hyprland) read neither file: set KWIN_DRM_DEVICES (KWin) or WLR_DRM_DEVICES (wlroots) to ${hostCard(host, report, gpu)} in the session's environment.`,
  );
  if (plan.steps.length > 0) plan.reboot = restartWords(host);
  return plan;
}

/** --remove: every file of this goal (the Xorg snippet, each GPU's udev rule). */
function planDisplayOffRemove(host: HostModel): Plan {
  const plan = emptyPlan(GOAL, 'Let the Linux desktop use every GPU again');
  const ours = [XORG_SNIPPET_PATH, ...filesUnder(host.files, '/etc/udev/rules.d', '.rules').filter(isUdevRulePath)].filter((p) => host.files[p] !== undefined);
  for (const p of ours) plan.steps.push(removeStep(p, host.files[p] ?? '', 'Written by display-off-vm-gpu; removing it lets the display servers use every GPU again.'));
  if (ours.some(isUdevRulePath)) plan.steps.push(RELOAD);
  if (plan.steps.length > 0) plan.reboot = restartWords(host);
  return plan;
}

/** GPUs this goal can keep the desktop off on `host` (the round-trip test's cases). */
function candidates(host: HostModel): DisplayOffOptions[] {
  const report = buildDoctorReport(host);
  return report.gpus.flatMap((g) => {
    try {
      vmGpu(host, report, g.address);
      return [{ gpu: g.address }];
    } catch {
      return [];
    }
  });
}

export const displayOffGoal = defineGoal({
  name: GOAL,
  summary: "Keep the Linux desktop off the VM's GPU (dual-GPU with the start/stop hook): Xorg adds no second GPU, GNOME ignores it; or --remove",
  options: displayOffOptions,
  flags: { '--gpu': { key: 'gpu' }, '--remove': { key: 'remove', boolean: true } },
  plan: planDisplayOff,
  examples: candidates,
});
