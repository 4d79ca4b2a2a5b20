import { useId } from "react";
import { setPrefs, usePrefs, type Theme } from "../../state/prefs";

const THEMES: { value: Theme; label: string }[] = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "system", label: "Same as the system" },
];

export function DisplayTab() {
  const p = usePrefs();
  const name = useId();
  return (
    <div className="settings-section">
      <fieldset className="radios">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value}>
            <input type="radio" name={`${name}-theme`} checked={p.theme === t.value} onChange={() => setPrefs({ theme: t.value })} /> {t.label}
          </label>
        ))}
      </fieldset>
      <fieldset className="radios">
        <legend>Message density</legend>
        <label>
          <input type="radio" name={`${name}-density`} checked={!p.compact} onChange={() => setPrefs({ compact: false })} /> Standard
        </label>
        <label>
          <input type="radio" name={`${name}-density`} checked={p.compact} onChange={() => setPrefs({ compact: true })} /> Compact
        </label>
      </fieldset>
      <fieldset className="radios">
        <legend>Clock</legend>
        <label>
          <input type="radio" name={`${name}-clock`} checked={!p.clock24} onChange={() => setPrefs({ clock24: false })} /> 12-hour (2:05 PM)
        </label>
        <label>
          <input type="radio" name={`${name}-clock`} checked={p.clock24} onChange={() => setPrefs({ clock24: true })} /> 24-hour (14:05)
        </label>
      </fieldset>
      <fieldset className="radios">
        <legend>Sidebar</legend>
        <label>
          <input type="checkbox" checked={p.unreadsOnTop} onChange={(e) => setPrefs({ unreadsOnTop: e.target.checked })} /> Group unread channels at the top
        </label>
      </fieldset>
    </div>
  );
}
