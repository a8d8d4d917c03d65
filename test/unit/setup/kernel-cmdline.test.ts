import { describe, expect, it } from 'vitest';
import { editCmdline, missingParams, tokenize } from '../../../shared/setup/kernel-cmdline';
import { findAssignments, replaceInner } from '../../../shared/setup/shell-assignment';

describe('kernel command line tokens', () => {
  it('keeps quoted values with spaces as one token', () => {
    expect(tokenize('quiet acpi_osi="Windows 2020" splash').map((t) => t.text)).toEqual([
      'quiet',
      'acpi_osi="Windows 2020"',
      'splash',
    ]);
  });

  it('treats - and _ in names as the same parameter', () => {
    expect(missingParams('vfio_pci.ids=10de:2206', ['vfio-pci.ids=10de:2206'])).toEqual([]);
  });

  it('appends after the last token and keeps trailing blanks', () => {
    expect(editCmdline('quiet splash  ', ['iommu=pt'])).toBe('quiet splash iommu=pt  ');
    expect(editCmdline('', ['iommu=pt'])).toBe('iommu=pt');
  });

  it('rewrites a parameter in place, merging option lists and dropping a contradicting off', () => {
    expect(editCmdline('a intel_iommu=off b', ['intel_iommu=on'])).toBe('a intel_iommu=on b');
    expect(editCmdline('intel_iommu=igfx_off quiet', ['intel_iommu=on'])).toBe(
      'intel_iommu=on,igfx_off quiet',
    );
    expect(missingParams('intel_iommu=sm_on,on', ['intel_iommu=on'])).toEqual([]);
  });

  it('replaces a different value and drops earlier duplicates of the same name', () => {
    expect(editCmdline('vfio-pci.ids=1:2 quiet vfio-pci.ids=3:4', ['vfio-pci.ids=5:6'])).toBe(
      'quiet vfio-pci.ids=5:6',
    );
  });

  it('removes by exact name=value when the pattern has a value, by name otherwise', () => {
    expect(
      editCmdline('rd.driver.pre=nvidia rd.driver.pre=vfio_pci quiet', [], ['rd.driver.pre=vfio_pci']),
    ).toBe('rd.driver.pre=nvidia quiet');
    expect(editCmdline('rd.driver.pre=nvidia quiet', [], ['rd.driver.pre'])).toBe('quiet');
  });

  it('removes a parameter with one neighbouring blank run', () => {
    expect(editCmdline('quiet vfio-pci.ids=1002:73bf splash', [], ['vfio_pci.ids'])).toBe('quiet splash');
    expect(editCmdline('quiet vfio-pci.ids=1002:73bf', [], ['vfio-pci.ids'])).toBe('quiet');
  });
});

describe('shell assignments', () => {
  const grub =
    '# GRUB_CMDLINE_LINUX_DEFAULT="commented"\nGRUB_CMDLINE_LINUX_DEFAULT=\'quiet\'  # mine\nexport GRUB_CMDLINE_LINUX=rhgb\n';

  it('ignores comments and finds single-quoted, unquoted and exported values', () => {
    expect(findAssignments(grub, 'GRUB_CMDLINE_LINUX_DEFAULT').map((a) => [a.inner, a.quote])).toEqual([
      ['quiet', "'"],
    ]);
    expect(findAssignments(grub, 'GRUB_CMDLINE_LINUX').map((a) => [a.inner, a.quote])).toEqual([
      ['rhgb', null],
    ]);
  });

  it('rewrites only the inside of the value; an unquoted value gains quotes when it needs them', () => {
    const [a] = findAssignments(grub, 'GRUB_CMDLINE_LINUX_DEFAULT');
    expect(replaceInner(grub, a!, 'quiet iommu=pt')).toBe(grub.replace("'quiet'", "'quiet iommu=pt'"));
    const [b] = findAssignments(grub, 'GRUB_CMDLINE_LINUX');
    expect(replaceInner(grub, b!, 'rhgb iommu=pt')).toBe(grub.replace('=rhgb', '="rhgb iommu=pt"'));
  });

  it('handles escaped quotes inside double quotes and arrays with quoted words', () => {
    const text = 'GRUB_CMDLINE_LINUX_DEFAULT="quiet acpi_osi=\\"Windows 2020\\""\nMODULES=(a "b)c" d)\n';
    expect(findAssignments(text, 'GRUB_CMDLINE_LINUX_DEFAULT')[0]?.inner).toBe(
      'quiet acpi_osi=\\"Windows 2020\\"',
    );
    expect(findAssignments(text, 'MODULES')[0]?.inner).toBe('a "b)c" d');
  });

  it('says clearly when a value is not terminated', () => {
    expect(() => findAssignments('GRUB_CMDLINE_LINUX="quiet\n', 'GRUB_CMDLINE_LINUX')).toThrow(
      /unterminated/,
    );
  });
});
