// What a caller can send root, and root refusing everything but a fresh, well-formed request for the plan
// the person reviewed: malformed, oversized, out-of-range, unknown, replayed, stale, and requests made
// against a machine that changed since review. Every refusal changes nothing (tree byte for byte).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/plan/model';
import { argvAsNobody, errorCode, fixtureTree, helper, planOn, removeTree, request, snapshot, withoutJournalDirs } from './lib';

let root = '';
let plan: Plan;
beforeAll(async () => {
  root = await fixtureTree('distro-debian');
  plan = await planOn(root, 'iommu');
});
afterAll(() => removeTree(root));

/** Sends INPUT; expects it refused with CODE (exit 2 unless told) and the tree unchanged. */
function refused(input: string, code: string, status = 2): string {
  const before = snapshot(root);
  const r = helper(['--root', root, 'apply'], input);
  expect(r.status, r.stdout + r.stderr).toBe(status);
  expect(errorCode(r), r.stdout).toBe(code);
  expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  return r.events.flatMap((e) => (e.type === 'error' ? [e.message] : [])).join('');
}

describe('requests root refuses', () => {
  it('malformed: not JSON, not UTF-8, empty, trailing data, wrong types, unknown or missing fields', () => {
    const good = request('iommu', {}, plan);
    refused('', 'empty-request');
    refused('{', 'bad-request');
    refused(Buffer.from([0xff, 0xfe, 0x7b]).toString('latin1'), 'bad-request');
    refused(`${good} {}`, 'bad-request');
    refused(JSON.stringify({ ...JSON.parse(good), steps: plan.steps }), 'bad-request'); // a plan is not part of a request
    refused(JSON.stringify({ ...JSON.parse(good), format: 'gpu-ferry-plan/1' }), 'bad-request');
    const { nonce: _n, ...noNonce } = JSON.parse(good) as Record<string, unknown>;
    refused(JSON.stringify(noNonce), 'bad-request');
    refused(request('iommu', {}, plan, { fingerprint: 'abc' }), 'bad-request');
    refused(request('iommu', {}, plan, { nonce: '../../etc' }), 'bad-request');
    refused(request('iommu', {}, plan, { issuedAt: 'now' }), 'bad-request');
    refused(request('iommu', {}, plan, { options: [] }), 'bad-request');
    refused(request('iommu', { 'a b': 1 }, plan), 'bad-request');
    refused(request('../iommu', {}, plan), 'bad-request');
  });

  it('oversized: more than 64 KiB is refused without reading further', () => {
    const message = refused(request('iommu', { pad: 'x'.repeat(4000) }, plan, { extra: 'y'.repeat(70 * 1024) }), 'too-large');
    expect(message).toMatch(/larger than 65536 bytes/);
  });

  it('unknown goals and options outside the goal schema (unknown keys, out of range)', async () => {
    refused(request('format-disk', {}, plan), 'unknown-goal');
    refused(request('iommu', { force: true }, plan), 'bad-options');
    refused(request('hugepages', { pages: -5 }, plan), 'bad-options');
    refused(request('hugepages', { pages: 1.5 }, plan), 'bad-options');
    refused(request('vfio-early', { gpu: '0000:01:00.0; rm -rf /' }, plan), 'bad-options');
    // A count within the schema but beyond what the planner allows: the planner's own refusal, at root.
    const t = await fixtureTree('amd-navi21-desktop');
    try {
      const r = helper(['--root', t, 'apply'], request('hugepages', { pages: 9_000_000 }, await planOn(t, 'hugepages', { pages: 1 })));
      expect(errorCode(r)).toBe('cannot-plan');
    } finally {
      removeTree(t);
    }
  });

  it('a fingerprint of another plan: "this machine changed since you reviewed the plan"', () => {
    const other = { ...plan, steps: plan.steps.slice(0, 1) };
    const message = refused(request('iommu', {}, other), 'machine-changed');
    expect(message).toBe('this machine changed since you reviewed the plan; review it again');
  });

  it('a machine that changed after the review is refused, and the review made now applies', async () => {
    const t = await fixtureTree('distro-debian');
    try {
      const reviewed = await planOn(t, 'iommu');
      const grub = path.join(t, 'etc/default/grub');
      writeFileSync(grub, readFileSync(grub, 'utf8').replace('quiet', 'quiet splash'));
      const before = snapshot(t);
      const r = helper(['--root', t, 'apply'], request('iommu', {}, reviewed));
      expect(r.status).toBe(2);
      expect(errorCode(r)).toBe('machine-changed');
      expect(withoutJournalDirs(snapshot(t), before)).toEqual(before);
      const again = helper(['--root', t, 'apply'], request('iommu', {}, await planOn(t, 'iommu')));
      expect(again.status, again.stdout).toBe(0);
    } finally {
      removeTree(t);
    }
  });

  it('stale and future-dated requests', () => {
    refused(request('iommu', {}, plan, { issuedAt: Date.now() - 11 * 60 * 1000 }), 'stale-request');
    refused(request('iommu', {}, plan, { issuedAt: Date.now() + 5 * 60 * 1000 }), 'stale-request');
  });

  it('a replayed request is refused, even after the change it made was undone', async () => {
    const t = await fixtureTree('distro-debian');
    try {
      const input = request('iommu', {}, await planOn(t, 'iommu'));
      const first = helper(['--root', t, 'apply'], input);
      expect(first.status, first.stdout).toBe(0);
      expect(helper(['--root', t, 'undo', 'last']).status).toBe(0);
      const before = snapshot(t);
      const replay = helper(['--root', t, 'apply'], input);
      expect(replay.status).toBe(2);
      expect(errorCode(replay)).toBe('replayed-request');
      expect(snapshot(t)).toEqual(before);
    } finally {
      removeTree(t);
    }
  });

  it('an empty plan has nothing to apply', async () => {
    const t = await fixtureTree('distro-debian');
    try {
      const input = request('iommu', {}, await planOn(t, 'iommu'));
      expect(helper(['--root', t, 'apply'], input).status).toBe(0);
      const nothing = await planOn(t, 'iommu');
      expect(nothing.steps).toEqual([]);
      const r = helper(['--root', t, 'apply'], request('iommu', {}, nothing));
      expect(errorCode(r)).toBe('nothing-to-do');
    } finally {
      removeTree(t);
    }
  });

  it('usage errors: unknown verb, extra arguments, --root without a directory', () => {
    expect(helper(['--root', root, 'format']).status).toBe(64);
    expect(helper(['--root', root, 'journal', 'x']).status).toBe(64);
    expect(helper(['--root']).status).toBe(64);
    expect(helper(['--root', path.join(root, 'nope'), 'journal']).status).toBe(64);
  });
});

