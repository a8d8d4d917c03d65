// A scripted stand-in for the main process, for store and component tests: answers each channel from a
// table the test sets, records every call, and lets the test push events. (The real main process is
// exercised by the e2e tier; here the subject is the renderer.)
import type { DoctorReport } from '../../shared/analyze/report';
import type { EventChannel, GpuFerryApi, InvokeChannel, PayloadOf, ResultOf } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/ipc/result';

type Answers = {
  [C in InvokeChannel]?: ResultOf<C> | ((...args: unknown[]) => ResultOf<C> | Result<ResultOf<C>> | Promise<ResultOf<C>>) | Result<never>;
};

export interface FakeApi extends GpuFerryApi {
  calls: { channel: InvokeChannel; args: unknown[] }[];
  answers: Answers;
  emit<E extends EventChannel>(event: E, payload: PayloadOf<E>): void;
}

const isResult = (v: unknown): v is Result<unknown> =>
  typeof v === 'object' && v !== null && 'ok' in v && typeof (v as { ok: unknown }).ok === 'boolean';

export const createFakeApi = (answers: Answers): FakeApi => {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: FakeApi = {
    calls: [],
    answers,
    invoke: async (channel, ...args) => {
      api.calls.push({ channel, args });
      const answer = api.answers[channel];
      if (answer === undefined) return fail('unavailable', `${channel} not scripted`) as never;
      const value: unknown = await (typeof answer === 'function' ? (answer as (...a: unknown[]) => unknown)(...args) : answer);
      return (isResult(value) ? value : ok(value)) as never;
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  };
  return api;
};

export const singleGpuReport = (over: Partial<DoctorReport> = {}): DoctorReport => ({
  cpu: { vendor: 'amd', virtualization: true, model: 'AMD Ryzen 7 5800X' },
  iommu: { state: 'off-in-kernel', groups: 0 },
  gpus: [
    {
      address: '0000:0a:00.0',
      vendorId: '10de',
      deviceId: '2206',
      name: 'GeForce RTX 3080',
      vendorName: 'NVIDIA Corporation',
      driver: 'nvidia',
      integrated: false,
      drivesHostDisplay: true,
      iommuGroup: 27,
      functions: ['0000:0a:00.0', '0000:0a:00.1'],
      isolation: 'shared',
      groupPeers: ['0000:09:00.0'],
      identicalIdsWith: ['0000:0b:00.0'],
    },
  ],
  recommendation: { mode: 'single-gpu', gpu: '0000:0a:00.0', reasons: ['Only one GPU.'] },
  checks: [
    { id: 'cpu-virtualization', status: 'pass', message: 'AMD-V is on.', fix: null },
    { id: 'iommu-kernel', status: 'fail', message: 'The IOMMU is off in the kernel.', fix: 'Apply the boot setup plan.' },
  ],
  ...over,
});

/** A machine that is set up: IOMMU on, the GPU alone in its group, no failing check. */
export const readyReport = (): DoctorReport => {
  const report = singleGpuReport({ iommu: { state: 'on', groups: 30 }, checks: [{ id: 'iommu-enabled', status: 'pass', message: 'The IOMMU is on.', fix: null }] });
  return { ...report, gpus: report.gpus.map((g) => ({ ...g, isolation: 'isolated', groupPeers: [] })) };
};
