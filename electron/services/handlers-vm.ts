// vm.*, handoff.log and lg.*: the Windows VMs in libvirt (through virsh with the context's URI), their
// handoff timeline (the runtime's log) and Looking Glass. State changes are pushed as vm.state events.
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { readHandoffLog } from '../system/handoff-log';
import { runPreflight } from '../system/libvirt-preflight';
import { launchForVm, liveState, NotRunningError } from '../system/looking-glass-status';
import { destroyDomain, dumpXml, listDomains, shutdownDomain, startDomain } from '../system/virsh';
import { withHost } from './host-access';
import { lookingGlassRunning } from './lg-process';
import { ServiceError } from './service-error';
import { summarize, vmSummary, withVirshErrors } from './vm-summary';
import { virshConnection } from '../system/demo-libvirt';

type VmHandlers = Pick<
  Handlers,
  'vm.list' | 'vm.check' | 'vm.start' | 'vm.stop' | 'handoff.log' | 'lg.status' | 'lg.launch'
>;

export const createVmHandlers = (ctx: ServiceContext): VmHandlers => {
  const virsh = virshConnection(ctx.libvirtUri);
  /** Where logs and device files are read: the simulated root when there is one. */
  const systemRoot = () => ctx.simulatedRoot ?? ctx.hostSource.root ?? '/';
  const changed = async (name: string) =>
    withHost(ctx, async (host) => {
      const summary = await vmSummary(name, host, virsh);
      ctx.events.emit('vm.state', summary);
      return summary;
    });

  /** The preflight checks of `gpu-ferry vm check NAME`. */
  const checks = (name: string) =>
    withHost(ctx, async (host) => (await runPreflight({ host, xml: await dumpXml(name, virsh), root: host.root })).items);

  return {
    'vm.list': async () =>
      withVirshErrors(() =>
        withHost(ctx, async (host) => {
          const domains = await listDomains(virsh);
          return Promise.all(
            domains.map(async (d) => summarize(d.name, d.state, await dumpXml(d.name, virsh), host)),
          );
        }),
      ),
    'vm.check': async (name) => withVirshErrors(() => checks(name)),
    'vm.start': async (name) =>
      withVirshErrors(async () => {
        // Launch never skips the checks (as `gpu-ferry vm start` without --skip-checks): a failing one refuses.
        const failing = (await checks(name)).filter((i) => i.status === 'fail');
        if (failing.length > 0)
          throw new ServiceError('checks-failed', `${name} was not started: ${failing.map((i) => i.message + (i.fix ? ` (${i.fix})` : '')).join(' ')}`);
        await startDomain(name, virsh);
        return changed(name);
      }),
    'vm.stop': async (name, { force }) =>
      withVirshErrors(async () => {
        await (force ? destroyDomain(name, virsh) : shutdownDomain(name, virsh));
        return changed(name);
      }),
    'handoff.log': async (name) => {
      const log = await readHandoffLog(name, systemRoot());
      return log.events.map(({ ts, vm, phase, step, status, durationMs, message }) => ({
        ts,
        vm,
        phase,
        step,
        status,
        durationMs,
        message,
      }));
    },
    'lg.status': async () => {
      const state = await liveState(systemRoot());
      return {
        client: state.client.path !== null,
        version: state.client.version,
        running: await lookingGlassRunning(),
      };
    },
    'lg.launch': async (name) =>
      withVirshErrors(async () => {
        // lg.status does not look for the client on a simulated machine; launching it would not match.
        if (ctx.simulatedRoot !== null) throw new ServiceError('simulated', 'This is a simulated machine: Looking Glass opens on your own computer.');
        try {
          return await launchForVm(name, virsh);
        } catch (error) {
          if (error instanceof NotRunningError) throw new ServiceError('vm-not-running', error.message);
          if (error instanceof Error && /not installed/.test(error.message)) {
            throw new ServiceError(
              'lg-missing',
              `${error.message} Install it from https://looking-glass.io/downloads (the version must match the host application in Windows).`,
            );
          }
          throw error;
        }
      }),
  };
};
