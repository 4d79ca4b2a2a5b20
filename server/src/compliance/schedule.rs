//! The daily schedule: the incremental exports and the retention purge,
//! each queued once per UTC day at its configured time. The day of the last
//! run is stored, so a restart neither skips nor repeats a day's run. A run
//! never seen before (a fresh install, a newly enabled format or purge)
//! starts at its next configured time, not at once.

use std::sync::Weak;
use std::time::Duration;

use hearth_api::{ExportFormat, JobKind};
use hearth_core::{Result, now_millis};
use hearth_store::compliance as cstore;
use tokio_util::sync::CancellationToken;

use super::config::parse_time_of_day;
use crate::state::Ctx;

const DAY_MS: i64 = 86_400_000;

/// Queues what is due every `schedule_check_secs` until `stop` is
/// cancelled (or the server's context is dropped).
pub async fn run(ctx: Weak<Ctx>, stop: CancellationToken) {
    let Some(every) = ctx
        .upgrade()
        .map(|c| Duration::from_secs(c.config().compliance.schedule_check_secs.max(1)))
    else {
        return;
    };
    while !stop.is_cancelled() {
        {
            let Some(ctx) = ctx.upgrade() else { return };
            let r = tokio::task::spawn_blocking(move || tick(&ctx, now_millis())).await;
            match r {
                Ok(Err(e)) => tracing::error!(error = %e, "compliance schedule"),
                Err(e) => tracing::error!(error = %e, "compliance schedule panicked"),
                Ok(Ok(())) => {}
            }
        }
        tokio::select! {
            () = stop.cancelled() => {}
            () = tokio::time::sleep(every) => {}
        }
    }
}

/// The UTC day number of `now` if the daily time `hhmm` has passed, else the day before.
fn due_day(now: i64, hhmm: &str) -> Option<i64> {
    let minutes = i64::from(parse_time_of_day(hhmm)?);
    Some((now - minutes * 60_000).div_euclid(DAY_MS))
}

/// Claims today's run of `key` once: true if this call should queue it.
/// The first call for a key only records `day` as done, so the first run
/// waits for the configured time instead of starting when the server does.
fn claim(ctx: &Ctx, key: &str, day: i64) -> Result<bool> {
    ctx.store.write(|tx| {
        let last = hearth_store::settings::get(tx.conn, key)?.and_then(|v| v.parse::<i64>().ok());
        if last.is_some_and(|l| l >= day) {
            return Ok(false);
        }
        hearth_store::settings::set(tx.conn, key, &day.to_string())?;
        Ok(last.is_some())
    })
}

/// Queues whatever is due at `now`.
pub fn tick(ctx: &Ctx, now: i64) -> Result<()> {
    let cfg = &ctx.config().compliance;
    if !cfg.daily_export_formats.is_empty()
        && let Some(day) = due_day(now, &cfg.daily_export_time)
    {
        for f in cfg
            .daily_export_formats
            .iter()
            .filter_map(|f| ExportFormat::parse(f))
        {
            let key = format!("compliance.daily_export.{}", f.as_str());
            let pending = ctx
                .store
                .read(|c| Ok(cstore::job_pending(c, JobKind::Export, true)?))?;
            if !pending && claim(ctx, &key, day)? {
                super::export::start_daily(ctx, f)?;
            }
        }
    }
    if cfg.purge_enabled
        && let Some(day) = due_day(now, &cfg.purge_time)
    {
        let pending = ctx
            .store
            .read(|c| Ok(cstore::job_pending(c, JobKind::Purge, true)?))?;
        let any_policy = ctx.store.read(|c| Ok(!cstore::policies(c)?.is_empty()))?;
        if !pending && any_policy && claim(ctx, "compliance.daily_purge", day)? {
            super::purge::start(ctx, None)?;
        }
    }
    expire_archives(ctx, now)
}

/// Deletes archives older than `keep_exports_days`; the job stays on record
/// with its hashes, only the download goes.
fn expire_archives(ctx: &Ctx, now: i64) -> Result<()> {
    let days = i64::from(ctx.config().compliance.keep_exports_days);
    if days == 0 {
        return Ok(());
    }
    let cutoff = now - days * DAY_MS;
    let old: Vec<_> = ctx.store.read(|c| {
        Ok(cstore::jobs(c, None, 500)?
            .into_iter()
            .filter(|j| j.file_name.is_some() && j.finished_at.is_some_and(|f| f < cutoff))
            .collect())
    })?;
    for mut job in old {
        let path = super::jobs::final_path(ctx, &job.id);
        if let Err(e) = std::fs::remove_file(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(job = %job.id, error = %e, "expired export archive not removed");
            continue;
        }
        job.file_name = None;
        ctx.store.write(|tx| {
            cstore::save_job(tx.conn, &job)?;
            crate::services::audit::record(
                tx,
                None,
                "compliance.export.expired",
                "compliance_job",
                Some(job.id.clone()),
                serde_json::json!({ "file_sha256": job.file_sha256 }),
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::due_day;

    #[test]
    fn a_run_is_due_from_its_time_of_day() {
        let day = 20_000i64;
        let at = |h: i64, m: i64| day * 86_400_000 + (h * 60 + m) * 60_000;
        assert_eq!(due_day(at(0, 59), "01:00"), Some(day - 1));
        assert_eq!(due_day(at(1, 0), "01:00"), Some(day));
        assert_eq!(due_day(at(23, 59), "01:00"), Some(day));
        assert_eq!(due_day(at(1, 0), "25:00"), None);
    }
}
