// Shared memory size for Looking Glass, following the B7 documentation: one frame is
// width × height × 4 bytes (8 for HDR), two frames are kept, plus 10 MiB for the cursor and metadata,
// rounded up to the next power of two (the kvmfr module and ivshmem both want a power of two).

export interface Resolution {
  width: number;
  height: number;
}

const MIB = 1024 * 1024;
/** Largest resolution we accept: 16K. Anything bigger is a typo, not a monitor. */
const MAX_SIDE = 15360;

export class LgInputError extends Error {}

/** Parses `2560x1440` (also `2560X1440`, `2560×1440`); throws LgInputError with the reason otherwise. */
export function parseResolution(text: string): Resolution {
  const match = /^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$/.exec(text);
  if (!match) throw new LgInputError(`Resolution "${text}" is not WIDTHxHEIGHT, e.g. 2560x1440.`);
  const width = Number(match[1]);
  const height = Number(match[2]);
  checkResolution({ width, height });
  return { width, height };
}

export function checkResolution({ width, height }: Resolution): void {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE)
      throw new LgInputError(`Resolution ${name} ${value} is out of range (1 to ${MAX_SIDE} pixels).`);
  }
}

/** Smallest power of two ≥ n (n > 0). */
const nextPowerOfTwo = (n: number): number => 2 ** Math.ceil(Math.log2(n));

/** The shared memory size in MiB for a resolution (B7 formula). */
export function lgSizeMiB(resolution: Resolution, hdr = false): number {
  checkResolution(resolution);
  const bytesPerPixel = hdr ? 8 : 4;
  const frames = resolution.width * resolution.height * bytesPerPixel * 2;
  return nextPowerOfTwo(frames / MIB + 10);
}
