import { Badge, Button, Card, Flex, Heading, Table, Text, TextField, VisuallyHidden } from "@radix-ui/themes";
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/client";
import { saveFile } from "../api/download";
import { BulkAccept } from "./bulkAccept";
import { CHART_BOX, chartGeometry, chartName, thresholdText } from "./chart";
import "./precision.css";
import type { LabelPrecision, PrecisionTable } from "../api/types";
import { type AcceptOffer, acceptOffer, intervalText, isChosen, offerText, parseTarget, ratioText } from "./table";

export type PrecisionApi = Pick<ApiClient, "getPrecision" | "precisionCsv" | "acceptAbove" | "undoAccept">;

// Typing pauses this long before the table is asked for again: one request per pause, not per key.
const TYPING_PAUSE_MS = 400;
// Decisions come several a second while reviewing: the table follows them at most this often.
const DECISIONS_EVERY_MS = 1500;

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * Precision by confidence for each label of a project (GET /projects/{id}/precision): a chart
 * and a table per label, the lowest threshold reaching the **Target precision** marked, the
 * table as CSV, and "Accept N unreviewed at ≥ t" with an **Undo** of the last one. Read again
 * when `version` changes (decisions were saved; at most every 1.5 s) and after an accept or
 * undo, which `onChanged` reports (the queue then shows the boxes' new states).
 */
export function PrecisionPanel({
  api,
  projectId,
  label,
  source,
  version = 0,
  onChanged,
}: {
  api: PrecisionApi;
  projectId: string;
  /** One label only; absent: every label of the project. */
  label?: string;
  /** "people", "detector" or an exact source, as the queue's filter. */
  source?: string;
  version?: number;
  onChanged: () => void;
}) {
  // The target starts as the server's default (its first answer says which) and follows the field.
  const [target, setTarget] = useState<number | undefined>(undefined);
  const [typed, setTyped] = useState<string | null>(null);
  const [table, setTable] = useState<PrecisionTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const actions = useMemo(() => new BulkAccept(api, projectId), [api, projectId]);
  const acting = useSyncExternalStore(actions.subscribe, actions.getSnapshot);
  const id = useId();
  const [readVersion, setReadVersion] = useState(version);
  const lastRead = useRef(0);

  useEffect(() => {
    if (version === readVersion) return;
    const pause = setTimeout(() => setReadVersion(version), lastRead.current + DECISIONS_EVERY_MS - Date.now());
    return () => clearTimeout(pause);
  }, [version, readVersion]);

  useEffect(() => {
    lastRead.current = Date.now();
    let current = true;
    api.getPrecision(projectId, { target, source, label }).then(
      (answer) => {
        if (!current) return;
        setTable(answer);
        setError(null);
        setTyped((shown) => shown ?? String(answer.target));
      },
      (failure: unknown) => current && setError(message(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, projectId, target, source, label, readVersion, reads]);

  const parsed = typed === null ? null : parseTarget(typed);
  const typedTarget = parsed && "target" in parsed ? parsed.target : null;
  // What was last asked for: the typed target, or the server's default until one is typed.
  const asked = target ?? table?.target;
  useEffect(() => {
    if (typedTarget === null || typedTarget === asked) return;
    const pause = setTimeout(() => setTarget(typedTarget), TYPING_PAUSE_MS);
    return () => clearTimeout(pause);
  }, [typedTarget, asked]);

  async function changed(done: Promise<boolean>) {
    if (!(await done)) return;
    setReads((n) => n + 1);
    onChanged();
  }

  async function downloadCsv() {
    try {
      saveFile(await api.precisionCsv(projectId, { target: table?.target, source, label }));
      setError(null);
    } catch (failure) {
      setError(message(failure));
    }
  }

  return (
    <Card asChild className="precision-panel">
      <section aria-labelledby={`${id}-heading`}>
        <Flex direction="column" gap="3">
          <Flex justify="between" align="end" wrap="wrap" gap="2">
            <Heading as="h2" size="3" id={`${id}-heading`}>
              Precision by confidence
            </Heading>
            <Flex align="end" gap="2" wrap="wrap">
              <Text as="label" size="2">
                Target precision
                <TextField.Root
                  size="1"
                  type="number"
                  inputMode="decimal"
                  min={0.05}
                  max={1}
                  step={0.05}
                  value={typed ?? ""}
                  disabled={typed === null}
                  onChange={(e) => setTyped(e.target.value)}
                  aria-invalid={parsed !== null && "problem" in parsed}
                />
              </Text>
              <Button size="1" variant="soft" highContrast disabled={table === null} onClick={() => void downloadCsv()}>
                Download CSV
              </Button>
            </Flex>
          </Flex>
          {parsed && "problem" in parsed && (
            <Text role="alert" size="2" color="red">
              {parsed.problem}
            </Text>
          )}
          {error && (
            <Text role="alert" size="2" color="red">
              {error}
            </Text>
          )}
          <Flex align="center" gap="2" wrap="wrap">
            <Text role={acting.note?.error ? "alert" : "status"} size="2" color={acting.note?.error ? "red" : undefined}>
              {acting.busy ? "Working…" : acting.note?.text}
            </Text>
            {acting.last && (
              <Button size="1" variant="outline" disabled={acting.busy} onClick={() => void changed(actions.undo())}>
                Undo
              </Button>
            )}
          </Flex>
          {table === null ? (
            !error && <Text size="2">Loading…</Text>
          ) : table.labels.length === 0 ? (
            <Text size="2">No boxes to estimate precision from yet.</Text>
          ) : (
            table.labels.map((one) => (
              <LabelPrecisionView
                key={one.label}
                label={one}
                target={table.target}
                busy={acting.busy}
                onAccept={(offer) => void changed(actions.accept(offer, source))}
              />
            ))
          )}
          {table && (
            <Text size="1" color="gray">
              {table.method}
            </Text>
          )}
        </Flex>
      </section>
    </Card>
  );
}

// Short enough for a side column without sideways scrolling; the full name is what is read out.
const COLUMNS: [short: string, full: string][] = [
  ["Threshold", "Threshold"],
  ["Boxes", "Boxes"],
  ["Rev.", "Reviewed"],
  ["Acc.", "Accepted"],
  ["Rej.", "Rejected"],
  ["Prec.", "Precision"],
  ["95 % CI", "95 % interval"],
];

/** One label: what was reviewed, the chart, the accept offer and the table. */
function LabelPrecisionView({
  label,
  target,
  busy,
  onAccept,
}: {
  label: LabelPrecision;
  target: number;
  busy: boolean;
  onAccept: (offer: AcceptOffer) => void;
}) {
  const id = useId();
  const offer = acceptOffer(label);
  return (
    <section aria-labelledby={id}>
      <Flex direction="column" gap="2">
        <Flex justify="between" align="baseline" wrap="wrap" gap="2">
          <Heading as="h3" size="2" id={id}>
            {label.label}
          </Heading>
          <Text size="1" color="gray">
            {label.reviewed} of {label.boxes} reviewed: {label.accepted} accepted, {label.rejected} rejected
          </Text>
        </Flex>
        <PrecisionChart label={label} target={target} />
        <Flex align="center" gap="2" wrap="wrap">
          <Text size="2">
            {label.threshold === null ? (
              `No threshold reaches ${target} yet.`
            ) : (
              <>
                Reaches {target} from{" "}
                <Badge size="2" color="orange">
                  ≥ {thresholdText(label.threshold)}
                </Badge>
              </>
            )}
          </Text>
          {offer && (
            <Button size="1" variant="soft" highContrast disabled={busy} onClick={() => onAccept(offer)}>
              {offerText(offer)}
            </Button>
          )}
        </Flex>
        <Table.Root size="1" className="precision-table">
          <VisuallyHidden asChild>
            <caption>Precision of {label.label} at each confidence threshold</caption>
          </VisuallyHidden>
          <Table.Header>
            <Table.Row>
              {COLUMNS.map(([short, full], i) => (
                <Table.ColumnHeaderCell key={full} justify={i === 0 ? "start" : "end"} title={full}>
                  <span aria-hidden>{short}</span>
                  <VisuallyHidden>{full}</VisuallyHidden>
                </Table.ColumnHeaderCell>
              ))}
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {label.rows.map((row) => {
              const chosen = isChosen(row, label);
              return (
                <Table.Row key={row.threshold} data-chosen={chosen}>
                  <Table.RowHeaderCell>
                    ≥ {thresholdText(row.threshold)}
                    {chosen && (
                      <>
                        {" "}
                        <Badge size="1" color="orange" aria-hidden>
                          ✓
                        </Badge>
                        <VisuallyHidden>lowest threshold reaching {target}</VisuallyHidden>
                      </>
                    )}
                  </Table.RowHeaderCell>
                  <Table.Cell justify="end">{row.boxes}</Table.Cell>
                  <Table.Cell justify="end">{row.reviewed}</Table.Cell>
                  <Table.Cell justify="end">{row.accepted}</Table.Cell>
                  <Table.Cell justify="end">{row.rejected}</Table.Cell>
                  <Table.Cell justify="end">{ratioText(row.precision)}</Table.Cell>
                  <Table.Cell justify="end">{intervalText(row)}</Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table.Root>
      </Flex>
    </section>
  );
}

/** Precision (line and dots) in its 95 % band against threshold; the target dashed across, the chosen threshold dotted down. */
function PrecisionChart({ label, target }: { label: LabelPrecision; target: number }) {
  const g = chartGeometry(label, target);
  const { plot } = g;
  return (
    <svg
      className="precision-chart"
      role="img"
      aria-label={chartName(label, target)}
      viewBox={`0 0 ${CHART_BOX.widthPx} ${CHART_BOX.heightPx}`}
    >
      {g.yTicks.map((tick) => (
        <g key={tick.text}>
          <line className="grid" x1={plot.left} x2={plot.right} y1={tick.at} y2={tick.at} />
          <text x={plot.left - 4} y={tick.at + 3} textAnchor="end">
            {tick.text}
          </text>
        </g>
      ))}
      {g.xTicks.map((tick) => (
        <text key={tick.text} x={tick.at} y={plot.bottom + 13} textAnchor="middle">
          {tick.text}
        </text>
      ))}
      <rect className="frame" x={plot.left} y={plot.top} width={plot.right - plot.left} height={plot.bottom - plot.top} />
      <path className="band" d={g.band} />
      <line className="target" x1={plot.left} x2={plot.right} y1={g.targetY} y2={g.targetY} />
      {g.chosenX !== null && <line className="chosen" x1={g.chosenX} x2={g.chosenX} y1={plot.top} y2={plot.bottom} />}
      <path className="line" d={g.line} />
      {g.dots.map((dot) => (
        <circle key={dot.x} className="dot" cx={dot.x} cy={dot.y} r={2} />
      ))}
    </svg>
  );
}
