// The worker that fetches, decodes and colours tiles for the page (see decoding.ts).
import { serveDecodes } from "./decoding";
import { fetchTileValues } from "./tiles";

serveDecodes(self, fetchTileValues);
