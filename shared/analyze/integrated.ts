// Integrated or discrete, from what the hardware says: where the GPU sits on the PCI tree, what shares
// its slot, its class and its connectors. Lists of device ids only break a tie, because every new APU
// generation brings ids no list knows yet.
import type { HostModel, PciDevice } from '../host/model';
import { cardSwitch } from './functions';
import { busOf, isDisplay, slotOf } from './pci-class';

/** AMD APU graphics ids (Raven … Strix): a tie-breaker only. */
const AMD_APU_DEVICE_IDS = new Set([
  '15d8',
  '15dd',
  '1636',
  '1638',
  '164c',
  '1681',
  '164e',
  '15bf',
  '15c8',
  '1506',
  '163f',
  '15e7',
  '150e',
  '1900',
  '1901',
  '13c0',
  '1114',
  '1586',
]);
const AMD_APU_NAMES =
  /Renoir|Cezanne|Lucienne|Rembrandt|Raphael|Phoenix|Picasso|Raven|Barcelo|Mendocino|Van ?Gogh|Hawk Point|Strix|Granite Ridge|Dragon Range|Radeon Vega Mobile/i;

/** Built-in panel connectors: only a laptop's own display uses them. */
const PANEL_CONNECTOR = /^(eDP|LVDS|DSI)-/;

export interface IntegratedVerdict {
  integrated: boolean;
  /** The hardware fact that decided, in words. */
  because: string;
}

const hasPanel = (d: PciDevice) => Object.keys(d.drm?.connectors ?? {}).some((c) => PANEL_CONNECTOR.test(c));

export function integratedVerdict(model: HostModel, d: PciDevice): IntegratedVerdict {
  const gpu = d.physfn ? (model.pci.find((p) => p.address === d.physfn) ?? d) : d;
  const yes = (because: string) => ({ integrated: true, because });
  const no = (because: string) => ({ integrated: false, because });
  if (cardSwitch(model, gpu)) return no('it sits behind a PCIe switch of its own, on its own card');
  // An APU's GPU shares its slot with the processor's own functions (security processor, USB, audio DSP).
  // An HD audio function (class 0403) does not tell: a graphics card has one for HDMI/DP, and its
  // vendor id need not be the GPU's (an emulated card's is Intel's); an APU always has the others too.
  const slot = slotOf(gpu.address);
  const platformSibling = model.pci.find(
    (p) =>
      slotOf(p.address) === slot &&
      p.vendorId !== gpu.vendorId &&
      !isDisplay(p) &&
      !p.classCode.startsWith('0403') &&
      p.physfn === null,
  );
  if (platformSibling)
    return yes(
      `its slot also holds the processor's ${platformSibling.address} (vendor ${platformSibling.vendorId})`,
    );
  const onRootBus = busOf(gpu.address) === '00' && gpu.bridges.length === 0;
  if (onRootBus) return yes('it sits on the processor root bus (00), not in a slot');
  const atMostOneBridge = gpu.bridges.length <= 1;
  if (atMostOneBridge && hasPanel(gpu))
    return yes('it drives a built-in panel (eDP/LVDS) and has no switch above it');
  if (atMostOneBridge && gpu.vendorId === '1002' && gpu.classCode.startsWith('0380'))
    return yes('an AMD "display controller" (class 0x0380) directly behind a root port is an APU');
  if (
    gpu.vendorId === '1002' &&
    (AMD_APU_DEVICE_IDS.has(gpu.deviceId) || AMD_APU_NAMES.test(gpu.deviceName ?? ''))
  )
    return yes('its device id is a known AMD APU');
  return no('it sits in a PCIe slot of its own');
}
