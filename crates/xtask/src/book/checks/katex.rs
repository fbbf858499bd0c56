//! The vendored KaTeX stylesheet is the one the renderer's HTML is made for:
//! its version is exactly the KaTeX that the `katex` crate embeds (and
//! mdbook-katex calls), its licence is there, and every WOFF2 font it names
//! is in the book.

use super::Problem;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// The KaTeX version the `katex` crate embeds (the JavaScript that renders).
pub const RENDERER_VERSION: &str = katex::KATEX_VERSION;

/// Checks `dir` (`book/src/katex/`) against the renderer's `version`.
pub fn check(dir: &Path, version: &str) -> Vec<Problem> {
    static VERSION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"katex-version:after\{content:"([^"]+)"\}"#).expect("valid regex")
    });
    static WOFF2: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"url\(([^)]+\.woff2)\)").expect("valid regex"));
    let css_path = dir.join("katex.min.css");
    let Ok(css) = std::fs::read_to_string(&css_path) else {
        return vec![Problem::new(
            &css_path,
            None,
            "the vendored KaTeX stylesheet is missing",
        )];
    };
    let mut problems = Vec::new();
    match VERSION.captures(&css) {
        Some(c) if c[1] == *version.trim() => {}
        Some(c) => problems.push(Problem::new(
            &css_path,
            None,
            format!(
                "stylesheet of KaTeX {} but the renderer is KaTeX {}: vendor `npm pack katex@{}`",
                &c[1],
                version.trim(),
                version.trim()
            ),
        )),
        None => problems.push(Problem::new(
            &css_path,
            None,
            "no KaTeX version found in the stylesheet",
        )),
    }
    if !dir.join("LICENSE").is_file() {
        problems.push(Problem::new(
            dir.join("LICENSE"),
            None,
            "KaTeX's MIT licence must ship with its files",
        ));
    }
    for font in WOFF2.captures_iter(&css) {
        let font = font[1].trim_matches(['"', '\'']);
        if !dir.join(font).is_file() {
            problems.push(Problem::new(
                &css_path,
                None,
                format!("font `{font}` is not vendored"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor(dir: &Path, version: &str, fonts: &[&str], license: bool) {
        std::fs::create_dir_all(dir.join("fonts")).unwrap();
        let css = format!(
            "@font-face{{font-family:KaTeX_AMS;src:url(fonts/KaTeX_AMS-Regular.woff2) format(\"woff2\"),url(fonts/KaTeX_AMS-Regular.woff) format(\"woff\")}}.katex .katex-version:after{{content:\"{version}\"}}"
        );
        std::fs::write(dir.join("katex.min.css"), css).unwrap();
        for f in fonts {
            std::fs::write(dir.join("fonts").join(f), b"wOF2").unwrap();
        }
        if license {
            std::fs::write(dir.join("LICENSE"), "MIT").unwrap();
        }
    }

    #[test]
    fn matching_vendored_katex_passes() {
        let dir = tempfile::tempdir().unwrap();
        vendor(dir.path(), "0.16.4", &["KaTeX_AMS-Regular.woff2"], true);
        assert!(check(dir.path(), "0.16.4\n").is_empty());
    }

    #[test]
    fn wrong_version_missing_font_and_licence_fail() {
        let dir = tempfile::tempdir().unwrap();
        vendor(dir.path(), "0.16.9", &[], false);
        let p = check(dir.path(), "0.16.4");
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].message
                .contains("KaTeX 0.16.9 but the renderer is KaTeX 0.16.4")
        );
        assert!(p[1].message.contains("licence"));
        assert!(p[2].message.contains("KaTeX_AMS-Regular.woff2"));
    }

    #[test]
    fn the_committed_stylesheet_matches_the_renderer() {
        let dir = crate::workspace_root().join("book/src/katex");
        let p = check(&dir, RENDERER_VERSION);
        assert!(p.is_empty(), "{p:?}");
    }
}
