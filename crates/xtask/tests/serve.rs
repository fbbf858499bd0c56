//! `cargo xtask serve` over HTTP, the way a page (or an attacker's page)
//! talks to it. One server and one warm build serve every test of this file:
//! it starts on a free port with `--stop-on-eof` and ends with this process.

use serde_json::Value;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

struct Served {
    port: u16,
    token: String,
    // held open: the server stops when this process ends and it closes
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

fn server() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["serve", "--port", "0", "--stop-on-eof"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start cargo xtask serve");
        let stdin = child.stdin.take().expect("stdin");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("the server ended before it printed its URL")
                .expect("read stdout");
            eprintln!("server: {line}");
            if let Some(rest) = line.strip_prefix("serving the book at http://127.0.0.1:") {
                let port = rest.split('/').next().unwrap_or_default();
                break port.parse::<u16>().expect("a port");
            }
        };
        // the rest of its output (the first build's time) goes to the test log
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                eprintln!("server: {line}");
            }
        });
        let page = get(port, "/ch02-activations.html", &format!("127.0.0.1:{port}")).1;
        let token = page
            .split("name=\"course-run-token\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page carries the token")
            .to_owned();
        Served {
            port,
            token,
            _stdin: Mutex::new(stdin),
            _child: Mutex::new(child),
        }
    })
}

