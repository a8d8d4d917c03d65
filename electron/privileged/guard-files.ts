// What a file step of a computed plan may do to each file a goal owns. Content is printable text (tab and
// newline only: a carriage return would end a "comment" early for systemd's and libvirt's parsers). An
// edit keeps every other line byte for byte: it may add or remove only the lines its file's rule names,
// comments where the file's consumer has inert comments, and change a line only by adding or removing
// the file's known tokens (kernel parameters, initramfs modules), each separated by exactly one space, so
// no quote, blank or other character moves. Hook and handoff runtime: exactly the bytes this program ships.
import { diffArrays } from 'diff';
import { hookScript, runtimeScript } from '../../shared/handoff/runtime-files.generated';
import type { Step } from '../../shared/plan/model';
import { KNOWN_KERNEL_PARAM } from './guard-commands';
import { isOwnedFile, isRemovable } from './owned-paths';

interface FileRule {
  pattern: RegExp;
  /** Lines (without their newline) that may be added or removed. */
  lines: RegExp[];
  /** Lines that may only be removed (clean-up of a hand-made setup by `vfio-early --remove`). */
  removable?: RegExp[];
  /** `# ...` comment lines are inert to this file's consumer (never true for /etc/kernel/cmdline). */
  comments: boolean;
  /** Tokens a changed line may gain or lose. */
  tokens?: RegExp;
  /** The tokens are a comma-separated list (booster.yaml): the comma separates, like a single space. */
  commaList?: boolean;
  /** Tokens change only inside quotes (a shell-sourced or quoted value: GRUB, Limine, rEFInd). */
  quoted?: boolean;
  /** The file must be exactly these bytes. */
  exactly?: string;
}

const pci = '[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]';
const ids = '[0-9a-f]{4}:[0-9a-f]{4}(,[0-9a-f]{4}:[0-9a-f]{4}){0,31}';
const user = '[a-z_][a-z0-9_-]{0,31}';
const param = KNOWN_KERNEL_PARAM.source.slice(1, -1);
const initramfsModule = /^(vfio_pci|vfio|vfio_iommu_type1|vfio_virqfd)$/;
const re = (s: string): RegExp => new RegExp(`^(${s})$`);

const KERNEL_PARAM_FILE = { lines: [], comments: false, tokens: KNOWN_KERNEL_PARAM };

