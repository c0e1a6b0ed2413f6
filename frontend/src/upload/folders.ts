/**
 * The files of a drop, folders opened all the way down.
 *
 * Only `DataTransferItem.webkitGetAsEntry()` sees into a dropped folder (`dataTransfer.files`
 * holds the folder as one unreadable "file"). Its entries answer through callbacks, and a
 * folder's reader gives its entries in batches (Chromium: 100) until an empty one.
 * These are the parts of FileSystemEntry read here, so tests can hand in their own.
 */
export interface DroppedFile {
  isFile: true;
  isDirectory: false;
  file(found: (file: File) => void, failed: (error: DOMException) => void): void;
}

export interface DroppedFolder {
  isFile: false;
  isDirectory: true;
  createReader(): { readEntries(found: (entries: Dropped[]) => void, failed: (error: DOMException) => void): void };
}

export type Dropped = DroppedFile | DroppedFolder;

/** Every file under the dropped entries, in the order the browser lists them. */
export async function filesIn(entries: Dropped[]): Promise<File[]> {
  const files: File[] = [];
  for (const entry of entries) {
    if (entry.isFile) files.push(await new Promise<File>((found, failed) => entry.file(found, failed)));
    else files.push(...(await filesIn(await everyEntry(entry))));
  }
  return files;
}

async function everyEntry(folder: DroppedFolder): Promise<Dropped[]> {
  const reader = folder.createReader();
  const all: Dropped[] = [];
  for (;;) {
    const batch = await new Promise<Dropped[]>((found, failed) => reader.readEntries(found, failed));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * The drop's entries, read while the event lasts (the browser empties `items` after it),
 * or null when this browser gives none: then `dataTransfer.files` is all there is.
 */
export function droppedEntries(data: DataTransfer): Dropped[] | null {
  const items = Array.from(data.items).filter((item) => item.kind === "file");
  if (items.length === 0 || typeof items[0].webkitGetAsEntry !== "function") return null;
  // The DOM's FileSystemEntry has these very parts (its types say so only through isFile).
  return items.map((item) => item.webkitGetAsEntry()).filter((entry) => entry !== null) as unknown as Dropped[];
}
