//! A small HTML tokenizer, enough to check the pages mdBook writes: tags with
//! their attributes, and text with the elements it sits inside. The pages are
//! machine-written (html5ever serialises them), so quoted attributes, closed
//! elements and raw-text `<script>`/`<style>` are all it needs to handle.

/// One piece of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `<name attr="value" …>` (or `<name … />` when `self_closing`).
    Open {
        /// Lower-case element name.
        name: String,
        /// Attributes in order, names lower-case, values with entities decoded.
        attrs: Vec<(String, String)>,
        /// Written as `<… />`.
        self_closing: bool,
        /// 1-based line of the `<`.
        line: usize,
    },
    /// `</name>`.
    Close {
        /// Lower-case element name.
        name: String,
    },
    /// Text between tags, entities decoded.
    Text {
        /// The text.
        text: String,
        /// 1-based line where it starts.
        line: usize,
    },
}

impl Token {
    /// The value of attribute `key` of an opening tag.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Token::Open { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// Elements whose content is not markup: it runs to the matching end tag.
const RAW_TEXT: [&str; 2] = ["script", "style"];

/// Elements that never have an end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Splits `html` into tags and text.
pub fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    // byte offsets where lines start, for 1-based line numbers by binary search
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(html.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_at = |byte: usize| line_starts.partition_point(|&start| start <= byte);
    while pos < html.len() {
        let rest = &html[pos..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(html.len(), |i| pos + 4 + i + 3);
            pos = end;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            pos = rest.find('>').map_or(html.len(), |i| pos + i + 1);
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').map_or(html.len(), |i| pos + 2 + i + 1);
            let name = after[..after.find('>').unwrap_or(after.len())]
                .trim()
                .to_ascii_lowercase();
            tokens.push(Token::Close { name });
            pos = end;
        } else if rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            let (token, len) = open_tag(rest, line_at(pos));
            pos += len;
            if let Token::Open { name, .. } = &token
                && RAW_TEXT.contains(&name.as_str())
            {
                let close = format!("</{name}");
                let body_end = html[pos..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map_or(html.len(), |i| pos + i);
                let raw = &html[pos..body_end];
                let name = name.clone();
                tokens.push(token);
                if !raw.is_empty() {
                    tokens.push(Token::Text {
                        text: raw.to_owned(),
                        line: line_at(pos),
                    });
                }
                let after_close = html[body_end..]
                    .find('>')
                    .map_or(html.len(), |i| body_end + i + 1);
                tokens.push(Token::Close { name });
                pos = after_close;
            } else {
                tokens.push(token);
            }
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let len = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            tokens.push(Token::Text {
                text: decode_entities(&rest[..len]),
                line: line_at(pos),
            });
            pos += len;
        }
    }
    tokens
}

/// Parses `<name attrs…>` at the start of `s`; returns the token and its length.
fn open_tag(s: &str, line: usize) -> (Token, usize) {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    let name = s[1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        match bytes[i] {
            b'>' => {
                i += 1;
                break;
            }
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let key_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let key = s[key_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let start = i + 1;
                let end = s[start..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(s.len(), |p| start + p);
                value = decode_entities(&s[start..end]);
                i = (end + 1).min(s.len());
            } else {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&s[start..i]);
            }
        }
        if !key.is_empty() {
            attrs.push((key, value));
        } else {
            i += 1; // a stray character: step over it
        }
    }
    (
        Token::Open {
            name,
            attrs,
            self_closing,
            line,
        },
        i,
    )
}

/// Decodes the entities html5ever writes (`&amp; &lt; &gt; &quot; &nbsp;`) and
/// numeric ones; anything else is left as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &tail[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "dollar" => Some('$'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text of the page with the stack of open elements around it.
pub struct TextInContext {
    /// The text.
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// Names of the enclosing elements, outermost first.
    pub inside: Vec<String>,
}

/// Every text token with the elements enclosing it.
pub fn texts_in_context(tokens: &[Token]) -> Vec<TextInContext> {
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for token in tokens {
        match token {
            Token::Open {
                name, self_closing, ..
            } => {
                if !self_closing && !VOID.contains(&name.as_str()) {
                    stack.push(name.clone());
                }
            }
            Token::Close { name } => {
                if let Some(depth) = stack.iter().rposition(|open| open == name) {
                    stack.truncate(depth);
                }
            }
            Token::Text { text, line } => out.push(TextInContext {
                text: text.clone(),
                line: *line,
                inside: stack.clone(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_text() {
        let tokens = tokenize(
            "<!DOCTYPE html><p class=\"a b\" id=x>Hi &amp; <a href='y.html#z'>bye</a></p><img src=\"i.svg\"/>",
        );
        assert_eq!(tokens[0].attr("class"), Some("a b"));
        assert_eq!(tokens[0].attr("id"), Some("x"));
        assert_eq!(
            tokens[1],
            Token::Text {
                text: "Hi & ".into(),
                line: 1
            }
        );
        assert_eq!(tokens[2].attr("href"), Some("y.html#z"));
        let Token::Open { self_closing, .. } = &tokens[6] else {
            panic!("{:?}", tokens[6])
        };
        assert!(self_closing);
        assert_eq!(tokens[6].attr("src"), Some("i.svg"));
    }

    #[test]
    fn script_is_raw_text_and_comments_vanish() {
        let tokens =
            tokenize("<script>if (a<b) { x = '<p>'; }</script><!-- <img src=q> -->\n<p>t</p>");
        assert_eq!(
            tokens[1],
            Token::Text {
                text: "if (a<b) { x = '<p>'; }".into(),
                line: 1
            }
        );
        assert_eq!(
            tokens[2],
            Token::Close {
                name: "script".into()
            }
        );
        assert!(tokens.iter().all(|t| t.attr("src").is_none()));
        let texts = texts_in_context(&tokens);
        let t = texts.iter().find(|t| t.text == "t").expect("text t");
        assert_eq!(t.inside, vec!["p".to_string()]);
        assert_eq!(t.line, 2);
    }

    #[test]
    fn context_of_text_in_code() {
        let tokens =
            tokenize("<pre><code class=\"language-rust\">let $x = 1;</code></pre><p>a<br>b</p>");
        let texts = texts_in_context(&tokens);
        assert_eq!(texts[0].inside, vec!["pre", "code"]);
        assert_eq!(
            texts[2].inside,
            vec!["p"],
            "a <br> is void and does not nest"
        );
    }

    #[test]
    fn non_ascii_text_and_line_numbers() {
        let tokens = tokenize("<p>\nО книге</p>\n<p>б</p>");
        assert_eq!(
            tokens[1],
            Token::Text {
                text: "\nО книге".into(),
                line: 1
            }
        );
        assert_eq!(
            tokens[3],
            Token::Text {
                text: "\n".into(),
                line: 2
            }
        );
        let Token::Open { line, .. } = &tokens[4] else {
            panic!("{:?}", tokens[4])
        };
        assert_eq!(*line, 3);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("&#36;x&#x24; &dollar; &unknown; a&b"),
            "$x$ $ &unknown; a&b"
        );
    }
}
