import type { DownloadedFile } from "./client";

/** Hands a file to the browser's downloads under the name the server gave it. */
export function saveFile({ filename, data }: DownloadedFile): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next turn; the URL only holds the blob in memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