/// One HTTP/1.0 exchange on a fresh connection (no chunked body to decode): (status, body).
fn exchange(port: u16, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("receive");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn get(port: u16, path: &str, host: &str) -> (u16, String) {
    exchange(
        port,
        &format!("GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

/// The headers of a request from the served page itself.
fn own_headers(s: &Served) -> Vec<(String, String)> {
    vec![
        ("Host".into(), format!("127.0.0.1:{}", s.port)),
        ("Origin".into(), format!("http://127.0.0.1:{}", s.port)),
        ("Sec-Fetch-Site".into(), "same-origin".into()),
        ("X-Course-Token".into(), s.token.clone()),
    ]
}

fn post(port: u16, path: &str, headers: &[(String, String)], body: &str) -> (u16, Value) {
    let mut request = format!(
        "POST {path} HTTP/1.0\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let (status, text) = exchange(port, &request);
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

/// Runs `code` as the page would (mdBook's request body).
fn run(code: &str) -> Value {
    let s = server();
    let body =
        serde_json::json!({"version": "stable", "optimize": "0", "code": code, "edition": "2024"});
    let (status, value) = post(s.port, "/evaluate.json", &own_headers(s), &body.to_string());
    assert_eq!(status, 200, "{value}");
    value
}

#[test]
fn a_snippet_prints_its_output() {
    let out = run(
        "use activations::{Activation, Sigmoid};\nprintln!(\"σ(0) = {}\", Sigmoid.forward(0.0));\n",
    );
    assert_eq!(out["stdout"], "σ(0) = 0.5\n", "{out}");
    assert_eq!(out["exit_code"], 0);
    assert_eq!(out["result"], "σ(0) = 0.5\n");
}

/// The first Rust block of ch02 that is a snippet (not an include).
fn a_book_snippet() -> String {
    let chapter = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/ch02-activations.md");
    let text = std::fs::read_to_string(chapter).expect("read ch02");
    let mut blocks = text.split("```rust").skip(1);
    blocks
        .find_map(|b| {
            let body = b.split_once('\n')?.1.split("```").next()?;
            (!body.contains("{{#include")).then(|| body.to_owned())
        })
        .expect("ch02 has a snippet")
}

#[test]
fn a_book_snippet_and_its_edited_copy_run_warm_in_3_s() {
    let original = a_book_snippet();
    let out = run(&original);
    assert_eq!(out["exit_code"], 0, "{out}");
    assert!(
        out["result"]
            .as_str()
            .unwrap()
            .contains("завершилась успешно"),
        "{out}"
    );
    // an edit the reader might make: print what the snippet computes
    let edited = format!("{original}\nprintln!(\"edited {{}}\", 6 * 7);\n");
    let started = Instant::now();
    let out = run(&edited);
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(out["stdout"], "edited 42\n", "{out}");
    let seconds = out["build_seconds"].as_f64().unwrap() + out["run_seconds"].as_f64().unwrap();
    eprintln!("edited snippet: build + run {seconds:.2} s (request {wall:.2} s, queue included)");
    assert!(
        seconds <= 3.0,
        "a warm edited run took {seconds:.2} s (> 3 s)"
    );
}

#[test]
fn a_compile_error_names_the_line_of_the_snippet() {
    let out = run("let a = 1;\nlet b = a + undefined_name;\n");
    let error = out["compile_error"]
        .as_str()
        .unwrap_or_else(|| panic!("no compile error: {out}"));
    assert!(
        error.contains("cannot find value `undefined_name`"),
        "{error}"
    );
    assert!(error.contains("--> snippet.rs:2:13"), "{error}");
    assert!(error.contains("2 | let b = a + undefined_name;"), "{error}");
    assert!(
        out["result"]
            .as_str()
            .unwrap()
            .starts_with("Ошибка компиляции")
    );
    assert_eq!(out["exit_code"], Value::Null, "nothing ran");
}

#[test]
fn foreign_requests_are_refused_and_run_nothing() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let code = format!(
        "std::fs::write({:?}, \"ran\").unwrap();\n",
        marker.display().to_string()
    );
    let body = serde_json::json!({"code": code}).to_string();
    let own = own_headers(s);
    let without = |name: &str| -> Vec<(String, String)> {
        own.iter().filter(|(k, _)| k != name).cloned().collect()
    };
    let replaced = |name: &str, value: &str| -> Vec<(String, String)> {
        let mut h = without(name);
        h.push((name.into(), value.into()));
        h
    };
    let cases = [
        ("no token", without("X-Course-Token")),
        (
            "a wrong token",
            replaced("X-Course-Token", "0123456789abcdef0123456789abcdef"),
        ),
        (
            "a foreign Origin",
            replaced("Origin", "http://evil.example"),
        ),
        ("no Origin", without("Origin")),
        (
            "a cross-site fetch",
            replaced("Sec-Fetch-Site", "cross-site"),
        ),
        (
            "a rebound DNS name",
            replaced("Host", &format!("evil.example:{}", s.port)),
        ),
    ];
    for (what, headers) in cases {
        let (status, value) = post(s.port, "/evaluate.json", &headers, &body);
        assert_eq!(status, 403, "{what}: {value}");
        assert!(
            value["result"]
                .as_str()
                .unwrap()
                .starts_with("Запуск отклонён"),
            "{what}: {value}"
        );
    }
    // a foreign host gets no page either (it would hold the token)
    let (status, page) = get(
        s.port,
        "/ch02-activations.html",
        &format!("evil.example:{}", s.port),
    );
    assert_eq!(status, 403);
    assert!(!page.contains(&s.token));
    // the queue is empty of those: the same snippet, sent properly, is the first to write
    std::thread::sleep(Duration::from_millis(200));
    assert!(!marker.exists(), "a refused request ran");
    let (status, value) = post(s.port, "/evaluate.json", &own, &body);
    assert_eq!(status, 200, "{value}");
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "ran", "{value}");
}

/// Whether process `pid` still runs (a zombie waiting to be reaped does not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| !stat.contains(") Z "))
}

#[test]
fn an_endless_loop_is_stopped_at_10_s_with_its_children() {
    let code = "use std::io::Write;\n\
                let child = std::process::Command::new(\"sleep\").arg(\"600\").spawn().unwrap();\n\
                println!(\"{} {}\", std::process::id(), child.id());\n\
                std::io::stdout().flush().unwrap();\n\
                loop { std::hint::spin_loop(); }\n";
    let out = run(code);
    assert_eq!(out["stopped"], "time", "{out}");
    let seconds = out["run_seconds"].as_f64().unwrap();
    assert!((10.0..11.0).contains(&seconds), "stopped after {seconds} s");
    assert!(
        out["result"].as_str().unwrap().contains("дольше 10 с"),
        "{out}"
    );
    let pids: Vec<String> = out["stdout"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(pids.len(), 2, "{out}");
    std::thread::sleep(Duration::from_millis(300));
    for pid in &pids {
        assert!(!alive(pid), "process {pid} outlived its run");
    }
}

#[test]
fn a_huge_output_is_cut_at_64_kb() {
    let out = run("let line = \"x\".repeat(1000);\nloop { println!(\"{line}\"); }\n");
    assert_eq!(
        out["stopped"],
        "output",
        "{}",
        out["result"].as_str().unwrap_or("").len()
    );
    let kept = out["stdout"].as_str().unwrap().len() + out["stderr"].as_str().unwrap().len();
    assert_eq!(kept, 64 * 1024);
    assert!(
        out["result"]
            .as_str()
            .unwrap()
            .ends_with("все её процессы завершены]")
    );
    assert!(out["run_seconds"].as_f64().unwrap() < 5.0);
}

#[test]
fn pages_have_the_token_and_mdbooks_playground() {
    let s = server();
    let host = format!("127.0.0.1:{}", s.port);
    let (status, page) = get(s.port, "/ch02-activations.html", &host);
    assert_eq!(status, 200);
    assert!(page.contains(&format!("content=\"{}\"", s.token)));
    assert!(page.contains("<pre class=\"playground\">"), "▶ blocks");
    let script = page
        .split("src=\"")
        .filter_map(|p| p.split('"').next())
        .find(|src| src.starts_with("book-") && src.ends_with(".js"))
        .expect("the page loads book.js");
    let (status, js) = get(s.port, &format!("/{script}"), &host);
    assert_eq!(status, 200);
    assert!(
        js.contains("return window.courseServe.fetch(url, options);"),
        "book.js is rerouted"
    );
    // the crate list mdBook asks for: the book's dependencies
    let (status, crates) = post(s.port, "/meta/crates", &own_headers(s), "{}");
    assert_eq!(status, 200);
    let ids: Vec<&str> = crates["crates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"mlp") && ids.contains(&"activations"),
        "{ids:?}"
    );
    // an include of crate source is a fragment: no ▶ on it
    let static_count = page.matches("<pre class=\"playground\">").count();
    let fences = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/ch02-activations.md"),
    )
    .unwrap();
    let snippets = fences
        .split("```rust")
        .skip(1)
        .filter(|b| !b.split("```").next().unwrap_or("").contains("{{#include"))
        .count();
    assert_eq!(static_count, snippets);
}

/// `&lt;` → `<` and the other entities mdBook writes into code.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The text of an HTML fragment (what `textContent` gives the page's script).
fn text_content(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// Per chapter source: (Rust blocks that are snippets, those marked
/// `editable`, `editable` blocks that are includes — a mistake).
fn fences(markdown: &str) -> (usize, usize, usize) {
    let (mut snippets, mut editable, mut wrong) = (0, 0, 0);
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```rust") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        let include = body.iter().any(|l| l.contains("{{#include"));
        let marked = info.contains("editable");
        snippets += usize::from(!include);
        editable += usize::from(!include && marked);
        wrong += usize::from(include && marked);
    }
    (snippets, editable, wrong)
}

#[test]
fn every_runnable_block_of_the_book_runs_as_its_doctest_does() {
    let s = server();
    let host = format!("127.0.0.1:{}", s.port);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src");
    let mut chapters: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".md") && n != "SUMMARY.md")
        .collect();
    chapters.sort();
    let mut total = 0;
    for chapter in chapters {
        let source = std::fs::read_to_string(src.join(&chapter)).unwrap();
        let (snippets, marked, wrong) = fences(&source);
        assert_eq!(
            wrong, 0,
            "{chapter}: an include of crate source marked editable"
        );
        let page = chapter.replace(".md", ".html");
        let (status, html) = get(s.port, &format!("/{page}"), &host);
        assert_eq!(status, 200, "{page}");
        let blocks: Vec<&str> = html.split("<pre class=\"playground\">").skip(1).collect();
        assert_eq!(
            blocks.len(),
            snippets,
            "{page}: every snippet has ▶, no include has"
        );
        let (mut editable, started) = (0, Instant::now());
        for block in &blocks {
            let (classes, rest) = block.split_once('>').expect("a <code> tag");
            let body = rest.split("</code>").next().unwrap_or_default();
            editable += usize::from(classes.contains("editable"));
            let code = text_content(body);
            let out = run(&code);
            let expected = if classes.contains("should_panic") {
                101
            } else {
                0
            };
            assert_eq!(
                out["exit_code"].as_i64(),
                Some(expected),
                "{page}: {code}\n{}",
                out["result"]
            );
        }
        assert_eq!(editable, marked, "{page}: editable blocks");
        if !blocks.is_empty() {
            eprintln!(
                "{page}: {} runnable blocks ({editable} editable), all ran in {:.1} s",
                blocks.len(),
                started.elapsed().as_secs_f64()
            );
        }
        total += blocks.len();
    }
    assert!(total > 0);
}

#[test]
fn an_svg_the_snippet_writes_comes_back_to_be_shown() {
    let out = run(
        "std::fs::write(\"plot.svg\", \"<svg xmlns='http://www.w3.org/2000/svg'/>\").unwrap();\n",
    );
    assert_eq!(out["exit_code"], 0, "{out}");
    let svgs = out["svgs"].as_array().unwrap();
    assert_eq!(svgs.len(), 1, "{out}");
    assert_eq!(svgs[0]["name"], "plot.svg");
    assert!(svgs[0]["svg"].as_str().unwrap().starts_with("<svg"));
    // each run starts in an empty directory: the next one sees no old file
    let next = run("assert!(!std::path::Path::new(\"plot.svg\").exists());\n");
    assert_eq!(next["exit_code"], 0, "{next}");
    assert!(next["svgs"].as_array().unwrap().is_empty());
}
