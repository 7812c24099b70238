//! Progress on long work (generating, loading or indexing a large catalog): count, rate
//! and time left on one redrawn line of a terminal, and nothing at all in logs and CI.
//!
//! A [`Progress`] draws only when standard error is a terminal and `CI` is unset, and
//! only once the work has run for half a second, so small catalogs and test runs never
//! show it. It redraws at most ten times a second and ends with one summary line.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long work runs before its progress is first shown.
const SHOW_AFTER: Duration = Duration::from_millis(500);
/// Shortest time between two redraws.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// A progress meter for `total` units of work.
#[derive(Debug)]
pub struct Progress {
    label: &'static str,
    unit: &'static str,
    total: u64,
    done: u64,
    started: Instant,
    last_draw: Option<Instant>,
    enabled: bool,
}

impl Progress {
    /// A meter that draws on standard error when it is a terminal (and `CI` is unset).
    pub fn new(label: &'static str, unit: &'static str, total: u64) -> Progress {
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress {
            label,
            unit,
            total,
            done: 0,
            started: Instant::now(),
            last_draw: None,
            enabled,
        }
    }

    /// A meter that never draws.
    pub fn hidden() -> Progress {
        Progress {
            enabled: false,
            ..Progress::new("", "", 0)
        }
    }

    /// Records `n` more units done.
    pub fn add(&mut self, n: u64) {
        self.done += n;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let elapsed = now - self.started;
        if elapsed < SHOW_AFTER || self.last_draw.is_some_and(|t| now - t < REDRAW_EVERY) {
            return;
        }
        self.last_draw = Some(now);
        let line = render(self.label, self.unit, self.done, self.total, elapsed);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    }

    /// Ends the meter: a summary line when anything was drawn, nothing otherwise.
    pub fn finish(self) {
        if self.enabled && self.last_draw.is_some() {
            let elapsed = self.started.elapsed();
            let mut err = std::io::stderr().lock();
            let _ = writeln!(
                err,
                "\r{}: {} {} in {:.1} s ({}/s)\x1b[K",
                self.label,
                self.done,
                self.unit,
                elapsed.as_secs_f64(),
                rate(self.done, elapsed)
            );
        }
    }
}

/// Units per second, rounded.
fn rate(done: u64, elapsed: Duration) -> u64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        (done as f64 / secs).round() as u64
    } else {
        0
    }
}

/// One progress line: `indexing: 41000/100000 offerings (41%), 20500/s, 3 s left`.
pub fn render(label: &str, unit: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let per_sec = rate(done, elapsed);
    if total == 0 {
        return format!("{label}: {done} {unit}, {per_sec}/s");
    }
    let pct = (done.min(total) * 100) / total;
    let left = if per_sec > 0 {
        format!("{} s left", total.saturating_sub(done).div_ceil(per_sec))
    } else {
        "time left unknown".to_string()
    };
    format!("{label}: {done}/{total} {unit} ({pct}%), {per_sec}/s, {left}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_count_rate_and_time_left() {
        let line = render(
            "indexing",
            "offerings",
            40_000,
            100_000,
            Duration::from_secs(2),
        );
        assert_eq!(
            line,
            "indexing: 40000/100000 offerings (40%), 20000/s, 3 s left"
        );
        assert_eq!(
            render("loading", "files", 3, 0, Duration::from_secs(1)),
            "loading: 3 files, 3/s"
        );
    }

    #[test]
    fn hidden_meter_counts_silently() {
        let mut p = Progress::hidden();
        p.add(5);
        assert_eq!(p.done, 5);
        p.finish();
    }
}
