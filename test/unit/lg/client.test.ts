import { describe, expect, it } from 'vitest';
import { parseLgVersion, versionFromClientOutput } from '../../../shared/lg/client-version';
import { defaultClientChoices, mergeClientIni, readClientIni } from '../../../shared/lg/client-config';
import { windowsChecklist } from '../../../shared/lg/windows-checklist';
import { parseVirshVersion } from '../../../shared/lg/virsh-version';
import { LgInputError } from '../../../shared/lg/size';

describe('client version', () => {
  it('reads releases, release candidates and git builds', () => {
    expect(parseLgVersion('B7')).toMatchObject({ release: 'B7', major: 7, commit: null, commitsAfter: 0 });
    expect(parseLgVersion('B7-rc1')).toMatchObject({ release: 'B7-rc1', major: 7, commit: null });
    expect(parseLgVersion('B6-123-gabcdef0123+1')).toMatchObject({ release: 'B6', major: 6, commitsAfter: 123, commit: 'abcdef0123' });
    expect(parseLgVersion('A12')).toMatchObject({ release: 'A12', major: null });
    expect(parseLgVersion('version 7')).toBeNull();
  });

  it('finds the version in the client\'s log-style output', () => {
    const out = '00:00:00.000 [I]              main.c:1859 | main                           | Looking Glass (B7-rc1)\n00:00:00.000 [I] main.c:1860 | main | Locking Method: Atomic\n';
    expect(versionFromClientOutput(out)?.release).toBe('B7-rc1');
    expect(versionFromClientOutput('[I] 51566930 main.c:1785 | main | Looking Glass (B6)  \n')?.raw).toBe('B6');
    expect(versionFromClientOutput('B7\n')?.release).toBe('B7');
    expect(versionFromClientOutput('bash: looking-glass-client: command not found')).toBeNull();
  });
});

describe('Windows checklist', () => {
  it('names the exact host release for a release client', () => {
    const [host] = windowsChecklist(parseLgVersion('B7'), 'kvmfr');
    expect(host?.title).toBe('Install Looking Glass host B7 in Windows');
    expect(host?.detail).toMatch(/B7 exactly/);
    expect(host?.link).toBe('https://looking-glass.io/downloads');
  });

  it('asks for the same commit for a git build, and for the client first when it is missing', () => {
    expect(windowsChecklist(parseLgVersion('B6-12-g0123abcd'), 'shm')[0]?.title).toMatch(/commit 0123abcd/);
    expect(windowsChecklist(null, 'shm')[0]?.detail).toMatch(/client was not found/);
    expect(windowsChecklist(null, 'shm', true)[0]?.detail).toMatch(/version could not be read/);
  });

  it('lists the IVSHMEM driver, a display on the GPU, the GPU driver and SPICE', () => {
    const ids = windowsChecklist(parseLgVersion('B7'), 'shm').map((i) => i.id);
    expect(ids).toEqual(['host-app', 'ivshmem-driver', 'display', 'gpu-driver', 'spice-input']);
    expect(windowsChecklist(null, 'shm')[1]?.detail).toContain('/dev/shm/looking-glass');
    expect(windowsChecklist(null, 'kvmfr')[1]?.detail).toContain('/dev/kvmfr0');
  });
});

describe('client.ini', () => {
  it('writes the shm path and the choices in the client\'s sections', () => {
    const text = mergeClientIni(null, { ...defaultClientChoices('/dev/kvmfr0'), fullScreen: true, escapeKey: 'KEY_RIGHTCTRL', spiceAudio: false });
    expect(text).toMatch(/\[app\]\nshmFile=\/dev\/kvmfr0\n/);
    expect(text).toMatch(/\[win\]\nfullScreen=yes\n/);
    expect(text).toMatch(/\[input\]\nescapeKey=KEY_RIGHTCTRL\n/);
    expect(text).toMatch(/\[spice\]\nenable=yes\ninput=yes\nclipboard=yes\naudio=no\n/);
    expect(readClientIni(text)).toEqual({ shmFile: '/dev/kvmfr0', fullScreen: true, escapeKey: 'KEY_RIGHTCTRL', spiceInput: true, spiceClipboard: true, spiceAudio: false });
  });

  it('keeps the user\'s other settings', () => {
    const current = '[win]\nsize=1920x1080\nfullScreen=no\n\n[egl]\nvsync=yes\n\n[spice]\nport=5905\n';
    const text = mergeClientIni(current, defaultClientChoices('/dev/shm/looking-glass'));
    expect(text).toMatch(/size=1920x1080/);
    expect(text).toMatch(/\[egl\]\nvsync=yes/);
    expect(text).toMatch(/port=5905/);
    expect(readClientIni(text).shmFile).toBe('/dev/shm/looking-glass');
  });

  it('disables SPICE entirely when nothing uses it', () => {
    const text = mergeClientIni(null, { ...defaultClientChoices('/dev/kvmfr0'), spiceInput: false, spiceClipboard: false, spiceAudio: false });
    expect(text).toMatch(/enable=no/);
  });

  it('rejects bad paths and key names', () => {
    expect(() => mergeClientIni(null, defaultClientChoices('/etc/passwd'))).toThrow(LgInputError);
    expect(() => mergeClientIni(null, { ...defaultClientChoices('/dev/kvmfr0'), escapeKey: 'ScrollLock\n[app]' })).toThrow(/not a Linux key name/);
  });
});

describe('virsh version', () => {
  it('reads libvirt and QEMU versions', () => {
    const out = 'Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: QEMU 9.0.0\nRunning hypervisor: QEMU 7.2.22\n';
    expect(parseVirshVersion(out)).toEqual({ libvirt: '9.0.0', qemu: '7.2.22' });
    expect(parseVirshVersion('')).toEqual({ libvirt: null, qemu: null });
  });
});
