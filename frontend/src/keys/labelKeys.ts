/** A project's label keys (PATCH /projects/{id} `label_keys`) as the editor and the viewer use them. */

/** Keys 1 to 9 (chalicelib/projects.py MAX_LABEL_KEYS). */
export const LABEL_KEY_COUNT = 9;
/** The server's limit on a label (chalicelib/annotations.py MAX_LABEL). */
export const MAX_LABEL = 200;

/** The editor's nine fields from the project's list: "" where a key gives no label. */
export function fieldsOf(labelKeys: readonly (string | null)[]): string[] {
  return Array.from({ length: LABEL_KEY_COUNT }, (_, i) => labelKeys[i] ?? "");
}

/** The list to save from the fields: trimmed, empty ones null, nothing after the last label. */
export function labelKeysOf(fields: readonly string[]): (string | null)[] {
  const labels = fields.map((field) => field.trim() || null);
  while (labels.length > 0 && labels[labels.length - 1] === null) labels.pop();
  return labels;
}

/** The keys that give a label, in key order: what the legend and the help list. */
export function boundKeys(labelKeys: readonly (string | null)[]): { digit: number; label: string }[] {
  return labelKeys.flatMap((label, i) => (label === null ? [] : [{ digit: i + 1, label }]));
}
