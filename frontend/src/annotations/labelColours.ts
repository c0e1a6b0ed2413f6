/**
 * One colour per label, the same on the spectrogram, in its legend and in the box list.
 *
 * The palette's colours are bright and apart from one another, and all read over the dark
 * outline boxes get on every colour map (viridis, grey, inverted grey); none is the
 * selection's orange nor near it. A box without a label is white, as boxes were before labels
 * had colours.
 */
export const PALETTE: readonly string[] = [
  "#4dc3ff", // sky blue
  "#ff5c7a", // rose
  "#b8f05a", // lime
  "#ffd84d", // yellow
  "#c792ff", // lavender
  "#3ee0c0", // aqua
  "#ff9ecf", // pink
  "#9fb4ff", // periwinkle
  "#7cf08c", // mint
];
export const UNLABELLED = "#ffffff";

/**
 * The colour of `label`: by its place in `labels` (a project's list, so labels keep their
 * colours between recordings) when it is there, else by a hash of its text.
 */
export function colourOf(label: string, labels?: readonly string[]): string {
  if (!label) return UNLABELLED;
  const index = labels?.indexOf(label) ?? -1;
  return PALETTE[(index >= 0 ? index : hashOf(label)) % PALETTE.length];
}

/** FNV-1a over the label's UTF-16 units: stable everywhere, spread over the palette. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The label list `colourOf` reads on a recording: the project's label keys in their order
 * (the same colours on every recording of the project), then the recording's other labels
 * alphabetically, so that up to the palette's size no two labels there share a colour.
 */
export function paletteOrder(labelKeys: readonly (string | null)[], boxes: readonly { label: string }[]): string[] {
  const keyed = labelKeys.filter((label): label is string => Boolean(label));
  const others = [...new Set(boxes.map((box) => box.label))].filter((label) => label && !keyed.includes(label)).sort();
  return [...new Set(keyed), ...others];
}
