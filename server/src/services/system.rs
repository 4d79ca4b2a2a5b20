//! The server's state at a glance for the system console and `hearthctl`.

use hearth_api::{DatabaseStatus, DayCount, PostStats, SessionCounts, SystemStatus, UserCounts};
use hearth_core::{Result, now_millis};
use hearth_store::{Backend, stats};

use crate::state::Ctx;

/// Days of the posts-per-day series, today included.
pub const DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// Gathers the dashboard's figures (blocking: run it on the blocking pool).
pub fn status(ctx: &Ctx) -> Result<SystemStatus> {
    let now = now_millis();
    let today = now.div_euclid(DAY_MS);
    let first_day = today - (DAYS - 1);
    let ok = ctx.store.ping();
    let (users, sessions, teams, channels, total_posts, days, size) = ctx.store.read(|c| {
        let users = stats::user_counts(c)?;
        let sessions = stats::live_sessions(c, hearth_api::SessionKind::Session, now)?;
        let teams = stats::team_count(c)?;
        let channels = stats::channel_count(c)?;
        let posts = stats::post_count(c)?;
        let days = stats::posts_per_day(c, first_day * DAY_MS)?;
        // The size is a nicety: a backend that refuses to tell is no failure.
        let size = stats::database_size(c).ok();
        Ok((users, sessions, teams, channels, posts, days, size))
    })?;
    let (total, active, bots) = users;
    let search = match &ctx.search {
        Some(s) => Some(s.status()?),
        None => None,
    };
    let ldap = ctx
        .config()
        .ldap
        .directory
        .is_some()
        .then(|| crate::signin::ldap_status(ctx));
    Ok(SystemStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        started_at: ctx.started_at,
        uptime_secs: u64::try_from((now - ctx.started_at) / 1000).unwrap_or(0),
        database: DatabaseStatus {
            backend: match ctx.store.backend() {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            }
            .into(),
            ok,
            size_bytes: size.and_then(|s| u64::try_from(s).ok()),
        },
        users: UserCounts {
            total: count(total),
            active: count(active),
            deactivated: count(total - active),
            bots: count(bots),
        },
        sessions: SessionCounts {
            active: count(sessions),
        },
        teams: count(teams),
        channels: count(channels),
        posts: PostStats {
            total: count(total_posts),
            per_day: per_day(first_day, &days),
        },
        search,
        ldap,
        jobs: Vec::new(),
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// [`DAYS`] entries from `first_day` (days since the epoch), zero-filled.
pub fn per_day(first_day: i64, counts: &[(i64, i64)]) -> Vec<DayCount> {
    (first_day..first_day + DAYS)
        .map(|d| DayCount {
            day: iso_day(d),
            count: counts
                .iter()
                .filter(|(day, _)| *day == d)
                .map(|(_, n)| count(*n))
                .sum(),
        })
        .collect()
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (civil-from-days, proleptic Gregorian).
pub fn iso_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_and_zero_filled() {
        assert_eq!(iso_day(0), "1970-01-01");
        assert_eq!(iso_day(19_723), "2024-01-01");
        assert_eq!(iso_day(19_782), "2024-02-29");
        assert_eq!(iso_day(20_417), "2025-11-25");
        let series = per_day(100, &[(129, 4), (100, 1), (50, 9)]);
        assert_eq!(series.len(), 30);
        assert_eq!(series[0].count, 1);
        assert_eq!(series[29].count, 4);
        assert_eq!(series.iter().map(|d| d.count).sum::<u64>(), 5);
    }
}
