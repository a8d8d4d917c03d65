// Every step kind encoded in TypeScript is decoded by the real helper into the same step.
import { describe, expect, it } from 'vitest';
import { encodePlan, formatMode, stepFields, WIRE_FIELDS } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { helper } from './lib';

const tricky = 'line one\n  two with \t tab, ünïcödé ✓, $(rm -rf /) `x` ;|&<>\n\n\n';

const steps: Step[] = [
  { kind: 'write-file', path: '/etc/modprobe.d/gpu-ferry-vfio.conf', content: tricky, mode: 0o644, owner: 'root', group: 'root', reason: 'Bind the GPU to vfio-pci early' },
  { kind: 'write-file', path: '/etc/gpu-ferry/a.json', content: '', mode: 0o600, owner: 'root', group: 'root', before: null, reason: 'empty file, must not exist' },
  { kind: 'write-file', path: '/etc/gpu-ferry/b.json', content: '{}', mode: 0o640, owner: 'root', group: 'root', before: 'old\n', reason: 'replace known content' },
  { kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX=""\n', after: 'GRUB_CMDLINE_LINUX="amd_iommu=on"\n', reason: 'Turn the IOMMU on' },
  { kind: 'remove-file', path: '/etc/modprobe.d/gpu-ferry-old.conf', before: 'x\n', reason: 'Remove our old file' },
  { kind: 'run', argv: ['grub-mkconfig', '-o', '/boot/grub/grub.cfg'], reason: 'Regenerate the boot menu' },
  { kind: 'run', argv: ['update-grub'], reason: 'argv of one' },
  { kind: 'sysfs-write', device: '0000:0a:00.0', attribute: 'driver_override', value: 'vfio-pci', reason: 'Prefer vfio-pci' },
  { kind: 'sysfs-write', device: '0000:0a:00.0', attribute: 'unbind', driver: 'nvidia', value: '0000:0a:00.0', reason: 'Release from nvidia' },
  { kind: 'module-load', module: 'vfio_pci', params: ['ids=10de:2206,10de:1aef', 'disable_vga=1'], reason: 'Load vfio-pci' },
  { kind: 'module-load', module: 'vfio', reason: 'no params' },
  { kind: 'module-unload', module: 'nvidia_drm', reason: 'Unload nvidia_drm' },
  { kind: 'unit', action: 'restart', unit: 'display-manager.service', reason: 'Restart the display' },
];

const hexToText = (hex: string): string => new TextDecoder().decode(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));

describe('plan wire encoding round trip through the helper', () => {
  it('covers every step kind', () => {
    expect(new Set(steps.map((s) => s.kind))).toEqual(new Set(Object.keys(WIRE_FIELDS)));
  });

  it('decodes every field of every step byte for byte', () => {
    const plan = { goal: 'round-trip', title: 'Round trip ✓ "quoted"', steps };
    const r = helper(['decode'], encodePlan(plan));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const [planLine, ...rest] = lines;
    const [, goalHex, titleHex] = planLine!.split(' ');
    expect(hexToText(goalHex!)).toBe(plan.goal);
    expect(hexToText(titleHex!)).toBe(plan.title);
    expect(rest.at(-1)).toBe(`end ${steps.length}`);
    const decoded: { kind: string; fields: [string, string][] }[] = [];
    for (const line of rest.slice(0, -1)) {
      const [word, index, a, b = ''] = line.split(' ');
      if (word === 'step') decoded[Number(index)] = { kind: a!, fields: [] };
      else decoded[Number(index)]!.fields.push([a!, hexToText(b)]);
    }
    expect(decoded.map((d) => d.kind)).toEqual(steps.map((s) => s.kind));
    steps.forEach((step, i) => expect(decoded[i]!.fields).toEqual(stepFields(step)));
    expect(formatMode(0o644)).toBe('0644');
  });
});
