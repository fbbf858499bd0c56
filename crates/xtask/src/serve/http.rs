//! The HTTP side: the served book's files, and the playground's two calls
//! that mdBook's script makes (`/meta/crates`, `/evaluate.json`), each behind
//! the checks of [`super::guard`]. One thread per request; the runs
//! themselves wait in the runner's queue.

use super::guard::{self, Own, Refusal};
use super::runner::{Runner, Warmup};
use super::site;
use crate::Result;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Method, Request, Response};

/// Largest run request accepted (a snippet is a few KB).
const MAX_BODY: u64 = 1 << 20;

/// The server, bound and ready to [`serve`](Server::serve).
pub struct Server {
    http: tiny_http::Server,
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
        let http = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port)"))?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or("the server has no TCP address")?;
        let book_dir = book_dir.canonicalize()?;
        Ok(Server {
            http,
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
        for request in self.http.incoming_requests() {
            let inner = Arc::clone(&self.inner);
            std::thread::spawn(move || inner.handle(request));
        }
    }
}

fn header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

fn with_header(
    response: Response<std::io::Cursor<Vec<u8>>>,
    name: &str,
    value: &str,
) -> Response<std::io::Cursor<Vec<u8>>> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => response.with_header(h),
        Err(()) => response,
    }
}

/// A response with the headers every answer carries.
fn response(status: u16, content_type: &str, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    let r = Response::from_data(body).with_status_code(status);
    let r = with_header(r, "Content-Type", content_type);
    // the token changes at every start: never cache a page
    let r = with_header(r, "Cache-Control", "no-store");
    let r = with_header(r, "X-Content-Type-Options", "nosniff");
    let r = with_header(r, "Referrer-Policy", "no-referrer");
    // no foreign page may frame the book and steer its buttons
    let r = with_header(r, "X-Frame-Options", "DENY");
    with_header(r, "Content-Security-Policy", "frame-ancestors 'none'")
}

fn json(status: u16, value: &impl serde::Serialize) -> Response<std::io::Cursor<Vec<u8>>> {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    response(status, "application/json", body)
}

/// A refusal as mdBook's page shows it: in the result block.
fn refused(refusal: &Refusal) -> Response<std::io::Cursor<Vec<u8>>> {
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
    fn handle(&self, mut request: Request) {
        let path = request
            .url()
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_owned();
        let method = request.method().clone();
        if let Err(refusal) = self.own.check_host(header(&request, "Host")) {
            let _ = request.respond(refused(&refusal));
            return;
        }
        let api = matches!(
            path.as_str(),
            "/meta/crates" | "/evaluate.json" | "/status" | "/self-test"
        );
        if api {
            let checked = self.own.check_run(
                header(&request, "Host"),
                header(&request, "Origin"),
                header(&request, "Sec-Fetch-Site"),
                header(&request, guard::TOKEN_HEADER),
            );
            if let Err(refusal) = checked {
                let _ = request.respond(refused(&refusal));
                return;
            }
            if method != Method::Post {
                let _ = request.respond(json(405, &serde_json::json!({"result": "только POST"})));
                return;
            }
            let reply = match path.as_str() {
                "/meta/crates" => self.crates(),
                "/status" => self.status(),
                "/evaluate.json" => self.evaluate(&mut request),
                _ => self.self_test(&mut request),
            };
            let _ = request.respond(reply);
            return;
        }
        let reply = match method {
            Method::Get | Method::Head => self.file(&path),
            _ => response(
                405,
                "text/plain; charset=utf-8",
                b"method not allowed".to_vec(),
            ),
        };
        let _ = request.respond(reply);
    }

    /// mdBook's list of crates a snippet may `extern crate`.
    fn crates(&self) -> Response<std::io::Cursor<Vec<u8>>> {
        let crates: Vec<_> = self
            .runner
            .crates()
            .iter()
            .map(|name| serde_json::json!({"id": name, "name": name}))
            .collect();
        json(200, &serde_json::json!({ "crates": crates }))
    }

    /// Whether the first build is done (the page shows it while it waits).
    fn status(&self) -> Response<std::io::Cursor<Vec<u8>>> {
        let (state, detail) = match self.runner.warmup() {
            Warmup::Building => ("building", String::new()),
            Warmup::Ready(s) => ("ready", format!("{s:.1}")),
            Warmup::Failed(e) => ("failed", e),
        };
        json(200, &serde_json::json!({"warmup": state, "detail": detail}))
    }

    fn body(request: &mut Request) -> std::result::Result<serde_json::Value, String> {
        let mut body = Vec::new();
        request
            .as_reader()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body)
            .map_err(|e| e.to_string())?;
        if body.len() as u64 > MAX_BODY {
            return Err(format!("запрос больше {} КБ", MAX_BODY / 1024));
        }
        serde_json::from_slice(&body).map_err(|e| format!("запрос не JSON: {e}"))
    }

    /// mdBook's run call: `{"code": …}` in, `{"result": …}` out.
    fn evaluate(&self, request: &mut Request) -> Response<std::io::Cursor<Vec<u8>>> {
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
    fn self_test(&self, request: &mut Request) -> Response<std::io::Cursor<Vec<u8>>> {
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
    fn file(&self, url_path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
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
