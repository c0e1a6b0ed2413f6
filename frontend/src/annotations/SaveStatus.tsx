import { Button } from "@radix-ui/themes";
import "./annotations.css";
import type { Annotations } from "./useAnnotations";

/** Whether the boxes are saved; in a conflict, the two ways out; the last import's or answer's notice. */
export function SaveStatus({ annotations }: { annotations: Annotations }) {
  const { save, status, notice, loadError } = annotations;
  if (loadError) return <p role="alert">The boxes could not be loaded: {loadError}</p>;
  return (
    <div className="save-status-bar">
      <span role="status" className={`save-status ${save.kind}`}>
        {status}
      </span>
      {save.kind === "conflict" && (
        <div role="alert" className="save-status conflict">
          Someone else changed these boxes since you opened them; your latest changes are not saved.{" "}
          <Button size="1" variant="soft" onClick={() => void annotations.loadTheirs()}>
            Load theirs
          </Button>{" "}
          <Button size="1" onClick={() => void annotations.keepMine()}>
            Keep mine
          </Button>
        </div>
      )}
      {notice && <p role="status">{notice}</p>}
    </div>
  );
}
