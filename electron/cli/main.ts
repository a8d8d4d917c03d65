// Entry point of the `gpu-ferry` command: finds the command by its words and runs it.
import { commands } from './commands';
import { EXIT, type CliIo } from './command';

const io: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stdout.isTTY),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

function usage(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length), 8);
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `Usage: gpu-ferry <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`gpu-ferry <command> --help\` for a command's options.\n`;
}

function groupUsage(word: string, group: typeof commands): string {
  const width = Math.max(...group.map((c) => c.path.join(' ').length));
  const lines = group.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `Usage: gpu-ferry ${word} <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`gpu-ferry ${word} <command> --help\` for a command's options.\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(usage());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  // Longest match on the command words (`vm list` before `vm`).
  const match = [...commands]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => argv[i] === word));
  if (!match) {
    // A group word (`vm`, `looking-glass`) alone or with --help lists its commands; a wrong word after it is named.
    const group = commands.filter((c) => c.path.length > 1 && c.path[0] === argv[0]);
    if (group.length > 0) {
      const asked = argv.length === 1 || argv[1] === '--help' || argv[1] === '-h';
      if (!asked) io.err(`gpu-ferry: unknown command '${argv[0]} ${argv[1] ?? ''}'\n\n`);
      (asked ? io.out : io.err)(groupUsage(argv[0] ?? '', group));
      return asked ? EXIT.ok : EXIT.usage;
    }
    io.err(`gpu-ferry: unknown command '${argv[0]}'\n\n${usage()}`);
    return EXIT.usage;
  }
  const rest = argv.slice(match.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(match.help.endsWith('\n') ? match.help : match.help + '\n');
    return EXIT.ok;
  }
  try {
    return await match.run(rest, io);
  } catch (error) {
    io.err(`gpu-ferry ${match.path.join(' ')}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gpu-ferry: ${String(error)}\n`);
    process.exitCode = EXIT.failure;
  },
);
