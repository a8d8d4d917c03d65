// IPC fuzz: every channel through the real dispatcher and handlers with wrong types, missing fields,
// extra arguments, long and huge strings, hostile keys and unknown channels. Each call must come back
// as a typed error (never a throw, never a stack), start no process and leave the data directory and
// the simulated root byte-identical.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeChannelNames, invokeChannels, type InvokeChannel } from '../../../shared/ipc/contract';
import { dispatch } from '../../../electron/services/dispatch';
import { createHandlers } from '../../../electron/services/handlers';
import { createEventHub } from '../../../electron/services/events';
import { diffTrees, snapshotTree } from '../packaging/tree-snapshot';

// Count every process start (the real functions still run if something does call them).
const spawned: string[] = [];
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  const wrap = <F extends (...a: never[]) => unknown>(name: string, f: F) =>
    ((...a: Parameters<F>) => {
      spawned.push(`${name} ${String(a[0])}`);
      return f(...a);
    }) as unknown as F;
  return {
    ...real,
    default: real,
    spawn: wrap('spawn', real.spawn),
    execFile: wrap('execFile', real.execFile),
    exec: wrap('exec', real.exec),
    fork: wrap('fork', real.fork),
    spawnSync: wrap('spawnSync', real.spawnSync),
    execFileSync: wrap('execFileSync', real.execFileSync),
  };
});

/** One valid argument list per channel (the type makes a new channel a compile error until added). */
const VALID: Record<InvokeChannel, unknown[]> = {
  'app.info': [],
  'app.restart': [],
  'app.pickIso': [],
  'host.doctor': [],
  'host.scan': [],
  'host.rescan': [],
  'host.input': [],
  'plan.goals': [],
  'plan.make': ['iommu', { gpu: '0000:0a:00.0' }],
  'plan.apply': ['3b241101-e2bb-4255-8caf-4136c566a962'],
  'integration.status': [],
  'integration.review': [{ action: 'install' }],
  'integration.apply': [{ action: 'remove' }],
  'journal.list': [],
  'journal.undo': ['20260101-120000-1'],
  'vm.list': [],
  'vm.check': ['win11'],
  'vm.start': ['win11'],
  'vm.stop': ['win11', { force: false }],
  'vm.review': [
    {
      kind: 'create',
      name: 'win11',
      gpu: '0000:0a:00.0',
      memoryMiB: 8192,
      hostCores: 1,
      hugepages: false,
      disk: { newGiB: 128 },
      windowsIso: '/isos/win11.iso',
      virtioIso: null,
      input: { usb: [{ vendorId: '046d', productId: 'c52b' }], evdevKeyboard: '/dev/input/by-id/usb-Logitech_K120-event-kbd', evdevMouse: null, grabToggle: 'ctrl-ctrl' },
    },
  ],
  'vm.apply': ['b2a4e0a5-1c2d-4e5f-8a9b-0c1d2e3f4a5b'],
  'vm.history': [],
  'handoff.log': ['win11'],
  'lg.status': ['win11'],
  'lg.launch': ['win11'],
  'settings.get': [],
  'settings.set': [{ theme: 'dark', autostart: true }],
};

/** Fields the contract deliberately leaves to the helper's own validation (a step's payload). */
const UNBOUNDED_STRINGS = new Set(['0.steps.0.path', '0.steps.0.before', '0.steps.0.after']);

/** mustRefuse: the contract's schema has to reject it (bounded strings); huge: the dispatcher's size limit has to. */
type Mutation = { label: string; args: unknown; mustRefuse?: boolean; huge?: boolean };
const HUGE = 'A'.repeat(3 * 1024 * 1024);
const LONG = 'B'.repeat(5000);
const WRONG_TYPES: [string, unknown][] = [
  ['number', 42],
  ['NaN', Number.NaN],
  ['boolean', true],
  ['null', null],
  ['object', { a: 1 }],
  ['array', ['x']],
  ['string', 'not-the-right-type'],
];

