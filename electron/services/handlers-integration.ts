// integration.*: the one-time system integration for copies that do not come from a deb/rpm (AppImage):
// its status, the exact list it would install or remove (the deb/rpm after-install's list), and doing it.
// A simulated machine has no system to integrate with: refused there.
import { integrationStatus } from '../system/integration-status';
import { installSystemIntegration, removeSystemIntegration } from '../system/system-integration';
import type { ServiceContext } from './context';
import type { Handlers } from './dispatch';
import { ServiceError } from './service-error';

type IntegrationHandlers = Pick<Handlers, 'integration.status' | 'integration.review' | 'integration.apply'>;

export const createIntegrationHandlers = (ctx: ServiceContext): IntegrationHandlers => ({
  'integration.status': async () => integrationStatus(),
  'integration.review': async ({ action }) => {
    const status = integrationStatus();
    const blocked = action === 'install' && !status.node.ok ? status.node.message : null;
    return { action, files: status.files, node: status.node, blocked };
  },
  'integration.apply': async ({ action }) => {
    if (ctx.simulatedRoot !== null) throw new ServiceError('simulated', 'This is a simulated machine: the system integration is installed on a real one only.');
    try {
      if (action === 'install') await installSystemIntegration();
      else await removeSystemIntegration();
    } catch (error) {
      throw new ServiceError('integration-failed', error instanceof Error ? error.message : String(error));
    }
    return integrationStatus();
  },
});
