// A channel's members with presence and roles; channel and system admins add
// and remove people; anyone may leave a channel (not a DM).
import { useEffect, useMemo, useRef, useState } from "react";
import { api } from "../../api/client";
import type { Channel, ChannelMember, Id, User } from "../../api/types";
import { ensureUsers, socket } from "../../state/actions";
import { store, useAppState } from "../../state/store";
import { errorText } from "../Auth";
import { userName } from "../names";
import { Avatar } from "../messages/Avatar";
import { PresenceDot } from "../nav/PresenceDot";
import { leaveChannel } from "../nav/navActions";
import { usePresence } from "../nav/presence";
import { useTeamRole } from "../nav/Sidebar";
import { memberRights, sortMembers } from "./members";

export function MembersPane({ channel }: { channel: Channel }) {
  const [members, setMembers] = useState<ChannelMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const users = useAppState((s) => s.users);
  const presence = useAppState((s) => s.presence);
  const me = useAppState((s) => s.me);

  useEffect(() => {
    let alive = true;
    const load = () =>
      api.channelMembers(channel.id).then(
        (ms) => {
          if (!alive) return;
          setMembers(ms);
          setError(null);
          const ids = ms.map((m) => m.user_id);
          void ensureUsers(ids);
        },
        (e: unknown) => alive && setError(errorText(e)),
      );
    void load();
    const off = socket.on((m) => {
      if (m.kind === "resync" || (m.kind === "ready" && !m.resumed)) void load();
      if (m.kind !== "event") return;
      const ev = m.event;
      if (
        (ev.event === "channel_member_added" || ev.event === "channel_member_removed" || ev.event === "channel_member_updated") &&
        ev.data.channel_id === channel.id
      ) {
        void load();
      }
    });
    return () => {
      alive = false;
      off();
    };
  }, [channel.id]);

  // Presence of the people listed, fetched and then kept live.
  const ids = useMemo(() => members?.map((m) => m.user_id) ?? [], [members]);
  usePresence(ids);
  const teamRole = useTeamRole(channel.team_id ?? null);

  const mine = members?.find((m) => m.user_id === me?.id);
  const rights = memberRights(channel, me, mine?.role, teamRole === "admin");
  const sorted = useMemo(() => (members ? sortMembers(members, users, presence) : []), [members, users, presence]);

  const remove = async (userId: Id) => {
    try {
      await api.removeChannelMember(channel.id, userId);
      setMembers((ms) => ms?.filter((m) => m.user_id !== userId) ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const setRole = async (userId: Id, role: ChannelMember["role"]) => {
    try {
      const updated = await api.setChannelMemberRole(channel.id, userId, role);
      setMembers((ms) => ms?.map((m) => (m.user_id === userId ? updated : m)) ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const leave = async () => {
    if (!me) return;
    if (channel.kind === "private" && !window.confirm(`Leave ${channel.display_name}? You need an invitation to come back.`)) return;
    try {
      await leaveChannel(channel.id);
      store.dispatch({ type: "close_rhs" });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="rhs-body">
      <div className="rhs-toolbar">
        <span className="muted" aria-live="polite">
          {members ? `${members.length} ${members.length === 1 ? "member" : "members"}` : ""}
        </span>
        {rights.canAdd && (
          <button type="button" aria-expanded={adding} onClick={() => setAdding((a) => !a)}>
            Add people
          </button>
        )}
      </div>
      {adding && members && (
        <AddPeople
          channel={channel}
          memberIds={ids}
          onAdded={(m, u) => {
            store.dispatch({ type: "users_loaded", users: [u] });
            setMembers((ms) => (ms && !ms.some((x) => x.user_id === m.user_id) ? [...ms, m] : ms));
          }}
          onClose={() => setAdding(false)}
        />
      )}
      <div className="rhs-scroll">
        {error && (
          <p className="error rhs-note" role="alert">
            {error}
          </p>
        )}
        {!members && !error && (
          <p className="rhs-note" role="status">
            Loading members…
          </p>
        )}
        {members && (
          <ul className="member-list" role="list" aria-label="Channel members">
            {sorted.map((m) => {
              const u = users[m.user_id];
              const name = userName(u);
              const isMe = m.user_id === me?.id;
              return (
                <li key={m.user_id} className="member">
                  <span className="member-avatar">
                    <Avatar userId={m.user_id} user={u} size={32} />
                    <PresenceDot presence={presence[m.user_id]} />
                  </span>
                  <span className="member-names">
                    <button
                      type="button"
                      className="member-name"
                      onClick={(e) => store.dispatch({ type: "show_profile", card: { userId: m.user_id, x: e.clientX, y: e.clientY } })}
                    >
                      {name}
                      {isMe && " (you)"}
                    </button>
                    {u && <span className="muted">@{u.username}</span>}
                  </span>
                  <span className="member-actions">
                    {m.role === "admin" && <span className="role-tag">Channel admin</span>}
                    {u?.role === "system_admin" && <span className="role-tag">System admin</span>}
                    {u?.role === "guest" && <span className="role-tag">Guest</span>}
                    {rights.canRemove && !isMe && (
                      <button
                        type="button"
                        className="member-role"
                        aria-label={m.role === "admin" ? `Remove admin: ${name}` : `Make admin: ${name}`}
                        title={m.role === "admin" ? "No longer a channel admin" : "Make a channel admin"}
                        onClick={() => void setRole(m.user_id, m.role === "admin" ? "member" : "admin")}
                      >
                        {m.role === "admin" ? "Remove admin" : "Make admin"}
                      </button>
                    )}
                    {rights.canRemove && !isMe && (
                      <button type="button" className="member-remove" aria-label={`Remove ${name} from the channel`} onClick={() => void remove(m.user_id)}>
                        Remove
                      </button>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {rights.canLeave && (
        <div className="rhs-foot">
          <button type="button" className="danger-btn" onClick={() => void leave()}>
            Leave channel
          </button>
        </div>
      )}
    </div>
  );
}

/** Search the people of the channel's team who are not in it yet, and add them. */
function AddPeople(props: {
  channel: Channel;
  memberIds: Id[];
  onAdded: (m: ChannelMember, u: User) => void;
  onClose: () => void;
}) {
  const [q, setQ] = useState("");
  const [results, setResults] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const teamIds = useRef<Set<Id> | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const { channel, memberIds } = props;

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let alive = true;
    const t = setTimeout(async () => {
      try {
        if (channel.team_id && !teamIds.current) {
          teamIds.current = new Set((await api.teamMembers(channel.team_id)).map((m) => m.user_id));
        }
        const found = await api.users(q.trim() || undefined, 0, 30);
        if (!alive) return;
        const inTeam = teamIds.current;
        setResults(found.filter((u) => u.is_active && !memberIds.includes(u.id) && (!inTeam || inTeam.has(u.id))));
        setError(null);
      } catch (e) {
        if (alive) setError(errorText(e));
      }
    }, 200);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [q, channel.team_id, memberIds]);

  const add = async (u: User) => {
    try {
      const m = await api.addChannelMember(channel.id, u.id);
      props.onAdded(m, u);
      setStatus(`${userName(u)} was added.`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="add-people" aria-label="Add people">
      <div className="add-people-row">
        <label htmlFor="add-people-q" className="sr-only">
          Find people to add
        </label>
        <input
          id="add-people-q"
          ref={input}
          type="search"
          value={q}
          placeholder="Find people to add"
          autoComplete="off"
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              props.onClose();
            }
          }}
        />
        <button type="button" onClick={props.onClose}>
          Done
        </button>
      </div>
      <p className="sr-only" role="status">
        {status}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="add-results" role="list" aria-label="People to add">
        {results?.map((u) => (
          <li key={u.id}>
            <Avatar userId={u.id} user={u} size={24} />
            <span className="member-names">
              <span>{userName(u)}</span>
              <span className="muted">@{u.username}</span>
            </span>
            <button type="button" aria-label={`Add ${userName(u)}`} onClick={() => void add(u)}>
              Add
            </button>
          </li>
        ))}
        {results?.length === 0 && <li className="muted">{q.trim() ? "Nobody else matches." : "Everyone is already here."}</li>}
      </ul>
    </section>
  );
}
