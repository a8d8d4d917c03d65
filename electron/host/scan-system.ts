// OS release, users, memory, security modules, libvirt, Looking Glass and the commands we care about.
import path from 'node:path';
import type {
  LibvirtInfo,
  LookingGlassInfo,
  OsRelease,
  SecurityInfo,
  UserInfo,
  KernelInfo,
} from '../../shared/host/model';
import type { HostReader } from './reader';

/** Commands whose presence decides bootloader, initramfs, libvirt and Looking Glass detection. */
export const KNOWN_COMMANDS = [
  'grub-mkconfig',
  'grub2-mkconfig',
  'update-grub',
  'grubby',
  'bootctl',
  'kernel-install',
  'ukify',
  'kernelstub',
  'refind-install',
  'limine',
  'limine-update',
  'limine-mkinitcpio',
  'rpm-ostree',
  'mkinitcpio',
  'dracut',
  'update-initramfs',
  'booster',
  'virsh',
  'libvirtd',
  'virtqemud',
  'qemu-system-x86_64',
  'systemctl',
  'looking-glass-client',
  'modprobe',
  'dkms',
  'lspci',
  'pkexec',
] as const;

export const BIN_DIRS = [
  '/usr/bin',
  '/usr/sbin',
  '/bin',
  '/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
] as const;

/** Found commands → the first path each was found at. */
export function scanCommands(r: HostReader): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of KNOWN_COMMANDS) {
    for (const dir of BIN_DIRS) {
      if (r.exists(`${dir}/${name}`)) {
        found.set(name, `${dir}/${name}`);
        break;
      }
    }
  }
  return found;
}

function unquote(v: string): string {
  return v.replace(/^(["'])(.*)\1$/, '$2');
}

export function parseOsRelease(text: string | null): OsRelease {
  const fields = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) fields.set(m[1], unquote(m[2]));
  }
  return {
    id: fields.get('ID') ?? null,
    idLike: (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    name: fields.get('NAME') ?? null,
    versionId: fields.get('VERSION_ID') ?? null,
    variantId: fields.get('VARIANT_ID') ?? null,
  };
}

export function scanUsers(r: HostReader): UserInfo[] {
  const passwd = r.text('/etc/passwd') ?? '';
  const groupText = r.text('/etc/group') ?? '';
  const groups = groupText
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4)
    .map(([name = '', , gid = '', members = '']) => ({
      name,
      gid: Number(gid),
      members: members.split(',').filter(Boolean),
    }));
  const users: UserInfo[] = [];
  for (const line of passwd.split('\n')) {
    const [name = '', , uidText = '', gidText = ''] = line.split(':');
    const uid = Number(uidText);
    if (!name || !Number.isInteger(uid) || uid < 1000 || uid >= 60000) continue;
    const member = groups
      .filter((g) => g.members.includes(name) || g.gid === Number(gidText))
      .map((g) => g.name);
    users.push({ name, uid, groups: [...new Set(member)].sort() });
  }
  return users;
}

const MEMORY_KEYS = ['MemTotal', 'MemAvailable', 'HugePages_Total', 'HugePages_Free', 'Hugepagesize'];

export function scanMemory(r: HostReader): Record<string, number> {
  const memory: Record<string, number> = {};
  for (const line of (r.text('/proc/meminfo') ?? '').split('\n')) {
    const m = /^([A-Za-z_()]+):\s+(\d+)/.exec(line);
    if (m?.[1] && m[2] && MEMORY_KEYS.includes(m[1])) memory[m[1]] = Number(m[2]);
  }
  return memory;
}

export function scanSecurity(r: HostReader): SecurityInfo {
  return {
    apparmor:
      r.exists('/sys/kernel/security/apparmor') || r.attr('/sys/module/apparmor/parameters/enabled') === 'Y',
    selinux: r.exists('/sys/fs/selinux/enforce'),
  };
}

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'];

/** libvirt.so.0 → libvirt.so.0.11003.0 encodes 11.3.0 (major*1e6 + minor*1e3 + micro). */
function libvirtVersion(r: HostReader): string | null {
  for (const dir of LIB_DIRS) {
    const target = r.link(`${dir}/libvirt.so.0`);
    const m = target ? /libvirt\.so\.0\.(\d+)\.(\d+)$/.exec(target) : null;
    if (m?.[1] && m[2]) {
      const n = Number(m[1]);
      return `${Math.floor(n / 1000)}.${n % 1000}.${m[2]}`;
    }
  }
  return null;
}

export function scanLibvirt(
  r: HostReader,
  commands: Map<string, string>,
  qemuConf: string | null,
): LibvirtInfo {
  const hooksDir = '/etc/libvirt/hooks';
  return {
    virsh: commands.has('virsh'),
    libvirtd: commands.has('libvirtd') || commands.has('virtqemud'),
    version: commands.has('virsh') || commands.has('libvirtd') ? libvirtVersion(r) : null,
    hooksDir,
    hooksDirExists: r.exists(hooksDir),
    qemuDispatcher: r.exists(`${hooksDir}/qemu`),
    qemuConf,
  };
}

export function scanLookingGlass(commands: Map<string, string>, kernel: KernelInfo): LookingGlassInfo {
  const clientPath = commands.get('looking-glass-client') ?? null;
  return {
    client: clientPath !== null,
    clientPath,
    // Running the client to ask its version is not allowed while scanning (no commands run); unknown.
    clientVersion: null,
    kvmfrAvailable:
      kernel.available.includes('kvmfr') ||
      kernel.builtin.includes('kvmfr') ||
      kernel.modules.includes('kvmfr'),
    kvmfrLoaded: kernel.modules.includes('kvmfr'),
  };
}

export const unitName = (link: string | null): string | null =>
  link === null ? null : path.posix.basename(link);
