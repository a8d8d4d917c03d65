// Settings and app info (shell, simulated or real machine).
import type { Settings } from '../../../shared/ipc/contract';
import type { SettingsSlice, Slice } from './types';

export const createSettingsSlice: Slice<SettingsSlice> = (api) => (set) => ({
  info: null,
  settings: null,
  settingsError: null,
  loadSettings: async () => {
    const [info, settings] = await Promise.all([api.invoke('app.info'), api.invoke('settings.get')]);
    set({
      info: info.ok ? info.value : null,
      settings: settings.ok ? settings.value : null,
      settingsError: !info.ok ? info.error : !settings.ok ? settings.error : null,
    });
  },
  pickIso: async () => {
    const result = await api.invoke('app.pickIso');
    return result.ok ? result.value : null;
  },
  updateSettings: async (patch: Partial<Settings>) => {
    const result = await api.invoke('settings.set', patch);
    if (result.ok) set({ settings: result.value, settingsError: null });
    else set({ settingsError: result.error });
  },
});
