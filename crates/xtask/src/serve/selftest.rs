//! `cargo xtask serve --self-test`: the served book in a real browser.
//!
//! Headless Chromium opens a chapter with `?self-test`; the page's script
//! (`book/theme/serve.js`) presses mdBook's ▶ on a listing, then types new
//! code into an editable listing through mdBook's editor and presses ▶
//! again, and posts both result blocks back. Here they are compared with
//! what those programs must print.

use super::http::Server;
use crate::Result;
use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The chapter opened: it has plain and editable listings.
const CHAPTER: &str = "ch06-optimizers.html";

/// What the editable listing is changed to, and what it must then print.
const EDITED: &str =
    "use activations::{Activation, Sigmoid};\nprintln!(\"σ(0) = {}\", Sigmoid.forward(0.0));\n";
const EDITED_PRINTS: &str = "σ(0) = 0.5";

/// What an unchanged listing (assertions only) must report.
const PLAIN_REPORTS: &str = "завершилась успешно";

/// Longest wait for the first build of the course crates (a cold one on a
/// busy machine), and then for the page's report.
const PATIENCE: Duration = Duration::from_secs(30 * 60);
const AFTER_BUILD: Duration = Duration::from_secs(90);

/// The browser's process group, for a server stopped by a signal.
pub static BROWSER: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Kills the browser's process group, if one runs.
pub fn kill_browser() {
    let pgid = BROWSER.swap(0, std::sync::atomic::Ordering::SeqCst);
    if let Some(pid) = rustix::process::Pid::from_raw(pgid) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

/// The browsers tried, in order (`CHROMIUM` names another).
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

fn browser() -> Result<String> {
    if let Some(b) = std::env::var_os("CHROMIUM") {
        return Ok(b.to_string_lossy().into_owned());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in BROWSERS {
        if std::env::split_paths(&path).any(|dir| dir.join(name).is_file()) {
            return Ok(name.to_owned());
        }
    }
    Err("no Chromium found (install it: `apt-get install -y chromium`, or set CHROMIUM=/path/to/chrome)".into())
}

/// `?code=` value: every byte outside the unreserved set escaped.
fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs the browser test against `server` (already serving).
pub fn run(server: &Server) -> Result {
    let reports = server.expect_reports();
    let browser = browser()?;
    let url = format!(
        "{}{CHAPTER}?self-test&code={}",
        server.url(),
        query_escape(EDITED)
    );
    println!("self-test: {browser} opens {}{CHAPTER}", server.url());
    let started = Instant::now();
    let report = open_page(server, &reports, &browser, &url, started)?
        .map_err(|why| format!("self-test: {why}"))?;
    let report: serde_json::Value = serde_json::from_str(&report)?;
    check(&report)?;
    println!(
        "self-test passed in {:.1} s: {} runnable listings ({} editable) in {CHAPTER}; ▶ on a listing gave {:?}; the edited listing printed {EDITED_PRINTS:?}",
        started.elapsed().as_secs_f64(),
        report["blocks"],
        report["editable"],
        report["first"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default(),
    );
    Ok(())
}

/// One start of the browser on `url`: the page's report, or why there was
/// none (with the browser's last lines of log).
fn open_page(
    server: &Server,
    reports: &std::sync::mpsc::Receiver<String>,
    browser: &str,
    url: &str,
    started: Instant,
) -> Result<std::result::Result<String, String>> {
    let profile = tempfile::tempdir()?;
    let log = profile.path().join("chromium.log");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            // the page's console messages go to the log too
            "--enable-logging=stderr",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start {browser}: {e}"))?;
    BROWSER.store(
        i32::try_from(child.id()).unwrap_or(0),
        std::sync::atomic::Ordering::SeqCst,
    );
    let report = wait_for_report(server, reports, started);
    kill_browser();
    let _ = child.wait();
    Ok(report.map_err(|why| {
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        let mut tail: Vec<&str> = said
            .lines()
            .filter(|line| !line.contains("dbus") && !line.trim().is_empty())
            .rev()
            .take(20)
            .collect();
        tail.reverse();
        format!("{why}; the browser's last words:\n{}", tail.join("\n"))
    }))
}

/// The page's report: it may wait for the first build, then has
/// [`AFTER_BUILD`] to press ▶ twice.
fn wait_for_report(
    server: &Server,
    reports: &std::sync::mpsc::Receiver<String>,
    started: Instant,
) -> std::result::Result<String, String> {
    let mut built: Option<Instant> = None;
    loop {
        match reports.recv_timeout(Duration::from_secs(1)) {
            Ok(report) => return Ok(report),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err("the server stopped taking reports".into());
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if built.is_none() && server.warmup() != super::runner::Warmup::Building {
            built = Some(Instant::now());
        }
        if built.is_some_and(|at| at.elapsed() > AFTER_BUILD) {
            return Err(format!(
                "no report from the page {} s after the first build",
                AFTER_BUILD.as_secs()
            ));
        }
        if started.elapsed() > PATIENCE {
            return Err(format!("no report within {} s", PATIENCE.as_secs()));
        }
    }
}

/// What the page must have found.
fn check(report: &serde_json::Value) -> Result {
    if let Some(e) = report["error"].as_str() {
        return Err(format!("self-test: the page failed: {e} (report: {report})").into());
    }
    let count = |key: &str| report[key].as_u64().unwrap_or(0);
    if count("blocks") == 0 || count("buttons") == 0 || count("editable") == 0 {
        return Err(format!(
            "self-test: the chapter lacks ▶ buttons or editable listings: {report}"
        )
        .into());
    }
    let text = |key: &str| report[key].as_str().unwrap_or_default().to_owned();
    if !text("first").contains(PLAIN_REPORTS) {
        return Err(format!(
            "self-test: ▶ on a listing gave {:?}, expected {PLAIN_REPORTS:?}",
            text("first")
        )
        .into());
    }
    if !text("edited").contains(EDITED_PRINTS) {
        return Err(format!(
            "self-test: the edited listing gave {:?}, expected {EDITED_PRINTS:?}",
            text("edited")
        )
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_survives_the_query_string() {
        assert_eq!(query_escape("a b\n(σ)"), "a%20b%0A%28%CF%83%29");
    }

    #[test]
    fn a_report_passes_only_with_both_outputs() {
        let good = serde_json::json!({"blocks": 9, "editable": 1, "buttons": 9,
            "first": "Программа завершилась успешно и ничего не напечатала", "edited": "σ(0) = 0.5\n"});
        assert!(check(&good).is_ok());
        let mut bad = good.clone();
        bad["edited"] = "Ошибка компиляции".into();
        assert!(check(&bad).is_err());
        let mut none = good.clone();
        none["editable"] = 0.into();
        assert!(check(&none).is_err());
        assert!(check(&serde_json::json!({"error": "timed out"})).is_err());
    }
}
