/**
 * Deep links: the page's URL holds the recording and the view, so a reload, a bookmark
 * or a link sent to a colleague opens the same call at the same zoom.
 * `?recording=<id>&t=<start s>&z=<px per s>&f=<low Hz>-<high Hz>`; anything missing or
 * unreadable falls back to the whole recording.
 */
export interface Place {
  recordingId: string;
  startS?: number;
  pxPerS?: number;
  fMinHz?: number;
  fMaxHz?: number;
}

export function readPlace(search: string): Place | null {
  const params = new URLSearchParams(search);
  const recordingId = params.get("recording");
  if (!recordingId) return null;
  const place: Place = { recordingId };
  const startS = number(params.get("t"));
  if (startS !== undefined && startS >= 0) place.startS = startS;
  const pxPerS = number(params.get("z"));
  if (pxPerS !== undefined && pxPerS > 0) place.pxPerS = pxPerS;
  const band = /^([0-9.]+)-([0-9.]+)$/.exec(params.get("f") ?? "");
  const [fMinHz, fMaxHz] = [number(band?.[1] ?? null), number(band?.[2] ?? null)];
  if (fMinHz !== undefined && fMaxHz !== undefined && fMaxHz > fMinHz) {
    place.fMinHz = fMinHz;
    place.fMaxHz = fMaxHz;
  }
  return place;
}

/** The query string for a place: times to the millisecond, zoom to 4 significant digits. */
export function writePlace(place: Place): string {
  const params = new URLSearchParams({ recording: place.recordingId });
  if (place.startS !== undefined) params.set("t", String(Math.round(place.startS * 1000) / 1000));
  if (place.pxPerS !== undefined) params.set("z", String(Number(place.pxPerS.toPrecision(4))));
  if (place.fMinHz !== undefined && place.fMaxHz !== undefined) {
    params.set("f", `${Math.round(place.fMinHz)}-${Math.round(place.fMaxHz)}`);
  }
  return `?${params.toString()}`;
}

function number(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
