// Ctrl/Cmd+K: jump to any channel, direct message or person by typing part
// of the name (a combobox over a listbox, as in Slack).
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from "react";
import { api } from "../../api/client";
import type { Channel, Id, User } from "../../api/types";
import { isDm } from "../../api/types";
import { useAppState } from "../../state/store";
import { errorText } from "../Auth";
import { channelTitle, useDmMembers, userName } from "../names";
import { Dialog } from "./Dialog";
import { focusComposerSoon, goToChannel, openDirect } from "./navActions";
import { recentChannels } from "./recent";
import { rankCandidates, type Candidate } from "./switcherMatch";

export function QuickSwitcher({ onClose }: { onClose: () => void }) {
  const channels = useAppState((s) => s.channels);
  const users = useAppState((s) => s.users);
  const unreads = useAppState((s) => s.unreads);
  const teams = useAppState((s) => s.teams);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();
  const [q, setQ] = useState("");
  const [people, setPeople] = useState<User[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const listId = useId();

  // People matching the query (debounced): anyone on the server can be messaged.
  useEffect(() => {
    const term = q.trim().replace(/^@/, "");
    if (!term) return setPeople([]);
    const t = setTimeout(() => {
      void api.users(term, 0, 20).then(setPeople, () => setPeople([]));
    }, 150);
    return () => clearTimeout(t);
  }, [q]);

  const { candidates, byId } = useMemo(() => {
    const recent = recentChannels();
    const teamName = (c: Channel) => teams.find((t) => t.id === c.team_id)?.display_name ?? "";
    const partners = new Set<Id>();
    const list: Candidate[] = [];
    const byId: Record<Id, { channel?: Channel; user?: User; team: string }> = {};
    for (const c of Object.values(channels)) {
      if (c.archived_at) continue;
      const members = dm[c.id] ?? [];
      const others = members.filter((u) => u !== me?.id);
      if (c.kind === "direct") partners.add(others[0] ?? me?.id ?? "");
      const u = unreads[c.id];
      list.push({
        id: c.id,
        kind: isDm(c.kind) ? "dm" : "channel",
        title: channelTitle(c, users, dm, me?.id),
        alt: isDm(c.kind) ? others.map((id) => "@" + (users[id]?.username ?? "")).join(" ") : c.name,
        unread: (u?.unread_count ?? 0) > 0,
        mentions: u?.mention_count ?? 0,
        recent: recent.indexOf(c.id),
      });
      byId[c.id] = { channel: c, team: isDm(c.kind) ? "" : teamName(c) };
    }
    for (const p of people) {
      if (partners.has(p.id) || !p.is_active) continue;
      list.push({ id: p.id, kind: "person", title: userName(p), alt: "@" + p.username, unread: false, mentions: 0, recent: -1 });
      byId[p.id] = { user: p, team: "" };
    }
    return { candidates: list, byId };
  }, [channels, users, unreads, teams, me, dm, people]);

  const results = useMemo(() => rankCandidates(q, candidates, 30), [q, candidates]);
  useEffect(() => setActive(0), [q]);
  const showTeam = teams.length > 1;

  const choose = async (c: Candidate | undefined) => {
    if (!c) return;
    try {
      const target = byId[c.id];
      if (target?.user) await openDirect([target.user]);
      else await goToChannel(c.id);
      onClose();
      focusComposerSoon();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = results.length;
      if (n) setActive((a) => (a + (e.key === "ArrowDown" ? 1 : -1) + n) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      void choose(results[active]);
    }
  };

  useEffect(() => {
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [active, listId]);

  return (
    <Dialog title="Switch channels" onClose={onClose} className="switcher">
      <input
        className="switcher-input"
        role="combobox"
        aria-label="Find a channel or person"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length ? `${listId}-${active}` : undefined}
        placeholder="Find a channel or person"
        value={q}
        autoFocus
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul id={listId} role="listbox" aria-label="Matches" className="switcher-list">
        {results.map((c, i) => {
          const t = byId[c.id];
          const icon = c.kind === "person" || t?.channel?.kind === "direct" ? "@" : t?.channel?.kind === "private" ? "🔒" : c.kind === "dm" ? "👥" : "#";
          return (
            <li
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={"switcher-option" + (i === active ? " active" : "") + (c.unread || c.mentions ? " unread" : "")}
              onMouseMove={() => setActive(i)}
              onClick={() => void choose(c)}
            >
              <span className="icon" aria-hidden="true">
                {icon}
              </span>
              <span className="name">{c.title}</span>
              {c.alt && c.alt !== c.title && <span className="muted">{c.alt}</span>}
              {showTeam && t?.team && <span className="muted team-tag">{t.team}</span>}
              {(c.unread || c.mentions > 0) && <span className="sr-only"> (unread)</span>}
              {c.mentions > 0 && (
                <span className="badge" aria-label={`${c.mentions} mention${c.mentions === 1 ? "" : "s"}`}>
                  {c.mentions}
                </span>
              )}
            </li>
          );
        })}
        {results.length === 0 && (
          <li role="option" aria-selected={false} aria-disabled="true" className="switcher-empty">
            No matches
          </li>
        )}
      </ul>
      <p className="hint">↑ ↓ to move, Enter to open, Esc to close</p>
    </Dialog>
  );
}
