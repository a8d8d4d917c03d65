// Putting vfio-pci into the initramfs, so it claims the GPU before a GPU driver that is itself in the
// initramfs (nvidia, amdgpu, i915 with early KMS) can: one function per generator, each returning the
// edits that make it so (ensure) or take it back (remove), and nothing when it already holds.
import type { HostModel } from '../host/model';
import type { Step } from '../plan/model';
import { editCmdline, tokenize } from './kernel-cmdline';
import { VFIO_MODPROBE_FILE } from './modprobe-vfio';
import { findAssignments, replaceInner } from './shell-assignment';
import { editStep, removeStep, writeStep } from './steps';

export const MKINITCPIO_CONF = '/etc/mkinitcpio.conf';
export const DRACUT_VFIO_CONF = '/etc/dracut.conf.d/gpu-ferry-vfio.conf';
export const INITRAMFS_TOOLS_MODULES = '/etc/initramfs-tools/modules';
export const BOOSTER_CONF = '/etc/booster.yaml';

/** The order the Arch wiki documents; vfio_virqfd was merged into vfio in Linux 6.2, so it is not added. */
export const VFIO_MODULES = ['vfio_pci', 'vfio', 'vfio_iommu_type1'];
/** Modules a hand-made setup may have added that --remove also takes out. */
const VFIO_MODULES_ALL = [...VFIO_MODULES, 'vfio_virqfd'];
const GPU_DRIVERS = new Set([
  'nvidia',
  'nvidia_modeset',
  'nvidia_uvm',
  'nvidia_drm',
  'nouveau',
  'amdgpu',
  'radeon',
  'i915',
  'xe',
]);

