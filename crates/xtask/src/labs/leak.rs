//! Is any solution code in a handout? Every function body of a solution
//! that is not also in its stub (the bodies the student must write) is
//! searched for in every file of the handout, comments and whitespace
//! ignored. `handout` refuses to finish if one is found, and a unit test
//! makes a handout and checks.

use super::catalog::{self, Lab};
use crate::Result;
use std::fs;
use std::path::{Path, PathBuf};

/// Bodies shorter than this (after [`normalize`]) are too generic to be
/// evidence (`{self.eta}`, `{Ok(())}`).
pub const MIN_BODY: usize = 24;

/// A solution body found in a handout.
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    /// The handout file it was found in, relative to the handout.
    pub file: PathBuf,
    /// The solution file it comes from, relative to the course root.
    pub solution_file: PathBuf,
    /// The first characters of the body, for the message.
    pub excerpt: String,
}

/// Source without comments and whitespace, so that formatting and
/// comments cannot hide a copied body.
pub fn normalize(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut scanner = Scanner::new(code);
    while let Some((c, kind)) = scanner.next_char() {
        if kind != Kind::Comment && !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The bodies `{…}` of every `fn` in `source` (nested functions too), as
/// written.
pub fn fn_bodies(source: &str) -> Vec<&str> {
    let bytes = source.as_bytes();
    let code = code_mask(source);
    let mut bodies = Vec::new();
    let mut i = 0;
    while let Some(pos) = source[i..].find("fn ") {
        let at = i + pos;
        i = at + 3;
        let starts_word =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if !starts_word || !code[at] {
            continue;
        }
        // the body opens at the first `{` (or there is none: a `;` first)
        let Some(open) =
            (i..bytes.len()).find(|&j| code[j] && (bytes[j] == b'{' || bytes[j] == b';'))
        else {
            break;
        };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0usize;
        for j in open..bytes.len() {
            if !code[j] {
                continue;
            }
            match bytes[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        bodies.push(&source[open..=j]);
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    bodies
}

/// For every byte of `source`: is it code (not inside a comment, string
/// or character literal)?
fn code_mask(source: &str) -> Vec<bool> {
    let mut mask = vec![false; source.len()];
    let mut scanner = Scanner::new(source);
    while let Some((at, kind)) = scanner.next_index() {
        mask[at] = kind == Kind::Code;
    }
    mask
}

/// A character scanner that knows about comments, strings, character
/// literals and lifetimes (`'a` is code, `'{'` is not).
struct Scanner<'a> {
    src: &'a [u8],
    text: &'a str,
    at: usize,
    state: State,
}

/// What a byte of source is part of.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Code,
    Comment,
    Literal,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    LineComment,
    BlockComment(usize),
    Str,
    Char(usize),
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            src: text.as_bytes(),
            text,
            at: 0,
            state: State::Code,
        }
    }

    /// The next byte index and what it is part of.
    fn next_index(&mut self) -> Option<(usize, Kind)> {
        let i = self.at;
        if i >= self.src.len() {
            return None;
        }
        let b = self.src[i];
        let next = self.src.get(i + 1).copied();
        self.at += 1;
        let kind = match self.state {
            State::Code => match (b, next) {
                (b'/', Some(b'/')) => {
                    self.state = State::LineComment;
                    Kind::Comment
                }
                (b'/', Some(b'*')) => {
                    self.state = State::BlockComment(1);
                    self.at += 1;
                    Kind::Comment
                }
                (b'"', _) => {
                    self.state = State::Str;
                    Kind::Literal
                }
                (b'\'', _) => {
                    // '\n', 'x', '{' are characters; 'a (no closing quote
                    // two or three bytes on) is a lifetime
                    if next == Some(b'\\') {
                        let close = self.src[i + 2..].iter().position(|&c| c == b'\'');
                        self.state = State::Char(close.map_or(0, |p| p + 2));
                        Kind::Literal
                    } else if let Some(len) = char_len(&self.text[i + 1..]) {
                        self.state = State::Char(len);
                        Kind::Literal
                    } else {
                        Kind::Code
                    }
                }
                _ => Kind::Code,
            },
            State::LineComment => {
                if b == b'\n' {
                    self.state = State::Code;
                }
                Kind::Comment
            }
            State::BlockComment(depth) => {
                match (b, next) {
                    (b'*', Some(b'/')) => {
                        self.at += 1;
                        self.state = if depth == 1 {
                            State::Code
                        } else {
                            State::BlockComment(depth - 1)
                        };
                    }
                    (b'/', Some(b'*')) => {
                        self.at += 1;
                        self.state = State::BlockComment(depth + 1);
                    }
                    _ => {}
                }
                Kind::Comment
            }
            State::Str => {
                match b {
                    b'\\' => self.at += 1,
                    b'"' => self.state = State::Code,
                    _ => {}
                }
                Kind::Literal
            }
            State::Char(left) => {
                self.state = if left <= 1 {
                    State::Code
                } else {
                    State::Char(left - 1)
                };
                Kind::Literal
            }
        };
        Some((i, kind))
    }

    /// The next character and what it is part of.
    fn next_char(&mut self) -> Option<(char, Kind)> {
        loop {
            let (i, kind) = self.next_index()?;
            if self.text.is_char_boundary(i) {
                let c = self.text[i..].chars().next()?;
                return Some((c, kind));
            }
        }
    }
}

/// If `rest` starts with one character and a closing `'`, the bytes up to
/// and including that quote.
fn char_len(rest: &str) -> Option<usize> {
    let c = rest.chars().next()?;
    let after = c.len_utf8();
    (rest.as_bytes().get(after) == Some(&b'\'')).then_some(after + 1)
}

/// Normalised bodies of `lab`'s solution that its stub does not contain,
/// with the solution file each comes from.
pub fn solution_only_bodies(lab: &Lab) -> Result<Vec<(PathBuf, String)>> {
    let mut found = Vec::new();
    let src = lab.solution_dir.join("src");
    for file in catalog::files_under(&src)? {
        let solution = fs::read_to_string(src.join(&file))?;
        let stub = fs::read_to_string(lab.stub_dir.join("src").join(&file)).unwrap_or_default();
        let stub = normalize(&stub);
        for body in fn_bodies(&solution) {
            let body = normalize(body);
            if body.len() >= MIN_BODY && !stub.contains(&body) {
                found.push((
                    Path::new("exercises/solutions")
                        .join(&lab.name)
                        .join("src")
                        .join(&file),
                    body,
                ));
            }
        }
    }
    Ok(found)
}

/// Every solution body of `labs` found in a file under `dir`.
pub fn find(dir: &Path, labs: &[Lab]) -> Result<Vec<Leak>> {
    let mut bodies = Vec::new();
    for lab in labs {
        bodies.extend(solution_only_bodies(lab)?);
    }
    let mut leaks = Vec::new();
    for file in catalog::files_under(dir)? {
        let Ok(text) = fs::read_to_string(dir.join(&file)) else {
            continue; // not text (compressed data): cannot hold source
        };
        let text = normalize(&text);
        for (solution_file, body) in &bodies {
            if text.contains(body.as_str()) {
                leaks.push(Leak {
                    file: file.clone(),
                    solution_file: solution_file.clone(),
                    excerpt: body.chars().take(60).collect(),
                });
            }
        }
    }
    Ok(leaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_found_past_strings_chars_comments_and_lifetimes() {
        let source = r#"
            /// doc with a brace { in it
            pub fn a<'x>(s: &'x str) -> char {
                let _ = "a } in a string";
                let c = '}'; // and } in a comment
                /* block { comment */
                c
            }
            trait T { fn declared(&self); }
            fn outer() { fn inner() { 1; } inner() }
        "#;
        let bodies = fn_bodies(source);
        assert_eq!(bodies.len(), 3, "{bodies:#?}");
        assert!(bodies[0].starts_with('{') && bodies[0].trim_end().ends_with("c\n            }"));
        assert!(bodies[0].contains("block { comment"));
        assert_eq!(bodies[1], "{ fn inner() { 1; } inner() }");
        assert_eq!(bodies[2], "{ 1; }");
    }

    #[test]
    fn normalising_drops_comments_and_layout() {
        let a = "{\n    let x = 1; // one\n    x + 1\n}";
        let b = "{ let x = 1;\n/* reformatted */ x+1 }";
        assert_eq!(normalize(a), normalize(b));
        assert_eq!(normalize(a), "{letx=1;x+1}");
    }

    #[test]
    fn a_copied_body_is_found_and_a_stub_is_not() {
        let root = crate::workspace_root();
        let labs = catalog::select(&root, Some("1")).unwrap();
        let bodies = solution_only_bodies(&labs[0]).unwrap();
        assert!(
            bodies.len() >= 10,
            "lab01's solution has its bodies: {}",
            bodies.len()
        );
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("lab01/src")).unwrap();
        fs::copy(
            labs[0].stub_dir.join("src/lib.rs"),
            dir.path().join("lab01/src/lib.rs"),
        )
        .unwrap();
        assert!(
            find(dir.path(), &labs).unwrap().is_empty(),
            "the stub leaks nothing"
        );
        let solution = fs::read_to_string(labs[0].solution_dir.join("src/lib.rs")).unwrap();
        // one solution function, reformatted and hidden in another file
        let body = fn_bodies(&solution)
            .into_iter()
            .find(|b| b.contains("exp_m1"))
            .unwrap();
        let disguised = format!("// notes\nfn mine() {}\n", body.replace('\n', " // x\n"));
        fs::write(dir.path().join("notes.rs"), disguised).unwrap();
        let leaks = find(dir.path(), &labs).unwrap();
        assert_eq!(leaks.len(), 1, "{leaks:#?}");
        assert_eq!(leaks[0].file, PathBuf::from("notes.rs"));
    }
}
