import type { ApiClient, DownloadedFile, ExportFormat, ImportFormat } from "../api/client";
import type { MeasurementsAnswer } from "../api/types";
import type { Annotation, AnnotationSet } from "../api/types";
import type { ReviewFilter } from "../api/types";
import { Autosave, type SaveState, statusText } from "./autosave";
import { byStart, sameBox } from "./box";
import { applyEdits, type Edit, History } from "./history";
import { MeasurementPoll } from "./measuring";
import { acceptedOnEdit, type Reviewer } from "./proposals";

export type AnnotationsApi = Pick<
  ApiClient,
  "getAnnotations" | "changeAnnotations" | "exportAnnotations" | "importAnnotations" | "getMeasurements"
>;

/** What the page shows of a recording's boxes at one moment; a new object after every change. */
export interface Snapshot {
  /** Null while loading and once loaded; the server's sentence when the boxes could not be read. */
  loadError: string | null;
  loaded: boolean;
  /** In time order. */
  boxes: readonly Annotation[];
  selectedId: string | null;
  /** The box whose label is being typed. */
  editingId: string | null;
  save: SaveState;
  canUndo: boolean;
  canRedo: boolean;
  /** A sentence about the last import or conflict answer ("... the undo history starts again"). */
  notice: string | null;
  /** Boxes the server is still measuring (their values are not current yet). */
  measuring: ReadonlySet<string>;
}

export interface StoreOptions {
  /** Who accepts the proposals this page edits, and when. */
  reviewer?: Reviewer;
  /** The measurement keys the server computes (/config.json): its answer replaces them all. */
  computed?: readonly string[];
}

const NOBODY: Reviewer = { username: null, now: () => new Date() };

/**
 * A recording's boxes in the page: loaded from the API, edited through the undo history,
 * every edit handed to autosave. Components read `getSnapshot()` and call the actions.
 */
export class AnnotationStore {
  private boxes = new Map<string, Annotation>();
  private history = new History();
  private autosave: Autosave | null = null;
  private snapshot: Snapshot = {
    loadError: null,
    loaded: false,
    boxes: [],
    selectedId: null,
    editingId: null,
    save: { kind: "saved" },
    canUndo: false,
    canRedo: false,
    notice: null,
    measuring: new Set(),
  };
  private readonly listeners = new Set<() => void>();
  private readonly measurements: MeasurementPoll;

