// The handoff runtime's step ids (resources/handoff/gpu-ferry-handoff) in words a person reads in the
// timeline. The same id means the opposite when it is undone (release, rollback), so undos have their own.
const doing: Record<string, string> = {
  'holders-first': 'Check that only the desktop session uses the GPU',
  'dm-stop': 'Stop the display manager',
  'session-wait': 'Wait for the desktop session to end',
  'persistenced-stop': 'Stop nvidia-persistenced',
  'vtcon-unbind': 'Release the text console',
  'fb-release': 'Release the firmware frame buffer',
  holders: 'Check that no program uses the GPU',
  'driver-unbind': 'Detach the GPU from its host driver',
  'modules-unload': 'Unload the GPU driver modules',
  'vfio-bind': 'Give the GPU to vfio-pci',
  'vfio-check': 'Check the GPU is ready for the VM',
  'reset-method': 'Check how the GPU resets',
  config: 'Read the handoff settings',
  lock: 'Wait for another handoff of this VM',
  state: 'Read what the last handoff did',
  recover: 'Undo an interrupted handoff',
  prepare: 'Hand the GPU to the VM',
  release: 'Give the GPU back to the host',
  rescue: 'Force the GPU back to the host',
  rollback: 'Undo the steps already done',
};

const undoing: Record<string, string> = {
  'dm-stop': 'Start the display manager again',
  'unit-stop': 'Start nvidia-persistenced again',
  'vtcon-unbind': 'Bind the text console again',
  'fb-unbind': 'Bind the firmware frame buffer again',
  'driver-unbind': 'Give the GPU back to its host driver',
  'module-unload': 'Load the GPU driver modules again',
  'vfio-bind': 'Take the GPU off vfio-pci',
};

/** What a step did, in words; an unknown id (a newer runtime) is shown with spaces instead of dashes. */
export const stepWords = (step: string, undo: boolean): string =>
  (undo ? undoing[step] : undefined) ?? doing[step] ?? step.replace(/[-_]+/g, ' ');

const statuses: Record<string, string> = {
  ok: 'done',
  done: 'done',
  skip: 'skipped',
  fail: 'failed',
  undone: 'undone',
  warn: 'warning',
  start: 'started',
};

export const statusWords = (status: string): string => statuses[status] ?? status;
