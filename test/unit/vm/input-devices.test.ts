// The input devices a new VM can be given, read from a materialized root: USB devices named as they name
// themselves (names with spaces and & are data), hubs and malformed ids left out, one entry per model,
// keyboard/mouse from the HID interfaces; evdev links under /dev/input/by-id that GPU Ferry accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../../electron/host/materialize';
import { readInputDevices } from '../../../electron/system/input-devices';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A root holding FILES (absolute path → content, a newline added) and nothing else. */
async function rootWith(files: Record<string, string>): Promise<string> {
  const m = await materializeHostSpec({ format: 'gpu-ferry-host/1', files: Object.fromEntries(Object.entries(files).map(([p, text]) => [p, `${text}\n`])) });
  cleanups.push(m.cleanup);
  return m.root;
}

const usb = (dir: string, ids: Record<string, string>, interfaces: Record<string, [cls: string, protocol: string]> = {}) => {
  const entries: Record<string, string> = {};
  for (const [f, v] of Object.entries(ids)) entries[`/sys/bus/usb/devices/${dir}/${f}`] = v;
  for (const [iface, [cls, protocol]] of Object.entries(interfaces)) {
    entries[`/sys/bus/usb/devices/${iface}/bInterfaceClass`] = cls;
    entries[`/sys/bus/usb/devices/${iface}/bInterfaceProtocol`] = protocol;
  }
  return entries;
};

describe('readInputDevices', () => {
  it('lists USB devices by their own names and kinds, and the evdev links it accepts', async () => {
    const root = await rootWith({
      ...usb('1-1', { idVendor: '1d6b', idProduct: '0002', bDeviceClass: '09', product: 'Hub' }),
      ...usb('1-2', { idVendor: '046D', idProduct: 'C52B', bDeviceClass: '00', manufacturer: 'Logitech', product: 'USB Receiver' }, {
        '1-2:1.0': ['03', '01'],
        '1-2:1.1': ['03', '02'],
      }),
      // The same model on another port is one entry (passthrough is by vendor:product).
      ...usb('1-3', { idVendor: '046d', idProduct: 'c52b', bDeviceClass: '00', manufacturer: 'Logitech', product: 'USB Receiver' }),
      ...usb('1-4.1', { idVendor: '1532', idProduct: '0084', bDeviceClass: '00', manufacturer: 'Razer', product: 'Razer DeathAdder  V2 & Co' }, {
        '1-4.1:1.0': ['03', '02'],
      }),
      ...usb('2-1', { idVendor: '1234', idProduct: 'abcd', bDeviceClass: '00' }, { '2-1:1.0': ['08', '50'] }),
      ...usb('2-2', { idVendor: 'xyz', idProduct: '0001', bDeviceClass: '00', product: 'Broken ids' }),
      '/dev/input/by-id/usb-Cherry_USB_Keyboard-event-kbd': '',
      '/dev/input/by-id/usb-Logitech_USB_Receiver_0123456789AB-if01-event-mouse': '',
      '/dev/input/by-id/usb-Odd Name With Spaces-event-kbd': '',
      '/dev/input/by-id/usb-Cherry_USB_Keyboard-kbd': '',
    });
    const devices = await readInputDevices(root);
    expect(devices.usb).toEqual([
      { vendorId: '046d', productId: 'c52b', name: 'Logitech USB Receiver', kind: 'keyboard and mouse' },
      { vendorId: '1532', productId: '0084', name: 'Razer DeathAdder  V2 & Co', kind: 'mouse' },
      { vendorId: '1234', productId: 'abcd', name: 'USB device 1234:abcd', kind: 'other' },
    ]);
    // A link whose name has spaces is not split or trimmed into another: it is not offered at all.
    expect(devices.evdev).toEqual([
      { path: '/dev/input/by-id/usb-Cherry_USB_Keyboard-event-kbd', name: 'Cherry USB Keyboard', kind: 'keyboard' },
      { path: '/dev/input/by-id/usb-Logitech_USB_Receiver_0123456789AB-if01-event-mouse', name: 'Logitech USB Receiver', kind: 'mouse' },
    ]);
  });

  it('a root without USB or /dev/input (a container, a fixture) has no devices', async () => {
    const root = await rootWith({});
    expect(await readInputDevices(root)).toEqual({ usb: [], evdev: [] });
  });
});
