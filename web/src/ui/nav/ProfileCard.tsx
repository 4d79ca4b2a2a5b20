// The user card shown at a point (from a name or @mention click): picture,
// names, status, presence, local time, and a button to message them.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { ensureUsers } from "../../state/actions";
import { usePrefs } from "../../state/prefs";
import { store, useAppState } from "../../state/store";
import { errorText } from "../Auth";
import { userName } from "../names";
import { Avatar } from "../messages/Avatar";
import { PresenceDot, presenceLabel } from "./PresenceDot";
import { localTime, zoneOffsetHours } from "./localTime";
import { openDirect } from "./navActions";
import { usePresence } from "./presence";

export function ProfileCard() {
  const card = useAppState((s) => s.profileCard);
  if (!card) return null;
  return <Card key={`${card.userId}-${card.x}-${card.y}`} userId={card.userId} x={card.x} y={card.y} />;
}

function close(): void {
  store.dispatch({ type: "show_profile", card: null });
}

function Card({ userId, x, y }: { userId: string; x: number; y: number }) {
  const user = useAppState((s) => s.users[userId]);
  const presence = useAppState((s) => s.presence[userId]);
  const me = useAppState((s) => s.me);
  const { clock24 } = usePrefs();
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePresence([userId]);

  useEffect(() => {
    void ensureUsers([userId]);
  }, [userId]);

  // Keep the card inside the viewport, below-right of the point if there is room.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const left = Math.max(8, Math.min(x, window.innerWidth - r.width - 8));
    const top = y + r.height + 8 > window.innerHeight ? Math.max(8, y - r.height - 8) : y + 8;
    setPos({ left, top });
  }, [x, y, user]);

  // Focus goes into the card and comes back where it was.
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    };
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) close();
    };
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("mousedown", onDown);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("mousedown", onDown);
      if (back && document.contains(back)) back.focus();
    };
  }, []);

  const now = new Date();
  const time = user ? localTime(user.timezone, now, clock24) : null;
  const offset = user ? zoneOffsetHours(user.timezone, now) : null;
  const name = userName(user, "…");
  const message = async () => {
    if (!user) return;
    try {
      await openDirect([user]);
      close();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div
      ref={ref}
      className="profile-card"
      role="dialog"
      aria-label={`Profile of ${name}`}
      tabIndex={-1}
      style={pos ? { left: pos.left, top: pos.top } : { left: x, top: y, visibility: "hidden" }}
    >
      <div className="profile-top">
        <Avatar userId={userId} user={user} size={64} />
        <div>
          <p className="profile-name">{name}</p>
          {user && <p className="muted">@{user.username}{user.is_bot ? " · bot" : ""}</p>}
          <p className="profile-presence">
            <PresenceDot presence={presence} decorative /> {presenceLabel[presence ?? "offline"]}
          </p>
        </div>
      </div>
      {user?.status_text && <p className="profile-status">{user.status_text}</p>}
      {time && (
        <p className="muted">
          Local time {time}
          {offset ? ` (${offset > 0 ? "+" : ""}${offset} h from you)` : ""}
        </p>
      )}
      {user && !user.is_active && <p className="muted">Deactivated account</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        {user && user.is_active && (
          <button type="button" className="primary" onClick={() => void message()}>
            {user.id === me?.id ? "Message yourself" : "Message"}
          </button>
        )}
        <button type="button" aria-label="Close profile" onClick={close}>
          Close
        </button>
      </div>
    </div>
  );
}
