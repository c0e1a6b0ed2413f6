import { PartRefused } from "./parts";
import type { PresignedPost } from "../api/types";

/**
 * `body` to the bucket by XHR (fetch reports no upload progress); settles with the request
 * once the bucket answered, whatever it said. A network failure or `signal` rejects,
 * naming `what`.
 */
function sendByXhr(
  method: string,
  url: string,
  body: XMLHttpRequestBodyInit,
  what: string,
  onProgress: (e: ProgressEvent) => void,
  signal: AbortSignal,
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.upload.onprogress = onProgress;
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new Error(`${what} could not reach the bucket.`));
    xhr.onabort = () => reject(new DOMException(`${what} was cancelled.`, "AbortError"));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

/**
 * The file straight to the bucket through its presigned POST, with progress (0..1).
 * Fields in the order given, the file last; no Content-Type header of ours (the browser's
 * carries the boundary).
 */
export async function sendToBucket(
  upload: PresignedPost,
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", file);
  // e.total counts the whole multipart body, not file.size.
  const sent = (e: ProgressEvent) => e.lengthComputable && onProgress(e.loaded / e.total);
  const xhr = await sendByXhr("POST", upload.url, form, file.name, sent, signal);
  if (xhr.status >= 300) {
    throw new Error(`The bucket refused ${file.name}: ${storageMessage(xhr.responseText) ?? xhr.status}.`);
  }
  onProgress(1);
}

/** The <Message> of an S3 error document. */
function storageMessage(xml: string): string | null {
  return /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? null;
}

/** One part of an upload in parts to its presigned PUT; resolves with the ETag S3 gave it. */
export async function putPart(url: string, body: Blob, onSent: (bytes: number) => void, signal: AbortSignal): Promise<string> {
  const xhr = await sendByXhr("PUT", url, body, "A part", (e) => onSent(e.loaded), signal);
  if (xhr.status >= 300) {
    throw new PartRefused(xhr.status, `The bucket refused a part: ${storageMessage(xhr.responseText) ?? xhr.status}.`);
  }
  const etag = xhr.getResponseHeader("ETag");
  if (!etag) throw new Error("The bucket hid the part's ETag: its CORS rules must expose ETag.");
  return etag;
}
