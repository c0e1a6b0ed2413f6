import { PartRefused } from "./parts";
import type { PresignedPost } from "../api/types";

/**
 * The file straight to the bucket through its presigned POST, with progress (0..1).
 *
 * XHR, not fetch: only XHR reports upload progress. Fields in the order given, the
 * file last; no Content-Type header of ours (the browser's carries the boundary).
 */
export function sendToBucket(
  upload: PresignedPost,
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", upload.url);
    // e.total counts the whole multipart body, not file.size.
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new Error(`The bucket refused ${file.name}: ${storageMessage(xhr.responseText) ?? xhr.status}.`));
      }
    };
    xhr.onerror = () => reject(new Error(`${file.name} could not reach the bucket.`));
    xhr.onabort = () => reject(new DOMException(`${file.name} was cancelled.`, "AbortError"));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(form);
  });
}

/** The <Message> of an S3 error document. */
function storageMessage(xml: string): string | null {
  return /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? null;
}

/** One part of an upload in parts to its presigned PUT; resolves with the ETag S3 gave it. */
export function putPart(url: string, body: Blob, onSent: (bytes: number) => void, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () => {
      const etag = xhr.getResponseHeader("ETag");
      if (xhr.status < 300 && etag) resolve(etag);
      else if (xhr.status < 300) reject(new Error("The bucket hid the part's ETag: its CORS rules must expose ETag."));
      else reject(new PartRefused(xhr.status, `The bucket refused a part: ${storageMessage(xhr.responseText) ?? xhr.status}.`));
    };
    xhr.onerror = () => reject(new Error("A part could not reach the bucket."));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}
