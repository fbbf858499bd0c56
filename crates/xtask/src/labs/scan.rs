//! A look at the student's `src/` before it is built: does it use
//! anything that could reach the grader's secret or fake a result?
//!
//! The labs are pure computation: no files, no processes, no environment,
//! no network, no `unsafe`. A submission whose code uses one of those
//! (anywhere, macro arguments included) is *flagged*: it gets 0 for the
//! lab with the reason and line, and is not run, until the teacher has
//! looked and passes `--accept-flagged`.
//!
//! The check reads tokens, not text, so comments and strings never
//! trigger it, and a path is caught however it is spelled
//! (`std::fs::read`, `use std::{fs, io}`, `::std::process::exit`,
//! `r#fs`). What it looks for, and why:
//!
//! | found | why it is suspicious |
//! |---|---|
//! | `process`, `env`, `fs`, `net`, `os` as a path segment | exit with 0, run programs, read the secret or the tests, write verdicts |
//! | `unsafe`, `extern` | read or write any memory, call C |
//! | `include!`, `include_str!`, `include_bytes!`, `env!`, `option_env!`, `asm!` | read files or the environment at build time |
//! | `#[path = …]` | build a file from outside `src/` |
//! | `#[no_mangle]`, `#[export_name]`, `#[link…]`, `#[used]`, `#[global_allocator]` | replace symbols the test binary links |
//! | `#[macro_export]`, `macro_rules!` named like a std macro | shadow the test's `assert!` |
//! | `use std as …`, `std::{self as …}` | hide the paths above under another name |
//! | a hand-written `impl PartialEq`/`Eq`/`PartialOrd`/`Ord` | make every comparison in the tests true |

use crate::Result;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use serde::Serialize;
use std::fs;
use std::path::Path;
use std::str::FromStr;

/// Path segments a lab has no business naming.
const FORBIDDEN_MODULES: [&str; 5] = ["process", "env", "fs", "net", "os"];

/// Macros that read files or the environment, or emit machine code.
const FORBIDDEN_MACROS: [&str; 7] = [
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "asm",
    "global_asm",
];

/// Attributes that change linking or where code comes from.
const FORBIDDEN_ATTRS: [&str; 9] = [
    "path",
    "no_mangle",
    "export_name",
    "link",
    "link_name",
    "link_section",
    "used",
    "global_allocator",
    "macro_export",
];

/// Macros a test file uses that a student's `macro_rules!` must not imitate.
const STD_MACROS: [&str; 20] = [
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "prop_assert",
    "prop_assert_eq",
    "prop_assert_ne",
    "prop_assume",
    "proptest",
    "panic",
    "matches",
    "unreachable",
    "todo",
    "unimplemented",
    "format",
    "println",
    "eprintln",
    "vec",
];

/// Comparison traits a test relies on.
const COMPARISON_TRAITS: [&str; 4] = ["PartialEq", "Eq", "PartialOrd", "Ord"];

/// One suspicious place in the student's code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Flag {
    /// The file, relative to the submission (`lab01/src/lib.rs`).
    pub file: String,
    /// Its line, from 1.
    pub line: usize,
    /// What was found and why it matters, in Russian.
    pub what: String,
}

/// Flags in one source file; `file` names it in the flags.
pub fn scan_source(source: &str, file: &str) -> Vec<Flag> {
    let Ok(stream) = TokenStream::from_str(source) else {
        // the compiler will say what is wrong; nothing to run either way
        return Vec::new();
    };
    let mut flags = Vec::new();
    scan(stream, false, file, &mut flags);
    flags.sort();
    flags.dedup();
    flags
}

/// Flags in every `.rs` file under `src` (a lab's `src/` as submitted);
/// `prefix` is how the report names that directory.
pub fn scan_dir(src: &Path, prefix: &str) -> Result<Vec<Flag>> {
    let mut flags = Vec::new();
    for file in super::catalog::files_under(src)? {
        if file.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(src.join(&file)).unwrap_or_default();
            let name = format!("{prefix}/{}", super::manifest::slash_path(&file));
            flags.extend(scan_source(&text, &name));
        }
    }
    Ok(flags)
}

