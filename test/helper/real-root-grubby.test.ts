// The iommu goal as real root on a Fedora-like machine (overlay-machine.ts: /etc/os-release says Fedora,
// /etc/default/grub is there, grubby is a stand-in that records its argv): the request computed as nobody,
// root computes the same grubby commands, runs them, and undo runs their inverses, newest first (their
// real-root coverage was lost with the old stand-in tests). Needs root (CI runs the tiers as root).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCode, removeOpenDirs } from './lib';
import { overlayMachine } from './overlay-machine';

const isRoot = process.getuid?.() === 0;
afterAll(removeOpenDirs);

const FEDORA = 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=41\n';
const GRUB = 'GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX="rhgb quiet"\nGRUB_ENABLE_BLSCFG=true\n';

const fedora = () => overlayMachine({ etc: { 'os-release': { content: FEDORA, mode: 0o644 }, 'default/grub': { content: GRUB, mode: 0o644 } }, programs: ['grubby'] });

describe.runIf(isRoot)('grubby as real root', () => {
  it('reviewed by nobody; root runs grubby --args per parameter, and undo runs --remove-args newest first', () => {
    const m = fedora();
    const reviewed = m.review('iommu', {});
    const grubby = reviewed.steps.filter((s) => s.kind === 'run' && s.argv[0] === 'grubby');
    expect(grubby.length).toBeGreaterThan(0);
    const added = grubby.map((s) => (s.kind === 'run' ? s.argv.slice(1).join(' ') : ''));
    for (const a of added) expect(a).toMatch(/^--update-kernel=ALL --args=[a-z_]+(=[a-z0-9]+)?$/);

    const applied = m.privileged(['apply'], reviewed.request);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(m.calls()).toEqual(added.map((a) => `grubby ${a}`));

    const undone = m.privileged(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    const inverses = added.map((a) => `grubby ${a.replace('--args=', '--remove-args=')}`).reverse();
    expect(m.calls()).toEqual([...added.map((a) => `grubby ${a}`), ...inverses]);
  });

  it('refuses a request reviewed before the machine changed (grubby was removed since), running nothing', () => {
    const m = fedora();
    const reviewed = m.review('iommu', {});
    rmSync(path.join(m.bin, 'grubby'));
    const r = m.privileged(['apply'], reviewed.request);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(errorCode(r)).toBe('machine-changed');
    expect(m.calls()).toEqual([]);
  });
});
