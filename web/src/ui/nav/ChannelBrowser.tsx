// Browse the team's public channels: search by name or purpose, join, or
// open one already joined; archived ones on request.
import { useEffect, useMemo, useState } from "react";
import { api } from "../../api/client";
import type { Channel, Id } from "../../api/types";
import { store, useAppState } from "../../state/store";
import { errorText } from "../Auth";
import { Dialog } from "./Dialog";
import { focusComposerSoon, goToChannel, joinChannel } from "./navActions";
import { fuzzyScore } from "./switcherMatch";

export function ChannelBrowser({ teamId, onClose, onCreate }: { teamId: Id; onClose: () => void; onCreate?: () => void }) {
  const mine = useAppState((s) => s.channels);
  const [all, setAll] = useState<Channel[] | null>(null);
  const [q, setQ] = useState("");
  const [archived, setArchived] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Id | null>(null);

  useEffect(() => {
    setAll(null);
    void api.browseChannels(teamId, archived).then(setAll, (e) => setError(errorText(e)));
  }, [teamId, archived]);

  const shown = useMemo(() => {
    const list = (all ?? []).filter((c) => (archived ? !!c.archived_at : !c.archived_at));
    const term = q.trim();
    if (!term) return list.sort((a, b) => a.display_name.localeCompare(b.display_name));
    return list
      .map((c) => ({ c, s: Math.max(fuzzyScore(term, c.display_name) ?? -1, fuzzyScore(term, c.name) ?? -1, c.purpose.toLowerCase().includes(term.toLowerCase()) ? 50 : -1) }))
      .filter((x) => x.s >= 0)
      .sort((a, b) => b.s - a.s || a.c.display_name.localeCompare(b.c.display_name))
      .map((x) => x.c);
  }, [all, q, archived]);

  const open = async (c: Channel) => {
    setBusy(c.id);
    try {
      if (mine[c.id]) await goToChannel(c.id);
      else if (c.archived_at) {
        // Archived channels cannot be joined; they can still be read.
        store.dispatch({ type: "channel_loaded", channel: c });
        await goToChannel(c.id);
      } else await joinChannel(c);
      onClose();
      focusComposerSoon();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog title="Browse channels" onClose={onClose} className="wide">
      <div className="browser-bar">
        <input
          type="search"
          className="grow"
          aria-label="Search channels"
          placeholder="Search channels"
          value={q}
          autoFocus
          onChange={(e) => setQ(e.target.value)}
        />
        <label className="check-inline">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived channels
        </label>
        {onCreate && (
          <button type="button" onClick={onCreate}>
            Create a channel
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {all === null ? (
        <p role="status">Loading…</p>
      ) : (
        <ul role="list" className="browser-list" aria-label="Channels to browse">
          {shown.map((c) => {
            const member = !!mine[c.id];
            return (
              <li key={c.id} className="browser-item">
                <div className="browser-text">
                  <span className="browser-name">
                    <span aria-hidden="true"># </span>
                    {c.display_name}
                    {c.archived_at && <span className="tag">Archived</span>}
                    {member && <span className="tag">Joined</span>}
                  </span>
                  {c.purpose && <span className="muted">{c.purpose}</span>}
                </div>
                {member || c.archived_at ? (
                  <button type="button" disabled={busy === c.id} aria-label={`View ${c.display_name}`} onClick={() => void open(c)}>
                    View
                  </button>
                ) : (
                  <button type="button" className="primary" disabled={busy === c.id} aria-label={`Join ${c.display_name}`} onClick={() => void open(c)}>
                    Join
                  </button>
                )}
              </li>
            );
          })}
          {shown.length === 0 && <li className="muted">{q ? "No channel matches." : "No channels here yet."}</li>}
        </ul>
      )}
    </Dialog>
  );
}
