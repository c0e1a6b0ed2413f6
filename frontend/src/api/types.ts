/**
 * The API's shapes, by the names the app uses. Each is a part of the API's own document
 * (/openapi.json), which `make types` turns into ./openapi.ts: a change to the document shows
 * here, and `make test` fails while the two differ.
 */
import type { components, paths } from "./openapi";

type Schemas = components["schemas"];
/** The JSON body of an operation's answer with this status code. */
type Answer<Operation, Code extends number> = Operation extends {
  responses: { [code in Code]: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

export type Recording = Schemas["Recording"];
/** A recording's last detector run: queued, running, done or failed, with what each preset found. */
export type Detection = Schemas["Detection"];
/** One preset's part of a run: proposals kept, candidates found, refused and why. */
export type PresetOutcome = Schemas["PresetDetections"];
/** A spectrogram's status; a listed recording's is null only once it was deleted meanwhile. */
export type Status = NonNullable<Recording["status"]>;
/** A page of GET /recordings; `server_time` is when the API read it, by the clock `updated_at` is written with. */
export type RecordingPage = Answer<paths["/recordings"]["get"], 200>;
/** POST /recordings' answer: the recording, and a presigned POST or an upload in parts. */
export type Created = Answer<paths["/recordings"]["post"], 201>;
/** A presigned POST: every field goes into the form in this order, the file last. */
export type PresignedPost = Schemas["PresignedPost"];
/** Presigned PUTs of some parts of an upload in parts, numbered from 1. */
export type PartUrls = Schemas["PartUrls"];
/** A file over the API's threshold goes in parts: `part_size` bytes each, the last shorter. */
export type PartsPlan = Schemas["Multipart"]["multipart"];
/** The parts the bucket holds of an upload in parts (GET .../upload), to resume it. */
export type UploadProgress = Schemas["UploadProgress"];

/** GET /recordings/{id}/spectrogram once COMPLETED: what was rendered, with presigned URLs. */
export type Manifest = Schemas["Manifest"];
export type TileLevel = Manifest["tile_levels"][number];
/**
 * One tile of the time-only pyramid: 8-bit dB values, 400 px high (docs/spectrogram.md).
 * Since engine 1.2 a level's tiles are stored back to back in a few objects: the tile is the
 * byte `range` of `object`, read from `url`. Before, each tile was an object of its own, `key`,
 * read whole from `url`.
 */
export type Tile = Manifest["tiles"][number];

/** A box in seconds and hertz (never pixels); low_hz/high_hz null = the whole band. */
export type Annotation = Schemas["Annotation"];
/** Who reviewed a box, when, and its label before that review. */
export type Review = NonNullable<Annotation["review"]>;
export type AnnotationSet = Schemas["Annotations"];
/** PATCH's answer: the new version and what it applied. */
export type AnnotationChanges = Answer<paths["/recordings/{recording_id}/annotations"]["patch"], 200>;
/** GET /recordings/{id}/measurements: computed values per box, and the boxes still being measured. */
export type MeasurementsAnswer = Answer<paths["/recordings/{recording_id}/measurements"]["get"], 200>;

export type Project = Schemas["Project"];
/** One result file of a deployment's detector output, imported into a project's recordings it names. */
export type DetectorOutputImport = Schemas["DetectorOutputImport"];
/** A project's band-limited energy detector settings (chalicelib/detector_presets.py). */
export type DetectorPreset = Schemas["DetectorPreset"];

/** Precision by confidence per label (GET /projects/{id}/precision; docs/review.md). */
export type PrecisionTable = Schemas["Precision"];
export type LabelPrecision = PrecisionTable["labels"][number];
/** Precision over the label's boxes scoring at least `threshold`. */
export type ThresholdRow = LabelPrecision["rows"][number];
type PrecisionParams = NonNullable<paths["/projects/{project_id}/precision"]["get"]["parameters"]["query"]>;
/** Which boxes precision is estimated from, and for which target; `format` is the client's. */
export type PrecisionQuery = Omit<PrecisionParams, "format">;
/** Every unreviewed box of a label at or above a confidence, accepted in one action. */
export type AcceptRequest = Schemas["AcceptAbove"];
export type Accepted = Schemas["Accepted"];
export type Undone = Answer<paths["/projects/{project_id}/reviews/accept/undo"]["post"], 200>;
type ProjectExportParams = paths["/projects/{project_id}/annotations/export"]["get"]["parameters"]["query"];
/** The project export's formats (Audacity's labels hold one recording only). */
export type ProjectExportFormat = ProjectExportParams["format"];
/** `accepted`: only boxes a reviewer accepted; absent: every box. */
export type ReviewFilter = NonNullable<ProjectExportParams["review"]>;

/** One box in the review queue: where it is, what it says, its review so far (docs/review.md). */
export type ReviewItem = Schemas["ReviewItem"];
export type ReviewState = NonNullable<ReviewItem["review"]>["state"];
/** GET /projects/{id}/review and GET /recordings/{id}/review: one page of the queue. */
export type QueuePage = Schemas["ReviewPage"];
/** One decision as POST /reviews takes it; state null undoes to unreviewed. */
export type Decision = Schemas["Decisions"]["decisions"][number];
/** POST /reviews' answer: each decision's outcome, in the order sent. */
export type DecisionsAnswer = Schemas["DecisionResults"];
export type DecisionResult = DecisionsAnswer["results"][number];

/** How far a recording's two blind annotators agree (GET /recordings/{id}/agreement; docs/lab-agreement.md). */
export type Agreement = Schemas["Agreement"];
/** Boxes matched one to one by IoU >= 0.5, match rates, Cohen's kappa, onset/offset differences (b - a). */
export type AgreementFigures = Schemas["AgreementFigures"];
/** One box of a and one of b matched, or a box of either nothing matched (the other null). */
export type AgreementPair = Agreement["pairs"][number];
/** GET /projects/{id}/agreement: every doubly annotated recording pooled, and per pair of annotators. */
export type ProjectAgreement = Schemas["ProjectAgreement"];
/** POST /recordings/{id}/consensus: one choice for every pair, at the version read with the agreement. */
export type Consensus = Schemas["Consensus"];
export type ConsensusChoice = Consensus["choices"][number];
/** What a consensus merge wrote: the set's new version, its boxes, and how many were merged. */
export type Merged = Schemas["Merged"];
/** A difference between matched boxes' edges, B − A, in seconds: mean, median, mean absolute. */
export type Differences = AgreementFigures["onset_diff_s"];
/** Which of a pair's boxes go into the final set. */
export type Keep = ConsensusChoice["keep"];

/** A project's member (GET /projects/{id}/members): `name` is how the cloud knows them. */
export type Member = Schemas["Member"];
/** A member's role: the owner manages, an annotator draws and reviews, a viewer sees. */
export type Role = Member["role"];
/** GET /projects/{id}/members: owner first then by username, and the caller's own row. */
export type MembersAnswer = Schemas["Members"];
/** One recording assigned to one member of its project. */
export type Assignment = Schemas["Assignment"];
export type AssignmentState = Assignment["state"];
/** POST /projects/{id}/assignments' body. */
export type AssignRequest = Schemas["NewAssignments"];
/** A row of My work: the assignment and what the caller needs to pick its recording. */
export type WorkItem = Schemas["WorkItem"];
/** GET /my-work: newest assignment first, a page at a time. */
export type WorkPage = Answer<paths["/my-work"]["get"], 200>;
/** GET /projects/{id}/dashboard: per member, per label (most boxes first), recordings in all. */
export type Dashboard = Schemas["Dashboard"];
export type MemberProgress = Dashboard["members"][number];
