// Resolves `@username` mentions to users: from the users already known, else
// GET /users/by-username (once per name per session).
import { api } from "../../api/client";
import type { User } from "../../api/types";
import { store } from "../../state/store";

const asked = new Map<string, Promise<User | null>>();

export function userByUsername(username: string): Promise<User | null> {
  const name = username.toLowerCase();
  const known = Object.values(store.getState().users).find((u) => u.username.toLowerCase() === name);
  if (known) return Promise.resolve(known);
  let p = asked.get(name);
  if (!p) {
    p = api.userByUsername(name).then(
      (u) => {
        store.dispatch({ type: "users_loaded", users: [u] });
        return u;
      },
      () => null,
    );
    asked.set(name, p);
  }
  return p;
}
