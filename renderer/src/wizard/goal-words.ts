// Goals in words a person reads: a short name, and when to choose it (the app never shows the raw goal
// name, which is the CLI's word).
const names: Record<string, string> = {
  iommu: 'Turn the IOMMU on',
  'vfio-early': 'Reserve the GPU for the VM from boot',
  'handoff-config': 'Hand-over settings for this VM',
  'hook-install': 'The start/stop hook',
  'display-off-vm-gpu': "Keep the Linux desktop off the VM's GPU",
  hugepages: 'Huge pages for the VM',
  'looking-glass': 'Looking Glass shared memory',
};

const when: Record<string, string> = {
  iommu: 'Needed once: the kernel starts with the IOMMU on, so a device can be given to a VM. Takes effect at the next restart.',
  'vfio-early':
    'Binding at boot: the GPU belongs to the VM from power-on and Linux never uses it. Only with two GPUs, when you will not use this one in Linux. Otherwise the start/stop hook is the better choice.',
  'handoff-config': 'What the hook hands over for this VM: every function of the GPU and the driver to unload.',
  'hook-install':
    'The start/stop hook moves the GPU to the VM when it starts and back to Linux when it stops, so Linux can use it in between. Needed with one GPU; the usual choice with two.',
  'display-off-vm-gpu':
    "With two GPUs and the start/stop hook: when the Linux desktop starts it opens every GPU it finds, the VM's too, and then the VM cannot take it. This keeps the desktop on your other GPU. Takes effect once the login screen restarts (or the computer does).",
  hugepages: 'Reserves the VM memory in 2 MiB pages at boot.',
  'looking-glass': 'Lets you see and use Windows in a window on your Linux desktop.',
};

/** The goal's name in words; `fallback` (the plan's own title) for a goal this version does not know. */
export const goalWords = (goal: string, fallback: string): string => names[goal] ?? fallback;

/** When to choose the goal, or null. */
export const goalWhen = (goal: string): string | null => when[goal] ?? null;
