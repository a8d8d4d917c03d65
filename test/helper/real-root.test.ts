// The privileged program as real root, without --root, as pkexec runs it: it scans the real machine and
// computes the plan itself, writes root's files, journals in /var/lib, runs the commands of the plan and
// their inverses on undo. A private mount namespace binds temporary directories over /etc/sysctl.d and
// /var/lib and a stand-in over /usr/sbin/sysctl (the `hugepages` goal), so nothing real changes. The
// stand-in records its argv; trigger files make it fail or kill the whole run mid-command (setsid: a
// SIGKILL of everything, exactly like a crash). Needs root (CI runs the tiers as root).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, openDir, PRIVILEGED, removeOpenDirs, request, planOn, errorCode } from './lib';
import type { Plan } from '../../shared/plan/model';

const isRoot = process.getuid?.() === 0;
afterAll(removeOpenDirs);

const FAKE_SYSCTL = `#!/bin/sh
echo "$*" >>/var/lib/fake-sysctl
if [ -e /var/lib/fake-sysctl-fails ]; then echo "sysctl: permission denied on key" >&2; exit 1; fi
if [ -e /var/lib/fake-sysctl-dies ]; then rm /var/lib/fake-sysctl-dies; kill -KILL 0; fi
echo "vm.nr_hugepages = done"
`;

interface Machine {
  sysctlD: string;
  varLib: string;
  run: (args: string[], input?: string) => { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; events: ReturnType<typeof lines> };
}

function machine(): Machine {
  const sysctlD = openDir('sysctl');
  const varLib = openDir('varlib');
  const bin = openDir('bin');
  writeFileSync(path.join(bin, 'sysctl'), FAKE_SYSCTL, { mode: 0o755 });
  const binds = 'mount --bind "$1" /etc/sysctl.d && mount --bind "$2" /var/lib && mount --bind "$3/sysctl" /usr/sbin/sysctl && mount --bind "$3/sysctl" /sbin/sysctl';
  const run = (args: string[], input = '') => {
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', `${binds} && shift 3 && exec setsid "$@"`, 'ns', sysctlD, varLib, bin, process.execPath, PRIVILEGED, ...args], {
      input,
      encoding: 'utf8',
      env: {},
    });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, events: lines(r.stdout) };
  };
  return { sysctlD, varLib, run };
}

let plan: Plan;
const OPTIONS = { pages: 1 };
beforeAll(async () => {
  if (isRoot) plan = await planOn('/', 'hugepages', OPTIONS);
});

describe.runIf(isRoot)('the privileged program as real root', () => {
  it('computes, applies as root, and undo runs the inverse command', () => {
    const m = machine();
    expect(plan.steps.map((s) => s.kind)).toEqual(['write-file', 'run']);
    const applied = m.run(['apply'], request('hugepages', OPTIONS, plan));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const file = path.join(m.sysctlD, 'gpu-ferry-hugepages.conf');
    expect(readFileSync(file, 'utf8')).toMatch(/^vm\.nr_hugepages = 1$/m);
    const st = statSync(file);
    expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }).toEqual({ uid: 0, gid: 0, mode: 0o644 });
    expect(readFileSync(path.join(m.varLib, 'fake-sysctl'), 'utf8')).toBe('-p /etc/sysctl.d/gpu-ferry-hugepages.conf\n');
    const entries = readdirSync(path.join(m.varLib, 'gpu-ferry/journal')).filter((e) => !e.startsWith('.'));
    expect(entries).toHaveLength(1);
    expect(statSync(path.join(m.varLib, 'gpu-ferry/journal', entries[0]!, 'plan.json')).mode & 0o777).toBe(0o600);

    const undone = m.run(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);
    const inverse = plan.steps[1]?.kind === 'run' && typeof plan.steps[1].undo === 'object' ? plan.steps[1].undo.argv.slice(1).join(' ') : null;
    expect(inverse).toMatch(/^-w vm\.nr_hugepages=\d+$/);
    expect(readFileSync(path.join(m.varLib, 'fake-sysctl'), 'utf8')).toBe(`-p /etc/sysctl.d/gpu-ferry-hugepages.conf\n${inverse}\n`);
  });

  it('a failing command rolls the files back and says what failed; a failing inverse is left pending', () => {
    const m = machine();
    writeFileSync(path.join(m.varLib, 'fake-sysctl-fails'), '');
    const failed = m.run(['apply'], request('hugepages', OPTIONS, plan));
    expect(failed.status).toBe(3);
    // The failed step's own inverse ran too (it may have made its change before failing) and failed here.
    expect(errorCode(failed)).toBe('rollback-incomplete');
    expect(failed.events).toContainEqual(expect.objectContaining({ type: 'pending', step: 1 }));
    expect(existsSync(path.join(m.sysctlD, 'gpu-ferry-hugepages.conf'))).toBe(false);
    const journal = m.run(['journal']);
    expect(journal.events).toContainEqual(expect.objectContaining({ type: 'entry', state: 'rollback-incomplete' }));
  });

  it('killed in the middle of a command: the next run rolls the change back, inverse included', () => {
    const m = machine();
    writeFileSync(path.join(m.varLib, 'fake-sysctl-dies'), '');
    const killed = m.run(['apply'], request('hugepages', OPTIONS, plan));
    expect(killed.signal ?? killed.status).not.toBe(0);
    expect(existsSync(path.join(m.sysctlD, 'gpu-ferry-hugepages.conf'))).toBe(true);
    const recovered = m.run(['recover']);
    expect(recovered.status, recovered.stdout + recovered.stderr).toBe(0);
    expect(recovered.events).toContainEqual(expect.objectContaining({ type: 'recovered', state: 'rolled-back' }));
    expect(existsSync(path.join(m.sysctlD, 'gpu-ferry-hugepages.conf'))).toBe(false);
    expect(readFileSync(path.join(m.varLib, 'fake-sysctl'), 'utf8').split('\n')).toContain('-p /etc/sysctl.d/gpu-ferry-hugepages.conf');
    expect(readFileSync(path.join(m.varLib, 'fake-sysctl'), 'utf8')).toMatch(/-w vm\.nr_hugepages=\d+\n$/);
  });

  it('refuses --root as root', () => {
    const r = spawnSync(process.execPath, [PRIVILEGED, '--root', tmpdir(), 'journal'], { encoding: 'utf8' });
    expect(r.status).toBe(64);
    expect(lines(r.stdout)).toContainEqual(expect.objectContaining({ type: 'error', code: 'root-not-allowed' }));
  });
});
