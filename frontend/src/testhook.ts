/**
 * What the page shows, readable from `window.sonagram` (docs/development.md, Browser tests in Chromium): the
 * end-to-end tests and the viewer benchmark drive the mouse to exact seconds and hertz
 * and read the audio clock through it instead of guessing from pixels.
 */
type Hooks = Record<string, unknown>;

declare global {
  interface Window {
    sonagram?: Hooks;
  }
}

export function expose(name: string, value: unknown): void {
  window.sonagram = { ...window.sonagram, [name]: value };
}
