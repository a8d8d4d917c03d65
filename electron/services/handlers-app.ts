// app.info, app.restart and settings.*: what the window shows about the app itself, restarting the
// computer after a boot change, and the user's choices.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { defaultSettings, readStoredSettings, writeStoredSettings } from './settings-store';
import { recommendsSingleGpu } from './host-recommendation';
import { withHost } from './host-access';
import { hostFileLabel } from '../host/load';
import { restartComputer, RestartError } from '../system/restart';
import { ServiceError } from './service-error';

/**
 * The name of the machine the app describes. Simulated (demo, --host): never this build machine's name,
 * but the host file's base name, else the simulated tree's own /etc/hostname (a snapshot), else its OS's name.
 */
const hostNameOf = async (ctx: ServiceContext): Promise<string> => {
  if (ctx.hostLabel) return ctx.hostLabel;
  if (ctx.hostSource.host !== undefined) return hostFileLabel(ctx.hostSource.host);
  const root = ctx.simulatedRoot ?? ctx.hostSource.root ?? '/';
  if (ctx.simulatedRoot === null && path.resolve(root) === '/') return os.hostname();
  const own = await readFile(path.join(root, 'etc/hostname'), 'utf8').then((t) => t.trim(), () => '');
  if (own !== '') return own;
  return withHost(ctx, (model) => model.os.name ?? 'simulated machine').catch(() => 'simulated machine');
};

type AppHandlers = Pick<Handlers, 'app.info' | 'app.pickIso' | 'app.restart' | 'settings.get' | 'settings.set'>;

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
      hostName: await hostNameOf(ctx),
      readOnly: ctx.readOnly === true,
    }),
    'app.pickIso': async () => {
      if (!ctx.pickIsoFile) throw new ServiceError('unavailable-in-browser', 'A browser cannot hand GPU Ferry the path of a file it picks: type the path of the ISO instead.');
      return ctx.pickIsoFile();
    },
    'app.restart': async () => {
      // A simulated machine is never this computer: nothing restarts.
      if (ctx.simulatedRoot !== null || ctx.hostSource.host !== undefined || (ctx.hostSource.root ?? '/') !== '/')
        throw new ServiceError('simulated', 'This is a simulated machine, so nothing restarts. On your own computer this button runs “systemctl reboot”.');
      try {
        await restartComputer();
      } catch (error) {
        if (error instanceof RestartError) throw new ServiceError('restart-refused', error.message);
        throw error;
      }
      return { restarting: true };
    },
    'settings.get': effective,
    'settings.set': async (change) => {
      await writeStoredSettings(ctx.dataDir, change);
      const settings = await effective();
      await ctx.onSettingsChanged?.(settings);
      return settings;
    },
  };
};
