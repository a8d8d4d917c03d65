// The Looking Glass client's own settings file, ~/.config/looking-glass/client.ini, read and written
// with the `ini` library. We set only the keys the user chose here; every other section and key of an
// existing file is kept (comments are not: the writer backs the file up first).
import { parse, stringify } from 'ini';
import { LgInputError } from './size';

export interface ClientChoices {
  /** /dev/kvmfr0 or /dev/shm/looking-glass. */
  shmFile: string;
  fullScreen: boolean;
  /** Linux input key name, e.g. KEY_SCROLLLOCK (the client's default) or KEY_RIGHTCTRL. */
  escapeKey: string;
  spiceInput: boolean;
  spiceClipboard: boolean;
  spiceAudio: boolean;
}

export const defaultClientChoices = (shmFile: string): ClientChoices => ({
  shmFile,
  fullScreen: false,
  escapeKey: 'KEY_SCROLLLOCK',
  spiceInput: true,
  spiceClipboard: true,
  spiceAudio: true,
});

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

type IniSections = Record<string, Record<string, unknown>>;

/** The new client.ini text for `current` (null: no file yet) with `choices` applied. */
export function mergeClientIni(current: string | null, choices: ClientChoices): string {
  if (!/^\/dev\/(kvmfr\d+|shm\/[A-Za-z0-9._-]+)$/.test(choices.shmFile)) throw new LgInputError(`Not a Looking Glass shared memory path: ${choices.shmFile}`);
  if (!/^KEY_[A-Z0-9]+$/.test(choices.escapeKey)) throw new LgInputError(`Escape key "${choices.escapeKey}" is not a Linux key name such as KEY_SCROLLLOCK or KEY_RIGHTCTRL.`);
  const data = (current ? parse(current) : {}) as IniSections;
  const section = (name: string): Record<string, unknown> => {
    const existing = data[name];
    if (existing && typeof existing === 'object') return existing;
    const created: Record<string, unknown> = {};
    data[name] = created;
    return created;
  };
  section('app').shmFile = choices.shmFile;
  section('win').fullScreen = yesNo(choices.fullScreen);
  section('input').escapeKey = choices.escapeKey;
  const spice = section('spice');
  spice.enable = yesNo(choices.spiceInput || choices.spiceClipboard || choices.spiceAudio);
  spice.input = yesNo(choices.spiceInput);
  spice.clipboard = yesNo(choices.spiceClipboard);
  spice.audio = yesNo(choices.spiceAudio);
  return stringify(data);
}

/** The choices stored in a client.ini (for showing the current state). */
export function readClientIni(text: string): Partial<ClientChoices> {
  const data = parse(text) as IniSections;
  const get = (s: string, k: string): string | undefined => {
    const v = data[s]?.[k];
    return typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'yes' : 'no') : undefined;
  };
  const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : ['yes', 'true', '1', 'on'].includes(v.toLowerCase()));
  const out: Partial<ClientChoices> = {};
  const shmFile = get('app', 'shmFile');
  if (shmFile) out.shmFile = shmFile;
  const fullScreen = bool(get('win', 'fullScreen'));
  if (fullScreen !== undefined) out.fullScreen = fullScreen;
  const escapeKey = get('input', 'escapeKey');
  if (escapeKey) out.escapeKey = escapeKey;
  const input = bool(get('spice', 'input'));
  if (input !== undefined) out.spiceInput = input;
  const clipboard = bool(get('spice', 'clipboard'));
  if (clipboard !== undefined) out.spiceClipboard = clipboard;
  const audio = bool(get('spice', 'audio'));
  if (audio !== undefined) out.spiceAudio = audio;
  return out;
}
