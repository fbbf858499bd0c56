//! The teacher's harness, woven into the teacher's test files at grade time.
//!
//! A test's verdict must come from a channel the student's code cannot
//! write to. libtest's `test t01 ... ok` line and the exit status are both
//! within reach of code under test (`println!`, `process::exit(0)`), so
//! every test function is split in two:
//!
//! ```text
//! #[test] fn t01() { body }          fn __grade_t01() { body }
//!                             ==>    #[test] fn t01() { let r = __grade_t01();
//!                                        __grade_probe::record("t01", &r); r }
//! ```
//!
//! `record` runs only after the body returned without panicking (and, for
//! a test returning `Result`, returned `Ok`); it appends `NAME SECRET` to a
//! file. The secret is fresh for every submission and lives only in the
//! grader and in this generated test crate; the student's crate is a
//! dependency of the test crate and cannot name anything in it. A test
//! counts as passed only if the line with the right secret is there *and*
//! libtest said `ok` *and* the process exited with 0.
//!
//! Works for any test file without the tests calling anything special:
//! plain `#[test]` functions, `proptest! { #[test] fn … }` blocks (without
//! `#[test]` proptest makes an ordinary function that runs all the cases,
//! so the wrapper sits after the whole `proptest!` invocation), tests in
//! inline modules, `#[ignore]` and `#[should_panic]`. The edits are made on
//! the source text at token positions and keep every line where it was,
//! so panic locations in messages still point at the teacher's file.

use crate::Result;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use std::ops::Range;
use std::str::FromStr;

/// Prefix of the renamed test bodies.
const INNER: &str = "__grade_";

/// One test found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundTest {
    /// Its libtest name: `t01`, or `module::t01` in an inline module.
    pub name: String,
}

/// A test file with the harness woven in, and the tests it has.
#[derive(Debug, Clone)]
pub struct Instrumented {
    /// The new source text.
    pub source: String,
    /// The tests, in source order.
    pub tests: Vec<FoundTest>,
}

/// A text edit: replace `range` of the original with `text`.
struct Edit {
    range: Range<usize>,
    text: String,
}

/// A test function's pieces, as byte ranges of the source.
struct TestFn {
    /// Every `#[…]` attribute before `fn`, with whether it is `test`,
    /// `ignore` or `should_panic` (those move to the wrapper).
    attrs: Vec<(Range<usize>, AttrKind)>,
    name: String,
    name_at: usize,
    /// `-> Type`, if any: where it is written.
    output: Option<Range<usize>>,
    /// Where the item ends (after its body).
    end: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum AttrKind {
    Test,
    Ignore,
    ShouldPanic(Option<String>),
    Cfg,
    Other,
}

/// Weaves the harness into `source`: the verdicts of its tests go to
/// `verdict_file` signed with `secret`.
pub fn instrument(source: &str, verdict_file: &str, secret: &str) -> Result<Instrumented> {
    let stream = TokenStream::from_str(source).map_err(|e| format!("not Rust tokens: {e}"))?;
    let mut edits = Vec::new();
    let mut tests = Vec::new();
    walk(source, stream, &[], None, &mut edits, &mut tests);
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(source.len() * 2);
    let mut at = 0;
    for edit in &edits {
        if edit.range.start < at {
            return Err("overlapping edits: a test layout this harness cannot rewrite".into());
        }
        out.push_str(&source[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&source[at..]);
    out.push_str(&probe_module(verdict_file, secret));
    Ok(Instrumented { source: out, tests })
}

/// The names of the tests in a test file (as libtest lists them), found
/// the same way the harness finds them.
pub fn test_names(source: &str) -> Result<Vec<String>> {
    Ok(instrument(source, "", "")?
        .tests
        .into_iter()
        .map(|t| t.name)
        .collect())
}

/// Walks one level of tokens. `modules` is the inline-module path;
/// `macro_end` is set inside a macro invocation (`proptest! { … }`): the
/// wrappers of tests found there go after the whole invocation.
fn walk(
    source: &str,
    stream: TokenStream,
    modules: &[String],
    macro_end: Option<usize>,
    edits: &mut Vec<Edit>,
    tests: &mut Vec<FoundTest>,
) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((test, next)) = test_fn_at(&tokens, i) {
            record_test(source, &test, modules, macro_end, edits, tests);
            i = next;
            continue;
        }
        if let TokenTree::Group(group) = &tokens[i] {
            let inner = group.stream();
            // `mod name { … }`
            let module = match (i >= 2).then(|| (&tokens[i - 2], &tokens[i - 1])) {
                Some((TokenTree::Ident(m), TokenTree::Ident(name)))
                    if m == "mod" && group.delimiter() == Delimiter::Brace =>
                {
                    Some(name.to_string())
                }
                _ => None,
            };
            // `name ! ( … )`, `name ! { … }`: a macro invocation
            let is_macro = i >= 2
                && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '!')
                && matches!(&tokens[i - 2], TokenTree::Ident(_));
            let end = if is_macro && macro_end.is_none() {
                // an item macro may end with `;`
                let mut end = group.span().byte_range().end;
                if let Some(TokenTree::Punct(p)) = tokens.get(i + 1)
                    && p.as_char() == ';'
                {
                    end = p.span().byte_range().end;
                }
                Some(end)
            } else {
                macro_end
            };
            let mut path = modules.to_vec();
            path.extend(module);
            walk(source, inner, &path, end, edits, tests);
        }
        i += 1;
    }
}

