//! The server's memory as the kernel reports it (`/proc/PID/status`).

/// Resident and peak-resident memory in KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rss {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

/// Reads VmRSS and VmHWM of `pid`; `None` if the process or fields are gone.
pub fn read(pid: u32) -> Option<Rss> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse(&text)
}

/// Parses the `VmRSS:` and `VmHWM:` lines of a `/proc/PID/status` text.
pub fn parse(status: &str) -> Option<Rss> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some(Rss {
        rss_kib: field("VmRSS:")?,
        hwm_kib: field("VmHWM:").unwrap_or(0),
    })
}

/// KiB as MiB with one decimal, for the human report.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_status() {
        let s = "Name:\thearth\nVmPeak:\t  900 kB\nVmHWM:\t    5120 kB\nVmRSS:\t    4096 kB\n";
        assert_eq!(
            parse(s),
            Some(Rss {
                rss_kib: 4096,
                hwm_kib: 5120
            })
        );
        assert_eq!(parse("Name:\tx\n"), None);
        assert_eq!(mib(1536), "1.5 MiB");
    }

    #[test]
    fn reads_own_process() {
        let me = read(std::process::id()).expect("own /proc status");
        assert!(me.rss_kib > 0);
    }
}
