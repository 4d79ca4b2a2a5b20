import { describe, expect, it } from "vitest";
import { roleChangeable, roleChoices } from "./roles";

const offered = (current: Parameters<typeof roleChoices>[0]) =>
  roleChoices(current)
    .filter((c) => !c.disabled)
    .map((c) => c.role);

describe("role choices", () => {
  it("never offers the compliance officer role to an admin", () => {
    for (const current of ["system_admin", "user", "guest"] as const) {
      expect(offered(current)).not.toContain("compliance_officer");
      expect(offered(current)).toContain(current);
      expect(roleChangeable(current)).toBe(true);
    }
    expect(offered("user")).toEqual(["system_admin", "user", "guest"]);
  });

  it("shows an officer as an officer, with nothing else to pick", () => {
    const choices = roleChoices("compliance_officer");
    expect(choices.map((c) => c.role)).toEqual(["system_admin", "compliance_officer", "user", "guest"]);
    expect(offered("compliance_officer")).toEqual(["compliance_officer"]);
    expect(roleChangeable("compliance_officer")).toBe(false);
  });
});
