// Window size, position and maximized state remembered between runs (data dir window-state.json).
// A missing or broken file gives the defaults; a saved position that is off every screen is dropped.
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../system/atomic-write';
import path from 'node:path';
import { z } from 'zod';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1180, height: 800, maximized: false };

const stateSchema = z.object({
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  x: z.number().int().min(-100000).max(100000).optional(),
  y: z.number().int().min(-100000).max(100000).optional(),
  maximized: z.boolean(),
});

const file = (dataDir: string) => path.join(dataDir, 'window-state.json');

const overlaps = (s: WindowState, a: Area) =>
  s.x !== undefined &&
  s.y !== undefined &&
  s.x < a.x + a.width &&
  s.x + s.width > a.x &&
  s.y < a.y + a.height &&
  s.y + s.height > a.y;

/** Saved state fitted to the current screens (workAreas): a window off every screen is re-centred. */
export function fitToScreens(state: WindowState, workAreas: Area[]): WindowState {
  if (state.x === undefined || workAreas.some((a) => overlaps(state, a))) return state;
  return { width: state.width, height: state.height, maximized: state.maximized };
}

export async function loadWindowState(dataDir: string): Promise<WindowState> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(file(dataDir), 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  const parsed = stateSchema.safeParse(state);
  if (!parsed.success) return;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file(dataDir), JSON.stringify(parsed.data));
}
