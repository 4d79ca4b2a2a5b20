// Pure helpers of the sign-in screens and the MFA settings.

/** The `sso_error` code the server's single sign-on callback redirects with, if any. */
export function readSsoError(search: string): string | null {
  const code = new URLSearchParams(search).get("sso_error");
  return code && /^[a-z_.]{1,64}$/.test(code) ? code : null;
}

/** What a failed single sign-on means, for people. */
export function ssoErrorText(code: string): string {
  switch (code) {
    case "auth.login_expired":
      return "The sign-in took too long or was started in another browser. Try again.";
    case "auth.provider_refused":
      return "The sign-in provider refused the sign-in.";
    case "auth.invalid_response":
      return "The sign-in provider's answer could not be verified. Ask an administrator.";
    case "auth.account_disabled":
    case "provisioning.account_disabled":
      return "Your account is deactivated.";
    case "provisioning.email_in_use":
      return "An account with your e-mail already exists. Sign in with its password, or ask an administrator to link it.";
    case "provisioning.email_not_verified":
      return "Your e-mail is not verified by the sign-in provider, and an account with it already exists.";
    case "provisioning.account_email_not_verified":
      return "An account with your e-mail exists, but its address was never verified. Ask an administrator to verify it.";
    case "provisioning.email_domain_not_allowed":
      return "Your e-mail domain may not sign in to this server.";
    case "provisioning.ambiguous_email":
      return "Several accounts share your e-mail. Ask an administrator to link yours.";
    case "provisioning.jit_disabled":
      return "There is no account for you yet. Ask an administrator to create one.";
    default:
      return "Single sign-on failed. Try again or ask an administrator.";
  }
}

/** The provider's login URL, coming back to the current page afterwards. */
export function providerHref(loginUrl: string, returnTo: string): string {
  const safe = returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/";
  return `${loginUrl}?return_to=${encodeURIComponent(safe)}`;
}

/** A TOTP secret in groups of four, easier to type into an app. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(" ");
}

/** Only digits, at most six: what an authenticator app shows. */
export function cleanCode(input: string): string {
  return input.replace(/\D/g, "").slice(0, 6);
}

/** SVG path drawing the dark modules (one unit square each) of a QR matrix. */
export function qrPath(size: number, isDark: (row: number, col: number) => boolean): string {
  const parts: string[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (isDark(r, c)) parts.push(`M${c} ${r}h1v1h-1z`);
    }
  }
  return parts.join("");
}
