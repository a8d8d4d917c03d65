// The single way services read the machine: the host source of the context (a root directory or a host
// spec file) through the foundation engineer's loader, cleaned up after use.
import type { HostModel } from '../../shared/host/model';
import type { ServiceContext } from './context';
import { unavailable } from './service-error';

// TODO(host loader): wire electron/host/load.ts `loadHost` when it lands (foundation engineer, issue 2).
export async function withHost<T>(
  _ctx: ServiceContext,
  _use: (model: HostModel) => T | Promise<T>,
): Promise<T> {
  throw unavailable('Reading this machine (electron/host/load.ts)');
}
