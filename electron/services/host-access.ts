// The single way services read the machine: the host source of the context (a root directory or a host
// spec file) through electron/host/load.ts, cleaned up after use. Loader errors become one-line
// messages that say which file or directory and why.
import type { HostModel } from '../../shared/host/model';
import { HostFileMissingError, HostSpecError, loadHost, UnreadableRootError } from '../host/load';
import type { ServiceContext } from './context';
import { ServiceError } from './service-error';

export async function withHost<T>(
  ctx: ServiceContext,
  use: (model: HostModel) => T | Promise<T>,
): Promise<T> {
  let loaded;
  try {
    loaded = await loadHost(ctx.hostSource);
  } catch (error) {
    if (error instanceof HostSpecError) {
      throw new ServiceError(
        'host-unreadable',
        `${error.source ?? 'The host description'} is not valid: ${error.problems.join('; ')}`,
      );
    }
    if (error instanceof HostFileMissingError || error instanceof UnreadableRootError) {
      throw new ServiceError('host-unreadable', error.message);
    }
    throw error;
  }
  try {
    return await use(loaded.model);
  } finally {
    await loaded.cleanup();
  }
}
