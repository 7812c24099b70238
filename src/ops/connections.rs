//! Limits on connections, the same on both ports (gRPC and the web page): a cap on open
//! connections, and an idle timeout that closes a connection from which nothing has been
//! read for a while — a client that sent half a request, a promised body never sent, a
//! partial HTTP/2 preface. Healthy gRPC clients stay: the server's HTTP/2 keep-alive
//! pings make them answer well within the timeout. Each limit hit is one log line and a
//! counter; nothing the peer sent is logged.

use std::future::Future as _;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

use crate::ops::metrics::Metrics;

/// Open connections per port, by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// How long a connection may stay silent, by default.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Interval of the server's HTTP/2 keep-alive pings: well inside the idle timeout.
pub fn keepalive_interval(idle: Duration) -> Duration {
    (idle / 3).max(Duration::from_millis(100))
}

/// The limits of one port.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most; more are closed at once.
    pub max_connections: usize,
    /// A connection from which nothing was read for this long is closed.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// A listener that applies [`Limits`] to every connection it accepts.
pub struct Guarded {
    listener: TcpListener,
    slots: Arc<Semaphore>,
    limits: Limits,
    port: &'static str,
    metrics: Arc<Metrics>,
}

impl Guarded {
    /// Guards `listener`; `port` names it in logs and metrics (`grpc`, `web`).
    pub fn new(
        listener: TcpListener,
        limits: Limits,
        port: &'static str,
        metrics: Arc<Metrics>,
    ) -> Guarded {
        Guarded {
            listener,
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            limits,
            port,
            metrics,
        }
    }

    /// The next connection within the limits. Errors of `accept` itself (out of file
    /// descriptors, say) are logged and retried after a pause, never returned.
    pub async fn accept(&mut self) -> (Limited, SocketAddr) {
        loop {
            let (stream, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(port = self.port, error = %e, "cannot accept a connection");
                    self.metrics.refusal("accept_failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() else {
                tracing::warn!(
                    port = self.port,
                    limit = self.limits.max_connections,
                    "connection closed: too many open connections"
                );
                self.metrics.refusal("connection_limit");
                continue;
            };
            // Without TCP_NODELAY a response written in pieces waits for the peer's
            // delayed ACK (about 40 ms on Linux) before its last piece is sent.
            let _ = stream.set_nodelay(true);
            let limited = Limited {
                stream,
                idle: self.limits.idle_timeout,
                timer: Box::pin(tokio::time::sleep(self.limits.idle_timeout)),
                port: self.port,
                metrics: Arc::clone(&self.metrics),
                _permit: permit,
            };
            return (limited, peer);
        }
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The accepted connections as a stream (for tonic).
    pub fn into_stream(
        self,
    ) -> impl tokio_stream::Stream<Item = std::io::Result<Limited>> + Send + 'static {
        futures_util::stream::unfold(self, |mut guarded| async move {
            let (conn, _) = guarded.accept().await;
            Some((Ok(conn), guarded))
        })
    }
}

impl axum::serve::Listener for Guarded {
    type Io = Limited;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        Guarded::accept(self).await
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// An accepted connection under an idle timeout; holds its slot until closed.
pub struct Limited {
    stream: TcpStream,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
    port: &'static str,
    metrics: Arc<Metrics>,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Limited {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.timer.as_mut().reset(Instant::now() + this.idle);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    tracing::info!(
                        port = this.port,
                        idle_ms = this.idle.as_millis() as u64,
                        "connection closed: nothing received within the idle timeout"
                    );
                    this.metrics.refusal("idle_timeout");
                    Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "idle timeout",
                    )))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Limited {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for Limited {
    type ConnectInfo = tonic::transport::server::TcpConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.stream.connect_info()
    }
}
