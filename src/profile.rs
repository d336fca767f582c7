//! Stage timings for profiling a build: with `DOCSITE_PROFILE` set in the environment,
//! each stage of the build prints, to standard error, the time since the build started, the
//! process's CPU time so far (user and system) and its resident and peak memory (from
//! `/proc/self/stat` and `/proc/self/status`, so Linux only; elsewhere those columns read
//! 0). Unset, each call is one environment look-up.
//! `bench/README.md` shows what it printed for the 10,000-event benchmark.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

static START: Mutex<Option<Instant>> = Mutex::new(None);

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("DOCSITE_PROFILE").is_some())
}

/// Starts the clock for a build (`serve` builds many times in one process).
pub(crate) fn start() {
    if enabled() {
        *crate::sync::lock(&START) = Some(Instant::now());
        stage("start");
    }
}

/// Marks the end of stage `name`.
pub(crate) fn stage(name: &str) {
    if !enabled() {
        return;
    }
    let start = *crate::sync::lock(&START);
    let ms = start.map_or(0, |t| t.elapsed().as_millis());
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kib| kib.parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    let (user, sys) = cpu_ms();
    eprintln!(
        "profile: {name:<9} {ms:>6} ms  cpu {user:>6} + {sys:>5} ms  rss {:>5} MiB  peak {:>5} MiB",
        mib("VmRSS:"),
        mib("VmHWM:")
    );
}

/// The process's user and system CPU time so far, in ms (`utime` and `stime` of
/// `/proc/self/stat`, in ticks of 1/100 s, the kernel's `USER_HZ` on Linux).
fn cpu_ms() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let field = |n: usize| -> u64 {
        rest.split_whitespace()
            .nth(n)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    // After `)`: state is field 3 of stat(5), so utime (14) and stime (15) are 11 and 12.
    (field(11) * 10, field(12) * 10)
}
