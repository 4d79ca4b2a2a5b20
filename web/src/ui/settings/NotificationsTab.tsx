import { useState } from "react";
import { setPrefs, usePrefs } from "../../state/prefs";
import { notificationPermission, playChime, requestNotificationPermission } from "../nav/notifications";

export function NotificationsTab() {
  const p = usePrefs();
  const [perm, setPerm] = useState(notificationPermission());
  return (
    <div className="settings-section">
      <h3>Desktop notifications</h3>
      <p className="hint">
        Shown for mentions and direct messages when Hearth is in the background or another channel is open. Each
        channel's menu can widen or silence this; muted channels and Do not disturb stay quiet.
      </p>
      {perm === "unsupported" && <p>This browser cannot show desktop notifications.</p>}
      {perm === "denied" && (
        <p role="note">Notifications are blocked for this site. Allow them in the browser's site settings.</p>
      )}
      {perm === "default" && (
        <p>
          <button type="button" className="primary" onClick={() => void requestNotificationPermission().then(setPerm)}>
            Allow desktop notifications
          </button>
        </p>
      )}
      {perm === "granted" && <p>The browser allows notifications from Hearth.</p>}
      <div className="field check">
        <input
          id="notify-desktop"
          type="checkbox"
          checked={p.desktopNotify}
          disabled={perm === "unsupported"}
          onChange={(e) => setPrefs({ desktopNotify: e.target.checked })}
        />
        <label htmlFor="notify-desktop">Send desktop notifications</label>
      </div>
      <div className="field check">
        <input id="notify-sound" type="checkbox" checked={p.sound} onChange={(e) => setPrefs({ sound: e.target.checked })} />
        <label htmlFor="notify-sound">Play a sound with notifications</label>
        <button type="button" onClick={playChime}>
          Test sound
        </button>
      </div>
    </div>
  );
}
