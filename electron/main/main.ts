// The Electron main process: one hardened window, the IPC router over the shared services, the tray,
// the autostart entry and handoff notifications. Single instance: a second launch focuses the window.
import { app, BrowserWindow, dialog, ipcMain, Notification, session } from 'electron';
import { pathToFileURL } from 'node:url';
import type { HandoffEvent, Settings, VmSummary } from '../../shared/ipc/contract';
import type { Handlers } from '../services/dispatch';
import type { ServiceContext } from '../services/context';
import { createEventHub } from '../services/events';
import { createHandlers } from '../services/handlers';
import { dispatch } from '../services/dispatch';
import { watchHandoffLogs } from '../services/handoff-watch';
import { dataDir as defaultDataDir, iconFile, preloadFile, rendererFile } from './app-paths';
import { applyAutostart } from './autostart';
import { handoffNotification } from './handoff-notification';
import { forwardEvents, registerIpc } from './ipc-router';
import { parseMainOptions } from './main-options';
import { hardenSession, hardenWebContents } from './security';
import { createTray } from './tray';
import { createMainWindow } from './window';
import type { TrustedOrigins } from './trusted-sender';

const options = parseMainOptions(process.argv.slice(1));
// A dev server is honoured only in an unpackaged checkout, never in an installed app.
const devUrl = !app.isPackaged && process.env.GPU_FERRY_DEV_URL ? process.env.GPU_FERRY_DEV_URL : null;
const origins: TrustedOrigins = { rendererFileUrl: pathToFileURL(rendererFile()).href, devUrl };
const dataDir = options.dataDir ?? defaultDataDir();
/** What the autostart entry runs: the AppImage itself when we are one, else this executable. */
const launchArgv = (): string[] => [
  process.env.APPIMAGE ?? process.execPath,
  ...(app.isPackaged ? [] : [app.getAppPath()]),
];

let mainWindow: BrowserWindow | null = null;

async function showWindow(): Promise<void> {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    return;
  }
  mainWindow = await createMainWindow({
    preloadPath: preloadFile(),
    iconPath: iconFile(process.resourcesPath),
    dataDir,
    devUrl,
    rendererFile: rendererFile(),
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** The latest run end (prepare/release/rescue done or fail) of any VM, if it ended in the last hour. */
async function announceLastHandoff(handlers: Handlers, notify: (e: HandoffEvent) => void): Promise<void> {
  const vms = await dispatch(handlers, 'vm.list', []);
  if (!vms.ok) return;
  const ends: HandoffEvent[] = [];
  for (const vm of vms.value as VmSummary[]) {
    const log = await dispatch(handlers, 'handoff.log', [vm.name]);
    if (log.ok)
      ends.push(
        ...(log.value as HandoffEvent[]).filter(
          (e) => e.step === e.phase && (e.status === 'done' || e.status === 'fail'),
        ),
      );
  }
  const last = ends.sort((a, b) => a.ts.localeCompare(b.ts)).at(-1);
  if (last && Date.now() - Date.parse(last.ts) < 3600_000) notify(last);
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  const hub = createEventHub();
  const ctx: ServiceContext = {
    hostSource: options.host ? { host: options.host } : { root: '/' },
    simulatedRoot: options.simulatedRoot,
    libvirtUri: options.libvirtUri,
    dataDir,
    events: hub,
    shell: 'electron',
    version: app.getVersion(),
    onSettingsChanged: async (settings: Settings) => {
      await applyAutostart(settings.autostart, launchArgv());
    },
    // The system's file chooser, for the installer ISOs (the renderer gets only the chosen path).
    pickIsoFile: async () => {
      const window = mainWindow ?? undefined;
      const options = { properties: ['openFile' as const], filters: [{ name: 'Disk images (ISO)', extensions: ['iso', 'ISO'] }] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
  const handlers = createHandlers(ctx);
  registerIpc(ipcMain, handlers, origins);
  forwardEvents(hub, () => mainWindow?.webContents ?? null);
  const notify = (event: HandoffEvent) => {
    const text = handoffNotification(event);
    if (text && Notification.isSupported()) new Notification(text).show();
  };
  hub.onAny((event, payload) => {
    if (event === 'handoff.event') notify(payload as HandoffEvent);
  });
  await watchHandoffLogs(options.simulatedRoot ?? '/', hub);
  // Started by the autostart entry after a single-GPU handoff: announce how the last one ended.
  if (options.afterLogin) void announceLastHandoff(handlers, notify);

  const settings = await dispatch(handlers, 'settings.get', []);
  if (settings.ok)
    await applyAutostart((settings.value as Settings).autostart, launchArgv()).catch(() => undefined);

  createTray({
    iconPath: iconFile(process.resourcesPath),
    handlers,
    hub,
    show: () => void showWindow(),
    quit: () => app.quit(),
  });
  await showWindow();
}

app.enableSandbox();
hardenWebContents(app, origins);
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => void showWindow());
  // The tray keeps the app alive with the window closed; Quit in the tray ends it.
  app.on('window-all-closed', () => undefined);
  start().catch((error: unknown) => {
    console.error('gpu-ferry: failed to start:', error);
    app.exit(1);
  });
}
