// The shape of one `gpu-ferry` command. Each command lives in its own file (cmd-*.ts) and is listed
// once in commands.ts.

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is a terminal (colour, prompts). */
  tty: boolean;
  /** Reads all of standard input (for `--yes`-less confirmation and piped plans). */
  readStdin: () => Promise<string>;
}

export interface CliCommand {
  /** Words that select the command, e.g. ['doctor'] or ['vm', 'list']. */
  path: string[];
  summary: string;
  /** Full `--help` text. */
  help: string;
  run: (args: string[], io: CliIo) => Promise<number>;
}

/** Exit codes shared by every command, so scripts can tell failures apart. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  missingFile: 3,
  badSpec: 4,
  unreadableRoot: 5,
  refused: 6,
  notAuthorized: 7,
  cancelled: 8,
  unavailable: 9,
} as const;
