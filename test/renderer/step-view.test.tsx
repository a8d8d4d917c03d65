// A private-edit step (a file only root may read, edited by a reviewed rule) shows the rule in words and
// says why there are no lines to show: the review is honest about what root will compute. The SR-IOV live
// steps read as the CLI prints them (previewStep).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { StepView } from '../../renderer/src/plans/StepView';
import { previewStep } from '../../shared/plan/preview';

afterEach(cleanup);

it('shows the rule of a private edit, not a diff', () => {
  render(
    <ol>
      <StepView
        index={3}
        step={{ kind: 'private-edit', path: '/etc/libvirt/qemu.conf', rule: { kind: 'qemu-cgroup-device', device: '/dev/kvmfr0' }, reason: 'libvirt must allow /dev/kvmfr0.' }}
      />
    </ol>,
  );
  expect(screen.getByText('Edit file (only root may read it)')).toBeTruthy();
  const body = screen.getByText(/make cgroup_device_acl include "\/dev\/kvmfr0"/);
  expect(body.textContent).toContain('/etc/libvirt/qemu.conf');
  expect(body.textContent).toContain('Only root may read this file, so the change is shown as this rule, not as lines.');
});

it("shows the SR-IOV live steps in previewStep's words, as the CLI prints them", () => {
  const numvfs = { kind: 'sriov-numvfs', device: '0000:00:02.0', count: 3, before: 2, autoprobe: false, reason: 'Create 3 VFs now.' } as const;
  const bind = { kind: 'vfio-bind-vf', device: '0000:00:02.1', pf: '0000:00:02.0', reason: 'For the VM.' } as const;
  render(
    <ol>
      <StepView index={0} step={numvfs} />
      <StepView index={1} step={bind} />
    </ol>,
  );
  expect(screen.getByText('Set the SR-IOV virtual functions of 0000:00:02.0 from 2 to 3 now (sriov_numvfs; host drivers leave new VFs alone).')).toBeTruthy();
  expect(screen.getByText('Bind 0000:00:02.1 (a virtual function of 0000:00:02.0) to vfio-pci now.')).toBeTruthy();
  expect(previewStep(numvfs).summary).toBe('set the SR-IOV virtual functions of 0000:00:02.0 from 2 to 3 now (sriov_numvfs; host drivers leave new VFs alone)');
});
