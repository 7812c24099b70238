//! The edge both servers share, as one tower layer: admission (a slot per engine call,
//! shed at once when every slot is taken), the deadline (the client's `grpc-timeout` or
//! the server's own, whichever is sooner), and per-call logging and metrics. The gRPC
//! server and the web router each put it in front of their routes; they differ only in
//! how a call is named and how a refusal is written.
//!
//! The slot travels with the work: the layer puts it in the request's extensions, and
//! the handler moves it into the blocking task ([`super::admission::blocking`]). A call
//! whose deadline passed is answered at once, but its slot stays taken until the engine
//! actually finishes, so the limit always counts real work.
//!
//! Logs and metrics carry the call's name and outcome, never anything the caller sent.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use tokio::sync::OwnedSemaphorePermit;
use tower::{Layer, Service};

use super::admission::{grpc_timeout, Admission, Refusal};
use super::metrics::Metrics;

/// What the edge knows about a call from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// The name used in logs and metrics (`Search`, `web/match`).
    pub name: &'static str,
    /// Whether it runs on the engine: takes a slot and gets a deadline.
    pub engine: bool,
}

/// A slot held for one call, shared by the layer and the call's blocking work.
#[derive(Clone)]
pub struct Slot(#[allow(dead_code)] Arc<OwnedSemaphorePermit>);

/// The layer.
#[derive(Clone)]
pub struct Edge<R> {
    admission: Admission,
    metrics: Arc<Metrics>,
    name: fn(&str) -> Option<Call>,
    refuse: R,
}

impl<R> Edge<R> {
    /// An edge that names calls with `name` (a path to a call; `None` passes the request
    /// through untouched, like health checks and static files) and answers refusals with
    /// `refuse`.
    pub fn new(
        admission: Admission,
        metrics: Arc<Metrics>,
        name: fn(&str) -> Option<Call>,
        refuse: R,
    ) -> Self {
        Edge {
            admission,
            metrics,
            name,
            refuse,
        }
    }
}

impl<S, R: Clone> Layer<S> for Edge<R> {
    type Service = EdgeService<S, R>;

    fn layer(&self, inner: S) -> Self::Service {
        EdgeService {
            inner,
            edge: self.clone(),
        }
    }
}

/// The layer's service.
#[derive(Clone)]
pub struct EdgeService<S, R> {
    inner: S,
    edge: Edge<R>,
}

type Boxed<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'static>>;

impl<S, R, ReqB, ResB> Service<http::Request<ReqB>> for EdgeService<S, R>
where
    S: Service<http::Request<ReqB>, Response = http::Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: Fn(Refusal) -> http::Response<ResB> + Clone + Send + Sync + 'static,
    ReqB: Send + 'static,
    ResB: Send + 'static,
{
    type Response = http::Response<ResB>;
    type Error = S::Error;
    type Future = Boxed<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<ReqB>) -> Self::Future {
        let Some(call) = (self.edge.name)(request.uri().path()) else {
            return Box::pin(self.inner.call(request));
        };
        // The service that was polled ready serves this call; a fresh clone is left
        // for the next one.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let edge = self.edge.clone();
        let started = Instant::now();
        Box::pin(async move {
            let response = if !call.engine {
                inner.call(request).await?
            } else if let Some(permit) = edge.admission.try_slot() {
                let slot = Slot(Arc::new(permit));
                let limit = request
                    .headers()
                    .get("grpc-timeout")
                    .and_then(|v| v.to_str().ok())
                    .and_then(grpc_timeout)
                    .map_or(edge.admission.timeout(), |d| {
                        d.min(edge.admission.timeout())
                    });
                request.extensions_mut().insert(slot.clone());
                let answer = match tokio::time::timeout(limit, inner.call(request)).await {
                    Ok(answer) => answer?,
                    Err(_) => (edge.refuse)(Refusal::DeadlineExceeded),
                };
                drop(slot);
                answer
            } else {
                edge.metrics.shed();
                (edge.refuse)(Refusal::Busy)
            };
            edge.finish(call.name, started, &response);
            Ok(response)
        })
    }
}

impl<R> Edge<R> {
    /// Logs and counts the end of a call.
    fn finish<B>(&self, name: &'static str, started: Instant, response: &http::Response<B>) {
        let took = started.elapsed();
        let code = outcome(response);
        let micros = took.as_micros() as u64;
        if let Some(kind) = refusal(code, response) {
            tracing::warn!(rpc = name, code, kind, "call refused");
            self.metrics.refusal(kind);
        }
        match code {
            "OK" => tracing::info!(rpc = name, micros, "call ok"),
            "INTERNAL" | "UNAVAILABLE" => tracing::warn!(rpc = name, micros, code, "call failed"),
            _ => tracing::info!(rpc = name, micros, code, "call not ok"),
        }
        self.metrics.record(name, code, took);
    }
}

/// The outcome of a call: the gRPC status in the headers (a trailers-only answer), or
/// else what the HTTP status means in gRPC's words (a gRPC answer without a status in
/// its headers succeeded; its status comes in the trailers).
fn outcome<B>(response: &http::Response<B>) -> &'static str {
    if let Some(code) = response
        .headers()
        .get("grpc-status")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i32>().ok())
    {
        return code_name(tonic::Code::from(code));
    }
    match response.status().as_u16() {
        200..=299 => "OK",
        400 | 413 | 415 | 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        421 => "PERMISSION_DENIED",
        503 => "RESOURCE_EXHAUSTED",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    }
}

