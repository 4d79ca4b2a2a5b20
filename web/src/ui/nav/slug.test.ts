import { describe, expect, it } from "vitest";
import { slug } from "./slug";

describe("slug", () => {
  it("lowercases, drops accents and joins words with dashes", () => {
    expect(slug("  My Team! ")).toBe("my-team");
    expect(slug("Café Crème")).toBe("cafe-creme");
    expect(slug("a--b__c")).toBe("a-b-c");
  });
  it("stays within 64 characters without a trailing dash", () => {
    const s = slug("x".repeat(63) + " yz");
    expect(s.length).toBeLessThanOrEqual(64);
    expect(s.endsWith("-")).toBe(false);
  });
});
