//! Every schedule of `schedulers::table::schedules` over 100 steps, as CSV
//! on stdout (`step,schedule,learning_rate`):
//!
//! ```text
//! cargo run -p schedulers --example schedule_table
//! ```
use schedulers::table;
use std::io::{self, Write};

fn main() -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = table::write_csv(&table::table(100), &mut out).and_then(|()| out.flush());
    match written {
        // `… | head` closed the pipe: not an error for a table printer
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
