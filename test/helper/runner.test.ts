// electron/system/helper-runner.ts driving the real helper on a tree: results, journal, undo, and errors
// that say what happened. pkexec's own exit codes are mapped by helperExitError.
import { chownSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlan, listJournal, undoEntry, unfinishedUndo } from '../../electron/system/helper-runner';
import { HelperError, helperExitError } from '../../electron/system/pkexec-errors';
import { parseHelperLine, type HelperLine } from '../../shared/plan/helper-output';
import { emptyPlan, type Plan } from '../../shared/plan/model';
import { makeTree, removeTree, snapshot, withoutJournalDirs } from './lib';

const root = makeTree({ 'etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n' });
afterAll(() => removeTree(root));

const plan: Plan = {
  ...emptyPlan('runner', 'Runner test'),
  steps: [
    { kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX=""\n', after: 'GRUB_CMDLINE_LINUX="iommu=pt"\n', reason: 'edit' },
    { kind: 'run', argv: ['update-grub'], reason: 'regenerate' },
  ],
};

describe('helper runner', () => {
  it('applies, streams lines, lists the journal and undoes', async () => {
    const before = snapshot(root);
    const seen: HelperLine['type'][] = [];
    const result = await applyPlan(plan, { root, onLine: (l) => seen.push(l.type) });
    expect(result.journalId).toMatch(/^\d{8}T\d{6}Z-\d+$/);
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'not-executed']);
    expect(seen).toEqual(['journal', 'result', 'result', 'done']);
    expect(readFileSync(path.join(root, 'etc/default/grub'), 'utf8')).toBe('GRUB_CMDLINE_LINUX="iommu=pt"\n');
    const journal = await listJournal({ root });
    expect(journal).toEqual([
      { id: result.journalId, goal: 'runner', title: 'Runner test', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), state: 'applied', files: ['/etc/default/grub'] },
    ]);
    const undone = await undoEntry('last', { root });
    expect(undone.journalId).toBe(result.journalId);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('an unfinished undo says which commands the person still has to run', () => {
    const lines = ['result 0 ok restore /etc/default/grub', 'pending 1 grubby --update-kernel=ALL --remove-args=iommu=pt', 'result 2 ok rerun /usr/sbin/grub2-mkconfig -o /boot/grub2/grub.cfg', 'error undo-incomplete - the files are restored'].map(parseHelperLine);
    const last = lines.at(-1);
    const generic = helperExitError(3, '', last?.type === 'error' ? last : null, true)!;
    expect(generic.message).toMatch(/^Applying failed/); // what the exit code alone would say
    const error = unfinishedUndo(generic, lines);
    expect(error?.code).toBe('failed');
    expect(error?.message).toBe('Every file was put back, but undoing what the commands did is not finished. Run as root: `grubby --update-kernel=ALL --remove-args=iommu=pt`.');
    expect(unfinishedUndo(helperExitError(3, '', { code: 'step-failed', step: 1, message: 'x' }, true)!, lines)).toBeNull();
  });

  it('an empty plan does not run the helper', async () => {
    expect(await applyPlan(emptyPlan('x', 'x'), { root: '/nonexistent' })).toEqual({ journalId: null, steps: [] });
  });

  it('a refused plan rejects with the helper code and step', async () => {
    const bad: Plan = { ...plan, steps: [{ kind: 'write-file', path: '/etc/shadow', content: '', mode: 0o600, owner: 'root', group: 'root', reason: 'no' }] };
    const error = await applyPlan(bad, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelperError);
    expect(error).toMatchObject({ code: 'rejected', detail: { helperCode: 'path-not-allowed', step: 0 } });
    expect((error as Error).message).toContain('nothing was changed');
  });

  it.runIf(process.getuid?.() === 0)('as root, refuses to simulate on a root-owned tree', async () => {
    const mine = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-rootowned-'));
    chownSync(mine, 0, 0);
    await expect(applyPlan(plan, { root: mine })).rejects.toMatchObject({ code: 'root-owned-tree' });
    removeTree(mine);
  });

  it('maps pkexec exit codes and a missing agent to clear errors', () => {
    expect(helperExitError(0, '', null, true)).toBeNull();
    expect(helperExitError(126, '', null, true)?.code).toBe('dismissed');
    expect(helperExitError(127, 'Error executing command as another user: Not authorized', null, true)?.code).toBe('not-authorized');
    const agent = helperExitError(127, 'Error executing command as another user: No authentication agent found.', null, true);
    expect(agent?.code).toBe('no-polkit-agent');
    expect(agent?.message).toMatch(/polkit agent/i);
    expect(helperExitError(127, '', null, false)?.code).toBe('crashed'); // without pkexec 127 is just an exit status
    expect(helperExitError(5, '', { code: 'busy', step: null, message: 'another' }, true)?.code).toBe('busy');
  });
});
