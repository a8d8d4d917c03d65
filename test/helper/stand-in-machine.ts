// A real-root machine for the helper whose commands are stand-ins: the real helper as real root, in a
// private mount namespace that binds temporary directories over /etc/modprobe.d, /etc/libvirt, /var/lib
// and /usr/sbin, and a stand-in over /usr/bin/systemctl. The stand-ins have effects a test can read:
// grubby keeps "kernel arguments" in /var/lib/fake-kargs; dracut builds /var/lib/fake-initramfs from the
// modprobe file and those arguments; systemctl "restarts" libvirtd, which then runs with the qemu.conf of
// that moment (/var/lib/fake-libvirtd-config; absent while the daemon is down). Trigger files in
// /var/lib make them fail (fake-<name>-fails, fake-systemctl-fails-once; fake-grubby-fails-after-change:
// once, after making its change) or kill the whole helper mid-command (fake-<name>-dies, once): the
// helper runs as its own process group leader (setsid), so
// `kill -KILL 0` is a SIGKILL of the helper and everything it started, exactly like a crash.
// Needs root (CI runs the tiers as root).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HELPER, removeTree } from './lib';

const FAKE_PROGRAMS: Record<string, string> = {
  grubby: `#!/bin/sh
if [ -e /var/lib/fake-grubby-fails ]; then echo "grubby: cannot write the boot entries" >&2; exit 1; fi
touch /var/lib/fake-kargs
case $2 in
  --args=*) echo "\${2#--args=}" >>/var/lib/fake-kargs ;;
  --remove-args=*) grep -vxF -- "\${2#--remove-args=}" /var/lib/fake-kargs >/var/lib/fake-kargs.new; mv /var/lib/fake-kargs.new /var/lib/fake-kargs ;;
esac
echo "grubby: $2"
if [ -e /var/lib/fake-grubby-fails-after-change ]; then rm /var/lib/fake-grubby-fails-after-change; echo "grubby: cannot update the BLS entries" >&2; exit 1; fi
if [ -e /var/lib/fake-grubby-dies ]; then rm /var/lib/fake-grubby-dies; kill -KILL 0; fi
`,
  dracut: `#!/bin/sh
if [ -e /var/lib/fake-dracut-dies ]; then rm /var/lib/fake-dracut-dies; echo "half an image" >/var/lib/fake-initramfs; kill -KILL 0; fi
{ cat /etc/modprobe.d/gpu-ferry-vfio.conf 2>/dev/null || echo "no vfio conf"; cat /var/lib/fake-kargs 2>/dev/null; } >/var/lib/fake-initramfs
echo "dracut: built the image"
`,
  'update-initramfs': `#!/bin/sh
echo "update-initramfs: no space left on device" >&2
exit 1
`,
};

const FAKE_SYSTEMCTL = `#!/bin/sh
# systemctl ACTION -- UNIT
rm -f /var/lib/fake-libvirtd-config
if [ -e /var/lib/fake-systemctl-fails-once ]; then rm /var/lib/fake-systemctl-fails-once; echo "Job for $3 failed" >&2; exit 1; fi
cat /etc/libvirt/qemu.conf >/var/lib/fake-libvirtd-config 2>/dev/null || echo "no qemu.conf" >/var/lib/fake-libvirtd-config
echo "systemctl: $1 $3"
if [ -e /var/lib/fake-systemctl-dies ]; then rm /var/lib/fake-systemctl-dies; kill -KILL 0; fi
`;

/** Stand-ins are found in /usr/sbin only when /usr/bin (searched first) has no real one. */
export const standInsVisible = ['dracut', 'grubby', 'update-initramfs'].every((p) => !existsSync(`/usr/bin/${p}`) && !existsSync(`/bin/${p}`));
export const canStandIn = process.getuid?.() === 0 && standInsVisible && existsSync('/usr/bin/systemctl') && existsSync('/etc/libvirt');

export interface StandInMachine {
  modprobe: string;
  libvirt: string;
  varLib: string;
  sbin: string;
  run: (args: string[], input?: string) => SpawnSyncReturns<string>;
  read: (file: string) => string | null;
  touch: (file: string) => void;
  state: () => string;
}

export function standInMachine(dirs: string[]): StandInMachine {
  const made = ['modprobe', 'libvirt', 'varlib', 'sbin', 'bin'].map((n) => {
    const d = mkdtempSync(path.join(tmpdir(), `gpu-ferry-effects-${n}-`));
    chmodSync(d, 0o755);
    dirs.push(d);
    return d;
  });
  const [modprobe, libvirt, varLib, sbin, bin] = made as [string, string, string, string, string];
  for (const [name, script] of Object.entries(FAKE_PROGRAMS)) writeFileSync(path.join(sbin, name), script, { mode: 0o755 });
  writeFileSync(path.join(bin, 'systemctl'), FAKE_SYSTEMCTL, { mode: 0o755 });
  const binds = 'mount --bind "$1" /etc/modprobe.d && mount --bind "$2" /etc/libvirt && mount --bind "$3" /var/lib && mount --bind "$4" /usr/sbin && mount --bind "$5/systemctl" /usr/bin/systemctl';
  const run = (args: string[], input = '') =>
    spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', `${binds} && shift 5 && exec setsid "$@"`, 'ns', modprobe, libvirt, varLib, sbin, bin, HELPER, ...args], {
      input,
      encoding: 'utf8',
    });
  const read = (file: string): string | null => (existsSync(path.join(varLib, file)) ? readFileSync(path.join(varLib, file), 'utf8') : null);
  const touch = (file: string): void => writeFileSync(path.join(varLib, file), '');
  const state = (): string => {
    const j = run(['journal']);
    return /^entry \S+ (\S+) /m.exec(j.stdout)?.[1] ?? `no entry: ${j.stdout}`;
  };
  return { modprobe, libvirt, varLib, sbin, run, read, touch, state };
}

export const removeAll = (dirs: string[]): void => dirs.splice(0).forEach(removeTree);
