//! Counters for operators, in the Prometheus text format (served at `/metrics` on the
//! web port): calls per RPC and outcome, their total duration, and calls shed.
//!
//! Labels are fixed names (RPC, status code), never anything a caller sent.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Default, Clone, Copy)]
struct Tally {
    calls: u64,
    micros: u64,
}

/// Call counters.
#[derive(Default)]
pub struct Metrics {
    calls: Mutex<BTreeMap<(&'static str, &'static str), Tally>>,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    /// Counts one call of `rpc` that ended with `code` after `took`.
    pub fn record(&self, rpc: &'static str, code: &'static str, took: Duration) {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        let tally = calls.entry((rpc, code)).or_default();
        tally.calls += 1;
        tally.micros += took.as_micros() as u64;
    }

    /// Counts one refusal outside a call's handler: a wrong or missing token, an
    /// undecodable message, a connection over the limit or closed as idle.
    pub fn refusal(&self, kind: &'static str) {
        let mut refusals = self.refusals.lock().unwrap_or_else(|e| e.into_inner());
        *refusals.entry(kind).or_default() += 1;
    }

    /// The counters in the Prometheus text format.
    pub fn render(&self, shed: u64, offerings: usize, live_changes: usize) -> String {
        let calls = self.calls.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut out = String::new();
        out.push_str("# HELP wegwijzer_calls_total Calls by RPC and status code.\n");
        out.push_str("# TYPE wegwijzer_calls_total counter\n");
        for ((rpc, code), t) in &calls {
            let _ = writeln!(
                out,
                "wegwijzer_calls_total{{rpc=\"{rpc}\",code=\"{code}\"}} {}",
                t.calls
            );
        }
        out.push_str(
            "# HELP wegwijzer_call_seconds_total Time spent in calls by RPC and status code.\n",
        );
        out.push_str("# TYPE wegwijzer_call_seconds_total counter\n");
        for ((rpc, code), t) in &calls {
            let _ = writeln!(
                out,
                "wegwijzer_call_seconds_total{{rpc=\"{rpc}\",code=\"{code}\"}} {:.6}",
                t.micros as f64 / 1e6
            );
        }
        let _ = write!(
            out,
            "# HELP wegwijzer_shed_total Calls refused because the server was busy.\n\
             # TYPE wegwijzer_shed_total counter\nwegwijzer_shed_total {shed}\n\
             # HELP wegwijzer_offerings Offerings served.\n# TYPE wegwijzer_offerings gauge\n\
             wegwijzer_offerings {offerings}\n\
             # HELP wegwijzer_live_changes Live changes on top of the catalog files.\n\
             # TYPE wegwijzer_live_changes gauge\nwegwijzer_live_changes {live_changes}\n"
        );
        let refusals = self
            .refusals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        out.push_str(
            "# HELP wegwijzer_refusals_total Requests and connections refused outside a \
             call: authentication, undecodable messages, connection limits, idle timeouts.\n\
             # TYPE wegwijzer_refusals_total counter\n",
        );
        for (kind, n) in &refusals {
            let _ = writeln!(out, "wegwijzer_refusals_total{{kind=\"{kind}\"}} {n}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_per_rpc_and_code() {
        let m = Metrics::default();
        m.record("Search", "OK", Duration::from_micros(300));
        m.record("Search", "OK", Duration::from_micros(200));
        m.record("Match", "INVALID_ARGUMENT", Duration::from_micros(10));
        let text = m.render(3, 101, 2);
        assert!(
            text.contains("wegwijzer_calls_total{rpc=\"Search\",code=\"OK\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("wegwijzer_call_seconds_total{rpc=\"Search\",code=\"OK\"} 0.000500\n")
        );
        assert!(text.contains("wegwijzer_calls_total{rpc=\"Match\",code=\"INVALID_ARGUMENT\"} 1\n"));
        assert!(text.contains("wegwijzer_shed_total 3\n"));
        assert!(text.contains("wegwijzer_offerings 101\n"));
    }
}
