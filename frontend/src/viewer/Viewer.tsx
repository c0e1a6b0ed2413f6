import { IconButton, Select, Tooltip } from "@radix-ui/themes";
import { Maximize2, ZoomIn, ZoomOut } from "lucide-react";
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Manifest, Tile } from "../api/types";
import { CLOCK_FROM_S } from "../clock";
import { Axis } from "./Axis";
import { COLOUR_MAPS, OVERVIEW_COLOURS, type ColourMap, type ColourSettings } from "./colour";
import { limitsOf } from "./limits";
import { Spectrogram } from "./Spectrogram";
import { clockTicks, ticks } from "./ticks";
import { clampView, endS, hzToY, panBy, timeToX, wholeRecording, zoomAt, zoomBandAt, type View } from "./view";
import "./viewer.css";
import { wheelAction, wheelZoom } from "./wheel";

export interface ViewerProps {
  manifest: Manifest;
  /** What is shown; the page keeps it (it goes in the URL) and gets changes through onViewChange. */
  view: View;
  onViewChange: (view: View) => void;
  /** The recording's name, for the spectrogram's accessible name. */
  label: string;
  /** Overlays (boxes, the playback cursor), laid exactly over the plot; they get the same View. */
  children?: ReactNode;
  /** A tile failed to load (its URL may have expired: pass a fresh manifest). */
  onTileFailed?: (tile: Tile) => void;
}

const FREQUENCY_AXIS_PX = 56;
const TIME_AXIS_PX = 38;
const BUTTON_ZOOM = 2;

/**
 * The spectrogram with its axes, scrollbar and controls. Wheel zooms time at the cursor
 * (over the frequency axis: the band), Shift+wheel and Shift+drag pan; a plain drag is
 * left alone for the overlays (drawing boxes). The plot's width follows the element's.
 */