/// A refusal before the handler ran, by kind: a missing or wrong token, an undecodable
/// message (gRPC answers these trailers-only, with the status in the headers).
fn refusal<B>(code: &str, response: &http::Response<B>) -> Option<&'static str> {
    let message = response
        .headers()
        .get("grpc-message")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match code {
        "UNAUTHENTICATED" => Some("token_missing"),
        "PERMISSION_DENIED" if response.headers().contains_key("grpc-status") => {
            Some("token_wrong")
        }
        "INTERNAL" | "INVALID_ARGUMENT" if message.contains("decode") => Some("undecodable"),
        _ => None,
    }
}

/// The wire name of a gRPC status code, for logs and metrics.
pub fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code;
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::time::Duration;
    use tower::ServiceExt as _;

    fn refuse(r: Refusal) -> http::Response<String> {
        let status = match r {
            Refusal::Busy => 503,
            Refusal::DeadlineExceeded => 504,
            Refusal::Failed => 500,
        };
        http::Response::builder()
            .status(status)
            .body(String::new())
            .unwrap()
    }

    fn name(path: &str) -> Option<Call> {
        (path == "/work").then_some(Call {
            name: "work",
            engine: true,
        })
    }

    type Gate = Arc<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>;

    /// An edge in front of a handler whose blocking work waits for `gate`.
    fn service(
        admission: &Admission,
        metrics: &Arc<Metrics>,
        gate: Gate,
    ) -> impl Service<
        http::Request<()>,
        Response = http::Response<String>,
        Error = Infallible,
        Future = impl Future<Output = Result<http::Response<String>, Infallible>>,
    > + Clone {
        let handler = tower::service_fn(move |request: http::Request<()>| {
            let gate = Arc::clone(&gate);
            async move {
                let slot = request.extensions().get::<Slot>().cloned();
                let done = super::super::admission::blocking(slot, move || {
                    gate.lock().unwrap().recv().is_ok()
                })
                .await;
                Ok::<_, Infallible>(http::Response::new(format!("{done:?}")))
            }
        });
        Edge::new(admission.clone(), Arc::clone(metrics), name, refuse).layer(handler)
    }

    fn work() -> http::Request<()> {
        http::Request::builder().uri("/work").body(()).unwrap()
    }

    async fn wait_until(cond: impl Fn() -> bool) {
        while !cond() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    #[tokio::test]
    async fn a_full_server_sheds_at_once_and_frees_the_slot_after_the_work() {
        let admission = Admission::new(1, Duration::from_secs(5));
        let metrics = Arc::new(Metrics::default());
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let svc = service(&admission, &metrics, Arc::new(std::sync::Mutex::new(gate)));
        let first = tokio::spawn(svc.clone().oneshot(work()));
        wait_until(|| admission.free() == 0).await;
        let busy = svc.clone().oneshot(work()).await.unwrap();
        assert_eq!(busy.status(), 503);
        assert_eq!(metrics.shed_total(), 1);
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap().body(), "Ok(true)");
        release.send(()).unwrap();
        assert_eq!(svc.oneshot(work()).await.unwrap().status(), 200);
        let text = metrics.render(0, 0);
        assert!(
            text.contains("wegwijzer_calls_total{rpc=\"work\",code=\"RESOURCE_EXHAUSTED\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("wegwijzer_calls_total{rpc=\"work\",code=\"OK\"} 2"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn the_shorter_deadline_wins_and_the_slot_stays_taken_until_the_work_ends() {
        let admission = Admission::new(1, Duration::from_secs(60));
        let metrics = Arc::new(Metrics::default());
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let svc = service(&admission, &metrics, Arc::new(std::sync::Mutex::new(gate)));
        let mut late = work();
        late.headers_mut()
            .insert("grpc-timeout", "20m".parse().unwrap());
        let answer = svc.clone().oneshot(late).await.unwrap();
        assert_eq!(
            answer.status(),
            504,
            "the client's 20 ms beat the server's minute"
        );
        assert_eq!(
            admission.free(),
            0,
            "the work still runs and holds its slot"
        );
        assert_eq!(svc.clone().oneshot(work()).await.unwrap().status(), 503);
        release.send(()).unwrap();
        wait_until(|| admission.free() == 1).await;
        release.send(()).unwrap();
        assert_eq!(svc.oneshot(work()).await.unwrap().status(), 200);
    }

    #[tokio::test]
    async fn other_paths_pass_untouched_and_uncounted() {
        let admission = Admission::new(1, Duration::from_secs(5));
        let metrics = Arc::new(Metrics::default());
        let (release, gate) = std::sync::mpsc::channel::<()>();
        release.send(()).unwrap();
        let svc = service(&admission, &metrics, Arc::new(std::sync::Mutex::new(gate)));
        let other = http::Request::builder().uri("/health").body(()).unwrap();
        assert_eq!(svc.oneshot(other).await.unwrap().status(), 200);
        assert!(!metrics.render(0, 0).contains("wegwijzer_calls_total{"));
    }
}
