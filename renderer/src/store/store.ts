// The app store: every slice over one API. Created per API so tests run the real store over their own.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GpuFerryApi } from '../../../shared/ipc/contract';
import { createHandoffSlice } from './handoff-slice';
import { createHostSlice } from './host-slice';
import { createIntegrationSlice } from './integration-slice';
import { createPlansSlice } from './plans-slice';
import { createSettingsSlice } from './settings-slice';
import type { AppState } from './types';
import { createVmChangeSlice } from './vm-change-slice';
import { createVmsSlice } from './vms-slice';
import { createWizardSlice } from './wizard-slice';

export type AppStore = StoreApi<AppState>;

export const createAppStore = (api: GpuFerryApi): AppStore =>
  createStore<AppState>()((...a) => ({
    ...createHostSlice(api)(...a),
    ...createWizardSlice(api)(...a),
    ...createPlansSlice(api)(...a),
    ...createVmsSlice(api)(...a),
    ...createVmChangeSlice(api)(...a),
    ...createHandoffSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
    ...createIntegrationSlice(api)(...a),
  }));

/** Routes the contract's push events into the store; returns the unsubscribe function. */
export const connectEvents = (api: GpuFerryApi, store: AppStore): (() => void) => {
  const offs = [
    api.on('plan.progress', (p) => store.getState().appendProgress({ index: p.index, line: p.line })),
    api.on('vm.state', (vm) => store.getState().upsertVm(vm)),
    api.on('handoff.event', (e) => store.getState().appendHandoffEvent(e)),
  ];
  return () => offs.forEach((off) => off());
};