const RULES: FileRule[] = [
  {
    pattern: re('/etc/modprobe\\.d/gpu-ferry-vfio\\.conf'),
    comments: true,
    lines: [
      re(`options vfio-pci ids=${ids}`),
      re('softdep [a-z0-9_]{1,32} pre: vfio-pci'),
      re(`install vfio-pci for d in ${pci}( ${pci}){0,31}; do \\[ -e /sys/bus/pci/devices/\\$d/driver_override \\] && echo vfio-pci > /sys/bus/pci/devices/\\$d/driver_override; done; exec modprobe -i vfio-pci \\$CMDLINE_OPTS`),
    ],
  },
  { pattern: re('/etc/modprobe\\.d/gpu-ferry-kvmfr\\.conf'), comments: true, lines: [re('options kvmfr static_size_mb=[1-9][0-9]{0,4}')] },
  {
    pattern: re('/etc/dracut\\.conf\\.d/gpu-ferry-vfio\\.conf'),
    comments: true,
    lines: [re('force_drivers\\+=" vfio_pci vfio vfio_iommu_type1 "'), re('install_items\\+=" /etc/modprobe\\.d/gpu-ferry-vfio\\.conf "')],
  },
  { pattern: re('/etc/initramfs-tools/modules'), comments: true, lines: [re('vfio|vfio_iommu_type1|vfio_pci')], removable: [re('vfio[a-z0-9_-]{0,32}( [ -~]*)?')] },
  { pattern: re('/etc/mkinitcpio\\.conf'), comments: true, lines: [re('MODULES=\\(((vfio_pci|vfio|vfio_iommu_type1)( (vfio_pci|vfio|vfio_iommu_type1))*)?\\)')], tokens: initramfsModule },
  { pattern: re('/etc/booster\\.yaml'), comments: true, lines: [re('modules_force_load: (vfio_pci|vfio|vfio_iommu_type1)(,(vfio_pci|vfio|vfio_iommu_type1))*')], tokens: /^(vfio_pci|vfio|vfio_iommu_type1)$/, commaList: true },
  { pattern: re('/etc/default/grub'), comments: false, lines: [re(`GRUB_CMDLINE_LINUX(_DEFAULT)?="(${param})( (${param}))*"`)], tokens: KNOWN_KERNEL_PARAM, quoted: true },
  { pattern: re('/etc/kernel/cmdline'), ...KERNEL_PARAM_FILE },
  { pattern: re('(/boot|/efi|/boot/efi)/loader/entries/[^/]+\\.conf'), ...KERNEL_PARAM_FILE },
  { pattern: re('/boot/refind_linux\\.conf'), ...KERNEL_PARAM_FILE, quoted: true },
  { pattern: re('/etc/default/limine'), ...KERNEL_PARAM_FILE, quoted: true },
  { pattern: re('/etc/modules-load\\.d/gpu-ferry-kvmfr\\.conf'), comments: true, lines: [re('kvmfr')] },
  { pattern: re('/etc/udev/rules\\.d/99-gpu-ferry-kvmfr\\.rules'), comments: true, lines: [re(`SUBSYSTEM=="kvmfr", OWNER="${user}", GROUP="${user}", MODE="0660"`)] },
  {
    // The rule's file name and KERNEL match are the same PF (its address with - for : and .).
    pattern: re('/etc/udev/rules\\.d/70-gpu-ferry-sriov-[0-9a-f]{4}-[0-9a-f]{2}-[01][0-9a-f]-[0-7]\\.rules'),
    comments: true,
    lines: [re(`ACTION=="add\\|bind", SUBSYSTEM=="pci", KERNEL=="${pci}", DRIVER=="\\?\\*", ATTR\\{sriov_drivers_autoprobe\\}="0", ATTR\\{sriov_numvfs\\}="([1-9][0-9]{0,2})"`)],
  },
  {
    // display-off-vm-gpu: GNOME ignores one GPU; the file name and the KERNELS match are the same address.
    pattern: re('/etc/udev/rules\\.d/61-gpu-ferry-display-off-[0-9a-f]{4}-[0-9a-f]{2}-[01][0-9a-f]-[0-7]\\.rules'),
    comments: true,
    lines: [re(`SUBSYSTEM=="drm", KERNEL=="card\\[0-9\\]\\*", KERNELS=="${pci}", TAG\\+="mutter-device-ignore"`)],
  },
  {
    // display-off-vm-gpu: Xorg adds no second GPU (one ServerFlags section with that one option).
    pattern: re('/etc/X11/xorg\\.conf\\.d/20-gpu-ferry-display-off-vm-gpu\\.conf'),
    comments: true,
    lines: [re('Section "ServerFlags"'), re(' {4}Option "AutoAddGPU" "false"'), re('EndSection')],
  },
  { pattern: re('/etc/tmpfiles\\.d/gpu-ferry-looking-glass\\.conf'), comments: true, lines: [re(`f /dev/shm/looking-glass 0660 ${user} ${user} -`)] },
  {
    pattern: re('/etc/libvirt/qemu\\.conf'),
    comments: true,
    lines: [re('cgroup_device_acl = \\['), re(' *"/dev/[A-Za-z0-9_:+-]+(/[A-Za-z0-9_:+-][A-Za-z0-9_.:+-]*)*",?'), re('\\]')],
  },
  { pattern: re('/etc/apparmor\\.d/local/abstractions/libvirt-qemu'), comments: true, lines: [re('(/dev/kvmfr0|/dev/shm/looking-glass) rw,')] },
  {
    pattern: re('/etc/gpu-ferry/vms/[^/]+\\.conf'),
    comments: true,
    lines: [
      re('FORMAT=gpu-ferry-handoff/1'),
      re('VM=[^\\t]{1,200}'),
      re('MODE=(single-gpu|dual-gpu)'),
      re(`DEVICES=${pci}( ${pci}){0,31}`),
      re('MODULES=([a-z0-9_]{1,64}( [a-z0-9_]{1,64}){0,31})?'),
      re('DISPLAY_MANAGER=([A-Za-z0-9@._:-]{1,64}\\.service)?'),
      re('SESSION=(wait|terminate)'),
      re('HOLDERS=(refuse|terminate)'),
      re('TIMEOUT_(STOP|DEVICE)=[1-9][0-9]{0,2}'),
    ],
  },
  { pattern: re('/etc/sysctl\\.d/gpu-ferry-hugepages\\.conf'), comments: true, lines: [re('vm\\.nr_hugepages = (0|[1-9][0-9]{0,6})')] },
  { pattern: re('/etc/libvirt/hooks/qemu\\.d/gpu-ferry'), comments: false, lines: [], exactly: hookScript },
  { pattern: re('/usr/libexec/gpu-ferry/gpu-ferry-handoff'), comments: false, lines: [], exactly: runtimeScript },
];

