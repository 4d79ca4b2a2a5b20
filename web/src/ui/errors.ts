// What a failed request means, for people: one wording for the sign-in
// screens, where a conflict can only be a taken username or e-mail, and one
// for everything else, where the server's own message names what clashed.
import { ApiError } from "../api/client";

/** Any screen's error line: the server's message unless a code says more. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case "rate_limited":
        return `Too many attempts. Try again${e.retryAfter ? ` in ${e.retryAfter} s` : " later"}.`;
      case "session_expired":
        return "The sign-in took too long. Start again.";
      default:
        return e.message;
    }
  }
  return "Something went wrong.";
}

/** The sign-in, sign-up and first-admin forms' error line. */
export function signinErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case "invalid_credentials":
        return "Wrong username or password.";
      case "setup_token_invalid":
        return "The setup token is wrong. It is printed in the server log at first start.";
      case "conflict":
        return "That username or e-mail is already taken.";
      case "signup_disabled":
        return "Signup is closed on this server, or needs a valid invitation.";
      case "account_inactive":
        return "This account is deactivated.";
    }
  }
  return errorText(e);
}
