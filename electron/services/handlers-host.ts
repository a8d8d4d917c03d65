// host.*: read the machine and analyse it (the same as `gpu-ferry scan` and `gpu-ferry doctor`), and
// list the keyboards and mice a new VM can be given (the same as `gpu-ferry vm inputs`).
import { buildDoctorReport } from '../../shared/analyze/doctor';
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { withHost } from './host-access';
import { readInputDevices } from '../system/input-devices';

type HostHandlers = Pick<Handlers, 'host.doctor' | 'host.scan' | 'host.rescan' | 'host.input'>;

export const createHostHandlers = (ctx: ServiceContext): HostHandlers => {
  // Every call reads the machine afresh: a rescan after changing BIOS settings or cables needs no cache flush.
  const doctor: HostHandlers['host.doctor'] = async () => withHost(ctx, buildDoctorReport);
  return {
    'host.scan': async () => withHost(ctx, (model) => model),
    'host.doctor': doctor,
    'host.rescan': doctor,
    'host.input': async () => withHost(ctx, (model) => readInputDevices(model.root)),
  };
};
