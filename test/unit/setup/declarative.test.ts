// NixOS (and Guix System) generate boot entries, the initrd and most of /etc: every goal, through the
// registry root also uses, leaves those files alone there and says what to declare; the snippet parses.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import { goalList, goalsByName } from '../../../shared/plan/goals.registry';
import { declarativeSystem } from '../../../shared/setup/declarative';
import { nixosSnippet } from '../../../shared/setup/nixos-snippet';
import { iommuGoal } from '../../../shared/setup/goals';
import { pci } from '../analyze/model-builder';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
let nixos: LoadedHost;
let arch: LoadedHost;

beforeAll(async () => {
  nixos = await loadHost({ host: path.join(HOSTS, 'nixos-skylake-gtx1660.host.json') });
  arch = await loadHost({ host: path.join(HOSTS, 'intel-arc-a750-desktop.host.json') });
});
afterAll(async () => {
  await nixos.cleanup();
  await arch.cleanup();
});

/** nix-instantiate --parse: the snippet is valid Nix (a missing nix-instantiate is a failure). */
function parsesAsNix(text: string): void {
  const run = spawnSync('nix-instantiate', ['--parse', '-E', text], { encoding: 'utf8' });
  expect(run.error, 'nix-instantiate (Debian package nix-bin) must be installed').toBeUndefined();
  // nix warns about its build users group on a machine without a Nix daemon; errors are what matter.
  expect(run.stderr).not.toMatch(/error/i);
  expect(run.status).toBe(0);
}

describe('declarative systems', () => {
  it('recognises NixOS and Guix System from os-release, and nothing else, as declarative', () => {
    expect(declarativeSystem(nixos.model)).toBe('nixos');
    expect(declarativeSystem(arch.model)).toBeNull();
    expect(declarativeSystem({ ...arch.model, os: { ...arch.model.os, id: 'guix', idLike: [] } })).toBe('guix');
  });

  it('no goal edits a generated file, runs a regenerator or restarts a service on NixOS', () => {
    // The fixture has no SR-IOV device: the same machine with an SR-IOV NIC (two VFs) gives sriov-vfs its case.
    const withSriov = {
      ...nixos.model,
      pci: [...nixos.model.pci, pci('0000:05:00.0', '020000', '8086', '1572', { driver: 'i40e', sriovTotalVfs: 64, sriovNumVfs: 2, sriovOffset: 0x80, sriovStride: 1 })],
    };
    for (const goal of goalList) {
      const cases = [nixos.model, withSriov].flatMap((host) => goal.examples(host).map((options) => ({ host, options })));
      // Every goal has a case on this host, so no goal passes by planning nothing.
      expect(cases.length, goal.name).toBeGreaterThan(0);
      for (const { host, options } of cases) {
        const plan = goal.plan(host, options);
        for (const step of plan.steps) {
          expect(['run', 'unit'], `${goal.name}: ${step.kind}`).not.toContain(step.kind);
          if ('path' in step) expect(step.path, goal.name).toMatch(/^\/(etc|var\/lib)\/gpu-ferry\//);
        }
        for (const w of plan.warnings) expect(w, goal.name).not.toMatch(/initramfs generator/i);
      }
    }
  });

  it('says what to declare instead, and the snippet is valid Nix', () => {
    const vfio = goalsByName().get('vfio-early')!.plan(nixos.model, { gpu: '0000:01:00.0' });
    expect(vfio.steps).toEqual([]);
    const advice = vfio.warnings.find((w) => w.includes('configuration.nix'));
    expect(advice).toMatch(/nixos-rebuild boot/);
    const snippet = advice!.slice(advice!.indexOf('{ config'));
    expect(snippet).toContain('boot.initrd.kernelModules = [ "vfio_pci" "vfio" "vfio_iommu_type1" ];');
    expect(snippet).toContain('for dev in 0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3; do');
    parsesAsNix(snippet);
    const lg = goalsByName().get('looking-glass')!;
    const lgPlan = lg.plan(nixos.model, lg.examples(nixos.model)[0]);
    expect(lgPlan.warnings.join('\n')).toMatch(
      /boot\.extraModprobeConfig = "options kvmfr static_size_mb=64";/,
    );
    const whole = nixosSnippet(nixos.model, null, { gpu: '0000:01:00.0' }, null);
    for (const line of [
      'boot.kernelParams = [ "intel_iommu=on" "iommu=pt" ];',
      'virtualisation.libvirtd.enable = true;',
      'virtualisation.libvirtd.hooks.qemu."gpu-ferry" =',
      'boot.kernelModules = [ "kvmfr" ];',
      'users.users.alex.extraGroups = [ "libvirtd" "kvm" ];',
    ])
      expect(whole).toContain(line);
    parsesAsNix(whole);
  });

  it('names only the person running GPU Ferry for the libvirtd group and kvmfr, never another account', () => {
    const alex = nixos.model.users[0]!;
    const users = [
      { ...alex, current: false },
      { name: 'sam', uid: 1001, groups: [], current: true },
    ];
    const whole = nixosSnippet({ ...nixos.model, users }, null, { gpu: '0000:01:00.0' }, null);
    expect(whole).toContain('users.users.sam.extraGroups = [ "libvirtd" "kvm" ];');
    expect(whole).toContain('OWNER="sam"');
    expect(whole).not.toMatch(/alex/);
    // As root with no login nobody is the person: the snippet says whom to fill in.
    const asRoot = nixosSnippet({ ...nixos.model, users: [{ ...alex, current: false }] }, null, null, null);
    expect(asRoot).not.toMatch(/extraGroups|alex/);
    expect(asRoot).toContain('OWNER="YOUR-USER"');
    parsesAsNix(whole);
  });

  it('leaves plans of other distributions exactly as their planner made them', () => {
    const wrapped = goalsByName().get('iommu')!.plan(arch.model, {});
    expect(wrapped).toEqual(iommuGoal.plan(arch.model, {}));
  });
});
