//! Admission control: at most so many engine calls at once, the rest refused at once
//! (load shedding) instead of queueing into a latency collapse; and deadlines, the
//! client's (`grpc-timeout`) or the server's own, whichever is sooner. The tower layer
//! that applies them to both servers is [`super::edge`].
//!
//! Engine work runs on tokio's blocking pool ([`blocking`]), so a slow search never
//! stalls the async runtime that serves health checks and other connections.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::edge::Slot;

/// Why a call was not run to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Every slot was taken.
    #[error("server busy")]
    Busy,
    /// The deadline passed first.
    #[error("deadline exceeded")]
    DeadlineExceeded,
    /// The work panicked.
    #[error("internal failure")]
    Failed,
}

/// The limit and the server's own timeout.
#[derive(Debug, Clone)]
pub struct Admission {
    slots: Arc<Semaphore>,
    limit: usize,
    timeout: Duration,
}

impl Admission {
    /// At most `limit` calls at once, none longer than `timeout`.
    pub fn new(limit: usize, timeout: Duration) -> Admission {
        let limit = limit.max(1);
        Admission {
            slots: Arc::new(Semaphore::new(limit)),
            limit,
            timeout,
        }
    }

    /// The limit.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The server's own deadline for a call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// A slot, when one is free.
    pub fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }

    /// Slots free now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }
}

/// Runs `work` on the blocking pool, holding `slot` (the call's, from the edge) until
/// the work ends, even when the call stopped waiting for it.
pub async fn blocking<T: Send + 'static>(
    slot: Option<Slot>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Refusal> {
    let task = tokio::task::spawn_blocking(move || {
        let out = work();
        drop(slot);
        out
    });
    task.await.map_err(|_| Refusal::Failed)
}

/// The client's deadline from a `grpc-timeout` header value (`<digits><unit>`, unit one
/// of H M S m u n); `None` when absent or malformed.
pub fn grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_parse_by_the_spec() {
        assert_eq!(grpc_timeout("250m"), Some(Duration::from_millis(250)));
        assert_eq!(grpc_timeout("2S"), Some(Duration::from_secs(2)));
        assert_eq!(grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(grpc_timeout("10u"), Some(Duration::from_micros(10)));
        for bad in ["", "m", "12", "123456789m", "1x", "-1m", "1.5S"] {
            assert_eq!(grpc_timeout(bad), None, "{bad}");
        }
    }
}
