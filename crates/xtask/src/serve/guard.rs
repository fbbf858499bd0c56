//! Who may talk to the server. It runs whatever code it is sent, so:
//!
//! - every request must name this server as its `Host` (`127.0.0.1:PORT` or
//!   `localhost:PORT`): a foreign name that resolves to 127.0.0.1 (DNS
//!   rebinding) gets nothing, not even a page with the token;
//! - a run request must come from a page of this server: its `Origin` is
//!   ours, the browser does not call it cross-site, and it carries the token
//!   this start generated and wrote into the pages it served. The token
//!   travels in a custom header, which a foreign page cannot even send
//!   without a CORS preflight that this server never answers.

/// The header the pages send the token in.
pub const TOKEN_HEADER: &str = "X-Course-Token";

/// This server's identity.
#[derive(Debug, Clone)]
pub struct Own {
    /// The port it listens on (127.0.0.1 only).
    pub port: u16,
    /// The random token of this start.
    pub token: String,
}

/// Why a request is refused (said in the page and in the HTTP status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `Host` is not this server.
    ForeignHost(String),
    /// `Origin` is missing or not this server.
    ForeignOrigin(String),
    /// The browser says the request comes from another site.
    CrossSite(String),
    /// The token is missing or wrong.
    BadToken,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ForeignHost(h) => write!(
                f,
                "чужой Host `{h}`: сервер отвечает только на 127.0.0.1 и localhost"
            ),
            Refusal::ForeignOrigin(o) => {
                write!(f, "запрос со страницы `{o}`, а не из книги этого сервера")
            }
            Refusal::CrossSite(s) => write!(
                f,
                "браузер пометил запрос как межсайтовый (Sec-Fetch-Site: {s})"
            ),
            Refusal::BadToken => write!(f, "нет ключа этого запуска сервера: обновите страницу"),
        }
    }
}

/// A new random token (128 bits from the operating system's generator,
/// through rand's thread-local CSPRNG).
pub fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

impl Own {
    fn hosts(&self) -> [String; 2] {
        [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ]
    }

    /// Any request: the `Host` header must be this server.
    pub fn check_host(&self, host: Option<&str>) -> Result<(), Refusal> {
        let host = host.unwrap_or("").trim().to_ascii_lowercase();
        if self.hosts().contains(&host) {
            Ok(())
        } else {
            Err(Refusal::ForeignHost(host))
        }
    }

    /// A run request: own host, own origin, same site, right token.
    pub fn check_run(
        &self,
        host: Option<&str>,
        origin: Option<&str>,
        fetch_site: Option<&str>,
        token: Option<&str>,
    ) -> Result<(), Refusal> {
        self.check_host(host)?;
        let origin = origin.unwrap_or("").trim().to_ascii_lowercase();
        if !self.hosts().iter().any(|h| origin == format!("http://{h}")) {
            return Err(Refusal::ForeignOrigin(origin));
        }
        // Browsers that send it say where the request came from.
        if let Some(site) = fetch_site.map(str::trim)
            && site != "same-origin"
        {
            return Err(Refusal::CrossSite(site.to_owned()));
        }
        match token {
            Some(t) if same_bytes(t.trim().as_bytes(), self.token.as_bytes()) => Ok(()),
            _ => Err(Refusal::BadToken),
        }
    }
}

/// Compares without stopping at the first difference, so the time taken
/// tells nothing about how much of a guess was right.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> Own {
        Own {
            port: 3000,
            token: "abc123".into(),
        }
    }

    #[test]
    fn own_pages_may_run() {
        let o = own();
        for (host, origin) in [
            ("127.0.0.1:3000", "http://127.0.0.1:3000"),
            ("localhost:3000", "http://localhost:3000"),
        ] {
            assert_eq!(
                o.check_run(
                    Some(host),
                    Some(origin),
                    Some("same-origin"),
                    Some("abc123")
                ),
                Ok(())
            );
        }
        // a client without Sec-Fetch-Site (curl, an older browser) still needs the rest
        assert_eq!(
            o.check_run(
                Some("127.0.0.1:3000"),
                Some("http://127.0.0.1:3000"),
                None,
                Some("abc123")
            ),
            Ok(())
        );
    }

    #[test]
    fn everything_else_is_refused() {
        let o = own();
        let host = Some("127.0.0.1:3000");
        let origin = Some("http://127.0.0.1:3000");
        let token = Some("abc123");
        assert!(matches!(
            o.check_run(Some("evil.example:3000"), origin, None, token),
            Err(Refusal::ForeignHost(_))
        ));
        assert!(matches!(
            o.check_run(Some("127.0.0.1:3001"), origin, None, token),
            Err(Refusal::ForeignHost(_))
        ));
        assert!(matches!(
            o.check_run(None, origin, None, token),
            Err(Refusal::ForeignHost(_))
        ));
        assert!(matches!(
            o.check_run(host, Some("http://evil.example"), None, token),
            Err(Refusal::ForeignOrigin(_))
        ));
        assert!(matches!(
            o.check_run(host, Some("null"), None, token),
            Err(Refusal::ForeignOrigin(_))
        ));
        assert!(matches!(
            o.check_run(host, None, None, token),
            Err(Refusal::ForeignOrigin(_))
        ));
        assert!(matches!(
            o.check_run(host, origin, Some("cross-site"), token),
            Err(Refusal::CrossSite(_))
        ));
        assert_eq!(
            o.check_run(host, origin, None, None),
            Err(Refusal::BadToken)
        );
        assert_eq!(
            o.check_run(host, origin, None, Some("abc124")),
            Err(Refusal::BadToken)
        );
        assert_eq!(
            o.check_run(host, origin, None, Some("abc12")),
            Err(Refusal::BadToken)
        );
    }

    #[test]
    fn tokens_are_new_each_time() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