const norm = (word: string): string => word.replace(/^["']|["']$/g, '').replace(/-/g, '_');

export interface InitramfsEdit {
  steps: Step[];
  warnings: string[];
}

function mkinitcpio(host: HostModel, remove: boolean): InitramfsEdit {
  const text = host.files[MKINITCPIO_CONF];
  if (text === undefined) {
    if (remove) return { steps: [], warnings: [] };
    throw new Error(`mkinitcpio was detected but ${MKINITCPIO_CONF} is missing`);
  }
  const modules = findAssignments(text, 'MODULES').at(-1);
  const reason = remove
    ? 'stop loading vfio in the initramfs'
    : 'load vfio-pci first in the initramfs, before any GPU driver listed there';
  if (!modules) {
    if (remove) return { steps: [], warnings: [] };
    throw new Error(`${MKINITCPIO_CONF} has no MODULES=(...) line; add MODULES=() and plan again`);
  }
  const words = tokenize(modules.inner).map((t) => norm(t.text));
  let inner = modules.inner;
  if (remove) {
    inner = editCmdline(inner, [], VFIO_MODULES_ALL);
  } else {
    const ours = words.filter((w) => VFIO_MODULES.includes(w));
    const firstGpu = words.findIndex((w) => GPU_DRIVERS.has(w));
    const lastOurs = Math.max(...VFIO_MODULES.map((m) => words.lastIndexOf(m)));
    const inOrder = ours.join(' ') === VFIO_MODULES.join(' ') && (firstGpu === -1 || lastOurs < firstGpu);
    if (!inOrder) {
      const rest = editCmdline(inner, [], VFIO_MODULES);
      inner = VFIO_MODULES.join(' ') + (rest === '' || /^\s/.test(rest) ? '' : ' ') + rest;
    }
  }
  const after = inner === modules.inner ? text : replaceInner(text, modules, inner);
  const hooks = findAssignments(text, 'HOOKS').at(-1)?.inner ?? '';
  const warnings =
    !remove && !tokenize(hooks).some((t) => t.key === 'modconf')
      ? [
          `${MKINITCPIO_CONF} has no "modconf" hook, so ${VFIO_MODPROBE_FILE} is not copied into the initramfs: add modconf to HOOKS.`,
        ]
      : [];
  // Drop-ins are sourced after the main file: a plain MODULES=(...) there replaces ours.
  for (const p of Object.keys(host.files)
    .filter((f) => f.startsWith('/etc/mkinitcpio.conf.d/'))
    .sort()) {
    if (
      !remove &&
      findAssignments(host.files[p] ?? '', 'MODULES').some(
        (a) => a.operator === '=' && !a.inner.includes('${MODULES[@]}'),
      )
    ) {
      warnings.push(
        `${p} sets MODULES again after ${MKINITCPIO_CONF}: put ${VFIO_MODULES.join(' ')} first there too.`,
      );
    }
  }
  return { steps: editStep(MKINITCPIO_CONF, text, after, reason), warnings };
}

const DRACUT_CONTENT = [
  '# Written by GPU Ferry (vfio-early): load vfio-pci in the initramfs before any GPU driver, with the',
  `# options from ${VFIO_MODPROBE_FILE}. The .conf suffix matters: dracut ignores other files here.`,
  `force_drivers+=" ${VFIO_MODULES.join(' ')} "`,
  `install_items+=" ${VFIO_MODPROBE_FILE} "`,
  '',
].join('\n');

function dracut(host: HostModel, remove: boolean): InitramfsEdit {
  const current = host.files[DRACUT_VFIO_CONF];
  if (remove)
    return {
      steps:
        current === undefined
          ? []
          : [removeStep(DRACUT_VFIO_CONF, current, 'stop loading vfio in the initramfs')],
      warnings: [],
    };
  return {
    steps: writeStep(
      DRACUT_VFIO_CONF,
      DRACUT_CONTENT,
      current ?? null,
      'load vfio-pci in the initramfs before any GPU driver',
    ),
    warnings: [],
  };
}

/** initramfs-tools loads the listed modules in order; vfio_pci last so its dependencies are there. */
const INITRAMFS_TOOLS_ORDER = ['vfio', 'vfio_iommu_type1', 'vfio_pci'];

function initramfsTools(host: HostModel, remove: boolean): InitramfsEdit {
  const current = host.files[INITRAMFS_TOOLS_MODULES];
  const listed = (current ?? '').split('\n').map((l) => norm(l.trim().split(/\s+/)[0] ?? ''));
  if (remove) {
    if (current === undefined) return { steps: [], warnings: [] };
    const kept = current
      .split('\n')
      .filter((l) => !VFIO_MODULES_ALL.includes(norm(l.trim().split(/\s+/)[0] ?? '')));
    return {
      steps: editStep(
        INITRAMFS_TOOLS_MODULES,
        current,
        kept.join('\n'),
        'stop loading vfio in the initramfs',
      ),
      warnings: [],
    };
  }
  const missing = INITRAMFS_TOOLS_ORDER.filter((m) => !listed.includes(m));
  if (missing.length === 0) return { steps: [], warnings: [] };
  const base = current ?? '';
  const after =
    (base === '' || base.endsWith('\n') ? base : `${base}\n`) + missing.map((m) => `${m}\n`).join('');
  const reason = 'load vfio-pci in the initramfs before any GPU driver';
  return {
    steps:
      current === undefined
        ? writeStep(INITRAMFS_TOOLS_MODULES, after, null, reason)
        : editStep(INITRAMFS_TOOLS_MODULES, current, after, reason),
    warnings: [],
  };
}

function booster(host: HostModel, remove: boolean): InitramfsEdit {
  const current = host.files[BOOSTER_CONF];
  const reason = remove ? 'stop force-loading vfio in the initramfs' : 'force-load vfio-pci in the initramfs';
  const text = current ?? '';
  const m = /^(modules_force_load:[ \t]*)([^\n#]*?)([ \t]*(?:#[^\n]*)?)$/m.exec(text);
  const listed = m
    ? (m[2] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
  const kept = listed.filter((s) => !(remove ? VFIO_MODULES_ALL : VFIO_MODULES).includes(norm(s)));
  const wanted = remove ? kept : [...VFIO_MODULES, ...kept];
  if (wanted.join(',') === listed.join(',')) return { steps: [], warnings: [] };
  let after: string;
  if (m) {
    const start = m.index;
    const line = wanted.length === 0 ? '' : `${m[1] ?? ''}${wanted.join(',')}${m[3] ?? ''}`;
    const end = start + m[0].length + (wanted.length === 0 && text[start + m[0].length] === '\n' ? 1 : 0);
    after = text.slice(0, start) + line + text.slice(end);
  } else {
    after = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}modules_force_load: ${wanted.join(',')}\n`;
  }
  return {
    steps:
      current === undefined
        ? writeStep(BOOSTER_CONF, after, null, reason)
        : editStep(BOOSTER_CONF, current, after, reason),
    warnings: [],
  };
}

export function initramfsVfio(host: HostModel, remove: boolean): InitramfsEdit {
  switch (host.initramfs) {
    case 'mkinitcpio':
      return mkinitcpio(host, remove);
    case 'dracut':
      return dracut(host, remove);
    case 'initramfs-tools':
      return initramfsTools(host, remove);
    case 'booster':
      return booster(host, remove);
    case 'none':
    case 'unknown':
      return {
        steps: [],
        warnings: remove
          ? []
          : [
              'No initramfs generator was found: vfio-pci loads from the root filesystem, which is early enough only when no GPU driver is in the initramfs.',
            ],
      };
  }
}
