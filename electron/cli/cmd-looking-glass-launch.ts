// `gpu-ferry looking-glass launch --vm NAME`: starts the client for a running VM and waits for it; when
// it fails, shows the end of its output (the client explains most problems itself).
import { findClient, outputTail, runClient } from '../system/looking-glass-client';
import { domainState, VirshError } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { splitPassthrough } from './cmd-looking-glass-args';
import { parseHostArgs, UsageError } from './host-options';

export const lookingGlassLaunchCommand: CliCommand = {
  path: ['looking-glass', 'launch'],
  summary: 'start the Looking Glass client for a running VM',
  help: `Usage: gpu-ferry looking-glass launch --vm NAME [--connect URI] [--json] [-- CLIENT-ARGS...]

Checks that the VM is running, then runs looking-glass-client (it reads ~/.config/looking-glass/client.ini;
arguments after -- are passed to it unchanged). On failure prints the end of the client's output.
Exit codes: 0 the client ended normally, 1 it failed, 2 bad usage, 6 the VM is not running, 9 no client.
`,
  run: async (args, io) => {
    const { own, rest } = splitPassthrough(args);
    let opts;
    try {
      opts = parseHostArgs(own, { vm: { type: 'string' }, connect: { type: 'string' } });
      if (opts.root !== undefined || opts.host !== undefined) throw new UsageError('launch runs on this machine only (no --root/--host)');
      if (typeof opts.vm !== 'string') throw new UsageError('--vm NAME is required');
    } catch (error) {
      io.err(`gpu-ferry looking-glass launch: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const vm = opts.vm as string;
    const uri = typeof opts.connect === 'string' ? opts.connect : undefined;
    let state: string;
    try {
      state = await domainState(vm, { uri });
    } catch (error) {
      const fix = error instanceof VirshError && error.fix ? ` ${error.fix}` : '';
      io.err(`gpu-ferry looking-glass launch: ${(error as Error).message}${fix}\n`);
      return error instanceof VirshError && error.kind === 'no-domain' ? EXIT.usage : EXIT.unavailable;
    }
    if (state !== 'running') {
      io.err(`gpu-ferry looking-glass launch: ${vm} is not running (${state}). Start it first: gpu-ferry vm start ${vm}\n`);
      return EXIT.refused;
    }
    const program = findClient();
    if (!program) {
      io.err('gpu-ferry looking-glass launch: looking-glass-client is not installed (see `gpu-ferry looking-glass status`).\n');
      return EXIT.unavailable;
    }
    const run = await runClient(program, rest, { onOutput: opts.json ? undefined : (t) => io.out(t) });
    const ok = run.code === 0;
    if (opts.json) io.out(JSON.stringify({ vm, client: program, exitCode: run.code, signal: run.signal, output: ok ? '' : outputTail(run.output) }, null, 2) + '\n');
    if (!ok) io.err(`gpu-ferry looking-glass launch: the client ended with ${run.signal ?? `exit code ${run.code}`}. Its last output:\n${outputTail(run.output)}\n`);
    return ok ? EXIT.ok : EXIT.failure;
  },
};
