// How setup's run steps are undone: rpm-ostree's inverse reverses each option, last first; regenerators
// are run again. (Which steps get which undo on every distro is in the golden plans.)
import { describe, expect, it } from 'vitest';
import { inverseKargs } from '../../../shared/setup/cmdline-tools';
import { regenerateStep, runStep } from '../../../shared/setup/steps';

describe('undo of setup run steps', () => {
  it('inverts rpm-ostree kargs options, last first, keeping values that contain =', () => {
    expect(inverseKargs(['--delete=vfio-pci.ids=10de:1b80', '--append=vfio-pci.ids=10de:2206,10de:1aef'])).toEqual([
      '--delete-if-present=vfio-pci.ids=10de:2206,10de:1aef',
      '--append-if-missing=vfio-pci.ids=10de:1b80',
    ]);
    expect(inverseKargs(['--delete-if-present=iommu=soft', '--append-if-missing=iommu=pt'])).toEqual(['--delete-if-present=iommu=pt', '--append-if-missing=iommu=soft']);
  });

  it('marks regenerators rerun and leaves other commands without undo unless given one', () => {
    expect(regenerateStep(['mkinitcpio', '-P'], 'r')).toEqual({ kind: 'run', argv: ['mkinitcpio', '-P'], reason: 'r', undo: 'rerun' });
    expect(runStep(['update-grub'], 'r')).toEqual({ kind: 'run', argv: ['update-grub'], reason: 'r' });
  });
});