export function Viewer({ manifest, view, onViewChange, label, children, onTileFailed }: ViewerProps) {
  const [colours, setColours] = useState<ColourSettings>(OVERVIEW_COLOURS);
  const limits = useMemo(() => limitsOf(manifest), [manifest]);
  const gridRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const axisRef = useRef<HTMLDivElement>(null);
  // Native listeners read the newest view and callback through this, never stale ones.
  const latest = useRef({ view, onViewChange, limits });
  useLayoutEffect(() => {
    latest.current = { view, onViewChange, limits };
  });
  // Wheel and pointer events can come faster than renders: each builds on the last one's view.
  const changeView = (next: View) => {
    latest.current.view = next;
    latest.current.onViewChange(next);
  };

  // A view from the URL or an older layout is brought inside the recording.
  useEffect(() => {
    const fixed = clampView(view, limits);
    if (!sameView(fixed, view)) onViewChange(fixed);
  }, [view, limits, onViewChange]);

  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const observer = new ResizeObserver(() => {
      const widthPx = Math.max(1, Math.floor(grid.clientWidth - FREQUENCY_AXIS_PX));
      const now = latest.current;
      if (widthPx !== now.view.widthPx) now.onViewChange(clampView({ ...now.view, widthPx }, now.limits));
    });
    observer.observe(grid);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const plot = plotRef.current;
    const axis = axisRef.current;
    if (!plot || !axis) return;
    // React's onWheel is passive: the page would scroll too. These may preventDefault.
    const onPlotWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: now, limits: bounds } = latest.current;
      const action = wheelAction(event, now.widthPx);
      const x = event.clientX - plot.getBoundingClientRect().left;
      changeView("zoom" in action ? zoomAt(now, x, action.zoom, bounds) : panBy(now, action.panPx, bounds));
    };
    const onAxisWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: now, limits: bounds } = latest.current;
      const y = event.clientY - axis.getBoundingClientRect().top;
      changeView(zoomBandAt(now, y, wheelZoom(event, now.heightPx), bounds));
    };
    plot.addEventListener("wheel", onPlotWheel, { passive: false });
    axis.addEventListener("wheel", onAxisWheel, { passive: false });
    return () => {
      plot.removeEventListener("wheel", onPlotWheel);
      axis.removeEventListener("wheel", onAxisWheel);
    };
  }, []);

  const drag = useRef<{ pointer: number; x: number } | null>(null);
  const shiftDrag = {
    onPointerDown: (event: React.PointerEvent<HTMLDivElement>) => {
      if (!event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      event.stopPropagation();
      event.currentTarget.setPointerCapture(event.pointerId);
      drag.current = { pointer: event.pointerId, x: event.clientX };
    },
    onPointerMove: (event: React.PointerEvent<HTMLDivElement>) => {
      if (drag.current?.pointer !== event.pointerId) return;
      changeView(panBy(latest.current.view, drag.current.x - event.clientX, limits));
      drag.current.x = event.clientX;
    },
    onPointerUp: (event: React.PointerEvent<HTMLDivElement>) => {
      if (drag.current?.pointer === event.pointerId) drag.current = null;
    },
  };

  const asClock = limits.durationS >= CLOCK_FROM_S;
  const timeTicks = useMemo(
    () => (asClock ? clockTicks : ticks)(view.startS, endS(view), view.widthPx, 80),
    [view, asClock],
  );
  const frequencyTicks = useMemo(
    () => ticks(view.fMinHz, view.fMaxHz, view.heightPx, 36, 1000),
    [view],
  );
  const colourMapId = useId();
  const spanS = view.widthPx / view.pxPerS;
  const latestStart = Math.max(0, limits.durationS - spanS);

  return (
    <div className="viewer">
      <div className="viewer-controls">
        <span className="zoom">
          <ViewButton name="Zoom in" onClick={() => onViewChange(zoomAt(view, view.widthPx / 2, BUTTON_ZOOM, limits))}>
            <ZoomIn size={15} aria-hidden="true" />
          </ViewButton>
          <ViewButton name="Zoom out" onClick={() => onViewChange(zoomAt(view, view.widthPx / 2, 1 / BUTTON_ZOOM, limits))}>
            <ZoomOut size={15} aria-hidden="true" />
          </ViewButton>
          <ViewButton name="Whole recording" onClick={() => onViewChange(wholeRecording(view, limits))}>
            <Maximize2 size={15} aria-hidden="true" />
          </ViewButton>
        </span>
        <DbSlider
          name="Floor (dB)"
          min={-120}
          max={-5}
          value={colours.floorDb}
          onChange={(db) => setColours({ ...colours, floorDb: Math.min(db, colours.ceilingDb - 1) })}
        />
        <DbSlider
          name="Ceiling (dB)"
          min={-100}
          max={0}
          value={colours.ceilingDb}
          onChange={(db) => setColours({ ...colours, ceilingDb: Math.max(db, colours.floorDb + 1) })}
        />
        <span className="field-label">
          <label htmlFor={colourMapId}>Colour map</label>
          <Select.Root size="1" value={colours.map} onValueChange={(map) => setColours({ ...colours, map: map as ColourMap })}>
            <Select.Trigger id={colourMapId} variant="soft" />
            <Select.Content>
              {COLOUR_MAPS.map((map) => (
                <Select.Item key={map} value={map}>
                  {map[0].toUpperCase() + map.slice(1)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select.Root>
        </span>
      </div>
      <div className="viewer-grid" ref={gridRef}>
        <div ref={axisRef}>
          <Axis
            side="left"
            lengthPx={view.heightPx}
            depthPx={FREQUENCY_AXIS_PX}
            ticks={frequencyTicks}
            position={(hz) => hzToY(view, hz)}
            title="Frequency (kHz)"
          />
        </div>
        <div className="viewer-plot" ref={plotRef} style={{ width: view.widthPx, height: view.heightPx }} {...shiftDrag}>
          <Spectrogram manifest={manifest} view={view} colours={colours} label={label} onTileFailed={onTileFailed} />
          <div className="viewer-overlays">{children}</div>
        </div>
        <div />
        <Axis
          side="bottom"
          lengthPx={view.widthPx}
          depthPx={TIME_AXIS_PX}
          ticks={timeTicks}
          position={(s) => timeToX(view, s)}
          title={asClock ? "Time (h:mm:ss)" : "Time (s)"}
        />
        <div />
        <input
          className="viewer-scrollbar"
          type="range"
          aria-label="Time position"
          aria-valuetext={`${view.startS.toFixed(1)} to ${endS(view).toFixed(1)} s`}
          min={0}
          max={latestStart}
          step="any"
          value={view.startS}
          disabled={latestStart === 0}
          onChange={(e) => onViewChange(clampView({ ...view, startS: Number(e.target.value) }, limits))}
          style={{ width: view.widthPx }}
        />
      </div>
    </div>
  );
}

/** An icon button named `name`, which its tooltip says too. */
function ViewButton({ name, onClick, children }: { name: string; onClick: () => void; children: ReactNode }) {
  return (
    <Tooltip content={name}>
      <IconButton size="1" variant="soft" aria-label={name} onClick={onClick}>
        {children}
      </IconButton>
    </Tooltip>
  );
}

/** A live contrast control, in whole dB relative to the recording's loudest cell. */
function DbSlider(props: { name: string; min: number; max: number; value: number; onChange: (db: number) => void }) {
  return (
    <label>
      {props.name}
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
      <output>{props.value}</output>
    </label>
  );
}

function sameView(a: View, b: View): boolean {
  return (Object.keys(a) as (keyof View)[]).every((key) => a[key] === b[key]);
}
