// Choosing the channels and users a retention override, hold or export covers.
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { Channel, Id, User } from "../../api/types";
import { errorText } from "../../ui/Auth";
import { adminApi } from "../api";
import { useLoad } from "../common";
import { useTeams } from "./names";

/** A team, then one of its channels. */
export function ChannelPicker(props: { label: string; onPick: (c: Channel) => void; addLabel?: string }) {
  const teams = useTeams();
  const [teamId, setTeamId] = useState("");
  const channels = useLoad<Channel[]>(() => (teamId ? api.browseChannels(teamId, true) : Promise.resolve([])), teamId);
  const [channelId, setChannelId] = useState("");
  const picked = channels.data?.find((c) => c.id === channelId);
  return (
    <fieldset className="picker">
      <legend>{props.label}</legend>
      <label>
        Team
        <select
          aria-label="Team"
          value={teamId}
          onChange={(e) => {
            setTeamId(e.target.value);
            setChannelId("");
          }}
        >
          <option value="">Choose a team</option>
          {teams.data?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.display_name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Channel
        <select aria-label="Channel" value={channelId} onChange={(e) => setChannelId(e.target.value)} disabled={!teamId}>
          <option value="">Choose a channel</option>
          {channels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.display_name} (~{c.name})
            </option>
          ))}
        </select>
      </label>
      {props.addLabel && (
        <button type="button" disabled={!picked} onClick={() => picked && props.onPick(picked)}>
          {props.addLabel}
        </button>
      )}
      {!props.addLabel && picked && <PickEffect value={picked} onPick={props.onPick} />}
    </fieldset>
  );
}

/** Reports the current choice of a single-choice picker. */
function PickEffect<T>({ value, onPick }: { value: T; onPick: (v: T) => void }) {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- callers pass a new `onPick` each render; only a new choice is news
  useEffect(() => onPick(value), [value]);
  return null;
}

/** Users found by a username search, each added with a button. */
export function UserPicker(props: { label: string; onPick: (u: User) => void }) {
  const [q, setQ] = useState("");
  const [found, setFound] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async () => {
    setError(null);
    try {
      setFound(await adminApi.users(q.trim().replace(/^@/, ""), 0, 10));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <fieldset className="picker">
      <legend>{props.label}</legend>
      <label>
        Find by username
        <input
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void search();
            }
          }}
        />
      </label>
      <button type="button" onClick={() => void search()}>
        Search users
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {found && (
        <ul className="pick-results" aria-label="Users found">
          {found.length === 0 && <li>No users match.</li>}
          {found.map((u) => (
            <li key={u.id}>
              <button type="button" className="link" onClick={() => props.onPick(u)}>
                Add @{u.username}
              </button>{" "}
              {u.display_name}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** Chosen items, each with a remove button. */
export function Chips(props: { label: string; items: { id: Id; name: string }[]; onRemove: (id: Id) => void }) {
  if (props.items.length === 0) return null;
  return (
    <ul className="chips" aria-label={props.label}>
      {props.items.map((i) => (
        <li key={i.id}>
          {i.name}{" "}
          <button type="button" className="link" aria-label={`Remove ${i.name}`} onClick={() => props.onRemove(i.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
