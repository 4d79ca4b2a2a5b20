import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { errorText, signinErrorText } from "./errors";

describe("error lines", () => {
  const holdTaken = new ApiError(409, "conflict", "a legal hold named \"Q3 audit\" already exists");

  it("say what clashed outside the sign-in screens", () => {
    expect(errorText(holdTaken)).toBe("a legal hold named \"Q3 audit\" already exists");
    expect(errorText(holdTaken)).not.toMatch(/username or e-mail/);
  });

  it("keep the sign-in wording on the sign-in screens", () => {
    expect(signinErrorText(holdTaken)).toBe("That username or e-mail is already taken.");
    expect(signinErrorText(new ApiError(401, "invalid_credentials", "x"))).toMatch(/Wrong username/);
    expect(signinErrorText(new ApiError(429, "rate_limited", "x", 5))).toMatch(/in 5 s/);
  });
});
