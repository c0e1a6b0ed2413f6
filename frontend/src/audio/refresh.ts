/**
 * Presigned URLs expire (urls_expire_at in the manifest): a page left open for hours reads
 * the manifest again well before then, and again soon after a failed attempt.
 */

/** Renew once this share of the time left has passed. */
export const REFRESH_AT = 0.8;
/** Never sooner than this: a clock that disagrees with the server's must not flood it. */
export const MIN_REFRESH_MS = 10_000;

/** How long from ``nowMs`` to wait before reading fresh URLs. */
export function refreshDelayMs(urlsExpireAt: string, nowMs: number): number {
  const leftMs = Date.parse(urlsExpireAt) - nowMs;
  // An unreadable date counts as expired: renew soon rather than never.
  if (!Number.isFinite(leftMs)) return MIN_REFRESH_MS;
  return Math.max(MIN_REFRESH_MS, REFRESH_AT * leftMs);
}

export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => window.setTimeout(run, ms),
  clearTimeout: (id) => window.clearTimeout(id),
};

/**
 * Call ``refresh`` when ``refreshDelayMs`` says; if it fails, again at the next such time
 * (``onFailure`` hears why). Fresh URLs bring a new ``urlsExpireAt``, hence a new schedule:
 * the returned function stops this one.
 */
export function scheduleRefresh(
  urlsExpireAt: string,
  refresh: () => Promise<unknown>,
  onFailure: (failure: unknown) => void,
  timers: Timers = browserTimers,
): () => void {
  let timer = 0;
  let stopped = false;
  const wait = () => {
    timer = timers.setTimeout(() => {
      refresh().catch((failure: unknown) => {
        if (stopped) return;
        onFailure(failure);
        wait();
      });
    }, refreshDelayMs(urlsExpireAt, timers.now()));
  };
  wait();
  return () => {
    stopped = true;
    timers.clearTimeout(timer);
  };
}
