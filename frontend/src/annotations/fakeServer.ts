import { ApiError, ConflictError, type DownloadedFile, type ExportFormat, type ImportFormat } from "../api/client";
import type { MeasurementsAnswer } from "../api/types";
import type { Annotation, AnnotationChanges, AnnotationSet } from "../api/types";
import type { ReviewFilter } from "../api/types";
import { sameBox } from "./box";
import type { AnnotationsApi } from "./store";

type Patch = { version: number; upsert: Annotation[]; delete: string[] };
/** Who the fake server says is signed in: it signs the boxes it stores with this name. */
export const FAKE_USER = "ana";

/**
 * For tests: the API's annotation routes over a set in memory, with the PATCH rules of
 * chalicelib/annotations.py (a stale version is a ConflictError, anything else applies and
 * bumps the version). `hold()` keeps answers until `release()`; `failNext` makes requests throw.
 */
export class FakeServer implements AnnotationsApi {
  boxes = new Map<string, Annotation>();
  version = 0;
  patches: Patch[] = [];
  failNext: Error[] = [];
  /** What GET .../measurements answers next (each answer taken in turn; the last one stays). */
  measurementAnswers: MeasurementsAnswer[] = [{ measurements: {}, pending: [] }];
  /** The next request reaches the server but its answer is lost. */
  loseNextAnswer = false;
  private held: (() => void)[] = [];
  private holding = false;

  constructor(boxes: Annotation[] = []) {
    for (const b of boxes) this.boxes.set(b.id, b);
  }

  set(): AnnotationSet {
    return { annotations: [...this.boxes.values()], version: this.version, blind: false };
  }

  hold() {
    this.holding = true;
  }

  release() {
    this.holding = false;
    for (const go of this.held.splice(0)) go();
  }

  /** Someone else saves first. */
  theirEdit(edit: (boxes: Map<string, Annotation>) => void) {
    edit(this.boxes);
    this.version += 1;
  }

  async getAnnotations(): Promise<AnnotationSet> {
    return this.set();
  }

  async changeAnnotations(_id: string, patch: Patch): Promise<AnnotationChanges> {
    this.patches.push(patch);
    if (this.holding) await new Promise<void>((go) => this.held.push(go));
    const failure = this.failNext.shift();
    if (failure) throw failure;
    if (patch.version !== this.version) throw new ConflictError("the annotations changed since version " + patch.version);
    // Signed as the server signs what it stores (chalicelib/annotation_sets.py).
    for (const b of patch.upsert) this.boxes.set(b.id, this.signed(b));
    for (const id of patch.delete) {
      if (!this.boxes.delete(id)) throw new ConflictError(`no annotation '${id}' to delete`);
    }
    this.version += 1;
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new ApiError(0, "PATCH could not reach the API: TypeError: Failed to fetch");
    }
    const upserted = patch.upsert.map((b) => this.boxes.get(b.id)!);
    return { version: this.version, annotation_count: this.boxes.size, upserted, deleted: patch.delete };
  }

  private signed(box: Annotation): Annotation {
    const stored = this.boxes.get(box.id);
    const unchanged = stored !== undefined && sameBox(stored, box);
    if (unchanged) return stored;
    const at = new Date(Date.UTC(2027, 0, 15, 8, 0, this.version)).toISOString();
    return { ...box, created_by: stored ? stored.created_by : FAKE_USER, updated_by: FAKE_USER, updated_at: at };
  }

  async getMeasurements(): Promise<MeasurementsAnswer> {
    return this.measurementAnswers.length > 1 ? this.measurementAnswers.shift()! : this.measurementAnswers[0];
  }

  /** JSON export of what the server holds (only the accepted boxes for `review` "accepted"), named as the API names it. */
  async exportAnnotations(_id: string, format: ExportFormat, review?: ReviewFilter): Promise<DownloadedFile> {
    const boxes = [...this.boxes.values()].filter((b) => review === undefined || b.review?.state === review);
    return { filename: `song.${format}`, data: new Blob([JSON.stringify({ annotations: boxes, version: this.version })]) };
  }

  /** Takes a JSON list of boxes; `mode` as the API's. */
  async importAnnotations(
    _id: string,
    file: Blob,
    options: { format?: ImportFormat; mode: "append" | "replace" },
  ): Promise<AnnotationSet> {
    const boxes = JSON.parse(await file.text()) as Annotation[];
    if (options.mode === "replace") this.boxes.clear();
    for (const b of boxes) this.boxes.set(b.id, b);
    this.version += 1;
    return this.set();
  }
}

