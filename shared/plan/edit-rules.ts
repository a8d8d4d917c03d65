// The rules of private-edit steps (model.ts): what a person reviews as a sentence, and the bytes root
// computes from the file's current content. One implementation, used by the review and by root.
import { addCgroupDevice } from '../lg/qemu-conf';
import type { EditRule } from './model';

/** The rule as the review shows it. */
export function describeEditRule(rule: EditRule): string {
  switch (rule.kind) {
    case 'qemu-cgroup-device':
      return `make cgroup_device_acl include "${rule.device}" (when it is not set yet: libvirt's default list plus "${rule.device}"); every other line is kept`;
  }
}

/** The new content for `current` (null: no such file); the same text when the rule already holds. */
export function applyEditRule(rule: EditRule, current: string | null): string {
  switch (rule.kind) {
    case 'qemu-cgroup-device':
      return addCgroupDevice(current, rule.device);
  }
}
