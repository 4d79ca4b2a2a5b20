// A user's picture, or their initials on a colour derived from their id.
import type { CSSProperties } from "react";
import type { Id, User } from "../../api/types";
import { avatarHue, initials } from "./format";

export function Avatar({ userId, user, size = 36 }: { userId: Id; user: User | undefined; size?: number }) {
  if (user?.has_avatar) {
    return (
      <img
        className="avatar"
        src={`/api/v1/users/${userId}/avatar?v=${user.updated_at}`}
        alt=""
        width={size}
        height={size}
        loading="lazy"
        decoding="async"
      />
    );
  }
  const style = { "--avatar-hue": avatarHue(userId), width: size, height: size, fontSize: size * 0.4 } as CSSProperties;
  return (
    <span className="avatar avatar-initials" style={style} aria-hidden="true">
      {initials(user)}
    </span>
  );
}

/** Where to anchor a user card: the click point, or the element when activated from the keyboard. */
export function cardPoint(e: { detail: number; clientX: number; clientY: number; currentTarget: Element }): { x: number; y: number } {
  if (e.detail > 0 && (e.clientX || e.clientY)) return { x: e.clientX, y: e.clientY };
  const r = e.currentTarget.getBoundingClientRect();
  return { x: r.left, y: r.bottom };
}
