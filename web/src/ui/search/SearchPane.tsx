// Search results in the side pane: messages or files matching the query,
// ordered by best match or newest, narrowed by channel, paged, each one
// jumping to where it was posted.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api, ApiError } from "../../api/client";
import type { Channel, ChannelCount, FileInfo, Id, Post, SearchMatch, SearchRequest, SearchSort, User } from "../../api/types";
import { ensureUsers, socket } from "../../state/actions";
import { store, useAppState } from "../../state/store";
import { rememberFileInfos, fileUrl } from "../files/fileInfo";
import { fileKind, humanSize, KIND_ICON, KIND_LABEL } from "../files/format";
import { formatFull } from "../messages/format";
import { PostView } from "../messages/PostView";
import { channelTitle, useDmMembers, userName } from "../names";
import { reportFailure } from "../nav/notice";
import { applyToSaved } from "../rhs/lists";
import { jumpToPost } from "../rhs/PostListPane";
import {
  channelFilterFor,
  channelFilterOf,
  parseSnippet,
  snippetAddsContext,
  snippetText,
  withChannelFilter,
  type SnippetPiece,
} from "./operators";
import { SearchBox } from "./SearchBox";
import "./search.css";

const PER_PAGE = 20;
type Mode = "messages" | "files";

interface Results {
  total: number;
  posts: Post[];
  files: FileInfo[];
  matches: Record<Id, SearchMatch>;
  counts: ChannelCount[];
  /** Pages loaded so far. */
  pages: number;
}

/** The last search shown, kept so coming back to the pane (from a thread) does not search again. */
let lastShown: { key: string; results: Results } | null = null;
/** Messages or files, and the order, as last chosen (kept while the app is open). */
let lastChoice: { mode: Mode; sort: SearchSort } = { mode: "messages", sort: "relevance" };

function timeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 404) return "This server does not offer search.";
    return e.message;
  }
  return "The search failed. Try again.";
}

async function fetchPage(mode: Mode, req: SearchRequest): Promise<Results> {
  const page = req.page ?? 0;
  if (mode === "messages") {
    const r = await api.searchPosts(req);
    void ensureUsers(r.posts.map((p) => p.user_id));
    const matches: Record<Id, SearchMatch> = {};
    r.matches.forEach((m) => (matches[m.id] = m));
    return { total: r.total, posts: r.posts, files: [], matches, counts: r.channel_counts, pages: page + 1 };
  }
  const r = await api.searchFiles(req);
  rememberFileInfos(r.files);
  void ensureUsers(r.files.map((f) => f.uploader_id));
  const matches: Record<Id, SearchMatch> = {};
  r.matches.forEach((m) => (matches[m.id] = m));
  return { total: r.total, posts: [], files: r.files, matches, counts: r.channel_counts, pages: page + 1 };
}

/**
 * Runs the search and its further pages; later answers for an older search
 * are dropped. `trigger` changes each time the search is asked for again
 * (the same words submitted anew search anew); a pane opened again on the
 * search it last showed (back from a thread) shows those results at once.
 */