/// If a test function starts at `tokens[i]` (its first attribute), its
/// pieces and the index after it.
fn test_fn_at(tokens: &[TokenTree], i: usize) -> Option<(TestFn, usize)> {
    let mut j = i;
    let mut attrs = Vec::new();
    while let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(g))) =
        (tokens.get(j), tokens.get(j + 1))
    {
        if hash.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        let range = hash.span().byte_range().start..g.span().byte_range().end;
        attrs.push((range, attr_kind(g.stream())));
        j += 2;
    }
    if !attrs.iter().any(|(_, k)| *k == AttrKind::Test) {
        return None;
    }
    // qualifiers between the attributes and `fn`
    while let Some(TokenTree::Ident(id)) = tokens.get(j) {
        if id == "fn" {
            break;
        }
        if !["pub", "async", "const"].contains(&id.to_string().as_str()) {
            return None;
        }
        j += 1;
        if let Some(TokenTree::Group(g)) = tokens.get(j)
            && g.delimiter() == Delimiter::Parenthesis
        {
            j += 1; // pub(crate)
        }
    }
    let Some(TokenTree::Ident(kw)) = tokens.get(j) else {
        return None;
    };
    if kw != "fn" {
        return None;
    }
    let Some(TokenTree::Ident(name)) = tokens.get(j + 1) else {
        return None;
    };
    let params = j + 2;
    if !matches!(tokens.get(params), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
    {
        return None;
    }
    // `-> Type` up to the body
    let mut k = params + 1;
    let mut output = None;
    if let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
        (tokens.get(k), tokens.get(k + 1))
        && a.as_char() == '-'
        && a.spacing() == Spacing::Joint
        && b.as_char() == '>'
    {
        let start = k;
        while k < tokens.len()
            && !matches!(&tokens[k], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
        {
            k += 1;
        }
        output =
            Some(tokens[start].span().byte_range().start..tokens[k - 1].span().byte_range().end);
    }
    let Some(TokenTree::Group(body)) = tokens.get(k) else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace {
        return None;
    }
    let test = TestFn {
        attrs,
        name: name.to_string(),
        name_at: name.span().byte_range().start,
        output,
        end: body.span().byte_range().end,
    };
    Some((test, k + 1))
}

fn attr_kind(stream: TokenStream) -> AttrKind {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let Some(TokenTree::Ident(first)) = tokens.first() else {
        return AttrKind::Other;
    };
    match first.to_string().as_str() {
        "test" if tokens.len() == 1 => AttrKind::Test,
        "ignore" => AttrKind::Ignore,
        "cfg" => AttrKind::Cfg,
        "should_panic" => {
            // should_panic(expected = "…") or should_panic = "…"
            let expected = tokens.iter().rev().find_map(|t| match t {
                TokenTree::Literal(l) => Some(l.to_string()),
                TokenTree::Group(g) => g.stream().into_iter().find_map(|t| match t {
                    TokenTree::Literal(l) => Some(l.to_string()),
                    _ => None,
                }),
                _ => None,
            });
            AttrKind::ShouldPanic(expected)
        }
        _ => AttrKind::Other,
    }
}

fn record_test(
    source: &str,
    test: &TestFn,
    modules: &[String],
    macro_end: Option<usize>,
    edits: &mut Vec<Edit>,
    tests: &mut Vec<FoundTest>,
) {
    let mut wrapper_attrs = String::from("#[test] ");
    let mut should_panic = None;
    for (range, kind) in &test.attrs {
        let moves = matches!(
            kind,
            AttrKind::Test | AttrKind::Ignore | AttrKind::ShouldPanic(_)
        );
        if !moves {
            continue;
        }
        match kind {
            AttrKind::Ignore => wrapper_attrs.push_str("#[ignore] "),
            AttrKind::ShouldPanic(expected) => should_panic = Some(expected.clone()),
            _ => {}
        }
        // blank it out, keeping the line breaks (and so every line number)
        edits.push(Edit {
            range: range.clone(),
            text: source[range.clone()].matches('\n').collect(),
        });
    }
    // a `#[cfg]` applies to both halves
    let cfgs: String = test
        .attrs
        .iter()
        .filter(|(_, k)| *k == AttrKind::Cfg)
        .map(|(r, _)| source[r.clone()].replace('\n', " ") + " ")
        .collect();
    edits.push(Edit {
        range: test.name_at..test.name_at,
        text: INNER.to_string(),
    });
    let inner = format!("{INNER}{}", test.name);
    let label = format!("concat!(module_path!(), \"::{}\")", test.name);
    let body = match &should_panic {
        None => format!(
            "{{ let __grade_r = {inner}(); __grade_probe::record({label}, &__grade_r); __grade_r }}"
        ),
        Some(expected) => format!(
            "{{ __grade_probe::expect_panic({label}, {}, {inner}); }}",
            expected
                .as_ref()
                .map_or("None".to_string(), |e| format!("Some({e})"))
        ),
    };
    let output = match (&should_panic, &test.output) {
        (None, Some(output)) => format!("{} ", source[output.clone()].replace('\n', " ")),
        _ => String::new(),
    };
    let wrapper = format!(" {cfgs}{wrapper_attrs}fn {}() {output}{body}", test.name);
    let at = macro_end.unwrap_or(test.end);
    edits.push(Edit {
        range: at..at,
        text: wrapper,
    });
    let mut name = modules.join("::");
    if !name.is_empty() {
        name.push_str("::");
    }
    name.push_str(&test.name);
    tests.push(FoundTest { name });
}

/// The module the wrappers call. It is appended to the test file, so only
/// this test crate can reach it.
fn probe_module(verdict_file: &str, secret: &str) -> String {
    format!(
        r#"

// ---- added by `cargo xtask labs grade`: the verdict channel ----
#[doc(hidden)]
#[allow(dead_code, missing_docs)]
mod __grade_probe {{
    const VERDICTS: &str = {verdict_file:?};
    const SECRET: &str = {secret:?};

    pub trait Outcome {{
        fn passed(&self) -> bool;
    }}
    impl Outcome for () {{
        fn passed(&self) -> bool {{
            true
        }}
    }}
    impl<T, E> Outcome for ::std::result::Result<T, E> {{
        fn passed(&self) -> bool {{
            self.is_ok()
        }}
    }}

    /// Called after the test body returned: the test passed.
    pub fn record<T: Outcome>(label: &str, outcome: &T) {{
        if outcome.passed() {{
            write(label);
        }}
    }}

    /// A `#[should_panic]` test: passes if the body panics (with the
    /// expected text, if one is given).
    pub fn expect_panic<T>(label: &str, expected: Option<&str>, body: fn() -> T) {{
        let outcome = ::std::panic::catch_unwind(body);
        let Err(payload) = outcome else {{
            panic!("the test was expected to panic and did not");
        }};
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        match expected {{
            Some(e) if !text.contains(e) => panic!("panicked with {{text:?}}, expected {{e:?}}"),
            _ => write(label),
        }}
    }}

    fn write(label: &str) {{
        use ::std::io::Write;
        // the crate name is the first segment of module_path!(); libtest omits it
        let name = label.split_once("::").map_or(label, |(_, rest)| rest);
        let mut file = ::std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(VERDICTS)
            .expect("the grader's verdict file");
        writeln!(file, "{{name}} {{SECRET}}").expect("the grader's verdict file");
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"//! Tests.
use lab01::*;

#[test]
fn t01_plain() {
    assert_eq!(f(1), 2);
}

#[test]
#[ignore = "slow"]
fn t02_ignored() -> Result<(), String> {
    Ok(())
}

fn helper() {}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn t03_property(x in 0.0..1.0f64) {
        prop_assert!(x >= 0.0);
    }

    #[test]
    fn t04_second(x in 0.0..1.0f64) { prop_assert!(x < 1.0); }
}

mod inner {
    #[test]
    #[should_panic(expected = "boom")]
    fn t05_panics() { panic!("boom") }
}
"#;

    #[test]
    fn every_kind_of_test_is_found_with_its_libtest_name() {
        let names = test_names(SOURCE).unwrap();
        assert_eq!(
            names,
            [
                "t01_plain",
                "t02_ignored",
                "t03_property",
                "t04_second",
                "inner::t05_panics"
            ]
        );
    }

    #[test]
    fn the_rewrite_keeps_lines_and_wraps_each_test() {
        let out = instrument(SOURCE, "/tmp/v", "s3cret").unwrap();
        let text = &out.source;
        // lines of the teacher's code stay where they were
        let original: Vec<&str> = SOURCE.lines().collect();
        let rewritten: Vec<&str> = text.lines().collect();
        assert_eq!(rewritten[5], original[5], "assert_eq! stays on line 6");
        assert!(rewritten[4].starts_with("fn __grade_t01_plain()"));
        assert!(!rewritten[3].contains("#[test]"), "{}", rewritten[3]);
        // wrappers: after the plain fn, after the whole proptest! block
        assert!(text.contains(
            "#[test] fn t01_plain() { let __grade_r = __grade_t01_plain(); \
             __grade_probe::record(concat!(module_path!(), \"::t01_plain\"), &__grade_r); \
             __grade_r }"
        ));
        assert!(text.contains("#[test] #[ignore] fn t02_ignored() -> Result<(), String> {"));
        let block_end = text.find("prop_assert!(x < 1.0); }\n}").unwrap();
        let wrapper = text.find("#[test] fn t03_property()").unwrap();
        assert!(
            wrapper > block_end,
            "the proptest wrapper is outside the macro"
        );
        assert!(text.contains("__grade_probe::expect_panic(concat!(module_path!(), \"::t05_panics\"), Some(\"boom\"), __grade_t05_panics)"));
        assert!(text.contains("const SECRET: &str = \"s3cret\";"));
        // inside proptest! the inner function has no #[test] left
        let inner = &text[text.find("fn __grade_t03_property").unwrap() - 40..];
        assert!(!inner[..40].contains("#[test]"));
    }

    #[test]
    fn a_file_without_tests_only_gets_the_probe() {
        let out = instrument("fn helper() {}\n#[cfg(test)] fn x() {}\n", "v", "s").unwrap();
        assert!(out.tests.is_empty());
        assert!(
            out.source
                .starts_with("fn helper() {}\n#[cfg(test)] fn x() {}\n")
        );
        assert!(instrument("fn broken( {", "v", "s").is_err());
    }

    #[test]
    fn the_course_tests_are_all_found() {
        let root = crate::workspace_root();
        for lab in crate::labs::catalog::discover(&root).unwrap() {
            let mut found = Vec::new();
            let dir = lab.stub_dir.join("tests");
            for file in crate::labs::catalog::files_under(&dir).unwrap() {
                if file.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(dir.join(file)).unwrap();
                    found.extend(test_names(&text).unwrap());
                }
            }
            found.sort();
            let expected = crate::labs::catalog::expected_tests(&lab.stub_dir).unwrap();
            assert_eq!(found, expected, "{}", lab.name);
        }
    }
}
