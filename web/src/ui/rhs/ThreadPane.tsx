// A thread in the side pane: the root post, every reply (live), our replies
// still being sent, follow/unfollow, and the reply box.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import type { Channel, Id } from "../../api/types";
import { loadThread, markThreadViewed, setThreadFollowing } from "../../state/actions";
import { store, useAppState } from "../../state/store";
import { activeTypers } from "../../state/threads";
import type { PendingPost } from "../../state/reducer";
import { errorText } from "../Auth";
import { Composer } from "../composer/Composer";
import { PendingContent } from "../messages/MessageList";
import { PostView } from "../messages/PostView";
import { typingText, userName } from "../names";
import { firstUnreadReply, replyHeads } from "./lists";

export function ThreadPane(props: { rootId: Id; channel: Channel; channelTitle: string; highlightId?: Id; maxChars: number }) {
  const { rootId, channel, highlightId } = props;
  const loaded = useAppState((s) => s.threads.posts[rootId]);
  const fromChannel = useAppState((s) => s.posts[channel.id]?.posts.find((p) => p.id === rootId));
  const following = useAppState((s) => s.threads.states[rootId]?.following ?? false);
  const pendingAll = useAppState((s) => s.pending[channel.id]);
  const [error, setError] = useState<string | null>(null);
  const [followBusy, setFollowBusy] = useState(false);
  // When I last read this thread, before this visit marks it read: new replies get a line.
  const [lastViewed] = useState(() => {
    const st = store.getState().threads.states[rootId];
    return st && st.reply_count > 0 ? st.last_viewed_at : undefined;
  });
  const me = useAppState((s) => s.me?.id);

  useEffect(() => {
    const view = () => void markThreadViewed(rootId).catch(() => undefined);
    loadThread(rootId).catch((e: unknown) =>
      setError(e instanceof ApiError && e.code === "not_found" ? "This thread is no longer available." : errorText(e)),
    );
    view();
    // Replies that came while the tab was hidden are read on return.
    const onVisible = () => document.visibilityState === "visible" && view();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [rootId]);

  const posts = useMemo(() => loaded?.posts ?? (fromChannel ? [fromChannel] : []), [loaded, fromChannel]);
  const root = posts[0]?.id === rootId ? posts[0] : fromChannel;
  const replies = useMemo(() => posts.filter((p) => p.id !== rootId), [posts, rootId]);
  const heads = useMemo(() => replyHeads(replies), [replies]);
  // Placed once, when the thread has loaded: replies arriving while reading get no line.
  const [firstNewId, setFirstNewId] = useState<Id | null | undefined>(undefined);
  const fullyLoaded = !!loaded?.loaded;
  useEffect(() => {
    if (!fullyLoaded || firstNewId !== undefined) return;
    const i = firstUnreadReply(replies, lastViewed, me);
    setFirstNewId(i >= 0 ? replies[i].id : null);
  }, [fullyLoaded, firstNewId, replies, lastViewed, me]);
  const pending = useMemo(() => pendingAll?.filter((p) => p.root_id === rootId) ?? [], [pendingAll, rootId]);
  const count = root?.reply_count ?? replies.length;

  // Stay at the newest reply as replies arrive, unless the reader scrolled up.
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const highlightDone = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (highlightId && !highlightDone.current) {
      const target = el.querySelector<HTMLElement>(`[data-post-id="${CSS.escape(highlightId)}"]`);
      if (target) {
        highlightDone.current = true;
        atBottom.current = false;
        target.scrollIntoView({ block: "center" });
        return;
      }
    }
    if (atBottom.current) el.scrollTop = el.scrollHeight;
  }, [replies, pending, highlightId]);

  const toggleFollow = async () => {
    setFollowBusy(true);
    try {
      await setThreadFollowing(rootId, !following);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setFollowBusy(false);
    }
  };

  return (
    <div className="rhs-body thread-pane">
      <div className="rhs-toolbar">
        <button type="button" className={"follow-btn" + (following ? " on" : "")} disabled={followBusy || !root} onClick={() => void toggleFollow()}>
          {following ? "Unfollow thread" : "Follow thread"}
        </button>
      </div>
      <div
        className="rhs-scroll"
        ref={scroller}
        tabIndex={0}
        aria-label="Thread conversation"
        role="region"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {error && (
          <p className="error rhs-note" role="alert">
            {error}
          </p>
        )}
        {!root && !error && (
          <p className="rhs-note" role="status">
            Loading thread…
          </p>
        )}
        {root && (
          <div className="thread-root" data-post-id={root.id}>
            <PostView post={root} showThreadSummary={false} showReply={false} where="pane" />
          </div>
        )}
        {root && (replies.length > 0 || pending.length > 0) && (
          <div className="thread-sep">
            <span>
              {count} {count === 1 ? "reply" : "replies"}
            </span>
          </div>
        )}
        <ol className="thread-replies" role="list" aria-label="Thread replies">
          {replies.map((p, i) => (
            <li key={p.id} data-post-id={p.id}>
              {p.id === firstNewId && (
                <p className="thread-new" role="separator" aria-label="New replies">
                  <span>New replies</span>
                </p>
              )}
              <PostView post={p} head={heads[i] || p.id === firstNewId} showReply={false} highlight={p.id === highlightId} where="pane" />
            </li>
          ))}
          {pending.map((p) => (
            <PendingReply key={p.key} p={p} />
          ))}
        </ol>
      </div>
      <ThreadTyping rootId={rootId} />
      {channel.archived_at ? (
        <p className="archived" role="note">
          This channel is archived; it is read-only.
        </p>
      ) : (
        root &&
        !root.deleted_at && <Composer channel={channel} rootId={rootId} title={props.channelTitle} maxChars={props.maxChars} />
      )}
    </div>
  );
}

/** A reply of ours not yet confirmed: sending, or failed with retry and discard. */
function PendingReply({ p }: { p: PendingPost }) {
  return (
    <li className={"rhs-pending" + (p.failed ? " failed" : "")} aria-busy={!p.failed}>
      <PendingContent p={p} metaClass="rhs-post-meta" authorClass="rhs-author-text" />
    </li>
  );
}

/** "Alice is typing…" under the replies (marks expire with the channel's). */
function ThreadTyping({ rootId }: { rootId: Id }) {
  const typing = useAppState((s) => s.threads.typing[rootId]);
  const users = useAppState((s) => s.users);
  const names = useMemo(
    () => activeTypers(typing, Date.now()).map((id) => userName(users[id])),
    [typing, users],
  );
  const text = typingText(names);
  return (
    <div className="typing rhs-typing" aria-live="polite">
      {text}
    </div>
  );
}
