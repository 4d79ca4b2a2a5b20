//! `hearth-load`: the benchmark instrument for a Hearth server.
//!
//! Sets up users, channels and one WebSocket per user, posts at a fixed
//! rate and measures how fast and how completely each `posted` event
//! reaches every member, plus the server's memory. Talks only to `--url`.

mod report;
mod rss;
mod run;
mod setup;
mod stats;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

/// Command-line settings; every count and time is bounded by `validate`.
#[derive(Debug, Parser)]
#[command(
    name = "hearth-load",
    version,
    about,
    after_help = "Exit status: 0 when every delivery arrived once and nothing failed, \
                  3 when the report shows problems, 1 when setup failed, 2 on bad arguments."
)]
pub struct Args {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8065")]
    pub url: String,
    /// Users to create, each with one WebSocket.
    #[arg(long, default_value_t = 1000)]
    pub users: usize,
    /// Public channels to create.
    #[arg(long, default_value_t = 50)]
    pub channels: usize,
    /// Members of each channel (users are spread round-robin).
    #[arg(long, default_value_t = 100)]
    pub members_per_channel: usize,
    /// Posts per second, spread over channels and authors.
    #[arg(long, default_value_t = 200.0)]
    pub rate: f64,
    /// Seconds of measured posting.
    #[arg(long, default_value_t = 60)]
    pub duration: u64,
    /// Seconds of posting before measuring starts (posts sent, not counted).
    #[arg(long, default_value_t = 5)]
    pub warmup: u64,
    /// Seconds to wait with all connections open before the idle RSS reading.
    #[arg(long, default_value_t = 15)]
    pub settle: u64,
    /// Seconds to wait after the last post before counting lost deliveries.
    #[arg(long, default_value_t = 5)]
    pub drain: u64,
    /// Username of the system admin (created if the server needs setup).
    #[arg(long, default_value = "admin", env = "LOAD_ADMIN_LOGIN")]
    pub admin_login: String,
    /// Password of the system admin.
    #[arg(long, env = "LOAD_ADMIN_PASSWORD")]
    pub admin_password: String,
    /// Setup token printed by the server at first start, to create the admin.
    #[arg(long, env = "LOAD_SETUP_TOKEN")]
    pub setup_token: Option<String>,
    /// Password of the generated users.
    #[arg(long, default_value = "load-password-1")]
    pub password: String,
    /// Parallel requests during setup.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Posts in flight at most; ticks beyond it are skipped and reported.
    #[arg(long, default_value_t = 1000)]
    pub max_in_flight: usize,
    /// Server process id, to report its resident memory.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// No progress lines on stderr.
    #[arg(long)]
    pub quiet: bool,
}

impl Args {
    fn validate(&self) -> Result<(), String> {
        let check = |ok: bool, msg: &str| if ok { Ok(()) } else { Err(msg.to_string()) };
        check(
            (1..=100_000).contains(&self.users),
            "--users must be 1..=100000",
        )?;
        check(
            (1..=10_000).contains(&self.channels),
            "--channels must be 1..=10000",
        )?;
        check(
            (1..=self.users).contains(&self.members_per_channel),
            "--members-per-channel must be 1..=--users",
        )?;
        check(
            self.rate > 0.0 && self.rate <= 100_000.0,
            "--rate must be in (0, 100000]",
        )?;
        check(
            (1..=3600).contains(&self.duration),
            "--duration must be 1..=3600",
        )?;
        check(
            self.warmup <= 600 && self.drain <= 600 && self.settle <= 600,
            "--warmup, --drain and --settle must be <= 600",
        )?;
        check(
            (1..=1024).contains(&self.concurrency),
            "--concurrency must be 1..=1024",
        )?;
        check(self.max_in_flight >= 1, "--max-in-flight must be >= 1")
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(e) = args.validate() {
        eprintln!("hearth-load: {e}");
        return ExitCode::from(2);
    }
    let world = match setup::build(&args).await {
        Ok(w) => w,
        Err(e) => {
            eprintln!("hearth-load: setup failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rss_before_ws = args.server_pid.and_then(rss::read);
    let (conns, connect_errors) = setup::connect_all(&args, &world).await;
    // Let the server settle (blocking threads from setup retire after 10 s
    // idle) before the idle reading.
    tokio::time::sleep(Duration::from_secs(args.settle)).await;
    let rss_idle = args.server_pid.and_then(rss::read);
    if !args.quiet {
        eprintln!(
            "[run] posting {} posts/s for {}s + {}s warm-up",
            args.rate, args.duration, args.warmup
        );
    }
    let user_channels = world.user_channels();
    let params = run::Params {
        rate: args.rate,
        warmup: Duration::from_secs(args.warmup),
        duration: Duration::from_secs(args.duration),
        drain: Duration::from_secs(args.drain),
        max_in_flight: args.max_in_flight,
        server_pid: args.server_pid,
    };
    let outcome = run::run(&world, conns, &params).await;
    let report = report::Report::new(
        &args,
        &world.runid,
        &user_channels,
        &outcome,
        connect_errors,
        [rss_before_ws, rss_idle, outcome.rss_peak, outcome.rss_end],
    );
    if args.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    if report.healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}
