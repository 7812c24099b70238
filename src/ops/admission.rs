//! Admission control: at most so many engine calls at once, the rest refused at once
//! (load shedding) instead of queueing into a latency collapse; and deadlines, the
//! client's (`grpc-timeout`) or the server's own, whichever is sooner.
//!
//! Engine work runs on tokio's blocking pool, so a slow search never stalls the async
//! runtime that serves health checks and other connections. The permit travels with
//! the work: a call whose deadline passed stops waiting, but its slot stays taken until
//! the engine actually finishes, so the limit always counts real work.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

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
    shed: Arc<AtomicU64>,
}

impl Admission {
    /// At most `limit` calls at once, none longer than `timeout`.
    pub fn new(limit: usize, timeout: Duration) -> Admission {
        let limit = limit.max(1);
        Admission {
            slots: Arc::new(Semaphore::new(limit)),
            limit,
            timeout,
            shed: Arc::new(AtomicU64::new(0)),
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

    /// Calls refused as busy since start.
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    /// Runs `work` on the blocking pool if a slot is free, within `deadline` (the
    /// client's) or the server's timeout, whichever is shorter.
    pub async fn run<T: Send + 'static>(
        &self,
        deadline: Option<Duration>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refusal> {
        let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() else {
            self.shed.fetch_add(1, Ordering::Relaxed);
            return Err(Refusal::Busy);
        };
        let limit = deadline.map_or(self.timeout, |d| d.min(self.timeout));
        if limit.is_zero() {
            return Err(Refusal::DeadlineExceeded);
        }
        let task = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        });
        match tokio::time::timeout(limit, task).await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(_)) => Err(Refusal::Failed),
            Err(_) => Err(Refusal::DeadlineExceeded),
        }
    }
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

    #[tokio::test]
    async fn a_full_server_sheds_at_once_and_frees_the_slot_after_the_work() {
        let admission = Admission::new(1, Duration::from_secs(5));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let busy = admission.clone();
        let first = tokio::spawn(async move { busy.run(None, move || wait.recv().is_ok()).await });
        // Wait until the first call holds the slot.
        while admission.slots.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(admission.run(None, || 1).await, Err(Refusal::Busy));
        assert_eq!(admission.shed(), 1);
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(true));
        assert_eq!(admission.run(None, || 2).await, Ok(2));
    }

    #[tokio::test]
    async fn the_shorter_deadline_wins_and_the_slot_stays_taken_until_the_work_ends() {
        let admission = Admission::new(1, Duration::from_secs(60));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let out = admission
            .run(Some(Duration::from_millis(20)), move || wait.recv().is_ok())
            .await;
        assert_eq!(out, Err(Refusal::DeadlineExceeded));
        assert_eq!(admission.run(None, || 1).await, Err(Refusal::Busy));
        release.send(()).unwrap();
        while admission.slots.available_permits() == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(admission.run(None, || 3).await, Ok(3));
    }
}
