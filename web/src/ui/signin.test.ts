import { describe, expect, it } from "vitest";
import { isMfaChallenge } from "../api/client";
import type { LoginOutcome } from "../api/types";
import { cleanCode, groupSecret, providerHref, qrPath, readSsoError, ssoErrorText } from "./signin";

describe("sign-in helpers", () => {
  it("tells an MFA challenge from a session", () => {
    const challenge: LoginOutcome = { mfa_required: true, mfa_token: "t", enrolment_required: false, expires_at: 1 };
    const session = { user: {}, token: "x", csrf_token: "c", session_id: "s" } as unknown as LoginOutcome;
    expect(isMfaChallenge(challenge)).toBe(true);
    expect(isMfaChallenge(session)).toBe(false);
  });

  it("reads only well-formed sso_error codes", () => {
    expect(readSsoError("?sso_error=provisioning.email_in_use")).toBe("provisioning.email_in_use");
    expect(readSsoError("?sso_error=%3Cscript%3E")).toBeNull();
    expect(readSsoError("")).toBeNull();
    expect(ssoErrorText("provisioning.email_in_use")).toMatch(/already exists/);
    expect(ssoErrorText("something.else")).toMatch(/failed/);
  });

  it("keeps return_to on this server", () => {
    expect(providerHref("/api/v1/oauth/corp/login", "/team/x")).toBe("/api/v1/oauth/corp/login?return_to=%2Fteam%2Fx");
    expect(providerHref("/api/v1/oauth/corp/login", "//evil.example")).toBe("/api/v1/oauth/corp/login?return_to=%2F");
  });

  it("formats secrets and codes", () => {
    expect(groupSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
    expect(cleanCode(" 12-34 567 ")).toBe("123456");
  });

  it("draws dark modules only", () => {
    expect(qrPath(2, (r, c) => r === c)).toBe("M0 0h1v1h-1zM1 1h1v1h-1z");
    expect(qrPath(2, () => false)).toBe("");
  });
});
