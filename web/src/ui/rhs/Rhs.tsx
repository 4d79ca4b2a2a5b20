// The right-hand pane: threads, pinned and saved posts, members, search results.
import type { RhsView } from "../../state/reducer";
import { store } from "../../state/store";

export function Rhs({ view }: { view: RhsView }) {
  return (
    <aside className="rhs" aria-label="Side pane">
      <button type="button" className="icon-btn" aria-label="Close side pane" onClick={() => store.dispatch({ type: "close_rhs" })}>
        ×
      </button>
      <p>{view.kind}</p>
    </aside>
  );
}
