// The names of GPU Ferry's VM tuning options, apart from the XML code that applies them (shared/vm/tuning.ts)
// so the IPC contract and the renderer can name them without bundling an XML parser.
export const TUNING_OPTIONS = ['pinning', 'hyperv', 'cpu', 'memballoon', 'hugepages'] as const;
export type TuningOption = (typeof TUNING_OPTIONS)[number];
