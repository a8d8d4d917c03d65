// Reads a root directory (default `/`) into the HostModel. Never throws for missing or unreadable
// parts: they become empty values and `notes`.
import path from 'node:path';
import type { HostModel, UserInfo } from '../../shared/host/model';
import { CONFIG_SOURCES, type ConfigSource } from './config-files';
import { HostReader } from './reader';
import { scanCpu } from './scan-cpu';
import { scanKernel } from './scan-kernel';
import { scanFirmware, scanIommu, scanPci } from './scan-pci';
import {
  parseOsRelease,
  scanCommands,
  scanLibvirt,
  scanLookingGlass,
  scanMemory,
  scanSecurity,
  scanUsers,
} from './scan-system';
import { detectBootloader, detectDisplayManager, detectInitramfs, isRpmOstree } from './detect-boot';

function readSource(r: HostReader, source: ConfigSource, files: Record<string, string>, privateFiles: string[]): void {
  // A private file or folder is left out whoever scans (reader.ts, isPrivate): recorded as private, not absent.
  const isPrivate = (p: string): boolean => {
    if (!r.isPrivate(p)) return false;
    privateFiles.push(p);
    return true;
  };
  if ('file' in source) {
    if (isPrivate(source.file)) return;
    const content = r.text(source.file);
    if (content !== null) files[source.file] = content;
    return;
  }
  const walk = (dir: string, depth: number) => {
    if (isPrivate(dir)) return;
    for (const name of r.list(dir) ?? []) {
      const p = path.posix.join(dir, name);
      // A folder of a deep source is walked whatever its name, never read as a file (that was an
      // EISDIR note in doctor); `match` picks the files. A private one is not listed first (as root the
      // listing would succeed and a snapshot would record its names).
      if (source.deep && depth < 8 && !r.isPrivate(p) && r.list(p) !== null) {
        walk(p, depth + 1);
        continue;
      }
      if (source.match && !source.match.test(name)) continue;
      if (isPrivate(p)) continue;
      const content = r.text(p);
      if (content !== null) files[p] = content;
    }
  };
  walk(source.dir, 0);
}

export function readConfigFiles(r: HostReader): { files: Record<string, string>; privateFiles: string[] } {
  const files: Record<string, string> = {};
  const privateFiles: string[] = [];
  for (const source of CONFIG_SOURCES) readSource(r, source, files, privateFiles);
  return { files, privateFiles };
}

/** Scans with an existing reader (used by snapshot to record what was read). */
export function scanWith(r: HostReader): HostModel {
  const { files, privateFiles } = readConfigFiles(r);
  const os = parseOsRelease(files['/etc/os-release'] ?? files['/usr/lib/os-release'] ?? null);
  const commands = scanCommands(r);
  const kernel = scanKernel(r);
  const bootloader = detectBootloader(r, files, commands, os);
  return {
    format: 'gpu-ferry-host-model/1',
    root: r.root,
    cpu: scanCpu(r),
    firmware: scanFirmware(r),
    kernel,
    iommu: scanIommu(r),
    pci: scanPci(r),
    os,
    bootloader,
    initramfs: detectInitramfs(files, commands, bootloader.kind === 'rpm-ostree' || isRpmOstree(os, false)),
    displayManager: detectDisplayManager(r),
    libvirt: scanLibvirt(r, commands, files['/etc/libvirt/qemu.conf'] ?? null),
    lookingGlass: scanLookingGlass(commands, kernel),
    security: scanSecurity(r),
    users: markCurrentUser(scanUsers(r), r.text('/proc/self/loginuid')),
    commands: [...commands.keys()].sort(),
    files,
    privateFiles,
    memory: scanMemory(r),
    notes: r.notes,
  };
}

/**
 * Marks the person running GPU Ferry among the users: the login uid of this process (/proc/self/loginuid,
 * kept across sudo and pkexec, and captured by snapshots so a replay marks the same). Unset (4294967295)
 * or root's own login: nobody is marked, so doctor names no unrelated account. No such file (a host
 * spec): no marks at all.
 */
const markCurrentUser = (users: UserInfo[], loginuid: string | null): UserInfo[] => {
  if (loginuid === null) return users;
  const uid = /^\d+$/.test(loginuid.trim()) ? Number(loginuid.trim()) : null;
  return users.map((u) => ({ ...u, current: u.uid === uid }));
};

export async function scanHost(root = '/'): Promise<HostModel> {
  return scanWith(new HostReader(path.resolve(root)));
}
