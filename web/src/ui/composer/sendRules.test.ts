import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { post } from "../../state/fixtures";
import { autoRetryPlan, charCount, lastOwnPost, sendErrorText } from "./sendRules";

describe("sendErrorText", () => {
  it("names each common failure clearly", () => {
    expect(sendErrorText(new ApiError(403, "channel_archived", "archived"), 100)).toMatch(/archived/);
    expect(sendErrorText(new ApiError(429, "rate_limited", "slow", 12), 100)).toBe("You are posting too fast. Wait 12 s, then retry.");
    expect(sendErrorText(new ApiError(429, "rate_limited", "slow", 12), 100, true)).toBe("You are posting too fast: it will be resent in 12 s.");
    expect(sendErrorText(new ApiError(413, "payload_too_large", "big"), 16383)).toBe("The message is too long (at most 16,383 characters).");
    expect(sendErrorText(new ApiError(400, "invalid_input", "message is too long"), 10)).toMatch(/too long/);
    expect(sendErrorText(new ApiError(0, "network_error", "down"), 10)).toMatch(/could not be reached/);
    expect(sendErrorText(new ApiError(0, "network_error", "down"), 10, true)).toMatch(/resent when the connection is back/);
    expect(sendErrorText(new Error("x"), 10)).toBe("The message could not be sent.");
  });
});

describe("autoRetryPlan", () => {
  it("waits for Retry-After or for the network, never for other errors", () => {
    expect(autoRetryPlan(new ApiError(429, "rate_limited", "", 3))).toEqual({ after: "delay", ms: 3000 });
    expect(autoRetryPlan(new ApiError(0, "network_error", ""))).toEqual({ after: "online" });
    expect(autoRetryPlan(new ApiError(403, "channel_archived", ""))).toBeNull();
    expect(autoRetryPlan(new Error("x"))).toBeNull();
  });
});

describe("lastOwnPost", () => {
  const posts = [
    post("1", { user_id: "me" }),
    post("2", { user_id: "me", root_id: "1" }),
    post("3", { user_id: "other" }),
    post("4", { user_id: "me", deleted_at: 9 }),
    post("5", { user_id: "other", root_id: "1" }),
  ];
  it("picks my newest root post in the channel, skipping deleted ones and replies", () => {
    expect(lastOwnPost(posts, "me", null)?.id).toBe("1");
  });
  it("picks my newest post within the thread, the root included", () => {
    expect(lastOwnPost(posts, "me", "1")?.id).toBe("2");
    expect(lastOwnPost([posts[0], posts[4]], "me", "1")?.id).toBe("1");
    expect(lastOwnPost(posts, "nobody", null)).toBeNull();
  });
});

describe("charCount", () => {
  it("counts code points like the server", () => {
    expect(charCount("héllo 👍")).toBe(7);
  });
});