function useSearch(query: string, mode: Mode, sort: SearchSort, teamId: Id | null, trigger: unknown) {
  const key = JSON.stringify([query, mode, sort, teamId]);
  const cached = lastShown?.key === key ? lastShown.results : null;
  const [results, setResults] = useState<Results | null>(cached);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(!cached);
  const [loadingMore, setLoadingMore] = useState(false);
  const run = useRef(0);
  const first = useRef(true);

  const base = useCallback(
    (page: number): SearchRequest => ({ terms: query, time_zone: timeZone(), team_id: teamId, sort, page, per_page: PER_PAGE }),
    [query, sort, teamId],
  );

  useEffect(() => {
    const id = ++run.current;
    const reopened = first.current;
    first.current = false;
    if (reopened && lastShown?.key === key) {
      setResults(lastShown.results);
      setLoading(false);
      setError(null);
      return;
    }
    setLoading(true);
    setError(null);
    setResults(null);
    fetchPage(mode, base(0)).then(
      (r) => {
        if (id !== run.current) return;
        lastShown = { key, results: r };
        setResults(r);
        setLoading(false);
      },
      (e: unknown) => {
        if (id !== run.current) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
    return () => {
      // `run` counts searches, it points to no node: bumping its current value is the point.
      // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
      run.current++; // answers still on their way are for a search no longer shown
    };
  }, [key, mode, base, trigger]);

  const loadMore = useCallback(() => {
    if (!results || loadingMore) return;
    const id = run.current;
    setLoadingMore(true);
    fetchPage(mode, base(results.pages)).then(
      (r) => {
        if (id !== run.current) return;
        setResults((prev) => {
          if (!prev) return prev;
          const seen = new Set([...prev.posts.map((p) => p.id), ...prev.files.map((f) => f.id)]);
          const next: Results = {
            total: r.total,
            posts: [...prev.posts, ...r.posts.filter((p) => !seen.has(p.id))],
            files: [...prev.files, ...r.files.filter((f) => !seen.has(f.id))],
            matches: { ...prev.matches, ...r.matches },
            counts: prev.counts,
            pages: r.pages,
          };
          lastShown = { key, results: next };
          return next;
        });
        setLoadingMore(false);
      },
      (e: unknown) => {
        if (id !== run.current) return;
        setLoadingMore(false);
        reportFailure(e);
      },
    );
  }, [results, loadingMore, mode, base, key]);

  // Edits, reactions and deletions show in the results as they happen.
  useEffect(
    () =>
      socket.on((m) => {
        if (m.kind !== "event") return;
        setResults((prev) => {
          if (!prev || !prev.posts.length) return prev;
          const posts = applyToSaved(prev.posts, m.event);
          if (posts === prev.posts) return prev;
          const next = { ...prev, posts };
          if (lastShown?.key === key) lastShown = { key, results: next };
          return next;
        });
      }),
    [key],
  );

  return { results, error, loading, loadingMore, loadMore };
}

/** Channels named by results: from the store, else fetched once (public channels I am not in). */
const fetchedChannels = new Map<Id, Channel | null>();
function useChannels(ids: readonly Id[]): Record<Id, Channel | undefined> {
  const known = useAppState((s) => s.channels);
  const [, bump] = useState(0);
  const key = ids.join(",");
  useEffect(() => {
    const missing = key.split(",").filter((id) => id && !store.getState().channels[id] && !fetchedChannels.has(id));
    if (!missing.length) return;
    for (const id of missing) fetchedChannels.set(id, null);
    void Promise.all(
      missing.map((id) =>
        api.channel(id).then(
          (c) => fetchedChannels.set(id, c),
          () => fetchedChannels.delete(id),
        ),
      ),
    ).then(() => bump((n) => n + 1));
  }, [key]);
  const out: Record<Id, Channel | undefined> = {};
  for (const id of ids) out[id] = known[id] ?? fetchedChannels.get(id) ?? undefined;
  return out;
}

/** The other person's id of a direct message, from its name (the two ids without hyphens, joined by `__`). */
function dmPartnerId(c: Channel, me: Id | undefined): Id | null {
  const mine = me?.replace(/-/g, "");
  const parts = c.name.split("__");
  const other = parts.find((p) => p !== mine) ?? mine;
  if (!other || !/^[0-9a-f]{32}$/.test(other)) return null;
  return `${other.slice(0, 8)}-${other.slice(8, 12)}-${other.slice(12, 16)}-${other.slice(16, 20)}-${other.slice(20)}`;
}

/** The other person of a direct message (myself in a message to myself). */
function dmPartner(c: Channel, dm: Record<Id, Id[]>, users: Record<Id, User>, me: Id | undefined): User | undefined {
  const ids = dm[c.id];
  const other = ids ? (ids.find((u) => u !== me) ?? me) : dmPartnerId(c, me);
  return other ? users[other] : undefined;
}

/** Makes sure the post's channel is known, then shows the post where it was written. */
async function jumpTo(post: Post): Promise<void> {
  if (!store.getState().channels[post.channel_id]) {
    store.dispatch({ type: "channel_loaded", channel: await api.channel(post.channel_id) });
  }
  await jumpToPost(post);
}

function Snippet({ pieces }: { pieces: readonly SnippetPiece[] }) {
  return (
    <>
      {pieces.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function SearchPane({ query }: { query: string }) {
  const teamId = useAppState((s) => s.currentTeamId);
  const users = useAppState((s) => s.users);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();
  const [mode, setMode] = useState<Mode>(lastChoice.mode);
  const [sort, setSort] = useState<SearchSort>(lastChoice.sort);
  useEffect(() => {
    lastChoice = { mode, sort };
  }, [mode, sort]);
  const view = useAppState((s) => s.rhs);
  const { results, error, loading, loadingMore, loadMore } = useSearch(query, mode, sort, teamId, view);

  const channelIds = useMemo(() => {
    const ids = new Set<Id>();
    results?.counts.forEach((c) => ids.add(c.channel_id));
    results?.posts.forEach((p) => ids.add(p.channel_id));
    results?.files.forEach((f) => ids.add(f.channel_id));
    return [...ids];
  }, [results]);
  const channels = useChannels(channelIds);
  // Names for direct-message chips.
  useEffect(() => {
    const want = channelIds
      .map((id) => channels[id])
      .filter((c): c is Channel => c?.kind === "direct")
      .map((c) => dmPartnerId(c, me?.id))
      .filter((id): id is Id => id !== null);
    if (want.length) void ensureUsers(want);
  }, [channelIds, channels, me?.id]);

  const run = (q: string) => store.dispatch({ type: "open_rhs", view: { kind: "search", query: q } });
  const filter = channelFilterOf(query);
  const name = (c: Channel | undefined): string => {
    if (!c) return "…";
    if (c.kind === "direct") {
      const p = dmPartner(c, dm, users, me?.id);
      return p ? userName(p) : "Direct message";
    }
    return channelTitle(c, users, dm, me?.id);
  };
  const where = (c: Channel | undefined): string => {
    if (!c) return "";
    if (c.kind === "direct") return `with ${name(c)}`;
    if (c.kind === "group") return "in a group message";
    return `in ~${c.name}`;
  };

  const total = results?.total ?? 0;
  const shown = mode === "messages" ? (results?.posts.length ?? 0) : (results?.files.length ?? 0);
  const noun = mode === "messages" ? ["result", "results"] : ["file", "files"];

  let body: ReactNode;
  if (error) {
    body = (
      <div className="search-error" role="alert">
        <p>
          <strong>The search could not run.</strong>
        </p>
        <p>{error}</p>
      </div>
    );
  } else if (loading || !results) {
    body = (
      <p className="rhs-note" role="status">
        Searching…
      </p>
    );
  } else if (total === 0 && shown === 0) {
    body = <EmptyResults mode={mode} filtered={!!filter} onAllChannels={() => run(withChannelFilter(query, null))} />;
  } else {
    body = (
      <>
        {mode === "messages" ? (
          <ul className="search-results" role="list" aria-label="Search results">
            {results.posts.map((p) => {
              const pieces = parseSnippet(results.matches[p.id]?.snippet_html ?? "");
              const known = !!store.getState().channels[p.channel_id];
              return (
                <li key={p.id} className="search-hit">
                  {!known && channels[p.channel_id] && <p className="search-where">{where(channels[p.channel_id])}</p>}
                  <PostView post={p} showChannel where="pane" />
                  {pieces && snippetAddsContext(p.message, pieces) && (
                    <p className="search-snippet">
                      <span className="search-snippet-from">Matched in an attachment: </span>
                      <Snippet pieces={pieces} />
                    </p>
                  )}
                  <button type="button" className="jump-btn" onClick={() => void jumpTo(p).catch(reportFailure)}>
                    Jump to message
                  </button>
                </li>
              );
            })}
          </ul>
        ) : (
          <ul className="search-results search-files" role="list" aria-label="Search results">
            {results.files.map((f) => (
              <FileCard
                key={f.id}
                file={f}
                where={where(channels[f.channel_id])}
                uploader={userName(users[f.uploader_id])}
                match={results.matches[f.id]}
              />
            ))}
          </ul>
        )}
        {shown < total && (
          <div className="search-more">
            <button type="button" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? "Loading…" : "Load more"}
            </button>
          </div>
        )}
      </>
    );
  }

  return (
    <div className="rhs-body search-pane">
      <div className="search-controls">
        <SearchBox label="Refine search" placeholder="Search again" value={query} onSubmit={run} className="search-refine" />
        <div className="search-bar">
          <div className="search-modes" role="group" aria-label="Search in">
            <button type="button" aria-pressed={mode === "messages"} onClick={() => setMode("messages")}>
              Messages
            </button>
            <button type="button" aria-pressed={mode === "files"} onClick={() => setMode("files")}>
              Files
            </button>
          </div>
          <label className="search-sort">
            <span>Sort</span>
            <select value={sort} onChange={(e) => setSort(e.target.value as SearchSort)}>
              <option value="relevance">Best match</option>
              <option value="newest">Newest</option>
            </select>
          </label>
        </div>
      </div>
      <div className="rhs-scroll search-scroll">
        <p className="search-summary" role="status">
          {results && !loading && !error ? (
            <>
              {plural(total, noun[0], noun[1])} for <q className="search-query">{query}</q>
            </>
          ) : null}
        </p>
        {results && !loading && !error && (results.counts.length > 0 || filter) && (
          <div className="search-chips" role="group" aria-label="Filter by channel">
            {filter && (
              <button type="button" className="search-chip" onClick={() => run(withChannelFilter(query, null))}>
                All channels
              </button>
            )}
            {results.counts.map((cc) => {
              const c = channels[cc.channel_id];
              const partner = c?.kind === "direct" ? dmPartner(c, dm, users, me?.id) : undefined;
              const f = c ? channelFilterFor(c, partner?.username) : null;
              const label = (
                <>
                  <span aria-hidden="true" className="search-chip-icon">
                    {c?.kind === "private" ? "🔒" : c?.kind === "public" ? "#" : "@"}
                  </span>
                  {name(c)}{" "}
                  <span className="search-chip-count">
                    {cc.count.toLocaleString()}
                    <span className="sr-only"> {cc.count === 1 ? "result" : "results"}</span>
                  </span>
                </>
              );
              return f ? (
                <button
                  type="button"
                  key={cc.channel_id}
                  className="search-chip"
                  aria-pressed={filter?.toLowerCase() === f.toLowerCase()}
                  onClick={() => run(withChannelFilter(query, f))}
                >
                  {label}
                </button>
              ) : (
                <span key={cc.channel_id} className="search-chip static">
                  {label}
                </span>
              );
            })}
          </div>
        )}
        {body}
      </div>
    </div>
  );
}

function FileCard(props: { file: FileInfo; where: string; uploader: string; match: SearchMatch | undefined }) {
  const { file } = props;
  const kind = fileKind(file.mime_type, file.name);
  const pieces = parseSnippet(props.match?.snippet_html ?? "");
  const extra = pieces && pieces.some((p) => p.mark) && snippetText(pieces).trim() !== file.name ? pieces : null;
  const jump = async () => {
    if (!file.post_id) return;
    await jumpTo(await api.post(file.post_id));
  };
  return (
    <li className="search-file">
      <span className="search-file-icon" aria-hidden="true">
        {KIND_ICON[kind]}
      </span>
      <div className="search-file-main">
        <a className="search-file-name" href={fileUrl(file.id)} download={file.name} title={`Download ${file.name}`}>
          {file.name}
        </a>
        <p className="search-file-meta">
          {KIND_LABEL[kind]} · {humanSize(file.size)}
          {props.where && ` · ${props.where}`} · {props.uploader} ·{" "}
          <time dateTime={new Date(file.created_at).toISOString()}>{formatFull(file.created_at)}</time>
        </p>
        {extra && (
          <p className="search-snippet">
            <Snippet pieces={extra} />
          </p>
        )}
        {file.post_id && (
          <button type="button" className="search-file-jump" onClick={() => void jump().catch(reportFailure)}>
            Jump to message
          </button>
        )}
      </div>
    </li>
  );
}

function EmptyResults(props: { mode: Mode; filtered: boolean; onAllChannels: () => void }) {
  return (
    <div className="rhs-empty search-empty">
      <p>
        <strong>No {props.mode === "messages" ? "messages" : "files"} match.</strong>
      </p>
      {props.filtered && (
        <p>
          <button type="button" className="link" onClick={props.onAllChannels}>
            Search all channels
          </button>
        </p>
      )}
      <ul className="search-tips" aria-label="Search tips">
        <li>Check the spelling, or use fewer words.</li>
        <li>
          End a word with <code>*</code> to match its beginning: <code>deplo*</code>
        </li>
        <li>
          Narrow with <code>from:@name</code>, <code>in:~channel</code>, <code>after:2026-01-31</code>, <code>has:file</code>
        </li>
        <li>
          Put words in quotes for an exact phrase: <code>"release notes"</code>
        </li>
        <li>{props.mode === "messages" ? "Looking for an attachment? Switch to Files." : "Looking for a message? Switch to Messages."}</li>
      </ul>
    </div>
  );
}
