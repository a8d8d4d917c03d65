// Where the renderer's API comes from: Electron's preload (window.gpuFerry) when present, otherwise the
// loopback server of browser mode.
import type { GpuFerryApi } from '../../../shared/ipc/contract';
import { createFetchApi } from './fetch-client';
import { readBrowserToken } from './token';

declare global {
  interface Window {
    gpuFerry?: GpuFerryApi;
  }
}

export const resolveApi = (win: Window = window): GpuFerryApi => win.gpuFerry ?? createFetchApi(readBrowserToken(win));
