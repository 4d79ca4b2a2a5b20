//! UTC calendar formatting for export files, without a time-zone database:
//! compliance formats are all UTC.

use crate::model::Millis;

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

/// Splits epoch milliseconds into calendar fields (proleptic Gregorian).
pub fn civil(ms: Millis) -> Civil {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000) as u32;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Days-to-civil conversion after H. Hinnant's public-domain algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: (sod / 3600) as u32,
        minute: ((sod % 3600) / 60) as u32,
        second: (sod % 60) as u32,
        millis,
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// ISO 8601 / RFC 3339 with milliseconds: `2026-11-25T18:04:42.123Z`.
pub fn iso8601(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
    )
}

/// The UTC day, `2026-11-25`; EML files hold one conversation day each.
pub fn day(ms: Millis) -> String {
    let c = civil(ms);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

/// RFC 5322 date: `Wed, 25 Nov 2026 18:04:42 +0000`.
pub fn rfc5322(ms: Millis) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(ms);
    let wd = DAYS.get(c.weekday as usize).copied().unwrap_or("Sun");
    let mon = MONTHS
        .get(c.month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("Jan");
    format!(
        "{wd}, {:02} {mon} {:04} {:02}:{:02}:{:02} +0000",
        c.day, c.year, c.hour, c.minute, c.second
    )
}

/// Short human form used in message bodies: `2026-11-25 18:04:42 UTC`.
pub fn human(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc5322(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(iso8601(1_795_629_882_123), "2026-11-25T18:04:42.123Z");
        assert_eq!(rfc5322(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59.999Z");
        // Extremes must not panic.
        let _ = iso8601(i64::MAX);
        let _ = rfc5322(i64::MIN);
    }
}
