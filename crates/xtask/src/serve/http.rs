//! The HTTP side: the served book's files, and the playground's two calls
//! that mdBook's script makes (`/meta/crates`, `/evaluate.json`), each behind
//! the checks of [`super::guard`]. One thread per connection, one request
//! per connection ([`super::wire`]); the runs themselves wait in the
//! runner's queue.

use super::guard::{self, Own, Refusal};
use super::runner::{Runner, Warmup};
use super::site;
use super::wire::{self, Malformed, Request, Response};
use crate::Result;
use std::net::TcpListener;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// Largest run request accepted (a snippet is a few KB).
const MAX_BODY: u64 = 1 << 20;

/// The server, bound and ready to [`serve`](Server::serve).
pub struct Server {
    listener: TcpListener,
    inner: Arc<Inner>,
}

struct Inner {
    own: Own,
    book_dir: PathBuf,
    runner: Arc<Runner>,
    reports: Mutex<Option<Sender<String>>>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0: any free port) for the book in `book_dir`.
    pub fn bind(port: u16, book_dir: PathBuf, runner: Arc<Runner>) -> Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port)"))?;
        let port = listener.local_addr()?.port();
        let book_dir = book_dir.canonicalize()?;
        Ok(Server {
            listener,
            inner: Arc::new(Inner {
                own: Own {
                    port,
                    token: guard::new_token(),
                },
                book_dir,
                runner,
                reports: Mutex::new(None),
            }),
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.inner.own.port)
    }

    /// Where the first build stands.
    pub fn warmup(&self) -> Warmup {
        self.inner.runner.warmup()
    }

    /// From now on, a page's `POST /self-test` report arrives here.
    pub fn expect_reports(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        *self.inner.reports.lock().expect("reports lock") = Some(tx);
        rx
    }

    /// Answers requests until the process ends.
    pub fn serve(&self) {
        for stream in self.listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let inner = Arc::clone(&self.inner);
            std::thread::spawn(move || {
                let answer = match wire::read(&mut stream, MAX_BODY) {
                    Ok(request) => (inner.handle(&request), request.method == "HEAD"),
                    Err(Malformed::Gone) => return,
                    Err(Malformed::Answer(status, why)) => (
                        response(status, "text/plain; charset=utf-8", why.into()),
                        false,
                    ),
                };
                let _ = wire::write(&mut stream, &answer.0, answer.1);
            });
        }
    }
}

