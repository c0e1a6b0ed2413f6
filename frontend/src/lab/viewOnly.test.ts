import { describe, expect, it } from "vitest";
import type { Annotation } from "../api/types";
import type { Annotations } from "../annotations/useAnnotations";
import { viewOnly } from "./viewOnly";

/** A record of the calls that reach the annotations under the view-only ones. */
function underlying() {
  const calls: string[] = [];
  const call = (name: string) => (...args: unknown[]) => void calls.push(`${name} ${JSON.stringify(args)}`);
  const annotations = {
    boxes: [],
    add: call("add"),
    change: call("change"),
    remove: call("remove"),
    select: call("select"),
    editLabel: call("editLabel"),
    exportFile: call("exportFile"),
  } as unknown as Annotations;
  return { annotations, calls };
}

describe("a viewer's boxes", () => {
  const box = { id: "b1" } as Annotation;

  it("are not drawn, changed, deleted or relabelled", async () => {
    const { annotations, calls } = underlying();
    const viewer = viewOnly(annotations);
    viewer.add(box);
    viewer.change(box);
    viewer.remove("b1");
    viewer.editLabel("b1");
    await expect(viewer.importFile(new Blob([]), { mode: "append" })).rejects.toThrow(/needs annotator or owner/);
    expect(calls).toEqual([]);
  });

  it("are still selected, exported, and an open label editor still closes", () => {
    const { annotations, calls } = underlying();
    const viewer = viewOnly(annotations);
    viewer.select("b1");
    void viewer.exportFile("raven");
    viewer.editLabel(null);
    expect(calls).toEqual(['select ["b1"]', 'exportFile ["raven"]', "editLabel [null]"]);
  });
});
