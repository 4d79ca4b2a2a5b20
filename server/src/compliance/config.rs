//! `[compliance]`: when the daily jobs run and how gently they go.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComplianceConfig {
    /// Formats of the daily incremental export (`actiance`, `global_relay`,
    /// `csv`); empty switches the daily export off. Each format keeps its own
    /// cursor, so every record lands in exactly one daily file per format.
    pub daily_export_formats: Vec<String>,
    /// Time of day (`HH:MM`, UTC) the daily export starts. A format's first
    /// run waits for this time; a newly started server never runs it at once.
    pub daily_export_time: String,
    /// Run the retention purge every day (it deletes nothing while every
    /// policy keeps forever).
    pub purge_enabled: bool,
    /// Time of day (`HH:MM`, UTC) the daily purge starts. The first purge
    /// waits for this time; a newly started server never runs it at once.
    pub purge_time: String,
    /// Posts and files deleted per transaction: small batches keep each
    /// write short (a few milliseconds) so chat is never stalled behind a
    /// purge; larger ones purge faster but hold up posting longer.
    pub purge_batch_size: usize,
    /// Milliseconds to pause between purge batches.
    pub purge_batch_pause_ms: u64,
    /// Records per export batch (one Actiance file, one CSV part...); bounds
    /// the memory an export uses.
    pub export_batch_size: usize,
    /// Milliseconds to pause after each page an export reads.
    pub export_page_pause_ms: u64,
    /// A scheduled export stops this many seconds before its start time,
    /// leaving records still being written to the next run.
    pub late_commit_margin_secs: u64,
    /// Keep finished export archives for this many days (0 keeps them).
    pub keep_exports_days: u32,
    /// Seconds between checks whether a daily run is due.
    pub schedule_check_secs: u64,
}

impl Default for ComplianceConfig {
    fn default() -> Self {
        ComplianceConfig {
            daily_export_formats: Vec::new(),
            daily_export_time: "01:00".into(),
            purge_enabled: true,
            purge_time: "02:00".into(),
            purge_batch_size: 100,
            purge_batch_pause_ms: 20,
            export_batch_size: 1000,
            export_page_pause_ms: 0,
            late_commit_margin_secs: 300,
            keep_exports_days: 30,
            schedule_check_secs: 30,
        }
    }
}

/// Minutes after midnight for `HH:MM`.
pub fn parse_time_of_day(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

impl ComplianceConfig {
    /// Checks the fields a typo could break, naming the key.
    pub fn validate(&self) -> Result<(), String> {
        for f in &self.daily_export_formats {
            if hearth_api::ExportFormat::parse(f).is_none() {
                return Err(format!(
                    "compliance.daily_export_formats: unknown format {f:?} (actiance, global_relay, csv)"
                ));
            }
        }
        for (key, v) in [
            ("compliance.daily_export_time", &self.daily_export_time),
            ("compliance.purge_time", &self.purge_time),
        ] {
            if parse_time_of_day(v).is_none() {
                return Err(format!("{key}: expected HH:MM (UTC), got {v:?}"));
            }
        }
        if self.purge_batch_size == 0 || self.purge_batch_size > 10_000 {
            return Err("compliance.purge_batch_size: must be 1 to 10000".into());
        }
        if self.schedule_check_secs == 0 {
            return Err("compliance.schedule_check_secs: must be at least 1".into());
        }
        if self.export_batch_size == 0 || self.export_batch_size > 100_000 {
            return Err("compliance.export_batch_size: must be 1 to 100000".into());
        }
        Ok(())
    }
}
