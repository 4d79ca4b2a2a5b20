import { describe, expect, it } from "vitest";
import { MASK, bySection, displayValue, flattenConfig, lockReason, needsRestart, parseInput, partialConfig, valueAt } from "./configModel";

const config = {
  server: { listen: "127.0.0.1:8065", shutdown_grace_secs: 10 },
  search: { enabled: true },
  ldap: { enabled: false, directory: { urls: ["ldap://a", "ldap://b"], bind_password: MASK }, group_mappings: [] },
  oidc: { providers: [{ id: "corp", client_secret: MASK }] },
  files: { dir: "" },
};

describe("configuration fields", () => {
  it("flattens the configuration into typed fields by section", () => {
    const fields = flattenConfig(config);
    const kind = (k: string) => fields.find((f) => f.key === k)?.kind;
    expect(kind("server.listen")).toBe("string");
    expect(kind("server.shutdown_grace_secs")).toBe("int");
    expect(kind("search.enabled")).toBe("bool");
    expect(kind("ldap.directory.urls")).toBe("list");
    expect(kind("ldap.directory.bind_password")).toBe("secret");
    expect(kind("oidc.providers")).toBe("json");
    expect(kind("ldap.group_mappings")).toBe("json");
    expect(bySection(fields).map(([s]) => s)).toEqual(["server", "search", "ldap", "oidc", "files"]);
    expect(displayValue(fields.find((f) => f.key === "ldap.directory.urls")!)).toBe("ldap://a\nldap://b");
  });

  it("checks what was typed before the server does", () => {
    expect(parseInput("int", "limits.x", " 42 ")).toEqual({ ok: true, value: 42 });
    expect(parseInput("int", "limits.x", "4.2")).toEqual({ ok: false, error: "limits.x must be a whole number" });
    expect(parseInput("int", "limits.x", "abc").ok).toBe(false);
    expect(parseInput("bool", "search.enabled", "false")).toEqual({ ok: true, value: false });
    expect(parseInput("list", "ldap.directory.urls", "ldap://a, ldap://b\n\nldap://c")).toEqual({
      ok: true,
      value: ["ldap://a", "ldap://b", "ldap://c"],
    });
    expect(parseInput("json", "oidc.providers", "[{")).toMatchObject({ ok: false });
    expect(parseInput("json", "oidc.providers", '[{"id":"x"}]')).toEqual({ ok: true, value: [{ id: "x" }] });
  });

  it("names locks and restart-only keys", () => {
    expect(lockReason("limits.logins_per_minute", ["limits.logins_per_minute"])).toBe(
      "set by the environment variable HEARTH_LIMITS__LOGINS_PER_MINUTE",
    );
    expect(lockReason("server.listen", [], ["server.listen"])).toBe("set by a command-line option");
    expect(lockReason("ldap.directory.bind_password", ["ldap.directory"])).not.toBeNull();
    expect(lockReason("limits.max_json_bytes", ["limits.logins_per_minute"])).toBeNull();
    expect(needsRestart("server.listen", ["server"])).toBe(true);
    expect(needsRestart("serverx.a", ["server"])).toBe(false);
  });

  it("builds partial configurations and reads values", () => {
    expect(partialConfig({ "ldap.directory.urls": ["ldap://x"], "ldap.enabled": true, "mfa.enforce": "all" })).toEqual({
      ldap: { directory: { urls: ["ldap://x"] }, enabled: true },
      mfa: { enforce: "all" },
    });
    expect(valueAt(config, "ldap.directory.urls")).toEqual(["ldap://a", "ldap://b"]);
    expect(valueAt(config, "ldap.nothing.here")).toBeUndefined();
  });
});
