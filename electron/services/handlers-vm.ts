// vm.*, handoff.log and lg.*: the Windows VMs in libvirt, their handoff timeline and Looking Glass.
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { unavailable } from './service-error';

type VmHandlers = Pick<
  Handlers,
  'vm.list' | 'vm.check' | 'vm.start' | 'vm.stop' | 'handoff.log' | 'lg.status' | 'lg.launch'
>;

export const createVmHandlers = (_ctx: ServiceContext): VmHandlers => ({
  // TODO(virsh): electron/system/virsh*.ts (issue 6).
  'vm.list': async () => {
    throw unavailable('Listing VMs (electron/system/virsh.ts)');
  },
  'vm.check': async () => {
    throw unavailable('VM preflight checks (electron/system/virsh.ts)');
  },
  'vm.start': async () => {
    throw unavailable('Starting VMs (electron/system/virsh.ts)');
  },
  'vm.stop': async () => {
    throw unavailable('Stopping VMs (electron/system/virsh.ts)');
  },
  // TODO(handoff log): electron/system/handoff-log.ts (issue 5).
  'handoff.log': async () => {
    throw unavailable('The handoff log (electron/system/handoff-log.ts)');
  },
  // TODO(looking glass): electron/system/looking-glass*.ts (issue 7).
  'lg.status': async () => {
    throw unavailable('Looking Glass status (electron/system/looking-glass.ts)');
  },
  'lg.launch': async () => {
    throw unavailable('Launching Looking Glass (electron/system/looking-glass.ts)');
  },
});
