// Tests only, honoured only when simulating on a --root tree and not running as root (pkexec clears the
// environment, and the launcher starts us with an empty one, so root never sees these):
// GPU_FERRY_TEST_CRASH_AFTER=N kills us right after step N (-1: after journaling; undo-restored: after undo
// put the files back; inverse-N / rerun-N: after that undo command). GPU_FERRY_TEST_PAUSE_FIFO=FIFO waits
// for a line on it between checking and writing, so a test can swap a directory at the worst moment.
import { lstatSync, readFileSync } from 'node:fs';
import type { Tree } from './safe-fs';

const testing = (tree: Tree): boolean => tree.simulated && tree.euid !== 0;

export function crashPoint(tree: Tree, name: string): void {
  if (testing(tree) && process.env.GPU_FERRY_TEST_CRASH_AFTER === name) process.kill(process.pid, 'SIGKILL');
}

export function testPause(tree: Tree): void {
  const fifo = process.env.GPU_FERRY_TEST_PAUSE_FIFO;
  if (!testing(tree) || !fifo) return;
  try {
    if (lstatSync(fifo).isFIFO()) readFileSync(fifo);
  } catch {
    // no pause
  }
}
