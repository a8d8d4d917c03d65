// What the window sees while the helper runs: its progress, result and pending lines become plan.progress
// sentences (a pending line the moment a command undoing a step fails), other lines do not.
import { describe, expect, it } from 'vitest';
import { createEventHub } from '../../../electron/services/events';
import { helperTarget } from '../../../electron/services/helper-access';
import type { ServiceContext } from '../../../electron/services/context';
import { parseHelperLine } from '../../../shared/plan/helper-output';

const context = (events: ServiceContext['events']): ServiceContext => ({
  hostSource: {},
  simulatedRoot: null,
  libvirtUri: 'test:///default',
  dataDir: '/nonexistent',
  events,
  shell: 'browser',
  version: '0',
});

describe('helperTarget', () => {
  it('emits progress, result and pending lines as plan.progress sentences, with the journal id', () => {
    const hub = createEventHub();
    const seen: unknown[] = [];
    hub.onAny((event, payload) => seen.push({ event, payload }));
    const { onLine } = helperTarget(context(hub));
    for (const line of [
      { type: 'journal', id: '20260101T000000Z-7' },
      { type: 'result', step: 0, status: 'ok', kind: 'restore', detail: '/etc/default/grub' },
      { type: 'progress', step: 1, text: 'grubby: cannot write the boot entries' },
      { type: 'pending', step: 1, command: 'grubby --update-kernel=ALL --remove-args=iommu=pt' },
      { type: 'error', code: 'undo-incomplete', step: null, message: 'the files are restored' },
    ])
      onLine?.(parseHelperLine(JSON.stringify(line)));
    const journalId = '20260101T000000Z-7';
    expect(seen).toEqual([
      { event: 'plan.progress', payload: { journalId, index: 0, line: 'Restored /etc/default/grub' } },
      { event: 'plan.progress', payload: { journalId, index: 1, line: 'grubby: cannot write the boot entries' } },
      { event: 'plan.progress', payload: { journalId, index: 1, line: 'Undoing step 2 failed: run `grubby --update-kernel=ALL --remove-args=iommu=pt` as root to finish' } },
    ]);
  });
});
