// The layout rule of the e2e tier: nothing sticks out sideways (the page never scrolls horizontally, the
// theme picker stays inside the window) and the brand stays on one line; each screen saved and checked
// with axe (browser.ts captureScreen).
import { expect } from 'vitest';
import { captureScreen, type Page } from './browser';

/** The sizes people use, in both themes: a small laptop window and a full HD screen. */
export const LAYOUTS = [
  ['dark', 800, 600],
  ['light', 800, 600],
  ['dark', 1920, 1080],
  ['light', 1920, 1080],
] as const;

const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return (
          r.width > 0 && (r.right > width + 1 || r.left < -1) && !el.closest('.sr-only, .skip, pre, .diff')
        );
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .slice(0, 5);
    const brand = document.querySelector('.brand')?.getBoundingClientRect();
    const picker = document.querySelector('.theme-pick select')?.getBoundingClientRect();
    return {
      scroll: document.documentElement.scrollWidth - width,
      outside,
      brandOneLine: brand ? brand.height < 40 : false,
      pickerInside: picker ? picker.right <= width && picker.left >= 0 : false,
    };
  });

/** Asserts nothing sticks out sideways and the brand and theme picker fit; saves the screen, returns axe's violations. */
export const checkLayout = async (page: Page, name: string): Promise<string[]> => {
  const o = await overflow(page);
  expect(o, name).toEqual({ scroll: 0, outside: [], brandOneLine: true, pickerInside: true });
  return captureScreen(page, name);
};
