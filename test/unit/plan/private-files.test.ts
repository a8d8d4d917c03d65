// A goal never plans a file it could not read: a private file (others may not read it) that a planner
// would write, edit or remove is refused at review (and at root, which plans the same way) with what to do.
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadHost, materializeHostFile } from '../../../electron/host/load';
import { goalsByName } from '../../../shared/plan/goals.registry';

const FIXTURE = new URL('../../fixtures/hosts/distro-debian.host.json', import.meta.url).pathname;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

it('refuses to plan /etc/initramfs-tools/modules when only root may read it (it would look absent and be written anew)', async () => {
  const m = await materializeHostFile(JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown, FIXTURE);
  cleanups.push(m.cleanup);
  const goal = goalsByName().get('vfio-early')!;
  const modules = path.join(m.root, 'etc/initramfs-tools/modules');
  const readable = (await loadHost({ root: m.root })).model;
  const options = goal.examples(readable)[0]!;
  // Readable: its vfio lines are already there, nothing to do to it.
  expect(goal.plan(readable, options).steps.filter((s) => 'path' in s && s.path === '/etc/initramfs-tools/modules')).toEqual([]);

  chmodSync(modules, 0o640);
  const hidden = (await loadHost({ root: m.root })).model;
  expect(hidden.privateFiles).toContain('/etc/initramfs-tools/modules');
  expect(() => goal.plan(hidden, options)).toThrow('/etc/initramfs-tools/modules is readable only by root, so GPU Ferry cannot review a change to it. Let every user read it (chmod o+r /etc/initramfs-tools/modules)');
});
