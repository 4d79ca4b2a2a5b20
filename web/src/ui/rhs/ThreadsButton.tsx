// The sidebar's "Threads" entry: opens the followed threads, with a count of
// threads that have new replies.
import { store, useAppState } from "../../state/store";
import { unreadThreadCount } from "../../state/threads";
import { ThreadsIcon } from "../nav/icons";
import "./rhs.css";

export function ThreadsButton() {
  const unread = useAppState((s) => unreadThreadCount(s, s.currentTeamId));
  const open = useAppState((s) => s.rhs?.kind === "threads");
  return (
    <button
      type="button"
      className={"threads-btn" + (unread > 0 ? " unread" : "") + (open ? " active" : "")}
      aria-label={unread > 0 ? `Threads, ${unread} unread` : "Threads"}
      aria-pressed={open}
      onClick={() => store.dispatch(open ? { type: "close_rhs" } : { type: "open_rhs", view: { kind: "threads" } })}
    >
      <span className="icon" aria-hidden="true">
        <ThreadsIcon size={16} />
      </span>
      <span className="name">Threads</span>
      {unread > 0 && (
        <span className="badge" aria-hidden="true">
          {unread}
        </span>
      )}
    </button>
  );
}
