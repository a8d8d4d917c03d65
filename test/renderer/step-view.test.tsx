// A private-edit step (a file only root may read, edited by a reviewed rule) shows the rule in words and
// says why there are no lines to show: the review is honest about what root will compute.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { StepView } from '../../renderer/src/plans/StepView';

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
