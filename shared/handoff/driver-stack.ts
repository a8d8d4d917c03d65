// Which host modules to unload before a GPU leaves, in unload order (users first: nvidia_uvm uses
// nvidia_drm uses nvidia_modeset uses nvidia). Release loads them back in reverse. Built-in modules are
// skipped by the runtime itself (it checks /sys/module/<name>/initstate).
const STACKS: Record<string, string[]> = {
  nvidia: ['nvidia_uvm', 'nvidia_drm', 'nvidia_modeset', 'nvidia'],
  nouveau: ['nouveau'],
  amdgpu: ['amdgpu'],
  radeon: ['radeon'],
  i915: ['i915'],
  xe: ['xe'],
  'bochs-drm': ['bochs'],
  'virtio-pci': ['virtio_gpu'],
};

/** The stack for the GPU's current driver; [] when it is unbound, on vfio-pci, or unknown. */
export function driverStack(driver: string | null): string[] {
  if (driver === null || driver === 'vfio-pci') return [];
  return [...(STACKS[driver] ?? [])];
}
