// electron/system/helper-runner.ts driving the real privileged program on a tree: the request it sends,
// results, journal, undo, and errors that say what happened. pkexec's own exit codes: helperExitError.
import { chownSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, applyRequest, listJournal, undoEntry, unfinishedUndo } from '../../electron/system/helper-runner';
import { HelperError, helperExitError } from '../../electron/system/pkexec-errors';
import { parseHelperLine, type HelperLine } from '../../shared/plan/helper-output';
import { emptyPlan, type Plan } from '../../shared/plan/model';
import { fixtureTree, planOn, removeTree, snapshot, withoutJournalDirs } from './lib';

let root = '';
let plan: Plan;
beforeAll(async () => {
  root = await fixtureTree('distro-debian');
  plan = await planOn(root, 'iommu');
});
afterAll(() => removeTree(root));

describe('helper runner', () => {
  it('applies, streams lines, lists the journal and undoes', async () => {
    const before = snapshot(root);
    const seen: HelperLine['type'][] = [];
    const result = await applyPlan({ goal: 'iommu', options: {}, plan }, { root, onLine: (l) => seen.push(l.type) });
    expect(result.journalId).toMatch(/^\d{8}T\d{6}Z-\d+$/);
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'not-executed']);
    expect(seen).toEqual(['planned', 'journal', 'result', 'result', 'done']);
    expect(readFileSync(path.join(root, 'etc/default/grub'), 'utf8')).toMatch(/^GRUB_CMDLINE_LINUX_DEFAULT='quiet vfio-pci.ids=1002:73bf,1002:ab28 intel_iommu=on iommu=pt'/m);
    const journal = await listJournal({ root });
    expect(journal).toEqual([
      { id: result.journalId, goal: 'iommu', title: plan.title, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), state: 'applied', files: ['/etc/default/grub'] },
    ]);
    const undone = await undoEntry('last', { root });
    expect(undone.journalId).toBe(result.journalId);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('an unfinished undo says which commands the person still has to run', () => {
    const lines = [
      { type: 'result', step: 0, status: 'ok', kind: 'restore', detail: '/etc/default/grub' },
      { type: 'pending', step: 1, command: 'grubby --update-kernel=ALL --remove-args=iommu=pt' },
      { type: 'result', step: 2, status: 'ok', kind: 'rerun', detail: '/usr/sbin/grub2-mkconfig -o /boot/grub2/grub.cfg' },
      { type: 'error', code: 'undo-incomplete', step: null, message: 'the files are restored' },
    ].map((l) => parseHelperLine(JSON.stringify(l)));
    const last = lines.at(-1);
    const generic = helperExitError(3, '', last?.type === 'error' ? last : null, true)!;
    expect(generic.message).toMatch(/^Applying failed/); // what the exit code alone would say
    const error = unfinishedUndo(generic, lines);
    expect(error?.code).toBe('failed');
    expect(error?.message).toBe('Every file was put back, but undoing what the commands did is not finished. Run as root: `grubby --update-kernel=ALL --remove-args=iommu=pt`.');
    expect(unfinishedUndo(helperExitError(3, '', { code: 'step-failed', step: 1, message: 'x' }, true)!, lines)).toBeNull();
  });

  it('an empty plan does not run the helper', async () => {
    expect(await applyPlan({ goal: 'x', options: {}, plan: emptyPlan('x', 'x') }, { root: '/nonexistent' })).toEqual({ journalId: null, steps: [] });
  });

  it('sends root only the goal, its options, the fingerprint, a nonce and the time: never the plan', () => {
    const sent = JSON.parse(applyRequest({ goal: 'iommu', options: { a: 1 }, plan }, 1234)) as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['fingerprint', 'format', 'goal', 'issuedAt', 'nonce', 'options']);
    expect(sent).toMatchObject({ goal: 'iommu', options: { a: 1 }, issuedAt: 1234, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(sent)).not.toContain('GRUB');
  });

  it('a plan that is not what root computes is refused with a clear message', async () => {
    const other: Plan = { ...plan, steps: plan.steps.slice(0, 1) };
    const error = await applyPlan({ goal: 'iommu', options: {}, plan: other }, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelperError);
    expect(error).toMatchObject({ code: 'rejected', detail: { helperCode: 'machine-changed', step: null } });
    expect((error as Error).message).toContain('this machine changed since you reviewed the plan; review it again');
    expect((error as Error).message).toContain('nothing was changed');
  });

  it.runIf(process.getuid?.() === 0)('as root, refuses to simulate on a root-owned tree', async () => {
    const mine = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-rootowned-'));
    chownSync(mine, 0, 0);
    await expect(applyPlan({ goal: 'iommu', options: {}, plan }, { root: mine })).rejects.toMatchObject({ code: 'root-owned-tree' });
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
