//! Bearer tokens for the admin API (and, optionally, the read API).
//!
//! A token is kept only as its SHA-256 digest, and a presented token is compared by
//! digest in constant time, so neither its length nor its content leaks through timing.
//! Tokens never appear in logs or error messages.

use sha2::{Digest, Sha256};
use tonic::metadata::MetadataMap;
use tonic::{Request, Status};

/// Shortest token accepted, in characters.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Why a configured token is unusable.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Too short to be a secret.
    #[error("the {0} token must be at least {MIN_TOKEN_CHARS} characters")]
    TooShort(&'static str),
    /// Holds characters that cannot travel in a header.
    #[error("the {0} token may only hold visible ASCII characters")]
    NotAscii(&'static str),
}

/// A secret, kept as its digest.
#[derive(Clone)]
pub struct Token([u8; 32]);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<hidden>)")
    }
}

impl Token {
    /// A token from its secret text (surrounding whitespace, such as a file's final
    /// newline, is ignored). `role` names it in errors.
    pub fn new(role: &'static str, secret: &str) -> Result<Token, AuthError> {
        let secret = secret.trim();
        if secret.chars().count() < MIN_TOKEN_CHARS {
            return Err(AuthError::TooShort(role));
        }
        if !secret.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AuthError::NotAscii(role));
        }
        Ok(Token(Sha256::digest(secret.as_bytes()).into()))
    }

    /// Whether `presented` is this token, in time independent of both.
    pub fn matches(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let difference = self
            .0
            .iter()
            .zip(digest.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(difference) == 0
    }
}

/// Which tokens the server accepts.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// Admin RPCs; `None` turns them off.
    pub admin: Option<Token>,
    /// Read RPCs; `None` leaves them open. The admin token is accepted for reads too.
    pub read: Option<Token>,
}

impl Tokens {
    /// Checks an admin call.
    pub fn admit_admin<T>(&self, request: Request<T>) -> Result<Request<T>, Status> {
        let Some(admin) = &self.admin else {
            return Err(Status::unimplemented(
                "beheer staat uit / admin RPCs are disabled: start the server with \
                 WEGWIJZER_ADMIN_TOKEN or --admin-token-file",
            ));
        };
        check(request.metadata(), &[admin])?;
        Ok(request)
    }

    /// Checks a read call: open unless a read token is configured.
    pub fn admit_read<T>(&self, request: Request<T>) -> Result<Request<T>, Status> {
        if let Some(read) = &self.read {
            let accepted: Vec<&Token> = std::iter::once(read).chain(self.admin.as_ref()).collect();
            check(request.metadata(), &accepted)?;
        }
        Ok(request)
    }
}

fn check(metadata: &MetadataMap, accepted: &[&Token]) -> Result<(), Status> {
    let presented = metadata
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Status::unauthenticated(
                "token ontbreekt / missing token: send metadata 'authorization: Bearer <token>'",
            )
        })?;
    // Compare with every accepted token, so timing does not tell which one matched.
    let matched = accepted
        .iter()
        .fold(false, |any, token| token.matches(presented) | any);
    if matched {
        Ok(())
    } else {
        Err(Status::permission_denied(
            "token onjuist / wrong token for this call",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "correct-horse-battery-staple";

    fn request(header: Option<&str>) -> Request<()> {
        let mut r = Request::new(());
        if let Some(h) = header {
            r.metadata_mut().insert("authorization", h.parse().unwrap());
        }
        r
    }

    #[test]
    fn short_or_odd_tokens_are_refused_at_configuration() {
        assert!(matches!(
            Token::new("admin", "kort"),
            Err(AuthError::TooShort(_))
        ));
        assert!(matches!(
            Token::new("admin", "met spatie in het midden"),
            Err(AuthError::NotAscii(_))
        ));
        assert!(Token::new("admin", &format!("{SECRET}\n")).is_ok());
    }

    #[test]
    fn admin_calls_need_the_admin_token() {
        let tokens = Tokens {
            admin: Some(Token::new("admin", SECRET).unwrap()),
            read: None,
        };
        let code = |h: Option<&str>| tokens.admit_admin(request(h)).err().map(|s| s.code());
        assert_eq!(code(Some(&format!("Bearer {SECRET}"))), None);
        assert_eq!(code(None), Some(tonic::Code::Unauthenticated));
        assert_eq!(code(Some(SECRET)), Some(tonic::Code::Unauthenticated));
        assert_eq!(code(Some("Bearer ")), Some(tonic::Code::Unauthenticated));
        assert_eq!(
            code(Some("Bearer correct-horse-battery-stapler")),
            Some(tonic::Code::PermissionDenied)
        );
        assert!(tokens.admit_read(request(None)).is_ok(), "reads stay open");
    }

    #[test]
    fn without_an_admin_token_admin_calls_are_off() {
        let status = Tokens::default()
            .admit_admin(request(Some(&format!("Bearer {SECRET}"))))
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::Unimplemented);
    }

    #[test]
    fn a_read_token_closes_reads_and_the_admin_token_also_opens_them() {
        let tokens = Tokens {
            admin: Some(Token::new("admin", SECRET).unwrap()),
            read: Some(Token::new("read", "read-only-token-0123").unwrap()),
        };
        let code = |h: Option<&str>| tokens.admit_read(request(h)).err().map(|s| s.code());
        assert_eq!(code(None), Some(tonic::Code::Unauthenticated));
        assert_eq!(code(Some("Bearer read-only-token-0123")), None);
        assert_eq!(code(Some(&format!("Bearer {SECRET}"))), None);
        assert_eq!(
            code(Some("Bearer guess-guess-guess-guess")),
            Some(tonic::Code::PermissionDenied)
        );
        assert_eq!(
            tokens
                .admit_admin(request(Some("Bearer read-only-token-0123")))
                .unwrap_err()
                .code(),
            tonic::Code::PermissionDenied,
            "the read token does not open admin calls"
        );
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let t = Token::new("admin", SECRET).unwrap();
        assert!(!format!("{t:?}").contains("horse"));
    }
}
