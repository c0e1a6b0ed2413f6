import { backoffDelay, sleep } from "../api/backoff";
import type { PartUrls, PartsPlan, UploadProgress } from "../api/types";

/** Parts sent at once: enough to fill a field station's uplink, few enough to lose little on a drop. */
export const PARTS_IN_FLIGHT = 4;
/** Tries of one part before the upload stops (and may be resumed): about a minute and a half of waiting. */
export const PART_TRIES = 6;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** URLs this close to their expiry are renewed before a part goes. */
const RENEW_BEFORE_MS = 60_000;

/** The bucket answered a part's PUT with an error (403: its URL expired). */
export class PartRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PartSender {
  /** PUT `body` to `url`, reporting bytes sent; resolves with the part's ETag. */
  put(url: string, body: Blob, onSent: (bytes: number) => void, signal: AbortSignal): Promise<string>;
  /** Fresh URLs for these parts. */
  presign(numbers: number[]): Promise<PartUrls>;
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Part `number`'s bytes of the file, as the API's plan splits it. */
export function partOf(file: Blob, partSize: number, number: number): Blob {
  return file.slice((number - 1) * partSize, number * partSize);
}

/** How many bytes part `number` has: `partSize`, but for the last. */
function partLength(fileSize: number, partSize: number, number: number): number {
  return Math.min(partSize, fileSize - (number - 1) * partSize);
}

/** The parts the bucket holds whole (number -> ETag): a resumed upload sends only the others. */
export function heldParts(progress: UploadProgress, fileSize: number): Map<number, string> {
  const whole = (p: UploadProgress["received"][number]) => p.size === partLength(fileSize, progress.part_size, p.number);
  return new Map(progress.received.filter(whole).map((p) => [p.number, p.etag]));
}

/**
 * Every part of `file` not in `held` to its presigned URL, `PARTS_IN_FLIGHT` at a time, each
 * retried with growing waits after a network error and with a fresh URL once its own expired.
 * Resolves with every part's ETag; progress counts the held parts as sent. When a part runs
 * out of tries the others stop and the failure is thrown: what arrived stays, to resume from.
 */
export async function sendParts(
  file: Blob,
  plan: PartsPlan,
  held: Map<number, string>,
  sender: PartSender,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Map<number, string>> {
  const wait = sender.wait ?? sleep;
  const now = sender.now ?? Date.now;
  const etags = new Map(held);
  const urls = new Map(plan.parts.map((p) => [p.number, p.url]));
  let expiresAt = Date.parse(plan.expires_at);
  let renewing: Promise<void> | null = null;
  const todo = Array.from({ length: plan.part_count }, (_, i) => i + 1).filter((n) => !etags.has(n));
  const inFlight = new Map<number, number>();
  const stop = new AbortController();
  const stopAll = () => stop.abort();
  signal.addEventListener("abort", stopAll);
  if (signal.aborted) stopAll();

  const report = () => {
    let sent = 0;
    for (const n of etags.keys()) sent += partLength(file.size, plan.part_size, n);
    for (const bytes of inFlight.values()) sent += bytes;
    onProgress(file.size > 0 ? sent / file.size : 1);
  };

  async function urlFor(n: number): Promise<string> {
    if (!urls.has(n) || now() > expiresAt - RENEW_BEFORE_MS) {
      renewing ??= sender
        .presign(todo.concat([...inFlight.keys()], [n]).filter((m, i, all) => all.indexOf(m) === i))
        .then((fresh) => {
          for (const p of fresh.parts) urls.set(p.number, p.url);
          expiresAt = Date.parse(fresh.expires_at);
        })
        .finally(() => {
          renewing = null;
        });
      await renewing;
    }
    return urls.get(n) as string;
  }

  async function send(n: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const url = await urlFor(n);
        const etag = await sender.put(url, partOf(file, plan.part_size, n), (bytes) => {
          inFlight.set(n, bytes);
          report();
        }, stop.signal);
        inFlight.delete(n);
        etags.set(n, etag);
        report();
        return;
      } catch (failure) {
        inFlight.delete(n);
        if (stop.signal.aborted || attempt + 1 >= PART_TRIES) throw failure;
        if (failure instanceof PartRefused && failure.status === 403) urls.delete(n);
        await wait(backoffDelay(attempt, RETRY_FIRST_MS, RETRY_MAX_MS));
      }
    }
  }

  async function worker(): Promise<void> {
    for (let n = todo.shift(); n !== undefined; n = todo.shift()) await send(n);
  }

  try {
    report();
    await Promise.all(
      Array.from({ length: Math.min(PARTS_IN_FLIGHT, todo.length) }, () =>
        worker().catch((failure: unknown) => {
          stopAll();
          throw failure;
        }),
      ),
    );
    return etags;
  } finally {
    signal.removeEventListener("abort", stopAll);
  }
}