fn ident(t: Option<&TokenTree>) -> Option<String> {
    match t {
        Some(TokenTree::Ident(i)) => {
            let s = i.to_string();
            Some(s.strip_prefix("r#").map(str::to_string).unwrap_or(s))
        }
        _ => None,
    }
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn line_of(t: &TokenTree) -> usize {
    t.span().start().line
}

fn scan(stream: TokenStream, inherited_use: bool, file: &str, flags: &mut Vec<Flag>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut in_use = inherited_use;
    let flag = |flags: &mut Vec<Flag>, t: &TokenTree, what: String| {
        flags.push(Flag {
            file: file.to_string(),
            line: line_of(t),
            what,
        })
    };
    for (i, t) in tokens.iter().enumerate() {
        let prev = |k: usize| i.checked_sub(k).and_then(|j| tokens.get(j));
        let next = |k: usize| tokens.get(i + k);
        match t {
            TokenTree::Group(g) => {
                let nested_use = in_use && g.delimiter() == Delimiter::Brace;
                // an attribute `#[name …]` or `#![name …]`
                let is_attr = g.delimiter() == Delimiter::Bracket
                    && (is_punct(prev(1), '#')
                        || (is_punct(prev(1), '!') && is_punct(prev(2), '#')));
                if is_attr {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    // `#[unsafe(no_mangle)]` names the attribute inside the parentheses
                    let name = match (ident(inner.first()), inner.get(1)) {
                        (Some(u), Some(TokenTree::Group(args))) if u == "unsafe" => {
                            ident(args.stream().into_iter().next().as_ref())
                        }
                        (name, _) => name,
                    };
                    if let Some(name) = name
                        && FORBIDDEN_ATTRS.contains(&name.as_str())
                    {
                        flag(
                            flags,
                            t,
                            format!("атрибут `#[{name}]`: {}", attr_reason(&name)),
                        );
                    }
                }
                scan(g.stream(), nested_use, file, flags);
            }
            TokenTree::Ident(_) => {
                let name = ident(Some(t)).unwrap_or_default();
                let path_segment = (is_punct(prev(1), ':') && is_punct(prev(2), ':'))
                    || (is_punct(next(1), ':') && is_punct(next(2), ':'))
                    || in_use;
                match name.as_str() {
                    "use" => in_use = true,
                    "unsafe" => flag(flags, t, "`unsafe`: доступ к любой памяти процесса".into()),
                    "extern" => flag(flags, t, "`extern`: внешние функции и крейты".into()),
                    m if FORBIDDEN_MODULES.contains(&m) && path_segment => flag(
                        flags,
                        t,
                        format!(
                            "`{m}` (модуль std): файлы, процессы, окружение и сеть лабораторной \
                             не нужны, а через них можно подделать результат"
                        ),
                    ),
                    m if FORBIDDEN_MACROS.contains(&m) && is_punct(next(1), '!') => flag(
                        flags,
                        t,
                        format!("`{m}!`: читает файлы или окружение при сборке"),
                    ),
                    "macro_rules" if is_punct(next(1), '!') => {
                        if let Some(m) = ident(next(2))
                            && STD_MACROS.contains(&m.as_str())
                        {
                            flag(
                                flags,
                                t,
                                format!(
                                    "`macro_rules! {m}` подменяет макрос, которым проверяют тесты"
                                ),
                            );
                        }
                    }
                    "as" if in_use => {
                        if let Some(before) = ident(prev(1))
                            && ["std", "core", "alloc", "self"].contains(&before.as_str())
                        {
                            flag(
                                flags,
                                t,
                                format!(
                                    "`{before} as …`: другое имя для std прячет пути от проверки"
                                ),
                            );
                        }
                    }
                    "impl" => {
                        // `impl PartialEq for T`, `impl<…> std::cmp::PartialOrd<U> for T`
                        let header: Vec<String> = tokens[i + 1..]
                            .iter()
                            .take_while(|t| !matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))
                            .filter_map(|t| ident(Some(t)))
                            .collect();
                        if let Some(pos) = header.iter().position(|w| w == "for")
                            && let Some(name) = header[..pos]
                                .iter()
                                .find(|w| COMPARISON_TRAITS.contains(&w.as_str()))
                        {
                            flag(
                                flags,
                                t,
                                format!(
                                    "своя реализация `{name}`: тесты сравнивают значения, и \
                                     сравнение, которое всегда «равно», подделывает результат \
                                     (используйте `#[derive({name})]`)"
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            }
            TokenTree::Punct(p) if p.as_char() == ';' => in_use = inherited_use,
            _ => {}
        }
    }
}

fn attr_reason(name: &str) -> &'static str {
    match name {
        "path" => "модуль из файла вне `src/`",
        "macro_export" => "макрос, видимый тестам, может подменить их проверки",
        _ => "подменяет символы, которые компонует тестовая программа",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(source: &str) -> Vec<String> {
        scan_source(source, "lab01/src/lib.rs")
            .into_iter()
            .map(|f| format!("{}: {}", f.line, f.what.split(':').next().unwrap()))
            .collect()
    }

    #[test]
    fn honest_lab_code_is_not_flagged() {
        let source = r#"
            //! Uses std::fs in a comment only: "std::process::exit" in a string too.
            #![forbid(unsafe_code)]
            use std::collections::HashMap;
            use std::io::Read;
            macro_rules! operator { ($t:ident) => {}; }
            #[derive(Debug, Clone, PartialEq)]
            pub struct Value { env: f64 }
            pub fn f(env: f64, fs: usize) -> f64 { let process = env; process * fs as f64 }
            impl std::ops::Add for Value { type Output = Value; fn add(self, o: Value) -> Value { o } }
        "#;
        assert!(whats(source).is_empty(), "{:?}", whats(source));
    }

    #[test]
    fn every_way_to_the_secret_or_a_fake_result_is_flagged() {
        let cases: [(&str, &str); 24] = [
            (
                "pub fn f() { std::process::exit(0) }",
                "`process` (модуль std)",
            ),
            ("use std::{fs, io};", "`fs` (модуль std)"),
            (
                "fn f() { let _ = ::std::env::var(\"X\"); }",
                "`env` (модуль std)",
            ),
            (
                "fn f() { println!(\"{:?}\", std::net::TcpStream::connect(\"x\")); }",
                "`net` (модуль std)",
            ),
            (
                "use std::os::unix::process::CommandExt;",
                "`os` (модуль std)",
            ),
            ("use std as s;", "`std as …`"),
            ("use std::{self as s};", "`self as …`"),
            ("fn f() -> u8 { unsafe { *std::ptr::null() } }", "`unsafe`"),
            ("extern \"C\" { fn exit(c: i32); }", "`extern`"),
            (
                "const T: &str = include_str!(\"../tests/lab01.rs\");",
                "`include_str!`",
            ),
            ("include!(\"/etc/passwd\");", "`include!`"),
            ("const K: &str = env!(\"HOME\");", "`env!`"),
            (
                "const K: Option<&str> = option_env!(\"HOME\");",
                "`option_env!`",
            ),
            (
                "const B: &[u8] = include_bytes!(\"../tests/lab01.rs\");",
                "`include_bytes!`",
            ),
            ("fn f() { core::arch::asm!(\"nop\"); }", "`asm!`"),
            (
                "#[export_name = \"main\"] pub fn f() {}",
                "атрибут `#[export_name]`",
            ),
            (
                "#[link(name = \"c\")] unsafe extern \"C\" {}",
                "атрибут `#[link]`",
            ),
            ("#[used] static K: u8 = 0;", "атрибут `#[used]`"),
            ("#[path = \"../../x.rs\"] mod x;", "атрибут `#[path]`"),
            (
                "#[unsafe(no_mangle)] pub fn main() {}",
                "атрибут `#[no_mangle]`",
            ),
            (
                "#[global_allocator] static A: X = X;",
                "атрибут `#[global_allocator]`",
            ),
            (
                "#[macro_export] macro_rules! m { () => {} }",
                "атрибут `#[macro_export]`",
            ),
            (
                "macro_rules! assert { ($($t:tt)*) => {} }",
                "`macro_rules! assert` подменяет макрос, которым проверяют тесты",
            ),
            (
                "impl PartialEq for Loss { fn eq(&self, _: &Self) -> bool { true } }",
                "своя реализация `PartialEq`",
            ),
        ];
        for (source, expected) in cases {
            let found = whats(source);
            assert!(
                found.iter().any(|f| f.contains(expected)),
                "{source}: expected {expected:?}, found {found:?}"
            );
        }
        // a raw identifier is still the module
        assert!(!whats("fn f() { std::r#fs::remove_file(\"x\").ok(); }").is_empty());
        // the line is the line of the offending token
        assert_eq!(
            whats("\n\nfn f() { std::process::abort() }")[0],
            "3: `process` (модуль std)"
        );
    }

    #[test]
    fn the_course_solutions_are_clean() {
        let root = crate::workspace_root();
        for lab in super::super::catalog::discover(&root).unwrap() {
            for dir in [&lab.stub_dir, &lab.solution_dir] {
                let flags = scan_dir(&dir.join("src"), &lab.name).unwrap();
                assert!(flags.is_empty(), "{}: {flags:#?}", dir.display());
            }
        }
    }
}
