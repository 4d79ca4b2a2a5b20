// System roles as the console shows and offers them. The compliance officer
// role is granted and removed only by the operator on the server's host
// (over the local administration socket), so the console never offers a
// change to or from it: those options are shown, disabled, with the reason.
import type { Role } from "../api/types";

export const ROLE_NAMES: Record<Role, string> = {
  system_admin: "System admin",
  compliance_officer: "Compliance officer",
  user: "User",
  guest: "Guest",
};

export const OFFICER_ON_HOST =
  "The compliance officer role is set and removed only on the server's host: hearthctl --local user role USER ROLE.";

export interface RoleChoice {
  role: Role;
  label: string;
  /** Not selectable from the console (the server would refuse it). */
  disabled: boolean;
}

/** The roles offered for an account whose role is `current`. */
export function roleChoices(current: Role): RoleChoice[] {
  const officer = current === "compliance_officer";
  return (Object.keys(ROLE_NAMES) as Role[]).map((role) => ({
    role,
    label: ROLE_NAMES[role],
    disabled: role !== current && (officer || role === "compliance_officer"),
  }));
}

/** Whether the console can change this account's role at all. */
export const roleChangeable = (current: Role) => current !== "compliance_officer";