  constructor(
    private readonly api: AnnotationsApi,
    private readonly recordingId: string,
    private readonly options: StoreOptions = {},
  ) {
    this.measurements = new MeasurementPoll({
      getMeasurements: (id) => api.getMeasurements(id),
      recordingId,
      onAnswer: this.measured,
      onGiveUp: () => this.publish({ measuring: new Set() }),
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  load = async (): Promise<void> => {
    try {
      const set = await this.api.getAnnotations(this.recordingId);
      this.autosave?.dispose();
      this.autosave = new Autosave({
        api: this.api,
        recordingId: this.recordingId,
        loaded: set,
        onState: (save) => {
          this.publish({ save });
          // Whatever was just saved may lack its computed values: the worker is measuring it.
          if (save.kind === "saved") void this.measurements.start();
        },
        onSigned: this.signed,
      });
      this.show(set.annotations, null);
      this.publish({ loaded: true, loadError: null });
      void this.measurements.start();
    } catch (error) {
      this.publish({ loadError: error instanceof Error ? error.message : String(error) });
    }
  };

  /** A box just drawn: it becomes the selected one and its label is typed next, unless
   * `typeLabel` is false (draw mode: the next drag draws, a label key labels it). */
  add = (box: Annotation, { typeLabel = true }: { typeLabel?: boolean } = {}): void => {
    this.edit([{ id: box.id, before: null, after: box }]);
    this.publish({ selectedId: box.id, editingId: typeLabel ? box.id : null });
  };

  /** A person's edit of a box; editing a proposal accepts it (proposals.ts). */
  change = (box: Annotation): void => {
    const before = this.boxes.get(box.id);
    if (before && !sameBox(before, box)) this.edit([{ id: box.id, before, after: acceptedOnEdit(before, box, this.options.reviewer ?? NOBODY) }]);
  };

  remove = (id: string): void => {
    const before = this.boxes.get(id);
    if (!before) return;
    this.edit([{ id, before, after: null }]);
    this.publish({ selectedId: this.snapshot.selectedId === id ? null : this.snapshot.selectedId, editingId: null });
  };

  select = (id: string | null): void => {
    if (id === this.snapshot.selectedId) return;
    this.publish({ selectedId: id, editingId: null });
  };

  /** Opens (an id) or closes (null) the label editor. */
  editLabel = (id: string | null): void => {
    this.publish({ editingId: id, selectedId: id ?? this.snapshot.selectedId });
  };

  undo = (): void => this.replay(this.history.undo());

  redo = (): void => this.replay(this.history.redo());

  /** Sends unsaved changes now (the page is being hidden). */
  flush = (): Promise<void> => this.autosave?.flush() ?? Promise.resolve();

  loadTheirs = (): Promise<void> =>
    this.resolve(
      (autosave) => autosave.loadTheirs(),
      "Their boxes are shown; your unsaved changes were dropped and the undo history starts again.",
    );

  keepMine = (): Promise<void> =>
    this.resolve(
      (autosave) => autosave.keepMine(),
      "Your changes were put on top of theirs and saved with them; the undo history starts again.",
    );

  /**
   * The file as the server writes it, once every change is saved (the server exports what it
   * has); `review` "accepted" keeps only the boxes a reviewer accepted.
   */
  exportFile = async (format: ExportFormat, review?: ReviewFilter): Promise<DownloadedFile> => {
    await this.saveFirst("export");
    return this.api.exportAnnotations(this.recordingId, format, review);
  };

  /** Imports a file into the saved boxes; the boxes shown become the server's answer. */
  importFile = async (file: Blob, options: { format?: ImportFormat; mode: "append" | "replace" }): Promise<AnnotationSet> => {
    await this.saveFirst("import");
    const set = await this.api.importAnnotations(this.recordingId, file, options);
    this.autosave?.reset(set);
    this.show(set.annotations, `Imported: ${set.annotations.length} boxes now; the undo history starts again.`);
    return set;
  };

  /**
   * The server's boxes again, once ours are saved (a detector run added proposals): with
   * changes still unsaved nothing is replaced, and the notice says why.
   */
  reload = async (): Promise<void> => {
    await this.flush();
    if (this.snapshot.save.kind === "saved") return this.load();
    this.publish({ notice: `New boxes are on the server; they show once yours are saved (${statusText(this.snapshot.save)}).` });
  };

  /** Saves what is pending before leaving the recording; stops the timers. */
  close = (): void => {
    void this.flush();
    this.autosave?.dispose();
    this.measurements.stop();
  };

  /**
   * Computed values merged into the boxes as they are shown and as autosave knows them
   * saved: the server computed them, so nothing becomes unsaved. They replace every computed
   * key (one the server left out, SNR of a box no louder than around it, goes); the box's
   * own values (a detector's score, BirdNET's) stay. A box edited since it was saved keeps
   * what it has (the values are of its old bounds; the next save measures it).
   */
  private measured = (answer: MeasurementsAnswer): void => {
    const computed = new Set(this.options.computed ?? []);
    let changed = false;
    for (const [id, values] of Object.entries(answer.measurements)) {
      const box = this.boxes.get(id);
      if (!box || this.autosave?.isUnsaved(id)) continue;
      const own = Object.entries(box.measurements).filter(([key]) => !computed.has(key));
      const merged = { ...box, measurements: { ...Object.fromEntries(own), ...values } };
      if (sameBox(box, merged)) continue;
      this.boxes.set(id, merged);
      this.autosave?.measured(merged);
      changed = true;
    }
    const measuring = new Set(answer.pending);
    if (changed) this.publishBoxes({ measuring });
    else this.publish({ measuring });
  };

  /**
   * The server's signature (who created a box, who changed it last, when) on the boxes just
   * saved, as it stored them; a box edited again meanwhile keeps what it has until its save.
   */
  private signed = (saved: readonly Annotation[]): void => {
    let changed = false;
    for (const server of saved) {
      const box = this.boxes.get(server.id);
      if (!box || this.autosave?.isUnsaved(server.id)) continue;
      const { created_by, updated_by, updated_at } = server;
      if (box.created_by === created_by && box.updated_by === updated_by && box.updated_at === updated_at) continue;
      this.boxes.set(server.id, { ...box, created_by, updated_by, updated_at });
      changed = true;
    }
    if (changed) this.publishBoxes({});
  };

  /** A conflict's answer: their boxes read again, shown as the answer gives them. */
  private async resolve(answer: (autosave: Autosave) => Promise<Annotation[]>, notice: string): Promise<void> {
    if (!this.autosave) return;
    try {
      this.show(await answer(this.autosave), notice);
    } catch (error) {
      this.publish({ notice: `Their boxes could not be read: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private async saveFirst(what: string): Promise<void> {
    await this.flush();
    const save = this.snapshot.save;
    if (save.kind !== "saved") throw new Error(`Can't ${what} before the boxes are saved (${statusText(save)}).`);
  }

  private edit(edits: Edit[]): void {
    applyEdits(this.boxes, edits);
    this.history.record(edits);
    this.autosave?.record(edits);
    this.publishBoxes({ notice: null });
  }

  private replay(edits: Edit[] | null): void {
    if (!edits) return;
    applyEdits(this.boxes, edits);
    this.autosave?.record(edits);
    const { selectedId } = this.snapshot;
    this.publishBoxes({ selectedId: selectedId && this.boxes.has(selectedId) ? selectedId : null, editingId: null });
  }

  /** Boxes from the server replace ours, and with them the history they no longer fit. */
  private show(boxes: Annotation[], notice: string | null): void {
    this.boxes = new Map(boxes.map((box) => [box.id, box]));
    this.history = new History();
    this.publishBoxes({ notice, selectedId: null, editingId: null });
  }

  private publishBoxes(more: Partial<Snapshot> = {}): void {
    this.publish({
      boxes: byStart(this.boxes.values()),
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      ...more,
    });
  }

  private publish(change: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
