// The iommu goal as real root on a systemd-boot machine with unified kernel images built by dracut
// (overlay-machine.ts: /boot/loader/loader.conf and a UKI under /boot/EFI/Linux, /etc/kernel/cmdline,
// dracut a stand-in that records its argv): root edits /etc/kernel/cmdline and rebuilds the images with
// dracut; undo puts the file back and runs dracut again, so the images match it (the regenerator is
// root's, journaled). Needs root (CI runs the tiers as root).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { overlayMachine } from './overlay-machine';
import { removeOpenDirs } from './lib';

const isRoot = process.getuid?.() === 0;
afterAll(removeOpenDirs);

const CMDLINE = 'root=UUID=0b5c1f7e-2d4a-4c1b-9f00-5a7d3c2e1b90 rw quiet\n';

describe.runIf(isRoot)('dracut as real root', () => {
  it('reviewed by nobody; root edits /etc/kernel/cmdline and runs dracut, undo restores it and runs dracut again', () => {
    const m = overlayMachine({
      etc: { 'kernel/cmdline': { content: CMDLINE, mode: 0o644 } },
      boot: { 'loader/loader.conf': { content: 'timeout 3\n', mode: 0o644 }, 'EFI/Linux/linux-6.12.efi': { content: 'MZ', mode: 0o644 } },
      programs: ['dracut'],
    });
    const reviewed = m.review('iommu', {});
    expect(reviewed.steps.map((s) => s.kind)).toEqual(['edit-file', 'run']);
    expect(reviewed.steps[1]).toMatchObject({ argv: ['dracut', '--regenerate-all', '--force'], undo: 'rerun' });

    const applied = m.privileged(['apply'], reviewed.request);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const file = path.join(m.etc, 'kernel/cmdline');
    const after = readFileSync(file, 'utf8');
    expect(after).not.toBe(CMDLINE);
    expect(after.startsWith(CMDLINE.trimEnd())).toBe(true);
    expect(m.calls()).toEqual(['dracut --regenerate-all --force']);

    const undone = m.privileged(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(CMDLINE);
    expect(m.calls()).toEqual(['dracut --regenerate-all --force', 'dracut --regenerate-all --force']);
  });
});