describe('the polkit policy', () => {
  it('has one action per privileged verb, each for the installed launcher, password every time', () => {
    const policy = readFileSync(path.resolve(__dirname, '../../resources/polkit/io.github.gpuferry.policy'), 'utf8');
    const verbs = [...policy.matchAll(/<annotate key="org\.freedesktop\.policykit\.exec\.argv1">([a-z]+)<\/annotate>/g)].map((m) => m[1]);
    expect(verbs.sort()).toEqual(['apply', 'recover', 'undo']);
    expect([...policy.matchAll(/exec\.path">([^<]+)</g)].map((m) => m[1])).toEqual(['/usr/libexec/gpu-ferry/gpu-ferry-helper', '/usr/libexec/gpu-ferry/gpu-ferry-helper', '/usr/libexec/gpu-ferry/gpu-ferry-helper']);
    expect(policy).not.toMatch(/auth_admin_keep|<allow_[a-z]+>yes</);
    // Every verb with an action is one the program has; anything else is a usage error.
    for (const verb of verbs) expect(helper([verb!]).stdout).not.toMatch(/unknown verb/);
  });
});

describe('a caller that stops listening', () => {
  it('closing its end of stdout (EPIPE) does not stop root half way: the apply finishes and is journaled', async () => {
    const t = await fixtureTree('distro-debian');
    try {
      const input = request('iommu', {}, await planOn(t, 'iommu'));
      const requestFile = path.join(t, 'request.json');
      writeFileSync(requestFile, input);
      // `true` exits at once, so every event root writes meets a closed pipe.
      const argv = argvAsNobody(['--root', t, 'apply']);
      const r = spawnSync('bash', ['-c', '"$@" < "$0" | true', requestFile, ...argv], { encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/EPIPE/);
      expect(readFileSync(path.join(t, 'etc/default/grub'), 'utf8')).toMatch(/intel_iommu=on/);
      const journal = helper(['--root', t, 'journal']);
      expect(journal.events.some((e) => e.type === 'entry' && e.state === 'applied'), journal.stdout).toBe(true);
    } finally {
      removeTree(t);
    }
  });
});
