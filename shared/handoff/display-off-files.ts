// The files of the `display-off-vm-gpu` goal: what keeps the host's display servers off a GPU that goes to
// a VM while the host keeps another (dual-GPU mode with the start/stop hook). Root's file guard checks
// every line against the same shapes (electron/privileged/guard-files.ts).

/**
 * Xorg adds every GPU it finds as an extra "GPU screen" when it starts and whenever one appears
 * (xf86platformAddGPUDevices and xf86platformAddDevice in the X server's xf86platformBus.c both return
 * early when ServerFlags' AutoAddGPU is off); its main screen stays on the GPU it picks first (the
 * firmware's boot GPU). One file for the machine: the flag is not per GPU.
 */
export const XORG_SNIPPET_PATH = '/etc/X11/xorg.conf.d/20-gpu-ferry-display-off-vm-gpu.conf';

export const xorgSnippet = (): string =>
  [
    '# GPU Ferry (gpu-ferry apply display-off-vm-gpu): Xorg runs on the GPU it starts on and adds no other',
    '# GPU, so a GPU given to a VM is never held by the desktop. Undo with gpu-ferry undo.',
    'Section "ServerFlags"',
    '    Option "AutoAddGPU" "false"',
    'EndSection',
    '',
  ].join('\n');

const RULE_PREFIX = '/etc/udev/rules.d/61-gpu-ferry-display-off-';

/** One udev rule per VM GPU, named after its address (: and . as -), like the SR-IOV rules. */
export const udevRulePath = (gpu: string): string => `${RULE_PREFIX}${gpu.replace(/[:.]/g, '-')}.rules`;

export const isUdevRulePath = (p: string): boolean => p.startsWith(RULE_PREFIX) && p.endsWith('.rules');

/**
 * GNOME's compositor (mutter) opens no DRM device tagged mutter-device-ignore (mutter's own 61-mutter.rules
 * tags the virtual vkms device this way). KERNELS matches the card's parent PCI device, whatever card number
 * the kernel gives it.
 */
export const udevRule = (gpu: string): string =>
  [
    `# GPU Ferry (gpu-ferry apply display-off-vm-gpu): GNOME leaves the GPU at ${gpu} to the VM.`,
    `SUBSYSTEM=="drm", KERNEL=="card[0-9]*", KERNELS=="${gpu}", TAG+="mutter-device-ignore"`,
    '',
  ].join('\n');

/** A ServerFlags section in an Xorg configuration text, comments left out. */
export const hasServerFlags = (text: string): boolean => text.split('\n').some((l) => /^\s*Section\s+"ServerFlags"/i.test(l.replace(/#.*/, '')));

/** The text turns AutoAddGPU off (Xorg's boolean words for false). */
export const disablesAutoAddGpu = (text: string): boolean =>
  text.split('\n').some((l) => /^\s*Option\s+"AutoAddGPU"\s+"(false|off|no|0)"/i.test(l.replace(/#.*/, '')));
