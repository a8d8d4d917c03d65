// Every invoke channel of the contract, implemented over the real modules. The Electron IPC router and
// the browser-mode server both call these through dispatch(); the type makes a missing channel a
// compile error.
import type { ServiceContext } from './context';
import type { Handlers } from './dispatch';
import { createAppHandlers } from './handlers-app';
import { createHostHandlers } from './handlers-host';
import { createIntegrationHandlers } from './handlers-integration';
import { createPlanHandlers } from './handlers-plan';
import { createVmHandlers } from './handlers-vm';
import { createVmChangeHandlers } from './handlers-vm-change';

export type { ServiceContext } from './context';
export type { Handlers } from './dispatch';

export const createHandlers = (ctx: ServiceContext): Handlers => ({
  ...createAppHandlers(ctx),
  ...createHostHandlers(ctx),
  ...createIntegrationHandlers(ctx),
  ...createPlanHandlers(ctx),
  ...createVmHandlers(ctx),
  ...createVmChangeHandlers(ctx),
});
