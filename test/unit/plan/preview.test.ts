import { describe, expect, it } from 'vitest';
import { emptyPlan, type Plan } from '../../../shared/plan/model';
import { previewStep, renderPlan, showArg } from '../../../shared/plan/preview';

describe('plan preview', () => {
  it('shows a unified diff for an edit', () => {
    const p = previewStep({ kind: 'edit-file', path: '/etc/default/grub', before: 'A="quiet"\nB=1\n', after: 'A="quiet iommu=pt"\nB=1\n', reason: 'turn on' });
    expect(p.summary).toBe('edit /etc/default/grub');
    expect(p.diff).toContain('--- a/etc/default/grub');
    expect(p.diff).toContain('-A="quiet"');
    expect(p.diff).toContain('+A="quiet iommu=pt"');
    expect(p.diff).toContain(' B=1');
  });

  it('diffs a new file against /dev/null and a removal to /dev/null', () => {
    expect(previewStep({ kind: 'write-file', path: '/etc/gpu-ferry/x', content: 'new\n', mode: 0o644, owner: 'root', group: 'root', before: null, reason: 'r' }).diff).toContain('--- /dev/null');
    expect(previewStep({ kind: 'remove-file', path: '/etc/gpu-ferry/x', before: 'old\n', reason: 'r' }).diff).toContain('+++ /dev/null');
  });

  it('uses the current content for a write without before', () => {
    const p = previewStep({ kind: 'write-file', path: '/etc/x', content: 'b\n', mode: 0o644, owner: 'root', group: 'root', reason: 'r' }, () => 'a\n');
    expect(p.diff).toContain('-a');
    expect(p.diff).toContain('+b');
  });

  it('prints exact argv, quoting only what a shell would need', () => {
    expect(previewStep({ kind: 'run', argv: ['grub-mkconfig', '-o', '/boot/grub/grub.cfg'], reason: 'r' }).summary).toBe('run grub-mkconfig -o /boot/grub/grub.cfg');
    expect(showArg("it's here")).toBe(`'it'\\''s here'`);
    expect(previewStep({ kind: 'module-load', module: 'kvmfr', params: ['static_size_mb=64'], reason: 'r' }).summary).toBe('run modprobe kvmfr static_size_mb=64');
  });

  it('renders reasons, warnings, reboot; an empty plan says nothing to do', () => {
    const plan: Plan = { ...emptyPlan('iommu', 'IOMMU'), steps: [{ kind: 'unit', action: 'restart', unit: 'libvirtd.service', reason: 'pick up the hook' }], warnings: ['encrypted root'], reboot: 'kernel parameters' };
    const text = renderPlan(plan);
    expect(text).toContain('1. run systemctl restart libvirtd.service');
    expect(text).toContain('why: pick up the hook');
    expect(text).toContain('! encrypted root');
    expect(text).toContain('Reboot needed afterwards: kernel parameters');
    expect(renderPlan(emptyPlan('iommu', 'IOMMU'))).toContain('Nothing to do');
  });
});
