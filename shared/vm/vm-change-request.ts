// What the app may ask of a VM (IPC `vm.review`): create a new Windows VM, attach the GPU (and tuning)
// to an existing one, detach it, or undo GPU Ferry's last change. Only choices travel; the domain XML is
// always computed in the main process from the machine as it is, never sent by the renderer.
import { z } from 'zod';
import { pciAddress, vmName } from '../ipc/field-schemas';
import { TUNING_OPTIONS } from './tuning-options';
import { EVDEV_PATH, GRAB_TOGGLES, USB_ID } from './vm-input';

const usbIdPart = z.string().regex(USB_ID, 'A USB id is four lower-case hex digits.');
const evdevPath = z
  .string()
  .regex(EVDEV_PATH, 'An evdev device is a /dev/input/by-id/…-event-kbd or -event-mouse link.');

/** The keyboard and mouse of a new VM (shared/vm/vm-input.ts). */
export const vmInputChoice = z
  .object({
    usb: z.array(z.object({ vendorId: usbIdPart, productId: usbIdPart }).strict()).max(8),
    evdevKeyboard: evdevPath.nullable(),
    evdevMouse: evdevPath.nullable(),
    grabToggle: z.enum(GRAB_TOGGLES),
  })
  .strict();

const absolutePath = z
  .string()
  .max(4096)
  .refine((p) => p.startsWith('/') && !p.includes('\0') && !/[\n\r]/.test(p), 'A path must be absolute, on one line.');

export const vmCreateRequest = z
  .object({
    kind: z.literal('create'),
    name: vmName,
    gpu: pciAddress.nullable(),
    memoryMiB: z.number().int().min(1024, 'A Windows VM needs at least 1024 MiB.').max(4 * 1024 * 1024),
    /** Physical cores the host keeps; the rest are pinned to the VM. */
    hostCores: z.number().int().min(1).max(256).optional(),
    hugepages: z.boolean(),
    /** A new qcow2 of this size at the default path, or an existing image used as it is. */
    disk: z.union([
      z.object({ newGiB: z.number().int().min(16, 'Windows needs a disk of at least 16 GiB.').max(65536) }).strict(),
      z.object({ existing: absolutePath }).strict(),
    ]),
    windowsIso: absolutePath.nullable(),
    virtioIso: absolutePath.nullable(),
    input: vmInputChoice,
  })
  .strict();

export const vmAttachRequest = z
  .object({
    kind: z.literal('attach'),
    name: vmName,
    gpu: pciAddress.nullable(),
    tune: z.array(z.enum(TUNING_OPTIONS)).max(TUNING_OPTIONS.length),
    hostCores: z.number().int().min(1).max(256).optional(),
  })
  .strict()
  .refine((r) => r.gpu !== null || r.tune.length > 0, 'Choose a GPU to attach or at least one tuning option.');

export const vmDetachRequest = z
  .object({ kind: z.literal('detach'), name: vmName, gpu: pciAddress.nullable(), keepTuning: z.boolean() })
  .strict();

export const vmUndoRequest = z.object({ kind: z.literal('undo'), name: vmName }).strict();

/** The Looking Glass shared-memory device (kvmfr, or a shm file) sized for the resolution, added or removed. */
export const vmLookingGlassRequest = z
  .object({
    kind: z.literal('looking-glass'),
    name: vmName,
    resolution: z.string().regex(/^\d{1,5}x\d{1,5}$/, 'A resolution looks like 2560x1440.'),
    hdr: z.boolean(),
    shm: z.boolean(),
    remove: z.boolean(),
  })
  .strict();

export const vmChangeRequest = z.union([vmCreateRequest, vmAttachRequest, vmDetachRequest, vmUndoRequest, vmLookingGlassRequest]);

export type VmCreateRequest = z.infer<typeof vmCreateRequest>;
export type VmAttachRequest = z.infer<typeof vmAttachRequest>;
export type VmDetachRequest = z.infer<typeof vmDetachRequest>;
export type VmLookingGlassRequest = z.infer<typeof vmLookingGlassRequest>;
export type VmChangeRequest = z.infer<typeof vmChangeRequest>;

/** A change computed for review; `id` is what `vm.apply` takes (the XML stays in the main process). */
export interface VmChangeReview {
  id: string;
  kind: VmChangeRequest['kind'];
  name: string;
  /** One line saying what will happen, e.g. 'Create the VM "win11"'. */
  title: string;
  /** The domain XML now (null for a new VM) and after the change, for the diff shown in review. */
  before: string | null;
  after: string;
  /** The exact command run first (qemu-img create ...), or null. */
  createDisk: string[] | null;
  warnings: string[];
  /** True when the VM already is as asked: nothing to apply. */
  unchanged: boolean;
}

export interface VmChangeOutcome {
  name: string;
  /** Where the previous XML was saved (undo defines it again); null for a new VM. */
  backup: string | null;
  diskCreated: string | null;
}
