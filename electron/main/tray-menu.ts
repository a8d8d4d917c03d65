// The tray menu as data (so it is testable without Electron): one line per VM with its state, and
// Launch / Shut down for each, enabled only where that makes sense.
import type { VmSummary } from '../../shared/ipc/contract';

export type TrayAction =
  { kind: 'show' } | { kind: 'start'; vm: string } | { kind: 'stop'; vm: string } | { kind: 'quit' };

export interface TrayItem {
  label: string;
  enabled: boolean;
  action: TrayAction | null;
  separatorBefore?: boolean;
}

const running = (state: string) => state === 'running' || state === 'paused';

export function trayTooltip(vms: VmSummary[] | null): string {
  if (vms === null) return 'GPU Ferry — VMs unavailable';
  const up = vms.filter((v) => running(v.state)).map((v) => v.name);
  return up.length === 0 ? 'GPU Ferry — no VM running' : `GPU Ferry — running: ${up.join(', ')}`;
}

export function trayMenu(vms: VmSummary[] | null): TrayItem[] {
  const items: TrayItem[] = [{ label: 'Open GPU Ferry', enabled: true, action: { kind: 'show' } }];
  if (vms === null) {
    items.push({
      label: 'VMs unavailable (is libvirt running?)',
      enabled: false,
      action: null,
      separatorBefore: true,
    });
  } else if (vms.length === 0) {
    items.push({ label: 'No VMs yet', enabled: false, action: null, separatorBefore: true });
  }
  for (const [i, vm] of (vms ?? []).entries()) {
    const mode = vm.mode === 'single-gpu' ? ' (single GPU)' : vm.mode === 'dual-gpu' ? ' (dual GPU)' : '';
    items.push({
      label: `${vm.name}${mode}: ${vm.state}`,
      enabled: false,
      action: null,
      separatorBefore: i === 0,
    });
    items.push({
      label: `Launch ${vm.name}`,
      enabled: !running(vm.state),
      action: { kind: 'start', vm: vm.name },
    });
    items.push({
      label: `Shut down ${vm.name}`,
      enabled: running(vm.state),
      action: { kind: 'stop', vm: vm.name },
    });
  }
  items.push({ label: 'Quit', enabled: true, action: { kind: 'quit' }, separatorBefore: true });
  return items;
}
