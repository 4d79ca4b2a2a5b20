// The followed threads of the current team, newest activity first; unread
// ones in bold with a count. Opening one shows it in the pane.
import { useEffect, useMemo, useState } from "react";
import type { Channel, Id, Post, ThreadState, User } from "../../api/types";
import { loadFollowedThreads, markThreadViewed } from "../../state/actions";
import { store, useAppState } from "../../state/store";
import { followedThreads } from "../../state/threads";
import { errorText } from "../Auth";
import { channelTitle, useDmMembers, userName } from "../names";
import { Avatar } from "../messages/Avatar";
import { formatAgo, formatFull } from "../messages/format";
import { excerpt } from "./excerpt";

export function ThreadsPane() {
  const teamId = useAppState((s) => s.currentTeamId);
  const threadStates = useAppState((s) => s.threads.states);
  const loaded = useAppState((s) => s.threads.statesLoaded);
  const channels = useAppState((s) => s.channels);
  const threadPosts = useAppState((s) => s.threads.posts);
  const users = useAppState((s) => s.users);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadFollowedThreads().catch((e: unknown) => setError(errorText(e)));
  }, []);

  // Recomputed from the slices it reads (the selector builds a new array).
  const list = useMemo(
    () => followedThreads(store.getState(), teamId),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the selector reads the store, these are the slices it depends on
    [threadStates, channels, teamId],
  );
  const unread = list.filter((t) => t.unread_replies > 0);

  return (
    <div className="rhs-body">
      {unread.length > 0 && (
        <div className="rhs-toolbar">
          <span className="muted">{unread.length} with new replies</span>
          <button
            type="button"
            onClick={() => unread.forEach((t) => void markThreadViewed(t.root_id).catch((e: unknown) => setError(errorText(e))))}
          >
            Mark all threads as read
          </button>
        </div>
      )}
      <div className="rhs-scroll">
        {error && (
          <p className="error rhs-note" role="alert">
            {error}
          </p>
        )}
        {!loaded && !error && (
          <p className="rhs-note" role="status">
            Loading threads…
          </p>
        )}
        {loaded && list.length === 0 && (
          <div className="rhs-empty">
            <p>
              <strong>No followed threads yet.</strong>
            </p>
            <p className="muted">Threads you reply to, start or are mentioned in show up here, and so do threads you follow.</p>
          </div>
        )}
        {list.length > 0 && (
          <ul className="thread-items" role="list" aria-label="Followed threads">
            {list.map((t) => {
              const root = threadPosts[t.root_id]?.posts[0];
              const ch = channels[t.channel_id];
              return (
                <li key={t.root_id}>
                  <ThreadItem
                    state={t}
                    root={root?.id === t.root_id ? root : undefined}
                    channelName={ch ? channelLabel(ch, channelTitle(ch, users, dm, me?.id)) : ""}
                    users={users}
                  />
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

function channelLabel(c: Channel, title: string): string {
  return c.kind === "public" || c.kind === "private" ? `#${title}` : title;
}

function ThreadItem(props: { state: ThreadState; root: Post | undefined; channelName: string; users: Record<Id, User> }) {
  const { state, root, users } = props;
  const unread = state.unread_replies;
  const author = root ? users[root.user_id] : undefined;
  const participants = (root?.participants ?? []).slice(0, 4);
  const text = root ? (root.deleted_at ? "(message deleted)" : excerpt(root.message) || "(attachment)") : "…";
  const open = () =>
    store.dispatch({ type: "open_rhs", view: { kind: "thread", rootId: state.root_id, channelId: state.channel_id } });
  return (
    <button type="button" className={"thread-item" + (unread > 0 ? " unread" : "")} onClick={open}>
      <span className="thread-item-top">
        <span className="thread-channel">{props.channelName}</span>
        {state.last_reply_at && (
          <time className="muted" dateTime={new Date(state.last_reply_at).toISOString()} title={formatFull(state.last_reply_at)}>
            {formatAgo(state.last_reply_at)}
          </time>
        )}
      </span>
      <span className="thread-author">{userName(author, root ? "Someone" : "")}</span>
      <span className="thread-excerpt">{text}</span>
      <span className="thread-item-bottom">
        {participants.length > 0 && (
          <span className="thread-participants" aria-hidden="true">
            {participants.map((id) => (
              <Avatar key={id} userId={id} user={users[id]} size={20} />
            ))}
          </span>
        )}
        <span className="sr-only">
          {participants.length > 0 && `Participants: ${participants.map((id) => userName(users[id])).join(", ")}. `}
        </span>
        <span className="thread-count">
          {state.reply_count} {state.reply_count === 1 ? "reply" : "replies"}
        </span>
        {unread > 0 && (
          <>
            <span className="badge" aria-hidden="true">
              {unread}
            </span>
            <span className="sr-only">
              , {unread} new {unread === 1 ? "reply" : "replies"}
            </span>
          </>
        )}
      </span>
    </button>
  );
}
