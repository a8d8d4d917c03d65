#!/usr/bin/env node
// results.mjs OUT BUILD_JSON IMAGE_S STAGE_S SCENARIO...: reads the guest's serial logs (OUT/*.serial,
// protocol in guest/lib.sh) and writes OUT/summary.json ({"scenarios": {name: "pass"|"fail"}}, a
// requested scenario without a verdict fails) and bench-results/system.json (image build, boot to
// greeter, per cycle wall times, the handoff runtime's per-step times with medians). Exit 1 on any fail.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [out, buildJson, imageSeconds, stageSeconds, ...requested] = process.argv.slice(2);
const serials = readdirSync(out)
  .filter((f) => f.endsWith('.serial'))
  .sort();
const verdicts = {};
const failedChecks = [];
const boots = [];
const cycles = [];
const events = []; // { scenario, event }
for (const file of serials) {
  for (const raw of readFileSync(path.join(out, file), 'utf8').split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m;
    if ((m = /^SYSTEST SCENARIO (\S+) (pass|fail)$/.exec(line)))
      verdicts[m[1]] = verdicts[m[1]] === 'fail' ? 'fail' : m[2];
    else if ((m = /^SYSTEST CHECK (\S+) FAIL (.*)$/.exec(line))) failedChecks.push(`${m[1]}: ${m[2]}`);
    else if ((m = /^SYSTEST BOOT (\{.*\})$/.exec(line))) boots.push({ log: file, ...JSON.parse(m[1]) });
    else if ((m = /^SYSTEST CYCLE (\{.*\})$/.exec(line))) {
      try {
        cycles.push(JSON.parse(m[1]));
      } catch {
        failedChecks.push(`unreadable cycle line ${m[1]}`);
      }
    }
    else if ((m = /^SYSTEST JSONL (\S+) (\{.*\})$/.exec(line))) {
      try {
        events.push({ scenario: m[1], event: JSON.parse(m[2]) });
      } catch {
        failedChecks.push(`${m[1]}: unreadable runtime log line ${m[2]}`);
      }
    }
  }
}

const summary = { scenarios: {} };
for (const name of new Set([...requested, ...Object.keys(verdicts)]))
  summary.scenarios[name] = verdicts[name] ?? 'fail';
writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The runtime's runs: a run starts at "<phase> start", or at the first event of a release or rescue (a
// release after a complete prepare logs no start event). A step's waitMs is its time in kernel operations
// and waiting on the system; durationMs - waitMs is the runtime's own work. The closing event carries the
// run's totals.
const runs = [];
let run = null;
const newRun = (scenario, phase) => {
  run = { scenario, phase, steps: [], totalMs: null, waitMs: null, status: null };
  runs.push(run);
};
for (const { scenario, event } of events) {
  if (event.status === 'start' && event.step === event.phase) {
    newRun(scenario, event.phase);
    continue;
  }
  if (
    (event.phase === 'release' || event.phase === 'rescue') &&
    (!run || run.phase !== event.phase || run.status !== null)
  )
    newRun(scenario, event.phase);
  if (!run || run.phase !== event.phase) continue;
  if (event.step === event.phase && ['done', 'fail', 'skip'].includes(event.status)) {
    run.totalMs = event.durationMs;
    run.waitMs = event.waitMs;
    run.status = event.status;
    continue;
  }
  const { step, status, durationMs: ms, waitMs } = event;
  run.steps.push({ step, status, ms, waitMs, ownMs: ms == null || waitMs == null ? null : ms - waitMs });
}
const stepMedians = {};
for (const phase of ['prepare', 'release']) {
  const done = runs.filter((r) => r.phase === phase && r.status === 'done' && /cycles$/.test(r.scenario));
  const names = [...new Set(done.flatMap((r) => r.steps.map((s) => s.step)))];
  stepMedians[phase] = {
    runs: done.length,
    medianTotalMs: median(done.map((r) => r.totalMs)),
    medianWaitMs: median(done.map((r) => r.waitMs)),
    steps: Object.fromEntries(
      names.map((n) => {
        const all = done.flatMap((r) => r.steps.filter((s) => s.step === n));
        return [
          n,
          {
            medianMs: median(all.map((s) => s.ms)),
            medianWaitMs: median(all.map((s) => s.waitMs)),
            medianOwnMs: median(all.map((s) => s.ownMs)),
          },
        ];
      }),
    ),
  };
}
const byScenario = (name) => cycles.filter((c) => c.scenario === name);
const cycleStats = Object.fromEntries(
  ['single-gpu-cycles', 'dual-gpu-cycles']
    .filter((n) => byScenario(n).length > 0)
    .map((n) => [
      n,
      {
        cycles: byScenario(n).length,
        medianLaunchToGroupS: median(byScenario(n).map((c) => c.launch_to_group_s)),
        medianStopToGreeterS: median(byScenario(n).map((c) => c.stop_to_greeter_s)),
      },
    ]),
);
const bootWalls = readdirSync(out)
  .filter((f) => f.endsWith('.boot.json'))
  .map((f) => JSON.parse(readFileSync(path.join(out, f), 'utf8')));
const bench = {
  when: new Date().toISOString(),
  image: {
    coldBuild: existsSync(buildJson) ? JSON.parse(readFileSync(buildJson, 'utf8')) : null,
    thisRunImageS: Number(imageSeconds),
    stageAppS: Number(stageSeconds),
  },
  boots,
  qemuRuns: bootWalls,
  cycles: cycleStats,
  handoffSteps: stepMedians,
  cycleDetail: cycles,
  runtimeRuns: runs,
};
writeFileSync(path.join('bench-results', 'system.json'), `${JSON.stringify(bench, null, 2)}\n`);

for (const c of failedChecks) console.log(`FAIL ${c}`);
for (const [name, v] of Object.entries(summary.scenarios))
  console.log(`${v === 'pass' ? 'pass' : 'FAIL'} ${name}`);
console.log(
  JSON.stringify({
    cycles: cycleStats,
    detachMedianMs: stepMedians.prepare.medianTotalMs,
    restoreMedianMs: stepMedians.release.medianTotalMs,
  }),
);
process.exit(Object.values(summary.scenarios).every((v) => v === 'pass') ? 0 : 1);
