import { describe, expect, it } from 'vitest';
import { LgInputError, lgSizeMiB, parseResolution } from '../../../shared/lg/size';

describe('Looking Glass shared memory size (B7 formula)', () => {
  it.each([
    ['1920x1080', false, 32],
    ['2560x1440', false, 64],
    ['3840x2160', false, 128],
    ['3840x2160', true, 256],
    ['1920x1080', true, 64],
    ['2560x1440', true, 128],
  ])('%s hdr=%s → %i MiB', (text, hdr, mib) => {
    expect(lgSizeMiB(parseResolution(text), hdr)).toBe(mib);
  });

  it.each([
    // 3440×1440 ultrawide: 37.8 MiB frames + 10 → 64
    ['3440x1440', false, 64],
    // 5120×1440 super ultrawide: 56.25 + 10 = 66.25 → 128
    ['5120x1440', false, 128],
    // 1366×768: 8.0 + 10 = 18.0 → 32
    ['1366x768', false, 32],
    // 800×600: 3.66 + 10 → 16
    ['800x600', false, 16],
    // 1×1 is still 10 MiB of overhead → 16
    ['1x1', false, 16],
    // 7680×4320 (8K): 253.1 + 10 → 512; HDR 506.25 + 10 → 1024
    ['7680x4320', false, 512],
    ['7680x4320', true, 1024],
    // exactly on a power of two: 2048×1408×8 = 22 MiB + 10 = 32 → stays 32, one more row → 64
    ['2048x1408', false, 32],
    ['2048x1409', false, 64],
  ])('odd resolution %s hdr=%s → %i MiB', (text, hdr, mib) => {
    expect(lgSizeMiB(parseResolution(text), hdr)).toBe(mib);
  });

  it('result is always a power of two that holds two frames plus 10 MiB', () => {
    for (const [w, h] of [
      [1280, 1024],
      [1600, 900],
      [2560, 1080],
      [3000, 2000],
    ] as const) {
      const size = lgSizeMiB({ width: w, height: h });
      expect(Math.log2(size) % 1).toBe(0);
      expect(size).toBeGreaterThanOrEqual((w * h * 8) / 2 ** 20 + 10);
      expect(size / 2).toBeLessThan((w * h * 8) / 2 ** 20 + 10);
    }
  });

  it.each(['2560', '2560x', 'x1440', '0x1080', '1920x0', '99999x1080', '1920x1080x2', '-1920x1080', 'abc'])(
    'rejects "%s" with a clear error',
    (text) => {
      expect(() => parseResolution(text)).toThrow(LgInputError);
    },
  );

  it('accepts spaces and the × sign', () => {
    expect(parseResolution(' 2560 × 1440 ')).toEqual({ width: 2560, height: 1440 });
  });
});
