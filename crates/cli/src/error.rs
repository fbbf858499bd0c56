//! The two ways a command fails, and their exit codes.
//!
//! Every failure is one line on stderr: `error: <what is wrong>`. No panic,
//! no backtrace: bad input is the user's to fix and the line says how.

use std::fmt;

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The command line asks for something impossible (unknown name, value
    /// out of range …): exit code 2, as for clap's own usage errors.
    Usage(String),
    /// A valid request that failed while running (missing or malformed file,
    /// diverging training, full disk …): exit code 1.
    Runtime(String),
}

impl CliError {
    /// A usage error (exit code 2).
    pub fn usage(message: impl fmt::Display) -> Self {
        Self::Usage(message.to_string())
    }

    /// A runtime error (exit code 1).
    pub fn runtime(message: impl fmt::Display) -> Self {
        Self::Runtime(message.to_string())
    }

    /// The process's exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Runtime(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    /// The message, folded onto one line (library messages are one line
    /// already; this is a guarantee, not a reformatting).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Self::Usage(message) | Self::Runtime(message)) = self;
        let one_line: Vec<&str> = message.split_whitespace().collect();
        f.write_str(&one_line.join(" "))
    }
}

/// The result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

/// Turns a clap error into one line: its message without the usage block
/// and tips (`--help` shows those).
pub fn clap_one_line(rendered: &str) -> String {
    let message: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .filter(|line| !line.is_empty() && !line.starts_with("tip:"))
        .collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    format!("{message} (see --help)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(CliError::usage("x").exit_code(), 2);
        assert_eq!(CliError::runtime("x").exit_code(), 1);
    }

    #[test]
    fn messages_are_folded_onto_one_line() {
        let err = CliError::runtime("first\n  second");
        assert_eq!(err.to_string(), "first second");
    }

    #[test]
    fn clap_errors_lose_usage_and_tips() {
        let rendered = "error: the following required arguments were not provided:\n  <MODEL>\n\n\
                        Usage: nn eval <MODEL>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            clap_one_line(rendered),
            "the following required arguments were not provided: <MODEL> (see --help)"
        );
        let rendered = "error: unexpected argument '--foo' found\n\n  tip: to pass '--foo' as a value, use '-- --foo'\n\nUsage: nn train [OPTIONS]\n";
        assert_eq!(
            clap_one_line(rendered),
            "unexpected argument '--foo' found (see --help)"
        );
    }
}
