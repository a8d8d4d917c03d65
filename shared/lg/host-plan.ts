// The host side of Looking Glass as one plan: the kvmfr module path (recommended: needed for DMA-BUF)
// or the plain shared memory file fallback. The VM's domain XML is changed separately (domain.ts),
// through libvirt, because libvirt owns that file.
import type { HostModel } from '../host/model';
import { applyEditRule } from '../plan/edit-rules';
import { emptyPlan, type EditRule, type Plan, type Step } from '../plan/model';
import { addAppArmorRule } from './apparmor';
import { fileStep } from './file-step';
import { kvmfrInstallHint } from './kvmfr-source';
import { libvirtQemuUnit } from './libvirt-unit';
import type { LookingGlassOptions } from './options';
import {
  APPARMOR_LOCAL_ABSTRACTION,
  KVMFR_DEVICE,
  MODPROBE_CONF,
  MODULES_LOAD_CONF,
  QEMU_CONF,
  SHM_PATH,
  TMPFILES_CONF,
  UDEV_RULE,
} from './paths';
import { lgSizeMiB, parseResolution } from './size';
import { lgUser } from './user';

const present = (steps: (Step | null)[]): Step[] => steps.filter((s): s is Step => s !== null);

/** The AppArmor rule for `path` plus the reload it needs, where AppArmor is active. */
function appArmorSteps(host: HostModel, path: string): Step[] {
  if (!host.security.apparmor) return [];
  const current = host.files[APPARMOR_LOCAL_ABSTRACTION] ?? null;
  const step = fileStep(host, APPARMOR_LOCAL_ABSTRACTION, addAppArmorRule(current, `${path} rw,`), `AppArmor confines QEMU: allow it to open ${path}.`);
  if (!step) return [];
  return [step, { kind: 'unit', action: 'restart', unit: 'apparmor.service', reason: 'Load the AppArmor rule for the shared memory.' }];
}

function kvmfrSteps(host: HostModel, user: string, group: string, sizeMiB: number, label: string): { steps: Step[]; warnings: string[] } {
  const warnings: string[] = [];
  const modprobe = fileStep(
    host,
    MODPROBE_CONF,
    `# Written by GPU Ferry: Looking Glass shared memory for ${label}.\noptions kvmfr static_size_mb=${sizeMiB}\n`,
    `kvmfr creates ${KVMFR_DEVICE} with ${sizeMiB} MiB, enough for ${label}.`,
  );
  const modulesLoad = fileStep(
    host,
    MODULES_LOAD_CONF,
    '# Written by GPU Ferry: load kvmfr at boot for Looking Glass.\nkvmfr\n',
    'Load the kvmfr module at every boot.',
  );
  const udev = fileStep(
    host,
    UDEV_RULE,
    `# Written by GPU Ferry: ${user} (Looking Glass client) and ${group} (QEMU) may use ${KVMFR_DEVICE}.\nSUBSYSTEM=="kvmfr", OWNER="${user}", GROUP="${group}", MODE="0660"\n`,
    `Give ${user} and the ${group} group access to ${KVMFR_DEVICE}.`,
  );
  const qemuConfReason = `libvirt's device cgroup must allow ${KVMFR_DEVICE}; its default entries are kept.`;
  // Only root may read qemu.conf on Debian and Ubuntu (0600): the plan says what to change, and root
  // computes the bytes (the step is there even when the device is already allowed: nobody here can tell).
  // One rule either way: the planner applies it to the content it sees, root to the bytes only it reads.
  const rule: EditRule = { kind: 'qemu-cgroup-device', device: KVMFR_DEVICE };
  const qemuConf: Step | null = host.privateFiles.includes(QEMU_CONF)
    ? { kind: 'private-edit', path: QEMU_CONF, rule, reason: `${qemuConfReason} Only root may read this file, so GPU Ferry shows the rule, not the lines.` }
    : fileStep(host, QEMU_CONF, applyEditRule(rule, host.libvirt.qemuConf ?? host.files[QEMU_CONF] ?? null), qemuConfReason);
  const steps = present([modprobe, modulesLoad, udev, qemuConf]);
  steps.push(...appArmorSteps(host, KVMFR_DEVICE));
  if (udev) steps.push({ kind: 'run', argv: ['udevadm', 'control', '--reload'], reason: 'Make udev read the new kvmfr rule.', undo: 'rerun' });
  const { kvmfrAvailable, kvmfrLoaded, clientVersion } = host.lookingGlass;
  if (!kvmfrAvailable) {
    warnings.push(`The kvmfr kernel module is not installed. ${kvmfrInstallHint(host, clientVersion)} Then apply this plan again, or use --shm.`);
  } else if (!kvmfrLoaded) {
    steps.push({ kind: 'module-load', module: 'kvmfr', params: [`static_size_mb=${sizeMiB}`], reason: `Create ${KVMFR_DEVICE} now, without a reboot.` });
  } else if (modprobe) {
    warnings.push(`kvmfr is already loaded, maybe with another size: the new size applies once it is reloaded (shut down VMs using ${KVMFR_DEVICE}, then \`modprobe -r kvmfr && modprobe kvmfr\`, or reboot).`);
  }
  if (qemuConf) steps.push({ kind: 'unit', action: 'restart', unit: libvirtQemuUnit(host), reason: 'libvirt reads qemu.conf only when it starts.' });
  if (host.security.selinux) {
    warnings.push(`SELinux is enforcing here: if the VM fails to open ${KVMFR_DEVICE}, \`ausearch -m avc -ts recent\` shows the denial to allow.`);
  }
  return { steps, warnings };
}

function shmSteps(host: HostModel, user: string, group: string): { steps: Step[]; warnings: string[] } {
  const tmpfiles = fileStep(
    host,
    TMPFILES_CONF,
    `# Written by GPU Ferry: the Looking Glass shared memory file, for ${user} (client) and ${group} (QEMU).\nf ${SHM_PATH} 0660 ${user} ${group} -\n`,
    `Create ${SHM_PATH} at boot, owned by ${user} and readable by the ${group} group.`,
  );
  const steps = present([tmpfiles]);
  steps.push(...appArmorSteps(host, SHM_PATH));
  if (tmpfiles) steps.push({ kind: 'run', argv: ['systemd-tmpfiles', '--create', TMPFILES_CONF], reason: `Create ${SHM_PATH} now.` });
  return { steps, warnings: [] };
}

export function planLookingGlass(host: HostModel, options: LookingGlassOptions): Plan {
  const resolution = parseResolution(options.resolution);
  const sizeMiB = lgSizeMiB(resolution, options.hdr);
  const user = lgUser(host, options.user);
  const label = `${resolution.width}×${resolution.height}${options.hdr ? ' HDR' : ''}`;
  const mode = options.shm ? 'shared memory file' : 'kvmfr module';
  const plan = emptyPlan('looking-glass', `Looking Glass (${mode}, ${sizeMiB} MiB for ${label})${options.vm ? ` for ${options.vm}` : ''}`);
  const { steps, warnings } = options.shm ? shmSteps(host, user, options.group) : kvmfrSteps(host, user, options.group, sizeMiB, label);
  plan.steps = steps;
  plan.warnings = warnings;
  if (!host.lookingGlass.client) {
    plan.warnings.push('looking-glass-client is not installed: install the client of the same version as the Windows host application.');
  }
  return plan;
}
