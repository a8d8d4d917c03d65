// doctor on a generated 512-device / 64-group host: in-process (scan + analysis, the target is
// under 50 ms) and as a whole `gpu-ferry doctor` command (process start included).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { materializeHostSpec } from '../../electron/host/materialize';
import { scanHost } from '../../electron/host/scan';
import { buildDoctorReport } from '../../shared/analyze/doctor';
import { measure, summarize, type Bench } from './bench';
import { generatedHost } from './generated-host';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'bin/gpu-ferry.cjs');
const TARGET_MS = 50;

function timeCommand(args: string[], iterations: number): ReturnType<typeof summarize> {
  const samples: number[] = [];
  for (let i = 0; i < iterations + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`gpu-ferry ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) samples.push(ms); // the first run warms the page cache
  }
  return summarize(samples);
}

const bench: Bench = {
  name: 'doctor',
  description: 'gpu-ferry doctor on a generated 512-device host with 64 IOMMU groups',
  async run() {
    const spec = generatedHost(64, 8);
    const m = await materializeHostSpec(spec);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gf-bench-'));
    const specFile = path.join(dir, 'generated.host.json');
    writeFileSync(specFile, JSON.stringify(spec));
    try {
      const coldStart = performance.now();
      const first = buildDoctorReport(await scanHost(m.root));
      const coldMs = performance.now() - coldStart;
      const model = await scanHost(m.root);
      if (model.pci.length !== 512 || Object.keys(model.iommu.groups).length !== 64)
        throw new Error(`generated host has ${model.pci.length} devices`);
      const inProcess = await measure(async () => buildDoctorReport(await scanHost(m.root)), 40, 5);
      const scanOnly = await measure(() => scanHost(m.root), 40, 5);
      const analyzeOnly = await measure(() => buildDoctorReport(model), 200, 20);
      const commandRoot = timeCommand(['doctor', '--json', '--root', m.root], 10);
      const commandHost = timeCommand(['doctor', '--json', '--host', specFile], 5);
      return {
        devices: model.pci.length,
        groups: Object.keys(model.iommu.groups).length,
        gpus: first.gpus.length,
        mode: first.recommendation.mode,
        targetInProcessMs: TARGET_MS,
        meetsTarget: inProcess.medianMs < TARGET_MS,
        inProcessColdMs: Math.round(coldMs * 1000) / 1000,
        inProcess,
        scanOnly,
        analyzeOnly,
        commandWithRoot: commandRoot,
        commandWithHostSpec: commandHost,
      };
    } finally {
      await m.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
