// The worker that fetches and decodes tiles for the page (see decoding.ts).
import { serveDecodes } from "./decoding";
import { fetchTileValues } from "./tiles";

serveDecodes(self, fetchTileValues);
