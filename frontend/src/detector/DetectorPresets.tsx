import { Badge, Button, Card, Checkbox, Select, Table, TextField } from "@radix-ui/themes";
import { Play, Plus, Save, X } from "lucide-react";
import { useEffect, useId, useMemo, useState } from "react";
import { ApiError, type ApiClient } from "../api/client";
import type { Project } from "../api/types";
import type { DetectorSettings } from "../config";
import "./detector.css";
import {
  checkDrafts,
  hasProblems,
  isBand,
  newDraft,
  type PresetDraft,
  problemOfServer,
  toDraft,
  toPreset,
} from "./presets";

export type PresetsApi = Pick<ApiClient, "getProject" | "changeDetectors" | "detectProject">;

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

// The two ways a proposal's band is drawn (chalicelib/detector_presets.py BANDS).
const BAND_WORDS: Record<string, string> = {
  energy: "the event's own band (5–95 % of its energy)",
  preset: "the preset's band (min to max frequency)",
};

/**
 * A project's detector presets: listed with an on/off switch each, added, edited, deleted
 * and saved as one list (PATCH /projects/{id}); **Run detector** runs the saved ones on every
 * recording of the project. Each number is labelled and explained as /config.json says.
 */
export function DetectorPresets({
  api,
  projectId,
  settings,
  onClose,
  onRun,
}: {
  api: PresetsApi;
  projectId: string;
  settings: DetectorSettings;
  onClose: () => void;
  /** The detector was queued on the project's recordings: the list follows them. */
  onRun: () => void;
}) {
  const [project, setProject] = useState<Project | null>(null);
  const [drafts, setDrafts] = useState<PresetDraft[]>([]);
  const [saved, setSaved] = useState<PresetDraft[]>([]);
  const [editing, setEditing] = useState<number | null>(null);
  const [serverProblem, setServerProblem] = useState<{ index: number; field: string; sentence: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { parameters } = settings;

  useEffect(() => {
    let current = true;
    api.getProject(projectId).then(
      (p) => {
        if (!current) return;
        const loaded = (p.detectors ?? []).map((preset) => toDraft(preset, parameters));
        setProject(p);
        setDrafts(loaded);
        setSaved(loaded);
      },
      (failure: unknown) => current && setError(message(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, projectId, parameters]);

  const checked = useMemo(() => checkDrafts(drafts, settings), [drafts, settings]);
  const unsaved = JSON.stringify(drafts) !== JSON.stringify(saved);

  function update(index: number, change: Partial<PresetDraft>) {
    const before = drafts[index];
    const after = { ...before, ...change };
    setDrafts((all) => all.map((d, i) => (i === index ? after : d)));
    // The server's sentence stays by its field until that field is changed.
    if (serverProblem?.index === index && fieldOf(after, serverProblem.field) !== fieldOf(before, serverProblem.field)) {
      setServerProblem(null);
    }
    setNote(null);
  }

  function add() {
    setDrafts((all) => [...all, newDraft(settings, all.map((d) => d.name))]);
    setEditing(drafts.length);
    setNote(null);
  }

  function remove(index: number) {
    setDrafts((all) => all.filter((_, i) => i !== index));
    setEditing(null);
    setServerProblem(null);
  }

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.changeDetectors(projectId, drafts.map(toPreset));
      const now = (answer.detectors ?? []).map((preset) => toDraft(preset, parameters));
      setProject(answer);
      setDrafts(now);
      setSaved(now);
      // A refusal answered before is over once the server takes the presets.
      setServerProblem(null);
      setNote("Presets saved.");
    } catch (failure) {
      const placed = failure instanceof ApiError && failure.status === 400 ? problemOfServer(failure.message, parameters) : null;
      if (placed) {
        setServerProblem({ ...placed, sentence: failure instanceof Error ? failure.message : "" });
        setEditing(placed.index);
      } else setError(message(failure));
    } finally {
      setBusy(false);
    }
  }

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const { recordings } = await api.detectProject(projectId);
      onRun();
      setNote(`Detector queued on ${recordings} ${recordings === 1 ? "recording" : "recordings"}; each shows its proposals when done.`);
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  }

  if (parameters.length === 0) {
    return (
      <section className="detector-presets" aria-label="Detector presets">
        <p>This server describes no detector parameters (its /config.json predates detectors).</p>
      </section>
    );
  }
  const enabled = saved.filter((d) => d.enabled).length;
  // The list's one number beside the band: how loud a call must be.
  const threshold = parameters.find((p) => p.name === "snr_threshold_db");
  return (
    <Card asChild size="2" className="detector-presets">
    <section aria-label="Detector presets">
      <header>
        <h2>Detector presets{project && ` — ${project.name}`}</h2>
        <Button size="1" variant="soft" color="gray" onClick={onClose}>
          <X size={14} aria-hidden="true" />
          Close
        </Button>
      </header>
      <p className="hint">
        Enabled presets run on every recording uploaded into this project; <strong>Run detector</strong> runs the saved
        presets on the recordings already in it. Proposals replace only the same preset's unreviewed proposals.
      </p>
      {project === null && !error && <p>Loading…</p>}
      {project && (
        <>
          {drafts.length === 0 ? (
            <p>No presets yet.</p>
          ) : (
            <Table.Root className="preset-list" size="1">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeaderCell>On</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Preset</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>Band</Table.ColumnHeaderCell>
                  {threshold && <Table.ColumnHeaderCell className="number">{threshold.label}</Table.ColumnHeaderCell>}
                  <Table.ColumnHeaderCell>
                    <span className="visually-hidden">Edit or delete</span>
                  </Table.ColumnHeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {drafts.map((draft, i) => (
                  <Table.Row key={i} className={editing === i ? "selected" : undefined}>
                    <Table.Cell>
                      <Checkbox
                        aria-label={`Enable ${draft.name}`}
                        checked={draft.enabled}
                        onCheckedChange={(on) => update(i, { enabled: on === true })}
                      />
                    </Table.Cell>
                    <Table.Cell>
                      {draft.name}
                      {Object.keys(checked.presets[i]).length > 0 && (
                        <Badge highContrast className="problem-tag" color="red" size="1">
                          needs a fix
                        </Badge>
                      )}
                    </Table.Cell>
                    <Table.Cell className="number">{bandText(draft)}</Table.Cell>
                    {threshold && (
                      <Table.Cell className="number">
                        {draft.values[threshold.name]} {threshold.unit}
                      </Table.Cell>
                    )}
                    <Table.Cell>
                      <Button
                        size="1"
                        variant="soft"
                        onClick={() => setEditing(editing === i ? null : i)}
                        aria-expanded={editing === i}
                      >
                        {editing === i ? "Done" : "Edit"}
                      </Button>{" "}
                      <Button
                        size="1"
                        variant="soft"
                        color="red"
                        onClick={() => remove(i)}
                        aria-label={`Delete preset ${draft.name}`}
                      >
                        Delete
                      </Button>
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          )}
          {editing !== null && drafts[editing] && (
            <PresetForm
              key={editing}
              draft={drafts[editing]}
              settings={settings}
              problems={checked.presets[editing]}
              serverProblem={serverProblem?.index === editing ? serverProblem : null}
              onChange={(change) => update(editing, change)}
            />
          )}
          {checked.list && <p role="alert">{checked.list}</p>}
          {serverProblem && serverProblem.index >= drafts.length && <p role="alert">{serverProblem.sentence}</p>}
          <div className="preset-actions">
            <Button size="1" variant="soft" onClick={add} disabled={drafts.length >= settings.maxPresets}>
              <Plus size={14} aria-hidden="true" />
              Add preset
            </Button>
            <Button size="1" onClick={() => void save()} disabled={busy || !unsaved || hasProblems(checked)}>
              <Save size={14} aria-hidden="true" />
              Save presets
            </Button>
            {unsaved && <span className="unsaved">Unsaved changes</span>}
            <Button
              size="1"
              onClick={() => void run()}
              disabled={busy || unsaved || saved.length === 0}
              title={unsaved ? "Save the presets first: the detector runs the saved ones." : undefined}
            >
              <Play size={14} aria-hidden="true" />
              Run detector
            </Button>
            <span className="hint">
              {enabled} of {saved.length} saved {saved.length === 1 ? "preset" : "presets"} enabled
            </span>
          </div>
        </>
      )}
      {note && <p role="status">{note}</p>}
      {error && <p role="alert">{error}</p>}
    </section>
    </Card>
  );
}

function fieldOf(draft: PresetDraft, field: string): unknown {
  return field === "name" || field === "band" || field === "enabled" ? draft[field] : draft.values[field];
}

/** "2–4 kHz": the band the preset listens to. */
function bandText(draft: PresetDraft): string {
  const low = Number(draft.values.min_freq_hz);
  const high = Number(draft.values.max_freq_hz);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return "";
  return `${Number((low / 1000).toPrecision(4))}–${Number((high / 1000).toPrecision(4))} kHz`;
}

/** One preset's fields: each number with its label, unit, limits, default and one sentence. */
function PresetForm({
  draft,
  settings,
  problems,
  serverProblem,
  onChange,
}: {
  draft: PresetDraft;
  settings: DetectorSettings;
  problems: Record<string, string>;
  serverProblem: { field: string; sentence: string } | null;
  onChange: (change: Partial<PresetDraft>) => void;
}) {
  const id = useId();
  const problemOf = (field: string) => problems[field] ?? (serverProblem?.field === field ? serverProblem.sentence : null);
  const problemLine = (field: string) => {
    const problem = problemOf(field);
    return problem ? (
      <span id={`${id}-${field}-problem`} role="alert" className="field-problem">
        {problem}
      </span>
    ) : null;
  };
  const described = (field: string, more: string) =>
    problemOf(field) ? `${id}-${field}-problem ${more}` : more;

  return (
    <fieldset className="preset-form">
      <legend>Edit {draft.name || "preset"}</legend>
      <div className="preset-field">
        <label htmlFor={`${id}-name`}>Name</label>
        <TextField.Root
          size="1"
          id={`${id}-name`}
          value={draft.name}
          maxLength={60}
          onChange={(e) => onChange({ name: e.target.value })}
          aria-invalid={problemOf("name") ? true : undefined}
          aria-describedby={described("name", `${id}-name-about`)}
        />
        <span id={`${id}-name-about`} className="about">
          Proposals carry it as their source (detector: name) and label.
        </span>
        {problemLine("name")}
      </div>
      <div className="preset-field">
        <label htmlFor={`${id}-band`}>Proposal band</label>
        <Select.Root
          size="1"
          value={draft.band}
          onValueChange={(band) => {
            if (isBand(band)) onChange({ band });
          }}
        >
          <Select.Trigger id={`${id}-band`} />
          <Select.Content>
            {settings.bands.map((band) => (
              <Select.Item key={band} value={band}>
                {band}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
        <span className="about">Each proposal spans {BAND_WORDS[draft.band] ?? draft.band}.</span>
        {problemLine("band")}
      </div>
      {settings.parameters.map((p) => (
        <div className="preset-field" key={p.name}>
          <label htmlFor={`${id}-${p.name}`}>
            {p.label} ({p.unit})
          </label>
          <TextField.Root
            size="1"
            id={`${id}-${p.name}`}
            type="number"
            inputMode="decimal"
            step="any"
            min={p.minimum}
            max={p.maximum}
            value={draft.values[p.name] ?? ""}
            onChange={(e) => onChange({ values: { ...draft.values, [p.name]: e.target.value } })}
            aria-invalid={problemOf(p.name) ? true : undefined}
            aria-describedby={described(p.name, `${id}-${p.name}-about`)}
          />
          <span id={`${id}-${p.name}-about`} className="about">
            {p.explanation}{" "}
            <span className="limits">
              Default {p.default} {p.unit}; {p.minimum} to {p.maximum}.
            </span>
          </span>
          {problemLine(p.name)}
        </div>
      ))}
    </fieldset>
  );
}