/// A response with the headers every answer carries.
fn response(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let headers = vec![
        ("Content-Type", content_type.to_owned()),
        // the token changes at every start: never cache a page
        ("Cache-Control", "no-store".to_owned()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
        // no foreign page may frame the book and steer its buttons
        ("X-Frame-Options", "DENY".to_owned()),
        (
            "Content-Security-Policy",
            "frame-ancestors 'none'".to_owned(),
        ),
    ];
    Response {
        status,
        headers,
        body,
    }
}

fn json(status: u16, value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    response(status, "application/json", body)
}

/// A refusal as mdBook's page shows it: in the result block.
fn refused(refusal: &Refusal) -> Response {
    json(
        403,
        &serde_json::json!({
            "result": format!("Запуск отклонён: {refusal}."),
            "error": refusal.to_string(),
            "refused": true,
        }),
    )
}

impl Inner {
    fn handle(&self, request: &Request) -> Response {
        let path = request
            .target
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_owned();
        let method = request.method.as_str();
        if let Err(refusal) = self.own.check_host(request.header("Host")) {
            return refused(&refusal);
        }
        let api = matches!(
            path.as_str(),
            "/meta/crates" | "/evaluate.json" | "/status" | "/self-test"
        );
        if api {
            let checked = self.own.check_run(
                request.header("Host"),
                request.header("Origin"),
                request.header("Sec-Fetch-Site"),
                request.header(guard::TOKEN_HEADER),
            );
            if let Err(refusal) = checked {
                return refused(&refusal);
            }
            if method != "POST" {
                return json(405, &serde_json::json!({"result": "только POST"}));
            }
            return match path.as_str() {
                "/meta/crates" => self.crates(),
                "/status" => self.status(),
                "/evaluate.json" => self.evaluate(request),
                _ => self.self_test(request),
            };
        }
        match method {
            "GET" | "HEAD" => self.file(&path),
            _ => response(
                405,
                "text/plain; charset=utf-8",
                b"method not allowed".to_vec(),
            ),
        }
    }

    /// mdBook's list of crates a snippet may `extern crate`.
    fn crates(&self) -> Response {
        let crates: Vec<_> = self
            .runner
            .crates()
            .iter()
            .map(|name| serde_json::json!({"id": name, "name": name}))
            .collect();
        json(200, &serde_json::json!({ "crates": crates }))
    }

    /// Whether the first build is done (the page shows it while it waits).
    fn status(&self) -> Response {
        let (state, detail) = match self.runner.warmup() {
            Warmup::Building => ("building", String::new()),
            Warmup::Ready(s) => ("ready", format!("{s:.1}")),
            Warmup::Failed(e) => ("failed", e),
        };
        json(200, &serde_json::json!({"warmup": state, "detail": detail}))
    }

    fn body(request: &Request) -> std::result::Result<serde_json::Value, String> {
        let Some(body) = &request.body else {
            return Err(format!("запрос больше {} КБ", MAX_BODY / 1024));
        };
        serde_json::from_slice(body).map_err(|e| format!("запрос не JSON: {e}"))
    }

    /// mdBook's run call: `{"code": …}` in, `{"result": …}` out.
    fn evaluate(&self, request: &Request) -> Response {
        let code = match Self::body(request) {
            Ok(v) => v["code"].as_str().map(str::to_owned),
            Err(e) => return json(400, &serde_json::json!({"result": e, "error": e})),
        };
        let Some(code) = code else {
            return json(
                400,
                &serde_json::json!({"result": "в запросе нет поля code", "error": "no code"}),
            );
        };
        match self.runner.submit(code).recv() {
            Ok(outcome) => json(200, &outcome),
            Err(_) => json(
                500,
                &serde_json::json!({"result": "сервер не ответил: перезапустите `cargo xtask serve`"}),
            ),
        }
    }

    /// `--self-test`: the page reports what it found.
    fn self_test(&self, request: &Request) -> Response {
        let report = match Self::body(request) {
            Ok(v) => v.to_string(),
            Err(e) => return json(400, &serde_json::json!({"result": e})),
        };
        let sent = self
            .reports
            .lock()
            .expect("reports lock")
            .as_ref()
            .is_some_and(|tx| tx.send(report).is_ok());
        json(
            if sent { 200 } else { 404 },
            &serde_json::json!({"received": sent}),
        )
    }

    /// A file of the served book; pages get the token.
    fn file(&self, url_path: &str) -> Response {
        let not_found = || response(404, "text/plain; charset=utf-8", b"not found".to_vec());
        let Some(path) = local_path(&self.book_dir, url_path) else {
            return not_found();
        };
        let Ok(bytes) = std::fs::read(&path) else {
            return not_found();
        };
        let kind = site::content_type(&path);
        if kind.starts_with("text/html") {
            let page = site::inject_token(&String::from_utf8_lossy(&bytes), &self.own.token);
            return response(200, kind, page.into_bytes());
        }
        response(200, kind, bytes)
    }
}

/// The file under `root` that `url_path` names (`/` → `index.html`), or
/// `None` if it would leave `root` or does not exist.
fn local_path(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut path = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => path.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

/// `%D0%90` → `А`; `None` for a malformed escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_book() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("index.html"), "i").unwrap();
        std::fs::create_dir(root.join("css")).unwrap();
        std::fs::write(root.join("css/a b.css"), "c").unwrap();
        assert_eq!(local_path(&root, "/"), Some(root.join("index.html")));
        assert_eq!(
            local_path(&root, "/css/a%20b.css"),
            Some(root.join("css/a b.css"))
        );
        assert_eq!(local_path(&root, "/../etc/passwd"), None);
        assert_eq!(local_path(&root, "/css/../../x"), None);
        assert_eq!(local_path(&root, "/%2e%2e/x"), None);
        assert_eq!(local_path(&root, "/missing.html"), None);
        assert_eq!(local_path(&root, "/%zz"), None);
    }
}
