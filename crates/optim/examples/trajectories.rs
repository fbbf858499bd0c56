//! SGD, momentum, RMSProp and Adam from the same start on the Rosenbrock
//! function and on an ill-conditioned quadratic, as CSV on stdout:
//!
//! ```text
//! cargo run -p optim --example trajectories               # both problems, with a `problem` column
//! cargo run -p optim --example trajectories -- quadratic  # one problem: step,optimizer,x,y,loss
//! ```
use optim::demo;
use optim::objectives::Problem;
use std::io::{self, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let chosen = match std::env::args().nth(1) {
        None => None,
        Some(name) => Some(Problem::from_name(&name).ok_or_else(|| {
            format!("unknown problem {name:?}: expected rosenbrock or quadratic")
        })?),
    };
    let rows: Vec<_> = match chosen {
        Some(problem) => demo::trajectories(problem),
        None => Problem::ALL
            .into_iter()
            .flat_map(demo::trajectories)
            .collect(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = demo::write_csv(&rows, chosen.is_none(), &mut out).and_then(|()| out.flush());
    match written {
        // `… | head` closed the pipe: not an error for a table printer
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
