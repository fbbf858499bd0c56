//! Printing to stdout without panicking when the reader has gone away
//! (`nn lr-find | head -3`): a closed pipe only stops the printing, the
//! command itself still finishes and writes its files. And how a path is
//! shown in what the program prints ([`shell_path`]).

use std::fmt;
use std::io::Write;
use std::path::Path;

/// Writes one line to stdout, ignoring a closed pipe.
pub fn line(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(args).and_then(|()| out.write_all(b"\n"));
}

/// The path as the user should type it (quoted if it has spaces).
pub fn shell_path(path: &Path) -> String {
    let text = path.display().to_string();
    if text.contains(char::is_whitespace) || text.contains('\'') {
        format!("'{}'", text.replace('\'', r"'\''"))
    } else {
        text
    }
}

/// `println!` that does not panic on a closed stdout.
#[macro_export]
macro_rules! say {
    () => {
        $crate::output::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_path(Path::new("runs/a")), "runs/a");
        assert_eq!(shell_path(Path::new("my runs/a")), "'my runs/a'");
        assert_eq!(shell_path(Path::new("it's")), r"'it'\''s'");
    }
}
