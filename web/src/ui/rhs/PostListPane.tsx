// Pinned posts of a channel and my saved posts: fetched when shown, kept
// current from server events; each jumps to its place in the conversation.
import { useEffect, useMemo, useState } from "react";
import { api } from "../../api/client";
import type { AnyEvent, Channel, Id, Post } from "../../api/types";
import { ensureUsers, socket } from "../../state/actions";
import { store, useAppState } from "../../state/store";
import { errorText } from "../Auth";
import { PostView } from "../messages/PostView";
import { goToChannel } from "../nav/navActions";
import { applyToPinned, applyToSaved, sortNewestFirst } from "./lists";

/** A list fetched once and then updated from socket events (refetched after a resync). */
function useLivePosts(load: () => Promise<Post[]>, apply: (list: Post[], ev: AnyEvent) => Post[]) {
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const fetchAll = () =>
      load().then(
        (ps) => {
          if (!alive) return;
          setPosts(sortNewestFirst(ps.slice()));
          setError(null);
          void ensureUsers(ps.map((p) => p.user_id));
        },
        (e: unknown) => alive && setError(errorText(e)),
      );
    void fetchAll();
    const off = socket.on((m) => {
      if (m.kind === "event") setPosts((list) => (list ? apply(list, m.event) : list));
      else if (m.kind === "resync" || (m.kind === "ready" && !m.resumed)) void fetchAll();
    });
    return () => {
      alive = false;
      off();
    };
    // The load and apply functions are fixed for a mounted pane (keyed by channel).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, []);
  return { posts, setPosts, error };
}

/** Shows a post where it was written: a reply in its thread, others in the channel. */
export async function jumpToPost(post: Post): Promise<void> {
  if (post.root_id) {
    store.dispatch({
      type: "open_rhs",
      view: { kind: "thread", rootId: post.root_id, channelId: post.channel_id, postId: post.id },
    });
    return;
  }
  const opening = store.getState().currentChannelId !== post.channel_id ? goToChannel(post.channel_id) : null;
  store.dispatch({ type: "focus_post", target: { channelId: post.channel_id, postId: post.id } });
  // On narrow screens the pane covers the channel: get out of the way.
  if (window.matchMedia("(max-width: 900px)").matches) store.dispatch({ type: "close_rhs" });
  await opening;
}

function PostList(props: { label: string; posts: Post[]; showChannel: boolean }) {
  return (
    <ul className="rhs-posts" role="list" aria-label={props.label}>
      {props.posts.map((p) => (
        <li key={p.id} className="rhs-post-item">
          <PostView post={p} showChannel={props.showChannel} where="pane" />
          <button type="button" className="jump-btn" onClick={() => void jumpToPost(p)}>
            Jump to message
          </button>
        </li>
      ))}
    </ul>
  );
}

export function PinnedPane({ channel }: { channel: Channel }) {
  const { posts, error } = useLivePosts(
    () => api.pinnedPosts(channel.id),
    (list, ev) => applyToPinned(list, channel.id, ev),
  );
  return (
    <div className="rhs-body">
      <div className="rhs-scroll">
        {error && (
          <p className="error rhs-note" role="alert">
            {error}
          </p>
        )}
        {!posts && !error && (
          <p className="rhs-note" role="status">
            Loading pinned messages…
          </p>
        )}
        {posts?.length === 0 && (
          <div className="rhs-empty">
            <p>
              <strong>No pinned messages yet.</strong>
            </p>
            <p className="muted">Pin important messages from their actions menu so everyone in the channel finds them here.</p>
          </div>
        )}
        {posts && posts.length > 0 && <PostList label="Pinned messages" posts={posts} showChannel={false} />}
      </div>
    </div>
  );
}

export function SavedPane() {
  const { posts: fetched, setPosts, error } = useLivePosts(
    () =>
      api.savedPosts().then((ps) => {
        // The freshest list from the server: the "Saved" marks on posts follow it.
        store.dispatch({ type: "saved_loaded", postIds: ps.map((p) => p.id) });
        return ps;
      }),
    applyToSaved,
  );
  const savedIds = useAppState((s) => s.savedPostIds);
  // Saved or unsaved in this tab meanwhile: drop what was unsaved, fetch what was saved.
  const posts = useMemo(() => fetched?.filter((p) => savedIds[p.id]) ?? null, [fetched, savedIds]);
  useEffect(() => {
    if (!fetched) return;
    const missing = Object.keys(savedIds).filter((id: Id) => !fetched.some((p) => p.id === id));
    if (!missing.length) return;
    let alive = true;
    void Promise.all(missing.map((id) => api.post(id).catch(() => null))).then((found) => {
      const add = found.filter((p): p is Post => p !== null);
      if (alive && add.length) setPosts((list) => sortNewestFirst([...(list ?? []).filter((p) => !add.some((a) => a.id === p.id)), ...add]));
    });
    return () => {
      alive = false;
    };
  }, [fetched, savedIds, setPosts]);
  return (
    <div className="rhs-body">
      <div className="rhs-scroll">
        {error && (
          <p className="error rhs-note" role="alert">
            {error}
          </p>
        )}
        {!posts && !error && (
          <p className="rhs-note" role="status">
            Loading saved messages…
          </p>
        )}
        {posts?.length === 0 && (
          <div className="rhs-empty">
            <p>
              <strong>No saved messages yet.</strong>
            </p>
            <p className="muted">Save messages from their actions menu to keep them at hand; only you see this list.</p>
          </div>
        )}
        {posts && posts.length > 0 && <PostList label="Saved messages" posts={posts} showChannel />}
      </div>
    </div>
  );
}