function* mutations(channel: InvokeChannel): Generator<Mutation> {
  const valid = VALID[channel];
  for (const [label, value] of [...WRONG_TYPES, ['undefined', undefined]] as [string, unknown][])
    yield { label: `args as ${label}`, args: value };
  yield { label: 'args as array-like object', args: { 0: valid[0], length: valid.length } };
  yield { label: 'one extra argument', args: [...valid, 'extra'] };
  if (valid.length > 0) yield { label: 'missing last argument', args: valid.slice(0, -1) };
  yield { label: 'huge argument', args: [...valid.slice(0, -1), HUGE], huge: true };

  // Walk every leaf and object of the valid arguments and break it in each way that must be refused.
  const walk = function* (value: unknown, pathParts: (string | number)[]): Generator<Mutation> {
    const key = pathParts.join('.');
    const replace = (replacement: unknown, remove = false): unknown[] => {
      const copy = structuredClone(valid);
      let parent: Record<string | number, unknown> = copy as never;
      for (const p of pathParts.slice(0, -1)) parent = parent[p] as never;
      const last = pathParts[pathParts.length - 1]!;
      if (remove) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else parent[last] = replacement;
      return copy;
    };
    for (const [label, bad] of WRONG_TYPES) {
      const sameKind =
        typeof bad === typeof value &&
        Array.isArray(bad) === Array.isArray(value) &&
        (bad === null) === (value === null);
      if (!sameKind) yield { label: `${key} as ${label}`, args: replace(bad) };
    }
    if (typeof value === 'string') {
      yield { label: `${key} huge`, args: replace(HUGE), huge: true };
      if (!UNBOUNDED_STRINGS.has(key)) yield { label: `${key} long`, args: replace(LONG), mustRefuse: true };
      yield { label: `${key} with NUL and newline`, args: replace(`${value}\0\n../../etc/passwd`) };
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && pathParts.length > 0) {
      for (const field of Object.keys(value))
        yield { label: `${key}.${field} missing`, args: replaceMissing(field) };
      yield {
        label: `${key} with __proto__ key`,
        args: replace(JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(value).slice(1)}`)),
      };
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value))
        yield* walk(v, [...pathParts, Array.isArray(value) ? Number(k) : k]);
    }
    function replaceMissing(field: string): unknown[] {
      const copy = structuredClone(valid);
      let target: Record<string, unknown> = copy as never;
      for (const p of pathParts) target = target[p] as never;
      delete target[field];
      return copy;
    }
  };
  for (const [i, arg] of valid.entries()) yield* walk(arg, [i]);
}

let dataDir: string;
let simulatedRoot: string;
let handlers: ReturnType<typeof createHandlers>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-fuzz-data-'));
  simulatedRoot = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-fuzz-root-'));
  await mkdir(path.join(simulatedRoot, 'etc/default'), { recursive: true });
  await writeFile(path.join(simulatedRoot, 'etc/default/grub'), 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n');
  await writeFile(path.join(dataDir, 'settings.json'), '{"theme":"light"}\n');
  handlers = createHandlers({
    hostSource: { host: path.join(__dirname, 'fixtures/single-gpu.host.json') },
    simulatedRoot,
    libvirtUri: 'test:///default',
    dataDir,
    events: createEventHub(),
    shell: 'browser',
    version: '0.0.0-fuzz',
  });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(simulatedRoot, { recursive: true, force: true });
});

describe('IPC fuzz', () => {
  it('every valid example really is valid (so each mutation is what gets refused)', () => {
    for (const channel of invokeChannelNames)
      expect(invokeChannels[channel].args.safeParse(VALID[channel]).success, channel).toBe(true);
  });

  it.each(invokeChannelNames)(
    '%s refuses every malformed call with a typed error and touches nothing',
    async (channel) => {
      const before = [await snapshotTree(dataDir), await snapshotTree(simulatedRoot)];
      spawned.length = 0;
      let count = 0;
      for (const m of mutations(channel)) {
        // A mutation the contract still accepts (e.g. ['x'] where one string is expected) is a valid call,
        // judged by the layer below; this test is about the ones the contract must refuse.
        if (!m.huge && invokeChannels[channel].args.safeParse(m.args).success) {
          expect(m.mustRefuse, `${channel}: the contract accepts ${m.label}`).not.toBe(true);
          continue;
        }
        const result = await dispatch(handlers, channel, m.args, () => undefined);
        count++;
        expect(result.ok, `${channel}: ${m.label}`).toBe(false);
        if (!result.ok) {
          expect(result.error.code, `${channel}: ${m.label} → ${result.error.message}`).toBe(
            'invalid-arguments',
          );
          expect(result.error.message.startsWith(`${channel}:`), m.label).toBe(true);
          expect(result.error.message).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
          expect(result.error.message.length).toBeLessThan(2000);
        }
      }
      expect(count).toBeGreaterThan(10);
      expect(spawned).toEqual([]);
      expect(diffTrees(before[0]!, await snapshotTree(dataDir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
      expect(diffTrees(before[1]!, await snapshotTree(simulatedRoot))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses unknown and look-alike channels', async () => {
    for (const channel of [
      '',
      'nope',
      'APP.INFO',
      'app.info ',
      'app.info\0',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      HUGE,
      42,
      null,
      undefined,
      {},
      ['app.info'],
      Symbol('x'),
    ]) {
      const result = await dispatch(handlers, channel, []);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
      if (!result.ok) expect(result.error.message.length).toBeLessThan(300);
    }
    expect(spawned).toEqual([]);
  });
});
