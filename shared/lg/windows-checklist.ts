// What the Windows guest needs for Looking Glass, as data the app and the CLI render. The host
// application inside Windows must be the SAME build as the Linux client: B6, B7 and later releases
// speak different protocol versions and refuse each other.
import { LG_DOWNLOAD_PAGE } from './kvmfr-source';
import type { LgVersion } from './client-version';

export interface ChecklistItem {
  id: 'host-app' | 'ivshmem-driver' | 'display' | 'gpu-driver' | 'spice-input';
  title: string;
  detail: string;
  /** Where to get what the item needs, when there is a place. */
  link: string | null;
}

export const IVSHMEM_DRIVER_PAGE = 'https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/upstream-virtio/';

function hostAppItem(client: LgVersion | null, clientInstalled: boolean): ChecklistItem {
  if (!client) {
    return {
      id: 'host-app',
      title: 'Install the Looking Glass host application (same version as the client)',
      detail: clientInstalled
        ? 'The client\'s version could not be read (run `looking-glass-client --version`). The Windows host application must be exactly the same release.'
        : 'The Linux client was not found, so its version is unknown. Install the client first; the Windows host application must be exactly the same release.',
      link: LG_DOWNLOAD_PAGE,
    };
  }
  if (client.commit) {
    return {
      id: 'host-app',
      title: `Install the Looking Glass host application built from commit ${client.commit}`,
      detail: `Your client (${client.raw}) is a development build, ${client.commitsAfter} commits after ${client.release}. Use the "Bleeding Edge" Windows host from the download page only if it is the same commit; otherwise build the host from the same source, or install release ${client.release} on both sides.`,
      link: LG_DOWNLOAD_PAGE,
    };
  }
  return {
    id: 'host-app',
    title: `Install Looking Glass host ${client.release} in Windows`,
    detail: `Your client is ${client.release}: download the Windows host of ${client.release} exactly (other releases, e.g. B6 with B7, refuse to connect), run looking-glass-host-setup.exe as administrator; it installs a service that starts with Windows.`,
    link: LG_DOWNLOAD_PAGE,
  };
}

/** Windows draws only to a GPU with a display attached: a monitor or dummy plug, or for a GPU without outputs a virtual one. */
const displayItem = (gpuHasOutputs: boolean): ChecklistItem =>
  gpuHasOutputs
    ? {
        id: 'display',
        title: 'Connect a monitor or a dummy plug to the passed-through GPU',
        detail: 'Windows renders to the GPU only while a display is attached to it: plug in a monitor, or an HDMI/DisplayPort dummy plug, and set its resolution to the one the shared memory was sized for.',
        link: null,
      }
    : {
        id: 'display',
        title: 'Add a virtual display in Windows',
        detail: 'This GPU has no display outputs (a laptop\'s discrete GPU), so nothing can be plugged into it: install a virtual display driver (an indirect display driver) in Windows and set its resolution to the one the shared memory was sized for.',
        link: null,
      };

export function windowsChecklist(client: LgVersion | null, mode: 'kvmfr' | 'shm', clientInstalled = client !== null, gpuHasOutputs = true): ChecklistItem[] {
  return [
    hostAppItem(client, clientInstalled),
    {
      id: 'ivshmem-driver',
      title: 'Install the IVSHMEM driver',
      detail: `Device Manager → System devices → "PCI standard RAM Controller" → Update driver, with the Red Hat IVSHMEM driver from the virtio-win upstream downloads. It then shows as "IVSHMEM Device" (the ${mode === 'kvmfr' ? '/dev/kvmfr0' : '/dev/shm/looking-glass'} memory seen from Windows).`,
      link: IVSHMEM_DRIVER_PAGE,
    },
    displayItem(gpuHasOutputs),
    {
      id: 'gpu-driver',
      title: 'Install the GPU vendor driver in Windows',
      detail: 'Looking Glass captures the picture from the GPU driver (DXGI/D12); the Microsoft Basic Display Adapter is not enough.',
      link: null,
    },
    {
      id: 'spice-input',
      title: 'Keep a SPICE channel for keyboard, mouse and clipboard',
      detail: 'The client sends input and clipboard through SPICE: keep the VM\'s SPICE screen (a VM GPU Ferry creates has it), and install the SPICE guest tools (spice-vdagent) in Windows for the clipboard.',
      link: 'https://www.spice-space.org/download.html',
    },
  ];
}
