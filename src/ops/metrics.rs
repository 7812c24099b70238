//! Metrics for operators in the Prometheus text format (served at `/metrics`), kept with
//! `prometheus-client`: calls per RPC and outcome with a latency histogram per RPC,
//! calls shed, refusals outside a call, and the size of the catalog being served.
//!
//! Labels are fixed names (RPC or route, status code, refusal kind), never anything a
//! caller sent.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    rpc: &'static str,
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RpcLabels {
    rpc: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RefusalLabels {
    kind: &'static str,
}

type Latency = Family<RpcLabels, Histogram, fn() -> Histogram>;

/// Latency buckets: 50 µs doubling to about 1.6 s.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    seconds: Latency,
    refusals: Family<RefusalLabels, Counter>,
    shed: Counter,
    offerings: Gauge,
    live_changes: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("wegwijzer");
        let calls = Family::<CallLabels, Counter>::default();
        let seconds: Latency = Family::new_with_constructor(latency);
        let refusals = Family::<RefusalLabels, Counter>::default();
        let (shed, offerings, live_changes) =
            (Counter::default(), Gauge::default(), Gauge::default());
        registry.register("calls", "Calls by RPC and status code", calls.clone());
        registry.register(
            "call_seconds",
            "Call latency by RPC, from request to answer",
            seconds.clone(),
        );
        registry.register(
            "shed",
            "Calls refused because the server was busy",
            shed.clone(),
        );
        registry.register(
            "refusals",
            "Requests and connections refused outside a call: authentication, undecodable \
             messages, connection limits, idle timeouts",
            refusals.clone(),
        );
        registry.register("offerings", "Offerings served", offerings.clone());
        registry.register(
            "live_changes",
            "Live changes on top of the catalog files",
            live_changes.clone(),
        );
        Metrics {
            registry,
            calls,
            seconds,
            refusals,
            shed,
            offerings,
            live_changes,
        }
    }
}

impl Metrics {
    /// Counts one call of `rpc` that ended with `code` after `took`.
    pub fn record(&self, rpc: &'static str, code: &'static str, took: Duration) {
        self.calls.get_or_create(&CallLabels { rpc, code }).inc();
        self.seconds
            .get_or_create(&RpcLabels { rpc })
            .observe(took.as_secs_f64());
    }

    /// Counts one call refused because every slot was taken.
    pub fn shed(&self) {
        self.shed.inc();
    }

    /// Calls shed since start.
    pub fn shed_total(&self) -> u64 {
        self.shed.get()
    }

    /// Counts one refusal outside a call's handler: a wrong or missing token, an
    /// undecodable message, a connection over the limit or closed as idle.
    pub fn refusal(&self, kind: &'static str) {
        self.refusals.get_or_create(&RefusalLabels { kind }).inc();
    }

    /// Everything in the Prometheus text format, with the catalog's current size.
    pub fn render(&self, offerings: usize, live_changes: usize) -> String {
        self.offerings.set(offerings as i64);
        self.live_changes.set(live_changes as i64);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String never fails");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_latency_per_rpc() {
        let m = Metrics::default();
        m.record("Search", "OK", Duration::from_micros(300));
        m.record("Search", "OK", Duration::from_micros(200));
        m.record("Match", "INVALID_ARGUMENT", Duration::from_micros(10));
        m.shed();
        m.refusal("token_wrong");
        let text = m.render(101, 2);
        assert!(
            text.contains("wegwijzer_calls_total{rpc=\"Search\",code=\"OK\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("wegwijzer_calls_total{rpc=\"Match\",code=\"INVALID_ARGUMENT\"} 1\n"));
        assert!(
            text.contains("wegwijzer_call_seconds_count{rpc=\"Search\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("wegwijzer_call_seconds_bucket{le=\"0.0004\",rpc=\"Search\"} 2\n")
                || text.contains("wegwijzer_call_seconds_bucket{rpc=\"Search\",le=\"0.0004\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("wegwijzer_shed_total 1\n"));
        assert!(text.contains("wegwijzer_refusals_total{kind=\"token_wrong\"} 1\n"));
        assert!(text.contains("wegwijzer_offerings 101\n"));
        assert!(text.contains("wegwijzer_live_changes 2\n"));
    }
}
