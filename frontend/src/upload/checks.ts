/** What the API would refuse, said before a byte is sent (chalicelib/audio_types.py). */
export const SUPPORTED_EXTENSIONS = [
  ".wav", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".aif", ".aiff",
] as const;

const MIB = 1024 * 1024;

/** Why this file cannot be uploaded, or null when it can. */
export function refusal(file: { name: string; size: number }, maxBytes: number): string | null {
  const dot = file.name.lastIndexOf(".");
  const extension = dot > 0 ? file.name.slice(dot).toLowerCase() : "";
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(extension)) {
    return `${file.name} is not a supported audio file: use ${SUPPORTED_EXTENSIONS.join(" ")}.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > maxBytes) {
    return `${file.name} is ${megabytes(file.size)}, more than the ${megabytes(maxBytes)} limit.`;
  }
  return null;
}

function megabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes % MIB === 0 ? 0 : 1)} MiB`;
}
