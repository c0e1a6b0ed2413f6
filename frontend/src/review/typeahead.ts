/**
 * The relabel field's suggestions: the project's labels that start with what was typed first
 * (most boxes first among them), then those that contain it; case is ignored.
 */
export function suggestLabels(labels: readonly { label: string; boxes: number }[], typed: string, most = 8): string[] {
  const text = typed.trim().toLowerCase();
  const byBoxes = [...labels].sort((a, b) => b.boxes - a.boxes || a.label.localeCompare(b.label));
  const starts = byBoxes.filter((l) => l.label.toLowerCase().startsWith(text));
  const contains = byBoxes.filter((l) => !l.label.toLowerCase().startsWith(text) && l.label.toLowerCase().includes(text));
  return [...starts, ...contains].slice(0, most).map((l) => l.label);
}

/**
 * The label Enter commits: the suggestion highlighted (the first unless arrowed to), or what
 * was typed when nothing is suggested (a new label); null when nothing was typed.
 */
export function committedLabel(suggestions: readonly string[], highlighted: number, typed: string): string | null {
  if (suggestions.length) return suggestions[Math.min(Math.max(highlighted, 0), suggestions.length - 1)];
  const text = typed.trim();
  return text === "" ? null : text;
}
