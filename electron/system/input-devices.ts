// The keyboards, mice and other USB devices a new VM can be given (shared/vm/vm-input.ts), read from a
// root directory (the real "/" or a materialized host): USB devices from /sys/bus/usb/devices (hubs
// left out; keyboard/mouse from their HID interfaces) and evdev links from /dev/input/by-id.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EVDEV_PATH, evdevName, sameUsbId, type EvdevInputDevice, type InputDevices, type UsbInputDevice } from '../../shared/vm/vm-input';

const read = (file: string): Promise<string | null> => readFile(file, 'utf8').then((t) => t.trim(), () => null);
const list = (dir: string): Promise<string[]> => readdir(dir).catch(() => []);

const HID = '03';
const HUB = '09';

async function usbDevice(dir: string, entries: string[]): Promise<UsbInputDevice | null> {
  const [vendorId, productId, deviceClass, manufacturer, product] = await Promise.all(
    ['idVendor', 'idProduct', 'bDeviceClass', 'manufacturer', 'product'].map((f) => read(path.join(dir, f))),
  );
  if (!vendorId || !productId || !/^[0-9a-f]{4}$/i.test(vendorId) || !/^[0-9a-f]{4}$/i.test(productId)) return null;
  if (deviceClass === HUB) return null;
  // Interfaces are siblings named "<device>:<config>.<interface>", e.g. 1-2:1.0.
  const base = path.basename(dir);
  const protocols = new Set<string>();
  for (const iface of entries.filter((e) => e.startsWith(`${base}:`))) {
    const ifaceDir = path.join(path.dirname(dir), iface);
    if ((await read(path.join(ifaceDir, 'bInterfaceClass'))) !== HID) continue;
    const protocol = await read(path.join(ifaceDir, 'bInterfaceProtocol'));
    if (protocol) protocols.add(protocol);
  }
  const keyboard = protocols.has('01');
  const mouse = protocols.has('02');
  const kind: UsbInputDevice['kind'] = keyboard && mouse ? 'keyboard and mouse' : keyboard ? 'keyboard' : mouse ? 'mouse' : 'other';
  const words = [manufacturer, product].filter((w): w is string => Boolean(w));
  const name = words.length > 0 ? (product?.startsWith(manufacturer ?? '\0') ? product : words.join(' ')) : `USB device ${vendorId}:${productId}`;
  return { vendorId: vendorId.toLowerCase(), productId: productId.toLowerCase(), name, kind };
}

/** Lists what is plugged in now; a missing folder is an empty list (no USB, a container, a fixture). */
export async function readInputDevices(root: string): Promise<InputDevices> {
  const usbDir = path.join(root, 'sys/bus/usb/devices');
  const entries = await list(usbDir);
  const devices = await Promise.all(
    entries.filter((e) => /^\d+-[\d.]+$/.test(e)).sort().map((e) => usbDevice(path.join(usbDir, e), entries)),
  );
  const usb: UsbInputDevice[] = [];
  for (const d of devices) if (d && !usb.some((u) => sameUsbId(u, d))) usb.push(d);

  const byId = '/dev/input/by-id';
  const evdev: EvdevInputDevice[] = (await list(path.join(root, byId)))
    .map((e) => `${byId}/${e}`)
    .filter((p) => EVDEV_PATH.test(p))
    .sort()
    .map((p) => ({ path: p, name: evdevName(p), kind: p.endsWith('-event-kbd') ? 'keyboard' : 'mouse' }));
  return { usb, evdev };
}
