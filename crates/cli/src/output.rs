//! Printing to stdout without panicking when the reader has gone away
//! (`nn lr-find | head -3`): a closed pipe only stops the printing, the
//! command itself still finishes and writes its files.

use std::fmt;
use std::io::Write;

/// Writes one line to stdout, ignoring a closed pipe.
pub fn line(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(args).and_then(|()| out.write_all(b"\n"));
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
