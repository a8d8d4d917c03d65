// plan.make → plan.apply → journal.list → journal.undo through dispatch and the real helper, into a
// simulated root materialized from the same host spec (owned by an unprivileged user, as the helper
// requires when we are root). Undo gives the tree back byte for byte; progress arrives as events.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../../electron/host/materialize';
import { dispatch } from '../../../electron/services/dispatch';
import { createEventHub } from '../../../electron/services/events';
import { createHandlers } from '../../../electron/services/handlers';
import type { ApplyResult, JournalEntry } from '../../../shared/ipc/contract';
import type { PlanReview } from '../../../shared/plan/model';
import { diffTrees, snapshotTree } from '../packaging/tree-snapshot';

const run = promisify(execFile);
const spec = path.join(__dirname, 'fixtures/single-gpu.host.json');
let work: string;
let root: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-apply-'));
  root = path.join(work, 'root');
  await materializeHostSpec(JSON.parse(await readFile(spec, 'utf8')), root);
  if (process.getuid?.() === 0) {
    await chmod(work, 0o755); // the helper runs as nobody and must reach the root
    await run('chown', ['-R', 'nobody:', root]);
  }
});
afterEach(async () => rm(work, { recursive: true, force: true }));

describe('plan handlers with the real helper', () => {
  it('applies the iommu plan into the simulated root, lists it in the journal and undoes it exactly', async () => {
    const hub = createEventHub();
    const progress: unknown[] = [];
    hub.onAny((event, payload) => {
      if (event === 'plan.progress') progress.push(payload);
    });
    const handlers = createHandlers({
      hostSource: { host: spec },
      simulatedRoot: root,
      libvirtUri: 'test:///default',
      dataDir: path.join(work, 'data'),
      events: hub,
      shell: 'browser',
      version: '0',
    });
    const made = await dispatch(handlers, 'plan.make', ['iommu', {}]);
    expect(made.ok, JSON.stringify(made)).toBe(true);
    const review = (made as { value: PlanReview }).value;
    const plan = review.plan;
    expect(plan.steps.length).toBeGreaterThan(0);
    expect(review.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const before = await snapshotTree(root);
    const applied = await dispatch(handlers, 'plan.apply', [review.id]);
    expect(applied.ok, JSON.stringify(applied)).toBe(true);
    const result = (applied as { value: ApplyResult }).value;
    expect(result.journalId).toMatch(/\S/);
    expect(result.steps.map((s) => s.status)).not.toContain('failed');
    expect(diffTrees(before, await snapshotTree(root)).changed).toContain('etc/default/grub');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ journalId: result.journalId });
    // What the window shows while applying: sentences, no protocol tokens (result/ok/not-executed, JSON).
    const lines = (progress as { index: number; line: string }[]).map((p) => p.line);
    expect(lines).toContain('Edited /etc/default/grub');
    for (const line of lines) {
      expect(line).not.toMatch(/^(result|progress|ok|not-executed|STEP)\b|^\s*[[{]|\b(write-file|edit-file|remove-file|sysfs-write)\b/);
      expect(line).toMatch(/^[A-Z]/);
    }
    for (const p of progress as { index: number }[]) expect(p.index).toBeLessThan(plan.steps.length);
    expect(result.steps.map((s) => s.message)).toContain('Edited /etc/default/grub');

    // journal.list: the applied entry with its goal and the files it changed.
    const journal = await dispatch(handlers, 'journal.list', []);
    expect(journal.ok, JSON.stringify(journal)).toBe(true);
    const entry = (journal as { value: JournalEntry[] }).value.find((e) => e.id === result.journalId);
    expect(entry).toMatchObject({ goal: 'iommu', state: 'applied' });
    expect(entry?.files).toContain('/etc/default/grub');
    expect(entry?.title).toBe(plan.title);
    expect(entry?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const undone = await dispatch(handlers, 'journal.undo', [result.journalId!]);
    expect(undone.ok, JSON.stringify(undone)).toBe(true);
    const after = diffTrees(before, await snapshotTree(root));
    // Only the journal (our own record under var/lib/gpu-ferry) remains; every system file is back.
    expect(
      [...after.added, ...after.changed, ...after.removed].filter(
        (p) => !['var', 'var/lib'].includes(p) && !p.startsWith('var/lib/gpu-ferry'),
      ),
    ).toEqual([]);
  });

  it('applies only by the review id: a plan, an unknown id or a used id is refused before anything runs', async () => {
    const handlers = createHandlers({
      hostSource: { host: spec },
      simulatedRoot: root,
      libvirtUri: 'test:///default',
      dataDir: path.join(work, 'data'),
      events: createEventHub(),
      shell: 'browser',
      version: '0',
    });
    const before = await snapshotTree(root);
    const made = (await dispatch(handlers, 'plan.make', ['iommu', {}])) as { ok: true; value: PlanReview };
    const asPlan = await dispatch(handlers, 'plan.apply', [made.value.plan as never]);
    expect(asPlan).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    const unknown = await dispatch(handlers, 'plan.apply', ['3b241101-e2bb-4255-8caf-4136c566a962']);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-review', message: expect.stringMatching(/make the plan again/) } });
    expect(diffTrees(before, await snapshotTree(root))).toEqual({ added: [], removed: [], changed: [] });
    expect((await dispatch(handlers, 'plan.apply', [made.value.id])).ok).toBe(true);
    expect(await dispatch(handlers, 'plan.apply', [made.value.id])).toMatchObject({ ok: false, error: { code: 'unknown-review' } });
  });
});
