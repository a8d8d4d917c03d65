// Kernel parameters that passthrough guides spread with a typo or a value the kernel does not know.
// The kernel ignores them silently, so the person believes something is set that is not.
// `amd_iommu=on` is also not a value the kernel knows, but it is harmless (the AMD IOMMU is on by
// default) and on countless working machines: it is not reported.
import { tokenize } from '../setup/kernel-cmdline';

export interface CmdlineMistake {
  /** The token as written on the command line. */
  written: string;
  /** What is wrong, in words. */
  problem: string;
  /** What to write instead; null when the token should simply go. */
  instead: string | null;
}

const ID_PAIR = /^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}(,[0-9a-fA-F]{4}:[0-9a-fA-F]{4})*,?$/;

function mistakeOf(text: string, key: string, value: string | null): CmdlineMistake | null {
  // `vfio_pci,ids=` / `vfio-pci,ids=`: a comma where the module.parameter dot belongs.
  const comma = /^vfio[-_]pci,(\w+)$/.exec(key);
  if (comma)
    return {
      written: text,
      problem: `"${text}" is not a parameter the kernel knows (a comma where the dot belongs), so vfio-pci never sees it.`,
      instead: `vfio-pci.${comma[1]}=${value ?? ''}`,
    };
  if (value === null && ID_PAIR.test(text))
    return {
      written: text,
      problem: `"${text}" stands alone: a space inside a vfio-pci.ids list splits it, and the ids after the space are ignored.`,
      instead: null,
    };
  if (key === 'intel_iommu' && value !== null && /^(1|yes|enable|enabled|true)$/i.test(value))
    return {
      written: text,
      problem: `"${text}" is not a value the kernel knows; it needs "on".`,
      instead: 'intel_iommu=on',
    };
  if (key === 'iommu' && value !== null && /^(on|1|yes|enable|enabled|true)$/i.test(value))
    return {
      written: text,
      problem: `"${text}" is not a value the kernel knows ("iommu=pt" is the one passthrough setups use).`,
      instead: 'iommu=pt',
    };
  return null;
}

export function cmdlineMistakes(cmdline: string | null): CmdlineMistake[] {
  const mistakes: CmdlineMistake[] = [];
  const tokens = tokenize(cmdline ?? '');
  tokens.forEach((t, i) => {
    // A bare id pair is only a split list when it follows an ids= parameter.
    if (t.value === null && ID_PAIR.test(t.text) && !/ids$/.test(tokens[i - 1]?.key ?? '')) return;
    const m = mistakeOf(t.text, t.key, t.value);
    if (m) mistakes.push(m);
  });
  return mistakes;
}
