/** The time now in another person's time zone ("14:05" or "2:05 PM"), or null for an unknown zone. */
export function localTime(timeZone: string, now: Date, clock24: boolean): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", minute: "2-digit", hour12: !clock24 }).format(now).toUpperCase();
  } catch {
    return null;
  }
}

/** Hours between their zone and ours at `now` (positive: they are ahead), or null. */
export function zoneOffsetHours(timeZone: string, now: Date): number | null {
  try {
    const at = (tz?: string) => {
      const p = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      }).formatToParts(now);
      const get = (t: string) => Number(p.find((x) => x.type === t)?.value);
      return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
    };
    return Math.round(((at(timeZone) - at(undefined)) / 3_600_000) * 2) / 2;
  } catch {
    return null;
  }
}
