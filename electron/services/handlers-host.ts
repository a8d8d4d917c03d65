// host.*: read the machine and analyse it (the same as `gpu-ferry scan` and `gpu-ferry doctor`).
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { withHost } from './host-access';
import { unavailable } from './service-error';

type HostHandlers = Pick<Handlers, 'host.doctor' | 'host.scan' | 'host.rescan'>;

export const createHostHandlers = (ctx: ServiceContext): HostHandlers => {
  // TODO(doctor): shared/analyze buildDoctorReport (issue 2) once it lands.
  const doctor: HostHandlers['host.doctor'] = async () =>
    withHost(ctx, () => {
      throw unavailable('The doctor report (shared/analyze)');
    });
  return {
    'host.scan': async () => withHost(ctx, (model) => model),
    'host.doctor': doctor,
    'host.rescan': doctor,
  };
};
