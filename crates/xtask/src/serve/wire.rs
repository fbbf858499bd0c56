//! HTTP/1.1 on one connection: read one request, write one answer, close.
//!
//! The request head is parsed by `httparse` (hyper's parser). Every answer
//! says `Connection: close`, so a browser never parks a request on an idle
//! kept-alive connection. (The server this replaces, tiny_http 0.12, hands
//! connections to a thread pool that can lose a wake-up when a browser opens
//! six at once; a request queued behind that stayed unanswered until another
//! connection closed: here a page whose `fonts.css` came only after 90 s,
//! in about one start of headless Chromium in six.)

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Longest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// Most headers in one request.
const MAX_HEADERS: usize = 64;

/// A client that sends nothing for this long is dropped.
const IDLE: Duration = Duration::from_secs(30);

/// One request: its method, target (path and query), headers and body.
pub struct Request {
    /// `GET`, `POST` …
    pub method: String,
    /// The request target, e.g. `/ch02.html?x`.
    pub target: String,
    headers: Vec<(String, String)>,
    /// The body, or `None` if it was longer than the limit given to [`read`].
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One answer: status, headers (besides the length and `Connection`), body.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Why no request could be read; the answer to send, if any.
#[derive(Debug)]
pub enum Malformed {
    /// The client went away or stayed silent: nothing to answer.
    Gone,
    /// A status and a reason to send back.
    Answer(u16, &'static str),
}

/// Reads one request from `stream`; a body longer than `max_body` bytes is
/// not read (`body` is `None`).
pub fn read(stream: &mut TcpStream, max_body: u64) -> Result<Request, Malformed> {
    stream
        .set_read_timeout(Some(IDLE))
        .map_err(|_| Malformed::Gone)?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let (head_len, method, target, headers) = loop {
        let n = stream.read(&mut chunk).map_err(|_| Malformed::Gone)?;
        if n == 0 {
            return Err(Malformed::Gone);
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut slots);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => {
                let headers = parsed
                    .headers
                    .iter()
                    .map(|h| {
                        let value = String::from_utf8_lossy(h.value).into_owned();
                        (h.name.to_owned(), value)
                    })
                    .collect::<Vec<_>>();
                let method = parsed.method.unwrap_or_default().to_owned();
                let target = parsed.path.unwrap_or("/").to_owned();
                break (len, method, target, headers);
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) => {
                return Err(Malformed::Answer(431, "request head too large"));
            }
            Err(_) => return Err(Malformed::Answer(400, "malformed request")),
        }
    };
    let mut request = Request {
        method,
        target,
        headers,
        body: Some(Vec::new()),
    };
    if request.header("Transfer-Encoding").is_some() {
        return Err(Malformed::Answer(411, "send a Content-Length, not chunks"));
    }
    let length: u64 = match request.header("Content-Length") {
        None => 0,
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| Malformed::Answer(400, "bad Content-Length"))?,
    };
    if length > max_body {
        request.body = None;
        return Ok(request);
    }
    let mut body = buf.split_off(head_len);
    let missing = length.saturating_sub(body.len() as u64);
    stream
        .take(missing)
        .read_to_end(&mut body)
        .map_err(|_| Malformed::Gone)?;
    if (body.len() as u64) < length {
        return Err(Malformed::Gone);
    }
    body.truncate(length as usize);
    request.body = Some(body);
    Ok(request)
}

/// Writes `response` and ends the exchange (`Connection: close`); a `HEAD`
/// answer has the length but no body.
pub fn write(stream: &mut TcpStream, response: &Response, head_only: bool) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Write)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Sends `raw` to a fresh connection and reads it on the other side.
    fn received(raw: &[u8], max_body: u64) -> Result<Request, Malformed> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(raw).unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        read(&mut server, max_body)
    }

    #[test]
    fn a_post_with_its_body_and_headers() {
        let r = received(
            b"POST /run?x HTTP/1.1\r\nHost: h\r\nX-Token: t\r\nContent-Length: 5\r\n\r\nhello",
            100,
        )
        .unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/run?x"));
        assert_eq!(r.header("x-token"), Some("t"));
        assert_eq!(r.body.as_deref(), Some(&b"hello"[..]));
    }

    #[test]
    fn a_body_over_the_limit_is_not_read_and_a_cut_one_is_gone() {
        let r = received(b"POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\nabc", 10).unwrap();
        assert!(r.body.is_none());
        let cut = received(b"POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\nabc", 100);
        assert!(matches!(cut, Err(Malformed::Gone)));
    }

    #[test]
    fn garbage_and_chunks_get_an_answer() {
        assert!(matches!(
            received(b"\x00\x01 nonsense\r\n\r\n", 10),
            Err(Malformed::Answer(400, _))
        ));
        let chunked = received(
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            10,
        );
        assert!(matches!(chunked, Err(Malformed::Answer(411, _))));
    }
}
