// Undo restores exact bytes and modes, removes what the plan created, and refuses when a file changed since
// or when the journal was tampered with; it acts only on root's own journal entries.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, examplesOn, fixtureTree, helper, journalId, removeTree, requestFor, snapshot, withoutJournalDirs } from './lib';

const trees: string[] = [];
afterEach(() => trees.splice(0).forEach(removeTree));

/**
 * vfio-early on a Debian desktop whose vfio ids were set by hand: binding creates the modprobe file;
 * --remove edits /etc/default/grub and /etc/initramfs-tools/modules (example 1).
 */
async function applied(example = 0): Promise<{ root: string; id: string; before: ReturnType<typeof snapshot> }> {
  const root = await fixtureTree('distro-debian', (r) => chmodSync(path.join(r, 'etc/initramfs-tools/modules'), 0o604));
  trees.push(root);
  const before = snapshot(root);
  const options = (await examplesOn(root, 'vfio-early'))[example];
  const { plan, input } = await requestFor(root, 'vfio-early', options);
  expect(plan.steps.length).toBeGreaterThan(1);
  const r = helper(['--root', root, 'apply'], input);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return { root, id: journalId(r)!, before };
}

describe('undo', () => {
  it('keeps the mode of an edited file, and undo restores its bytes and mode', async () => {
    const { root, id, before } = await applied(1);
    expect(statSync(path.join(root, 'etc/initramfs-tools/modules')).mode & 0o777).toBe(0o604);
    expect(snapshot(root)).not.toEqual(before);
    const r = helper(['--root', root, 'undo', id]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('undo by id removes created files, and an entry is undone once', async () => {
    const { root, id, before } = await applied();
    expect(statSync(path.join(root, 'etc/modprobe.d/gpu-ferry-vfio.conf')).mode & 0o777).toBe(0o644);
    const r = helper(['--root', root, 'undo', id]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.events).toContainEqual({ type: 'undone', id });
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    const j = helper(['--root', root, 'journal']);
    expect(j.events).toContainEqual(expect.objectContaining({ type: 'entry', id, state: 'undone', goal: 'vfio-early' }));
    expect(errorCode(helper(['--root', root, 'undo', id]))).toBe('not-applied');
  });

  it('refuses, changing nothing, when a file was changed after applying', async () => {
    const { root } = await applied();
    writeFileSync(path.join(root, 'etc/modprobe.d/gpu-ferry-vfio.conf'), 'someone else\n');
    const changed = snapshot(root);
    const r = helper(['--root', root, 'undo', 'last']);
    expect(r.status).toBe(4);
    expect(errorCode(r)).toBe('file-changed');
    expect(r.stdout).toContain('/etc/modprobe.d/gpu-ferry-vfio.conf');
    expect(snapshot(root)).toEqual(changed);
  });

  it('refuses when a created file was removed by someone else', async () => {
    const { root } = await applied();
    removeTree(path.join(root, 'etc/modprobe.d/gpu-ferry-vfio.conf'));
    expect(errorCode(helper(['--root', root, 'undo', 'last']))).toBe('file-changed');
  });

  it('refuses a tampered journal: a path outside what the goals own, or a command no goal runs', async () => {
    const { root, id } = await applied();
    writeFileSync(path.join(root, 'etc/shadow'), 'root:secret\n');
    const entry = path.join(root, 'var/lib/gpu-ferry/journal', id);
    const files = readFileSync(path.join(entry, 'files.json'), 'utf8');
    writeFileSync(path.join(entry, 'files.json'), JSON.stringify([{ step: 0, path: '/etc/shadow' }]));
    let tampered = snapshot(root, { withJournal: true });
    let r = helper(['--root', root, 'undo', id]);
    expect(r.status).toBe(4);
    expect(errorCode(r)).toBe('bad-journal');
    expect(snapshot(root, { withJournal: true })).toEqual(tampered);

    writeFileSync(path.join(entry, 'files.json'), files);
    const plan = JSON.parse(readFileSync(path.join(entry, 'plan.json'), 'utf8')) as { steps: unknown[] };
    plan.steps.push({ kind: 'run', argv: ['sh', '-c', 'touch /tmp/owned'], undo: 'rerun', reason: 'smuggled' });
    writeFileSync(path.join(entry, 'plan.json'), JSON.stringify(plan));
    tampered = snapshot(root, { withJournal: true });
    r = helper(['--root', root, 'undo', id]);
    expect(r.status).toBe(4);
    expect(errorCode(r)).toBe('bad-journal');
    expect(snapshot(root, { withJournal: true })).toEqual(tampered);
  });

  it('rejects unknown ids and malformed ids clearly', async () => {
    const { root } = await applied();
    expect(errorCode(helper(['--root', root, 'undo', '20990101T000000Z-1']))).toBe('no-such-entry');
    const bad = helper(['--root', root, 'undo', '../../etc']);
    expect(bad.status).toBe(64);
  });

  it('refuses verbs that change things without --root as a user', () => {
    const r = helper(['apply'], '');
    expect(r.status).toBe(64);
    expect(r.stdout).toMatch(/pkexec|--root/);
  });
});
