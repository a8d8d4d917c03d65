// `gpu-ferry vm inputs`: the keyboards, mice and other USB devices a new VM can be given (`vm create
// --usb VID:PID`, or `--keyboard/--mouse` for evdev), named as the devices name themselves.
import { loadHost } from '../host/load';
import { readInputDevices } from '../system/input-devices';
import { EXIT, type CliCommand } from './command';
import { HOST_HELP, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';

export const vmInputsCommand: CliCommand = {
  path: ['vm', 'inputs'],
  summary: 'list the keyboards, mice and USB devices a new VM can be given',
  help: `Usage: gpu-ferry vm inputs [--json]

USB devices are passed through whole (the VM owns them while it runs: use a second keyboard and
mouse, or a USB switch). evdev devices are shared: a key combination moves them between Linux and
the VM (vm create --grab-toggle).
${HOST_HELP}
${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm inputs', io, async () => {
      const { values } = parseVmArgs(args, { root: { type: 'string' }, host: { type: 'string' } }, 0);
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      try {
        const devices = await readInputDevices(loaded.model.root);
        if (values.json) {
          io.out(JSON.stringify(devices, null, 2) + '\n');
          return EXIT.ok;
        }
        io.out('USB devices (vm create --usb VID:PID):\n');
        if (devices.usb.length === 0) io.out('  none found\n');
        for (const d of devices.usb) io.out(`  ${d.vendorId}:${d.productId}  ${d.name} (${d.kind})\n`);
        io.out('\nevdev devices (vm create --keyboard / --mouse):\n');
        if (devices.evdev.length === 0) io.out('  none found\n');
        for (const d of devices.evdev) io.out(`  ${d.path}  ${d.name} (${d.kind})\n`);
        return EXIT.ok;
      } finally {
        await loaded.cleanup();
      }
    }),
};