/** Printable text: no control character but tab and newline (in particular no carriage return, no NUL). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f\u2028\u2029]/;

/** An inert comment: `#`, then a space or nothing, printable text, no backslash, never an include. */
const COMMENT = /^#( [^\\]*)?$/;
const isComment = (line: string): boolean => COMMENT.test(line) && !/include/i.test(line);

export interface Problem {
  code: string;
  message: string;
}

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** The tokens of a line: words, single quote/paren characters and runs of blanks, so nothing moves unseen. */
const tokensOf = (line: string, commaList: boolean): string[] => (commaList ? line.match(/[^\s"'(),]+|\s+|["'(),]/g) : line.match(/[^\s"'()]+|\s+|["'()]/g)) ?? [];

const isQuote = (t: string): boolean => t === '"' || t === "'";

function changedLineOk(before: string, after: string, rule: FileRule): boolean {
  const tokens = rule.tokens;
  if (!tokens) return false;
  const commaList = rule.commaList === true;
  const parts = diffArrays(tokensOf(before, commaList), tokensOf(after, commaList));
  let sawToken = false;
  // Quote characters seen so far on each side: an odd count means "inside a quoted value".
  let quotesBefore = 0;
  let quotesAfter = 0;
  for (const part of parts) {
    for (const t of part.value) {
      if (part.added || part.removed) {
        if (t === ' ' || (commaList && t === ',')) continue;
        if (!tokens.test(t)) return false;
        if (rule.quoted && (part.added ? quotesAfter : quotesBefore) % 2 === 0) return false;
        sawToken = true;
      } else {
        if (isQuote(t)) {
          quotesBefore++;
          quotesAfter++;
        }
      }
    }
  }
  return sawToken;
}

const lineAllowed = (rule: FileRule, line: string): boolean => (rule.comments && isComment(line)) || rule.lines.some((r) => r.test(line));

/** Checks AFTER against BEFORE (null: a new file) under the file's rule. */
function contentProblem(rule: FileRule, path: string, before: string | null, after: string): Problem | null {
  if (CONTROL.test(after)) return { code: 'content-not-allowed', message: `'${path}' would get a control character (only tab and newline are allowed)` };
  if (rule.exactly !== undefined) return after === rule.exactly ? null : { code: 'content-not-allowed', message: `'${path}' must be exactly the copy GPU Ferry ships` };
  const parts = diffArrays(splitLines(before ?? ''), splitLines(after));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part.added && !part.removed) continue;
    const next = parts[i + 1];
    // A removed run followed by an added run of the same length: lines changed in place.
    if (part.removed && next?.added && next.value.length === part.value.length && rule.tokens) {
      const bad = part.value.findIndex((old, k) => !changedLineOk(old, next.value[k]!, rule) && !(lineAllowed(rule, old) && lineAllowed(rule, next.value[k]!)));
      if (bad >= 0) return { code: 'content-not-allowed', message: `'${path}': the change to line '${part.value[bad]!.slice(0, 160)}' is not one GPU Ferry makes` };
      i++;
      continue;
    }
    const bad = part.value.find((line) => !lineAllowed(rule, line) && !(part.removed && (rule.removable ?? []).some((r) => r.test(line))));
    if (bad !== undefined)
      return { code: 'content-not-allowed', message: `'${path}' would ${part.added ? 'get' : 'lose'} a line GPU Ferry does not write: '${bad.slice(0, 160)}'` };
  }
  return null;
}

export function fileStepProblem(step: Extract<Step, { kind: 'write-file' | 'edit-file' | 'remove-file' }>): Problem | null {
  if (!isOwnedFile(step.path)) return { code: 'path-not-allowed', message: `'${step.path}' is not a file GPU Ferry manages` };
  const rule = RULES.find((r) => r.pattern.test(step.path));
  if (!rule) return { code: 'path-not-allowed', message: `'${step.path}' has no content rule` };
  switch (step.kind) {
    case 'remove-file':
      return isRemovable(step.path) ? null : { code: 'remove-not-allowed', message: `'${step.path}' is not a GPU Ferry file; it may be edited, not removed` };
    case 'edit-file':
      return contentProblem(rule, step.path, step.before, step.after);
    case 'write-file':
      if (step.owner !== 'root' || step.group !== 'root') return { code: 'owner-not-allowed', message: `files GPU Ferry manages belong to root:root, not ${step.owner}:${step.group}` };
      if ((step.mode & 0o022) !== 0) return { code: 'mode-not-allowed', message: `mode ${step.mode.toString(8)} lets group or others write '${step.path}'` };
      return contentProblem(rule, step.path, typeof step.before === 'string' ? step.before : null, step.content);
  }
}
