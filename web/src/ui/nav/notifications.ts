// Desktop notifications for new posts (see notifyRules.ts for when), through
// the browser Notification API; a click focuses the tab and opens the channel.
import type { Post } from "../../api/types";
import { dmStore, socket } from "../../state/actions";
import { getPrefs } from "../../state/prefs";
import { store } from "../../state/store";
import { channelTitle, userName } from "../names";
import { goToChannel } from "./navActions";
import { notificationText, shouldNotify } from "./notifyRules";

export function notificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

export function notificationPermission(): NotificationPermission | "unsupported" {
  return notificationsSupported() ? Notification.permission : "unsupported";
}

export async function requestNotificationPermission(): Promise<NotificationPermission | "unsupported"> {
  if (!notificationsSupported()) return "unsupported";
  return Notification.requestPermission();
}

let audio: AudioContext | null = null;
/** A short two-tone chime, made on the fly (no sound file to download). */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, f] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, t + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, t + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.12);
      osc.stop(t + i * 0.12 + 0.3);
    }
  } catch {
    /* audio unavailable */
  }
}

function notify(post: Post, attempt = 0): void {
  const s = store.getState();
  const me = s.me;
  const channel = s.channels[post.channel_id];
  if (!me) return;
  // A first message in a new conversation arrives before its channel is fetched: wait for it.
  if (!channel && attempt < 3) {
    setTimeout(() => notify(post, attempt + 1), 700);
    return;
  }
  const prefs = getPrefs();
  const ok = shouldNotify({
    post,
    meId: me.id,
    channel,
    membership: s.memberships[post.channel_id],
    currentChannelId: s.currentChannelId,
    tabVisible: document.visibilityState === "visible",
    myPresence: s.presence[me.id],
    enabled: prefs.desktopNotify && notificationPermission() === "granted",
  });
  if (!ok || !channel) return;
  const sender = userName(s.users[post.user_id]);
  const { title, body } = notificationText(post, sender, channelTitle(channel, s.users, dmStore.get(), me.id), channel);
  const n = new Notification(title, { body, tag: post.id });
  n.onclick = () => {
    window.focus();
    void goToChannel(post.channel_id);
    if (post.root_id) store.dispatch({ type: "focus_post", target: { channelId: post.channel_id, postId: post.id } });
    n.close();
  };
  if (prefs.sound) playChime();
}

let started = false;
export function startNotifications(): void {
  if (started || !notificationsSupported()) return;
  started = true;
  socket.on((m) => {
    if (m.kind !== "event" || m.event.event !== "posted") return;
    const post = m.event.data;
    // The author may be unknown yet (ensureUsers is under way): give it a moment for a proper name.
    setTimeout(() => notify(post), store.getState().users[post.user_id] ? 0 : 400);
  });
}
