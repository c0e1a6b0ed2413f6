import { type DragEvent, useState } from "react";
import { droppedEntries, filesIn } from "./folders";

/**
 * A drop zone for files and whole folders, and a folder picker made on demand: what the audio
 * uploads and the detector output share. `add` receives the files; `problem` says when a
 * dropped folder could not be read.
 */
export function useDropZone(add: (files: Iterable<File>) => void) {
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    setProblem(null);
    const entries = droppedEntries(event.dataTransfer);
    if (entries === null) {
      add(event.dataTransfer.files);
      return;
    }
    filesIn(entries).then(add, (failure: unknown) =>
      setProblem(`The dropped folder could not be read: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
  }

  /** A folder picker made on demand: the page keeps one file input, which tests and people find. */
  function chooseFolder() {
    const input = document.createElement("input");
    input.type = "file";
    input.webkitdirectory = true;
    input.addEventListener("change", () => add(input.files ?? []));
    input.click();
  }

  const zone = {
    className: dragging ? "dropzone dragging" : "dropzone",
    onDragOver: (event: DragEvent) => {
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: drop,
  };
  return { zone, problem, chooseFolder };
}
