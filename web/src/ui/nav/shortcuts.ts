// Global keyboard shortcuts (Slack and Mattermost conventions).
import { useEffect } from "react";
import { getPrefs } from "../../state/prefs";
import { store } from "../../state/store";
import { dmStore } from "../../state/actions";
import { channelTitle } from "../names";
import { getDialog, openDialog } from "./dialogs";
import { goToChannel, markCurrentRead } from "./navActions";
import { reportFailure } from "./notice";
import { adjacentChannel, navOrder, sidebarSections } from "./sidebarModel";

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
export const modKey = isMac ? "⌘" : "Ctrl";

/** The list the dialog shows: keys and what they do. */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: `${modKey}+K`, does: "Switch channels" },
  { keys: "Alt+↑ / Alt+↓", does: "Previous / next channel in the sidebar" },
  { keys: "Alt+Shift+↑ / Alt+Shift+↓", does: "Previous / next unread channel" },
  { keys: `${modKey}+Shift+K`, does: "New direct message" },
  { keys: `${modKey}+Shift+F`, does: "Search messages" },
  { keys: "Esc", does: "Mark the open channel read" },
  { keys: `${modKey}+/`, does: "Show keyboard shortcuts" },
  { keys: `${modKey}+B / ${modKey}+I / ${modKey}+Shift+X`, does: "Bold / italic / strikethrough while writing" },
  { keys: "↑ in an empty message box", does: "Edit your last message" },
  { keys: "↑ / ↓ on a message", does: "Previous / next message" },
];

function move(dir: 1 | -1, unreadOnly: boolean): void {
  const s = store.getState();
  const dm = dmStore.get();
  const prefs = getPrefs();
  const order = navOrder(
    sidebarSections({
      channels: Object.values(s.channels),
      teamId: s.currentTeamId,
      currentChannelId: s.currentChannelId,
      unreads: s.unreads,
      memberships: s.memberships,
      title: (c) => channelTitle(c, s.users, dm, s.me?.id),
      unreadsOnTop: prefs.unreadsOnTop,
    }),
    prefs.collapsed,
  );
  const next = adjacentChannel(order, s.currentChannelId, dir, unreadOnly);
  if (next) void goToChannel(next).catch(reportFailure);
}

function onKeyDown(e: KeyboardEvent): void {
  if (e.isComposing) return;
  const mod = isMac ? e.metaKey : e.ctrlKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey && key === "k") {
    e.preventDefault();
    openDialog(e.shiftKey ? "direct" : getDialog() === "switcher" ? null : "switcher");
    return;
  }
  if (mod && (key === "/" || e.code === "Slash")) {
    e.preventDefault();
    openDialog("shortcuts");
    return;
  }
  if (e.altKey && !mod && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    if (getDialog() || e.defaultPrevented) return;
    e.preventDefault();
    move(e.key === "ArrowDown" ? 1 : -1, e.shiftKey);
    return;
  }
  if (e.key === "Escape" && !e.defaultPrevented && !getDialog() && !document.querySelector("dialog[open], [role=menu]")) {
    markCurrentRead();
  }
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
