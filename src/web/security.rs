//! The web port's guards: the Host check (against DNS rebinding), the security headers
//! on every answer, and the read token on the API.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{failure, Web};

/// The page's Content-Security-Policy: its own script and style only, no inline code,
/// never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Cookie that may carry the read token (for a browser, which cannot set a header on
/// its first request).
pub const TOKEN_COOKIE: &str = "wegwijzer_token";

/// The Host header values the page answers to.
pub struct Hosts(HashSet<String>);

impl Hosts {
    /// The bound address, localhost and loopback on the bound port, and `extra` (names,
    /// with or without a port).
    pub fn new(own: Option<SocketAddr>, extra: &[String]) -> Hosts {
        let mut names: HashSet<String> = HashSet::new();
        if let Some(addr) = own {
            let port = addr.port();
            names.insert(addr.to_string());
            for local in ["localhost", "127.0.0.1", "[::1]"] {
                names.insert(format!("{local}:{port}"));
            }
        }
        for name in extra {
            names.insert(name.to_ascii_lowercase());
        }
        Hosts(names)
    }

    /// Whether `host` (a Host header value) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if self.0.contains(&host) {
            return true;
        }
        // A name configured without a port allows it on any port.
        let bare = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host.as_str(),
        };
        self.0.contains(bare)
    }
}

/// Refuses a request whose Host header is not one of ours.
pub async fn host(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let allowed = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| hosts.allows(h));
    if !allowed {
        tracing::warn!("web request refused: unknown Host header");
        return failure(
            StatusCode::MISDIRECTED_REQUEST,
            "Deze server kent dit adres niet. Open de pagina via het adres van de server.",
        );
    }
    next.run(request).await
}

/// Adds the security headers to every answer.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// When a read token is configured, the API needs it, as gRPC reads do: in an
/// `Authorization: Bearer` header or the [`TOKEN_COOKIE`] cookie.
pub async fn read_token(State(web): State<Web>, request: Request, next: Next) -> Response {
    let Some(read) = &web.tokens.read else {
        return next.run(request).await;
    };
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| value.trim());
    let presented = bearer.or(cookie).filter(|t| !t.is_empty());
    let accepted = presented
        .is_some_and(|t| read.matches(t) | web.tokens.admin.as_ref().is_some_and(|a| a.matches(t)));
    if accepted {
        return next.run(request).await;
    }
    let kind = if presented.is_some() {
        "token_wrong"
    } else {
        "token_missing"
    };
    tracing::warn!(kind, "web request refused");
    web.metrics.refusal(kind);
    let mut response = failure(
        StatusCode::UNAUTHORIZED,
        "Voor deze pagina is een toegangscode nodig.",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"wegwijzer\""),
    );
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_names_are_allowed() {
        let hosts = Hosts::new(
            Some("127.0.0.1:8080".parse().unwrap()),
            &["wegwijzer.example.org".to_string()],
        );
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "wegwijzer.example.org",
            "wegwijzer.example.org:443",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "localhost:9999",
            "127.0.0.1",
            "evil.example:8080",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }
}
