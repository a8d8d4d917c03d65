// How a new VM gets a keyboard and mouse from its first boot: USB devices passed through by
// vendor:product id, or evdev devices (/dev/input/by-id/...) shared with a grab toggle. The choices, their
// checks and names; the XML is in vm-input-xml.ts (this file stays free of the XML parser: the renderer
// imports it through the IPC contract).

/** A USB device the host has, as listed for the person (electron/system/input-devices.ts reads them). */
export interface UsbInputDevice {
  /** 4 lower-case hex digits each. */
  vendorId: string;
  productId: string;
  /** "Logitech USB Receiver", or the ids when the device names nothing. */
  name: string;
  kind: 'keyboard' | 'mouse' | 'keyboard and mouse' | 'other';
}

/** An event device under /dev/input/by-id, e.g. …-event-kbd. */
export interface EvdevInputDevice {
  path: string;
  name: string;
  kind: 'keyboard' | 'mouse';
}

export interface InputDevices {
  usb: UsbInputDevice[];
  evdev: EvdevInputDevice[];
}

/** libvirt's grabToggle values a person can press on any keyboard. */
export const GRAB_TOGGLES = ['ctrl-ctrl', 'alt-alt', 'shift-shift', 'scrolllock', 'ctrl-scrolllock'] as const;
export type GrabToggle = (typeof GRAB_TOGGLES)[number];

export const grabToggleWords: Record<GrabToggle, string> = {
  'ctrl-ctrl': 'both Ctrl keys',
  'alt-alt': 'both Alt keys',
  'shift-shift': 'both Shift keys',
  scrolllock: 'Scroll Lock',
  'ctrl-scrolllock': 'Ctrl + Scroll Lock',
};

export interface UsbId {
  vendorId: string;
  productId: string;
}

export interface VmInputChoice {
  usb: UsbId[];
  evdevKeyboard: string | null;
  evdevMouse: string | null;
  grabToggle: GrabToggle;
}

/** The same USB device model (vendor and product ids). */
export const sameUsbId = (a: UsbId, b: UsbId): boolean => a.vendorId === b.vendorId && a.productId === b.productId;

export const noInput: VmInputChoice = { usb: [], evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' };

/** One half of a USB id: 4 lower-case hex digits. */
export const USB_ID = /^[0-9a-f]{4}$/;
/** An evdev link GPU Ferry offers and accepts (the file names udev gives keyboards and mice). */
export const EVDEV_PATH = /^\/dev\/input\/by-id\/[A-Za-z0-9._:+@-]+-event-(kbd|mouse)$/;

/** "046d:c52b" → ids; throws with the form expected. */
export function parseUsbId(text: string): UsbId {
  const m = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(text.trim());
  if (!m) throw new Error(`A USB device is given as vendor:product, four hex digits each (e.g. 046d:c52b), not "${text}".`);
  return { vendorId: (m[1] ?? '').toLowerCase(), productId: (m[2] ?? '').toLowerCase() };
}

/** Throws unless every choice is well formed (ids of 4 hex digits, evdev paths under /dev/input/by-id). */
export function checkInputChoice(input: VmInputChoice): void {
  for (const id of input.usb)
    if (!USB_ID.test(id.vendorId) || !USB_ID.test(id.productId)) throw new Error(`Bad USB id ${id.vendorId}:${id.productId}: four lower-case hex digits each.`);
  for (const dev of [input.evdevKeyboard, input.evdevMouse])
    if (dev !== null && !EVDEV_PATH.test(dev))
      throw new Error(`"${dev}" is not an input device under /dev/input/by-id ending in -event-kbd or -event-mouse.`);
}

/** True when the choice gives the VM a keyboard of its own. */
export const hasKeyboard = (input: VmInputChoice, usbDevices: UsbInputDevice[] = []): boolean =>
  input.evdevKeyboard !== null ||
  input.usb.some((id) => {
    const known = usbDevices.find((d) => sameUsbId(d, id));
    return !known || known.kind === 'keyboard' || known.kind === 'keyboard and mouse';
  });

/** A readable name from a by-id link: usb-Logitech_USB_Receiver-if02-event-mouse → Logitech USB Receiver. */
export function evdevName(link: string): string {
  const base = link.replace(/^.*\//, '');
  const core = base
    .replace(/-event-(kbd|mouse)$/, '')
    .replace(/^(usb|bluetooth|platform|i2c)-/, '')
    .replace(/-if\d+$/, '')
    .replace(/_[0-9A-Fa-f]{8,}$/, ''); // a serial number says nothing to a person
  return core.replace(/_/g, ' ').trim() || base;
}
