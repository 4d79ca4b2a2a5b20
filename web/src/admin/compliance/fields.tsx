// Form fields the compliance forms share.
import { FORMATS, type ExportFormat } from "./model";

export function DateField(props: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {props.label}
      <input type="date" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </label>
  );
}

export function FormatSelect(props: { value: ExportFormat; onChange: (f: ExportFormat) => void; label?: string }) {
  return (
    <label>
      {props.label ?? "Format"}
      <select aria-label={props.label ?? "Format"} value={props.value} onChange={(e) => props.onChange(e.target.value as ExportFormat)}>
        {FORMATS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export const dayOf = (ms: number | null | undefined) => (ms === null || ms === undefined ? "" : new Date(ms).toISOString().slice(0, 10));
