// The one application window: sandboxed, context-isolated renderer with only our preload, its size and
// position remembered between runs.
import { BrowserWindow, screen } from 'electron';
import { fitToScreens, loadWindowState, saveWindowState, type WindowState } from './window-state';

export interface WindowOptions {
  preloadPath: string;
  iconPath: string;
  dataDir: string;
  /** Load this URL (dev server) instead of the packaged file. */
  devUrl: string | null;
  rendererFile: string;
}

export async function createMainWindow(options: WindowOptions): Promise<BrowserWindow> {
  const saved = fitToScreens(
    await loadWindowState(options.dataDir),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    width: saved.width,
    height: saved.height,
    x: saved.x,
    y: saved.y,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'GPU Ferry',
    icon: options.iconPath,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows, around setWindowOpenHandler's checks.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = () => {
    const state: WindowState = { ...win.getNormalBounds(), maximized: win.isMaximized() };
    void saveWindowState(options.dataDir, state).catch(() => undefined);
  };
  win.on('close', remember);

  if (options.devUrl !== null) await win.loadURL(options.devUrl);
  else await win.loadFile(options.rendererFile);
  return win;
}
