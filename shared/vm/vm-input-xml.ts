// The <devices> children for a new VM's input (vm-input.ts) and its SPICE screen.
import { escapeAttribute as attr } from './domain-xml';
import type { GrabToggle, UsbId, VmInputChoice } from './vm-input';

export const usbHostdevXml = (id: UsbId): string =>
  [
    "<hostdev mode='subsystem' type='usb' managed='yes'>",
    '  <source>',
    `    <vendor id='0x${id.vendorId}'/>`,
    `    <product id='0x${id.productId}'/>`,
    '  </source>',
    '</hostdev>',
  ].join('\n');

export const evdevXml = (dev: string, keyboard: boolean, grabToggle: GrabToggle): string =>
  `<input type='evdev'>\n  <source dev='${attr(dev)}'${keyboard ? ` grab='all' grabToggle='${grabToggle}' repeat='on'` : ''}/>\n</input>`;

/** The input devices of the choice, as <devices> children. */
export const inputXml = (input: VmInputChoice): string[] => [
  ...input.usb.map(usbHostdevXml),
  ...(input.evdevKeyboard ? [evdevXml(input.evdevKeyboard, true, input.grabToggle)] : []),
  ...(input.evdevMouse ? [evdevXml(input.evdevMouse, false, input.grabToggle)] : []),
];

/**
 * A SPICE screen with QXL video (the installer in virt-manager), virtio keyboard and mouse, a USB tablet
 * (the pointer follows the viewer's) and the SPICE agent channel: Looking Glass's client sends its
 * keyboard and mouse through this SPICE connection.
 */
export const spiceDisplayXml = (): string[] => [
  "<graphics type='spice' autoport='yes'>\n  <listen type='address' address='127.0.0.1'/>\n  <image compression='off'/>\n</graphics>",
  "<video>\n  <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>\n</video>",
  "<input type='keyboard' bus='virtio'/>",
  "<input type='mouse' bus='virtio'/>",
  "<input type='tablet' bus='usb'/>",
  "<channel type='spicevmc'>\n  <target type='virtio' name='com.redhat.spice.0'/>\n</channel>",
];

