// The configuration as editable fields: flattening the server's JSON into
// dotted keys with a kind each, parsing what the admin typed back into JSON
// (the client-side type check before the server validates), and telling
// locked and restart-only keys apart. Pure, unit-tested.
import type { JsonObject, JsonValue } from "./api";

/** What the server shows instead of a secret; sent back it means "unchanged". */
export const MASK = "********";

export type FieldKind = "bool" | "int" | "string" | "list" | "secret" | "json";

export interface Field {
  key: string;
  /** The first part of the key: the configuration file's section. */
  section: string;
  kind: FieldKind;
  value: JsonValue;
}

const SECRET_NAMES = ["bind_password", "client_secret"];

function kindOf(key: string, value: JsonValue): FieldKind {
  const name = key.split(".").pop() ?? key;
  if (SECRET_NAMES.includes(name) || value === MASK) return "secret";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "json";
  if (typeof value === "string") return "string";
  // An empty array could hold objects (group mappings): JSON is safe for both.
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return "list";
  return "json";
}

/**
 * Every leaf as a field. Objects are walked; arrays of objects (OpenID
 * providers, group mappings) and absent optional sections stay one JSON field.
 */
export function flattenConfig(config: JsonObject): Field[] {
  const out: Field[] = [];
  const walk = (v: JsonValue, path: string) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    out.push({ key: path, section: path.split(".")[0], kind: kindOf(path, v), value: v });
  };
  walk(config, "");
  return out;
}

/** The text an input shows for a value. */
export function displayValue(f: Field): string {
  switch (f.kind) {
    case "bool":
      return f.value ? "true" : "false";
    case "list":
      return (f.value as string[]).join("\n");
    case "int":
    case "string":
    case "secret":
      return f.value === null ? "" : String(f.value);
    case "json":
      return f.value === null ? "" : JSON.stringify(f.value, null, 2);
  }
}

export type Parsed = { ok: true; value: JsonValue } | { ok: false; error: string };

/** What the admin typed, as the JSON value to send; an error names the key. */
export function parseInput(kind: FieldKind, key: string, text: string): Parsed {
  switch (kind) {
    case "bool":
      if (text === "true" || text === "false") return { ok: true, value: text === "true" };
      return { ok: false, error: `${key} must be true or false` };
    case "int": {
      const t = text.trim();
      if (!/^-?\d+$/.test(t)) return { ok: false, error: `${key} must be a whole number` };
      const n = Number(t);
      if (!Number.isSafeInteger(n)) return { ok: false, error: `${key} is too large` };
      return { ok: true, value: n };
    }
    case "string":
    case "secret":
      return { ok: true, value: text };
    case "list":
      return {
        ok: true,
        value: text
          .split(/\n|,/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case "json": {
      if (text.trim() === "") return { ok: true, value: null };
      try {
        return { ok: true, value: JSON.parse(text) as JsonValue };
      } catch (e) {
        return { ok: false, error: `${key} must be valid JSON (${(e as Error).message})` };
      }
    }
  }
}

/** `key` equals `prefix` or lies inside it. */
export function within(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(prefix + ".");
}

/** Why a key cannot be changed here, or null. */
export function lockReason(key: string, env: string[], cli: string[] = []): string | null {
  const e = env.find((l) => within(key, l) || within(l, key));
  if (e) return `set by the environment variable HEARTH_${e.toUpperCase().replaceAll(".", "__")}`;
  if (cli.some((l) => within(key, l) || within(l, key))) return "set by a command-line option";
  return null;
}

export function needsRestart(key: string, restartKeys: string[]): boolean {
  return restartKeys.some((p) => within(key, p));
}

/** `{a: {b: value}}` for the key `a.b`: a partial configuration to validate. */
export function partialConfig(changes: Record<string, JsonValue>): JsonObject {
  const root: JsonObject = {};
  for (const [key, value] of Object.entries(changes)) {
    const parts = key.split(".");
    let node = root;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === null || typeof next !== "object" || Array.isArray(next)) node[p] = {};
      node = node[p] as JsonObject;
    }
    node[parts[parts.length - 1]] = value;
  }
  return root;
}

/** Groups fields by section, in the order the file has them. */
export function bySection(fields: Field[]): [string, Field[]][] {
  const map = new Map<string, Field[]>();
  for (const f of fields) map.set(f.section, [...(map.get(f.section) ?? []), f]);
  return [...map.entries()];
}

/** The value at a dotted key. */
export function valueAt(config: JsonObject, key: string): JsonValue | undefined {
  let node: JsonValue | undefined = config;
  for (const p of key.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as JsonObject)[p];
  }
  return node;
}
