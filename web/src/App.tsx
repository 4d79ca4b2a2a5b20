import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { api, getCsrfToken, setAuthFailureHandler } from "./api/client";
import type { ServerInfo } from "./api/types";
import { bootstrap, signOutLocally, startLive } from "./state/actions";
import { useAppState } from "./state/store";
import { parseInvite } from "./state/router";
import { isAdminPath, useLocationPath } from "./state/appPath";
import { SetupScreen, SignInScreen, SignUpScreen } from "./ui/Auth";
import { MainScreen } from "./ui/Main";
import { resetLocationSync } from "./ui/nav/useLocationSync";

// The system console is its own chunk: the chat's first load does not carry it.
const AdminConsole = lazy(() => import("./admin/AdminConsole"));

type Phase = "loading" | "setup" | "signin" | "signup" | "main" | "offline";

export function App() {
  const [info, setInfo] = useState<ServerInfo | null>(null);
  const [phase, setPhase] = useState<Phase>("loading");
  const me = useAppState((s) => s.me);
  // A team invitation in the address (`/?invite=<id>`), read once at load.
  const [invite] = useState(() => parseInvite(location.search));
  const path = useLocationPath();

  const enter = useCallback(async () => {
    // Connect first, then fetch: nothing that happens in between can be missed.
    await startLive();
    await bootstrap();
    setPhase("main");
  }, []);

  const boot = useCallback(async () => {
    setPhase("loading");
    let si: ServerInfo;
    try {
      si = await api.systemInfo();
    } catch {
      setPhase("offline");
      return;
    }
    setInfo(si);
    if (si.needs_setup) return setPhase("setup");
    // Without the CSRF token (kept in this browser's storage) the cookie session cannot write: sign in again.
    // An invitation link opened signed out leads to signup (the main screen accepts it after signing in).
    const signedOut: Phase = invite && si.signup_mode !== "disabled" ? "signup" : "signin";
    // After a single sign-on redirect the cookie session exists but this browser has no
    // CSRF token yet: fetch it (a page of another origin cannot read it).
    if (!getCsrfToken()) await api.fetchCsrfToken().catch(() => undefined);
    if (!getCsrfToken()) return setPhase(signedOut);
    try {
      await enter();
    } catch {
      setPhase(signedOut);
    }
  }, [enter, invite]);

  useEffect(() => {
    void boot();
    setAuthFailureHandler(() => {
      resetLocationSync();
      signOutLocally();
      setPhase("signin");
    });
    return () => setAuthFailureHandler(null);
  }, [boot]);

  // Signed out elsewhere (session revoked event).
  useEffect(() => {
    if (phase === "main" && !me) {
      resetLocationSync();
      setPhase("signin");
    }
  }, [phase, me]);

  switch (phase) {
    case "loading":
      return (
        <div className="center" role="status">
          Loading…
        </div>
      );
    case "offline":
      return (
        <div className="center" role="alert">
          <p>The Hearth server could not be reached.</p>
          <button onClick={() => void boot()}>Try again</button>
        </div>
      );
    case "setup":
      return <SetupScreen onDone={() => void enter().catch(() => setPhase("signin"))} />;
    case "signin":
      return (
        <SignInScreen
          canSignUp={!!info && info.signup_mode !== "disabled"}
          notice={invite ? "Sign in to accept your team invitation." : undefined}
          onSignUp={() => setPhase("signup")}
          onDone={() => void enter().catch(() => setPhase("signin"))}
        />
      );
    case "signup":
      return (
        <SignUpScreen
          inviteOnly={info?.signup_mode === "invite_only"}
          inviteId={invite}
          onSignIn={() => setPhase("signin")}
          onDone={() => void enter().catch(() => setPhase("signin"))}
        />
      );
    case "main":
      if (isAdminPath(path.split("?")[0])) {
        return (
          <Suspense
            fallback={
              <div className="center" role="status">
                Loading the system console…
              </div>
            }
          >
            <AdminConsole />
          </Suspense>
        );
      }
      return <MainScreen info={info} onSignedOut={() => setPhase("signin")} />;
  }
}
