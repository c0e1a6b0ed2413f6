import type { Annotations } from "../annotations/useAnnotations";

/**
 * A recording's boxes as a viewer of its project has them: shown, selectable, exportable, but
 * a drag draws nothing, keys change nothing and no label editor opens. The server refuses a
 * viewer's writes anyway; this keeps the page from offering an edit it would refuse.
 * `editLabel(null)` still closes an editor, so nothing stays open.
 */
export function viewOnly(annotations: Annotations): Annotations {
  return {
    ...annotations,
    add: () => undefined,
    change: () => undefined,
    remove: () => undefined,
    editLabel: (id) => {
      if (id === null) annotations.editLabel(null);
    },
    importFile: () => Promise.reject(new Error("your role in this project is viewer: importing boxes needs annotator or owner")),
  };
}
