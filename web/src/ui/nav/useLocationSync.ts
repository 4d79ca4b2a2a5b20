// Keeps the address bar and the open team/channel in step: deep links open
// what they name (joining a public channel or starting a direct message when
// needed), navigation pushes history entries, back and forward work.
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { dmStore } from "../../state/actions";
import { findChannel, findTeam, formatRoute, parseInvite, parseRoute, routeFor, withoutInvite, type Route } from "../../state/router";
import { isAdminPath } from "../../state/appPath";
import { store } from "../../state/store";
import { errorText } from "../Auth";
import { goToChannel, joinChannel, openDirect, reloadTeamsAndChannels } from "./navActions";
import { noteRecent } from "./recent";

const dispatch = store.dispatch;
/** While a route is being applied, intermediate states must not be recorded. */
let applying = 0;
let lastChannel: string | null = null;

function currentPath(): string | null {
  const s = store.getState();
  const team = s.teams.find((t) => t.id === s.currentTeamId);
  const channel = s.currentChannelId ? s.channels[s.currentChannelId] : undefined;
  // A team without an open channel is a passing state (a channel is picked at once): not worth a history entry.
  if (!team || !channel) return null;
  const dm = dmStore.get()[channel.id];
  return formatRoute(routeFor(team, channel, dm, s.users, s.me?.id));
}

/** Records the open channel in the address bar (a new entry when the channel changed). */
function syncUrl(forceReplace = false): void {
  // The system console owns /admin addresses.
  if (applying || isAdminPath(location.pathname)) return;
  const path = currentPath();
  const channelId = store.getState().currentChannelId;
  if (!path) return;
  if (channelId && channelId !== lastChannel) noteRecent(channelId);
  // The first channel shown replaces the address it was opened with rather than stacking on it.
  const replace = forceReplace || channelId === lastChannel || lastChannel === null;
  lastChannel = channelId;
  if (path === location.pathname && !location.search) return;
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
}

/** Opens what a route names. Resolves when done (or when it names nothing we can open). */
export async function applyRoute(r: Route): Promise<void> {
  if (r.kind === "root") return;
  const s = store.getState();
  const team = findTeam(s.teams, r.team);
  if (team && team.id !== s.currentTeamId) dispatch({ type: "select_team", teamId: team.id });
  switch (r.kind) {
    case "team":
      return;
    case "channel": {
      if (!team) return;
      const mine = findChannel(Object.values(store.getState().channels), team.id, r.channel);
      if (mine) return goToChannel(mine.id);
      // A public channel we are not in yet: join it, as Mattermost does for links.
      const open = findChannel(await api.browseChannels(team.id), team.id, r.channel);
      if (open) await joinChannel(open);
      return;
    }
    case "dm": {
      const user = await api.userByUsername(r.username);
      await openDirect([user]);
      return;
    }
    case "group":
      if (store.getState().channels[r.channelId]) await goToChannel(r.channelId);
      return;
    case "permalink": {
      const post = await api.post(r.postId);
      if (!store.getState().channels[post.channel_id]) {
        dispatch({ type: "channel_loaded", channel: await api.channel(post.channel_id) });
      }
      await goToChannel(post.channel_id);
      dispatch({ type: "focus_post", target: { channelId: post.channel_id, postId: post.id } });
      if (post.root_id) dispatch({ type: "open_rhs", view: { kind: "thread", rootId: post.root_id, channelId: post.channel_id } });
      return;
    }
  }
}

async function applyQuietly(r: Route): Promise<string | null> {
  applying++;
  try {
    await applyRoute(r);
    return null;
  } catch (e) {
    return errorText(e);
  } finally {
    applying--;
    syncUrl(true);
  }
}

/** Navigates within the app to a path (for in-app links such as permalinks). */
export function navigateTo(path: string): void {
  const r = parseRoute(path);
  history.pushState(null, "", formatRoute(r));
  lastChannel = null;
  void applyQuietly(r);
}

/** The first route of a signed-in session: applied once (StrictMode mounts effects twice). */
let initialRun: Promise<string | null> | null = null;

async function applyInitial(): Promise<string | null> {
  applying++;
  let err: string | null = null;
  const invite = parseInvite(location.search);
  if (invite) {
    try {
      const team = await api.joinByInvite(invite);
      await reloadTeamsAndChannels();
      dispatch({ type: "select_team", teamId: team.id });
    } catch (e) {
      err = `The invitation could not be used: ${errorText(e)}`;
    }
    history.replaceState(null, "", location.pathname + withoutInvite(location.search));
  }
  applying--;
  const routeErr = await applyQuietly(invite ? { kind: "root" } : parseRoute(location.pathname));
  return err ?? routeErr;
}

/** Forgets the applied first route (after signing out, the next sign-in applies the address again). */
export function resetLocationSync(): void {
  initialRun = null;
  lastChannel = null;
}

/**
 * Applies the address the page was opened with (an invitation first), then
 * keeps it in step. `ready` turns true once the first route is applied, so
 * nothing picks a default channel before it.
 */
export function useLocationSync(): { ready: boolean; error: string | null; dismiss: () => void } {
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    initialRun ??= applyInitial();
    void initialRun.then((err) => {
      if (!live) return;
      setError(err);
      setReady(true);
    });
    const onPop = () => {
      if (isAdminPath(location.pathname)) return;
      lastChannel = null;
      void applyQuietly(parseRoute(location.pathname)).then((e) => e && setError(e));
    };
    // Same-origin links to app routes (permalinks in messages) navigate in place.
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!(a instanceof HTMLAnchorElement) || a.target === "_blank" || a.origin !== location.origin) return;
      if (a.pathname.startsWith("/api/") || parseRoute(a.pathname).kind === "root") return;
      e.preventDefault();
      navigateTo(a.pathname);
    };
    window.addEventListener("popstate", onPop);
    document.addEventListener("click", onClick);
    const offStore = store.subscribe(() => syncUrl());
    const offDm = dmStore.subscribe(() => syncUrl());
    return () => {
      live = false;
      window.removeEventListener("popstate", onPop);
      document.removeEventListener("click", onClick);
      offStore();
      offDm();
    };
  }, []);

  return { ready, error, dismiss: () => setError(null) };
}
