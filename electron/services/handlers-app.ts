// app.info and settings.*: what the window shows about the app itself and the user's choices.
import os from 'node:os';
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { defaultSettings, readStoredSettings, writeStoredSettings } from './settings-store';
import { recommendsSingleGpu } from './host-recommendation';

type AppHandlers = Pick<Handlers, 'app.info' | 'settings.get' | 'settings.set'>;

export const createAppHandlers = (ctx: ServiceContext): AppHandlers => {
  const effective = async () => ({
    ...defaultSettings(await recommendsSingleGpu(ctx)),
    ...(await readStoredSettings(ctx.dataDir)),
  });
  return {
    'app.info': async () => ({
      version: ctx.version,
      shell: ctx.shell,
      simulated: ctx.simulatedRoot !== null || ctx.hostSource.host !== undefined,
      hostName: ctx.hostSource.host !== undefined ? 'simulated host' : os.hostname(),
    }),
    'settings.get': effective,
    'settings.set': async (change) => {
      await writeStoredSettings(ctx.dataDir, change);
      const settings = await effective();
      await ctx.onSettingsChanged?.(settings);
      return settings;
    },
  };
};
