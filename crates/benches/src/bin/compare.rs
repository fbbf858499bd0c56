//! Ours and theirs, one after another on this machine, in one table.
//!
//! ```text
//! cargo run -p benches --release --bin compare                  # everything
//! cargo run -p benches --release --bin compare -- --only gemm,fma
//! cargo run -p benches --release --bin compare -- --no-peers --rounds 5
//! ```
//!
//! It runs, in this order: the FMA limit (`examples/fma_peak.rs`, compiled
//! here with `rustc -C target-cpu=native`), our matrix products at the
//! MLP's shapes, our scalar autograd, our MLP workloads; then
//! `peers/torch_peer.py` (PyTorch) and `peers/micrograd_mlp.py` (micrograd,
//! if the file and the package are there). It prints a Markdown table —
//! workload, ours, PyTorch, micrograd, the ratios, the issue's target — and
//! the machine with its load before and after (a loaded machine makes every
//! two-thread number worse; run it when `uptime` shows a load near 0).
//!
//! The workloads are defined in `peers/WORKLOADS.md`. A cell that could not
//! be measured says why ("pending …", "failed …"); no number in the table
//! comes from anywhere but this run.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use benches::gemm::{Gemm, GemmShape, MLP784_PRODUCTS, SQUARE, gflops};
use benches::machine::Machine;
use benches::peer::{self, Measurement, Unit};
use benches::report::{self, Cell, Row, Target};
use benches::scalar::ScalarMlp;
use benches::timing::{repetitions_for, time_rounds};
use benches::training::{self, TrainingRun, WorkloadError};
use benches::{GEMM_BACKEND, workloads};

const WORKLOADS: [&str; 5] = ["fma", "gemm", "scalar", "mlp784", "moons"];

const USAGE: &str = "\
usage: compare [--only LIST] [--rounds N] [--no-peers] [--python PATH]

  --only LIST    comma-separated workloads out of fma,gemm,scalar,mlp784,moons (default: all)
  --rounds N     timed rounds after one warm-up, best reported (default 3)
  --no-peers     run ours only (no PyTorch, no micrograd)
  --python PATH  the interpreter for the peer scripts (default python3)";

/// The command line.
struct Options {
    only: Vec<String>,
    rounds: usize,
    peers: bool,
    python: String,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut options = Options {
            only: WORKLOADS.iter().map(|s| s.to_string()).collect(),
            rounds: 3,
            peers: true,
            python: "python3".to_owned(),
        };
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--only" => {
                    let list = value("--only")?;
                    options.only = list.split(',').map(str::to_owned).collect();
                    if let Some(bad) = options
                        .only
                        .iter()
                        .find(|w| !WORKLOADS.contains(&w.as_str()))
                    {
                        return Err(format!(
                            "unknown workload `{bad}` (known: {})",
                            WORKLOADS.join(",")
                        ));
                    }
                }
                "--rounds" => {
                    let text = value("--rounds")?;
                    options.rounds = text.parse().ok().filter(|&n| n >= 1).ok_or(format!(
                        "--rounds must be a whole number >= 1, not `{text}`"
                    ))?;
                }
                "--no-peers" => options.peers = false,
                "--python" => options.python = value("--python")?,
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(options)
    }

    fn wants(&self, workload: &str) -> bool {
        self.only.iter().any(|w| w == workload)
    }
}

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let before = Machine::now();
    eprintln!("machine: {}", before.describe());
    if before.load_1min.is_some_and(|l| l > 0.5) {
        eprintln!(
            "warning: the machine is busy (load {:.2}); two-thread timings will be worse than on an idle machine",
            before.load_1min.unwrap_or_default()
        );
    }

    // ---- ours
    let fma = options.wants("fma").then(fma_limits);
    let ours_gemm: Vec<(GemmShape, f64)> = if options.wants("gemm") {
        gemm_rates(options.rounds)
    } else {
        Vec::new()
    };
    let ours_scalar = options
        .wants("scalar")
        .then(|| scalar_per_node(options.rounds));
    let ours_mlp784 = options.wants("mlp784").then(|| {
        let run = training::mlp784(options.rounds);
        report_run("MLP 784-256-10 epoch", &run);
        run
    });
    let ours_moons = options.wants("moons").then(|| {
        let run = training::moons(options.rounds.max(20));
        report_run("MLP 2-16-16-1 epoch of 32 steps", &run);
        run
    });

    // ---- theirs
    let torch = if options.peers {
        torch_results(&options)
    } else {
        Err(PeerFailure::NotRun)
    };
    let micrograd = if options.peers && options.wants("scalar") {
        micrograd_result(&options.python)
    } else {
        Err(PeerFailure::NotRun)
    };
    let after = Machine::now();

    // ---- the table
    let torch_cell = |workload: &str, case_prefix: &str| -> Cell {
        match &torch {
            Err(failure) => failure.cell(),
            Ok(results) => {
                let found = results
                    .iter()
                    .find(|m| m.workload == workload && m.case.starts_with(case_prefix));
                Cell::from_measurement(found)
            }
        }
    };
    let mut rows = Vec::new();
    let limit_256 = fma.as_ref().and_then(|f| f.0.as_ref().ok()).map(|m| m.best);
    if let Some((narrow, wide)) = &fma {
        for (label, result) in [
            ("FMA limit, f64, 256-bit vectors, all cores", narrow),
            ("FMA limit, f64, 512-bit vectors, all cores", wide),
        ] {
            let ours = match result {
                Ok(m) => Cell::Measured(m.best),
                Err(why) => Cell::Failed(why.clone()),
            };
            rows.push(Row::ours(label, Unit::Gflops, ours));
        }
    }
    for (shape, rate) in &ours_gemm {
        let pytorch = torch_cell("gemm", &format!("{} ", shape.name));
        let mut row = Row::ours(
            format!("GEMM {} {} (f64)", shape.name, shape.dims()),
            Unit::Gflops,
            Cell::Measured(*rate),
        );
        row.pytorch = pytorch;
        if let Some(limit) = limit_256 {
            row.note = format!("{:.0} % of the 256-bit FMA limit", 100.0 * rate / limit);
        }
        rows.push(row);
    }
    if !ours_gemm.is_empty() {
        rows.push(step_products_row(&ours_gemm, &torch));
    }
    if let Some(per_node) = &ours_scalar {
        let mut row = Row::ours(
            "scalar autograd 2-16-16-1, forward + backward",
            Unit::SecondsPerNode,
            Cell::Measured(per_node.0),
        );
        row.micrograd = match &micrograd {
            Ok(m) => Cell::Measured(m.best),
            Err(failure) => failure.cell(),
        };
        // issue 14: at most 30 ns per node
        row.target = Some(Target::bound(30e-9));
        row.note = format!("{} nodes per graph here", per_node.1);
        rows.push(row);
    }
    if let Some(run) = &ours_mlp784 {
        for dtype in ["f64", "f32"] {
            let ours = match (dtype, run) {
                ("f64", Ok(run)) => Cell::Measured(run.epoch.best),
                ("f64", Err(e)) => Cell::Failed(e.to_string()),
                _ => Cell::Absent,
            };
            let mut row = Row::ours(
                format!("MLP 784-256-10, Adam, batch 128, one epoch of 60 000, {dtype}"),
                Unit::SecondsPerEpoch,
                ours,
            );
            let (pytorch, note) = torch_cell_dtype(&torch, "mlp784", dtype);
            row.pytorch = pytorch;
            row.note = if dtype == "f32" {
                ["ours is f64 only".to_owned(), note].join("; ")
            } else {
                [sanity(run), note].join("; ")
            };
            if dtype == "f64" {
                // issue 14: at least 1.4× PyTorch's f64 epoch
                row.target = Some(Target::faster_than_pytorch(1.4));
            }
            rows.push(row);
        }
    }
    if let Some(run) = &ours_moons {
        let mut row = Row::ours(
            "MLP 2-16-16-1, two moons, Adam, batch 32, per step",
            Unit::SecondsPerStep,
            match run {
                Ok(run) => Cell::Measured(run.per_step().best),
                Err(e) => Cell::Failed(e.to_string()),
            },
        );
        let (pytorch, note) = torch_cell_dtype(&torch, "moons", "f64");
        row.pytorch = pytorch;
        row.note = [sanity(run), note].join("; ");
        // issue 14: at most 10 µs per step
        row.target = Some(Target::bound(10e-6));
        rows.push(row);
    }

    println!("{}", report::markdown(&rows));
    println!(
        "Machine: {}; load {} before, {} after.",
        before.cpu,
        load(&before),
        load(&after)
    );
    println!("Our matrix products: {GEMM_BACKEND}.");
    println!(
        "Command: cargo run -p benches --release --bin compare{}",
        std::env::args()
            .skip(1)
            .fold(String::new(), |s, a| s + " " + &a)
    );
    for (peer, result) in [
        ("PyTorch", torch.as_ref().err()),
        ("micrograd", micrograd.as_ref().err()),
    ] {
        if let Some(PeerFailure::Failed(why)) = result {
            eprintln!("{peer}: {why}");
        }
    }
    ExitCode::SUCCESS
}

/// Progress on stderr for a training workload.
fn report_run(what: &str, run: &Result<TrainingRun, WorkloadError>) {
    match run {
        Ok(r) => eprintln!(
            "ours: {what}: best {:.4} s, median {:.4} s, last loss {:.4}",
            r.epoch.best, r.epoch.median, r.last_loss
        ),
        Err(e) => eprintln!("ours: {what} failed: {e}"),
    }
}

/// "our last-epoch loss 0.17": shows both sides learn the same task.
fn sanity(run: &Result<TrainingRun, WorkloadError>) -> String {
    match run {
        Ok(r) => format!("our last-epoch loss {:.3}", r.last_loss),
        Err(_) => String::new(),
    }
}

fn load(m: &Machine) -> String {
    m.load_1min
        .map_or_else(|| "unknown".to_owned(), |l| format!("{l:.2}"))
}

/// The faster of PyTorch's ways of feeding batches for `workload`/`dtype`,
/// and a note naming both.
fn torch_cell_dtype(
    torch: &Result<Vec<Measurement>, PeerFailure>,
    workload: &str,
    dtype: &str,
) -> (Cell, String) {
    let results = match torch {
        Ok(results) => results,
        Err(failure) => return (failure.cell(), String::new()),
    };
    let matching: Vec<&Measurement> = results
        .iter()
        .filter(|m| m.workload == workload && m.dtype == dtype)
        .collect();
    let Some(best) = matching.iter().min_by(|a, b| a.best.total_cmp(&b.best)) else {
        return (Cell::Absent, String::new());
    };
    let note = matching
        .iter()
        .map(|m| {
            let loss = m
                .last_epoch_loss
                .map_or_else(String::new, |l| format!(", loss {l:.3}"));
            format!(
                "PyTorch {}: {}{loss}",
                m.variant.as_deref().unwrap_or("?"),
                report::format_value(m.best, m.unit)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    (Cell::Measured(best.best), note)
}

/// The five products of one 784-256-10 step, from the per-shape rates:
/// $t = \sum_i \text{flops}_i / \text{rate}_i$ for each side.
fn step_products_row(
    ours: &[(GemmShape, f64)],
    torch: &Result<Vec<Measurement>, PeerFailure>,
) -> Row {
    let step_time = |rate_of: &dyn Fn(&GemmShape) -> Option<f64>| -> Option<f64> {
        MLP784_PRODUCTS
            .iter()
            .map(|s| rate_of(s).map(|r| s.flops() / (r * 1e9)))
            .sum()
    };
    let ours_time = step_time(&|s| ours.iter().find(|(o, _)| o == s).map(|(_, r)| *r));
    let torch_time = torch.as_ref().ok().and_then(|results| {
        step_time(&|s| {
            results
                .iter()
                .find(|m| m.workload == "gemm" && m.case.starts_with(&format!("{} ", s.name)))
                .map(|m| m.best)
        })
    });
    let steps = workloads::steps_per_epoch(workloads::MLP784_SAMPLES, workloads::MLP784_BATCH);
    let mut row = Row::ours(
        "the 5 products of one 784-256-10 step (sum of the rows above)",
        Unit::SecondsPerStep,
        ours_time.map_or(Cell::Absent, Cell::Measured),
    );
    row.pytorch = torch_time.map_or(Cell::Absent, Cell::Measured);
    if let Some(t) = ours_time {
        row.note = format!(
            "× {steps} steps ≈ {:.2} s of products per epoch",
            t * steps as f64
        );
    }
    row
}

/// Our GFLOP/s at each shape (best of `rounds`, each about 0.1 s).
fn gemm_rates(rounds: usize) -> Vec<(GemmShape, f64)> {
    MLP784_PRODUCTS
        .iter()
        .chain([&SQUARE])
        .map(|&shape| {
            let mut g = Gemm::new(shape, workloads::SEED);
            let reps = repetitions_for(0.1, || g.run());
            let t = time_rounds(rounds, || {
                for _ in 0..reps {
                    g.run();
                }
            });
            let rate = gflops(shape.flops() * reps as f64, t.best);
            eprintln!(
                "ours: GEMM {} {}: {rate:.1} GFLOP/s",
                shape.name,
                shape.dims()
            );
            (shape, rate)
        })
        .collect()
}

/// Seconds per graph node of the scalar 2-16-16-1 network, and the node count.
fn scalar_per_node(rounds: usize) -> (f64, usize) {
    let net = ScalarMlp::new(&workloads::MOONS_SIZES);
    let (x, y) = ([0.5, -1.2], 1.0);
    let nodes = net.loss(&x, y).node_count();
    let reps = repetitions_for(0.05, || {
        std::hint::black_box(net.step(std::hint::black_box(&x), y));
    });
    let t = time_rounds(rounds.max(5), || {
        for _ in 0..reps {
            std::hint::black_box(net.step(std::hint::black_box(&x), y));
        }
    });
    let per_node = t.best / (reps * nodes) as f64;
    eprintln!(
        "ours: scalar autograd {:.3} µs/node ({nodes} nodes)",
        per_node * 1e6
    );
    (per_node, nodes)
}

/// The FMA limit with 256-bit and with 512-bit vectors: `fma_peak.rs`
/// compiled for this CPU and run.
fn fma_limits() -> (Result<Measurement, String>, Result<Measurement, String>) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fma_peak.rs");
    let dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    let narrow = fma_limit(&source, &dir.join("fma_peak-native"), &[]);
    let wide = fma_limit(
        &source,
        &dir.join("fma_peak-native-512"),
        &["-C", "target-feature=-prefer-256-bit"],
    );
    (narrow, wide)
}

fn fma_limit(source: &Path, binary: &PathBuf, extra: &[&str]) -> Result<Measurement, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let built = Command::new(&rustc)
        .args([
            "--edition",
            "2024",
            "-C",
            "opt-level=3",
            "-C",
            "target-cpu=native",
        ])
        .args(extra)
        .arg(source)
        .arg("-o")
        .arg(binary)
        .output()
        .map_err(|e| format!("could not run {rustc}: {e}"))?;
    if !built.status.success() {
        return Err(format!(
            "rustc failed: {}",
            String::from_utf8_lossy(&built.stderr)
                .lines()
                .next()
                .unwrap_or("")
        ));
    }
    let ran = Command::new(binary)
        .output()
        .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let results = peer::parse_json_lines("fma_peak", &stdout).map_err(|e| e.to_string())?;
    let m = results
        .into_iter()
        .next()
        .ok_or("fma_peak printed no result")?;
    eprintln!(
        "ours: FMA limit {}: {:.1} GFLOP/s",
        if extra.is_empty() {
            "256-bit"
        } else {
            "512-bit"
        },
        m.best
    );
    Ok(m)
}

/// PyTorch's results for the selected workloads.
fn torch_results(options: &Options) -> Result<Vec<Measurement>, PeerFailure> {
    let mut args: Vec<String> = ["mlp784", "moons", "gemm"]
        .into_iter()
        .filter(|w| options.wants(w))
        .map(str::to_owned)
        .collect();
    if args.is_empty() {
        return Ok(Vec::new());
    }
    args.extend(["--rounds".to_owned(), options.rounds.to_string()]);
    let script = peer::peers_dir().join("torch_peer.py");
    eprintln!("running {} {}", script.display(), args.join(" "));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = peer::run_script(&options.python, &script, &argv).map_err(PeerFailure::from)?;
    Ok(peer::parse_json_lines("torch_peer.py", &stdout)?)
}

/// micrograd's time per node, if its script and package are there.
fn micrograd_result(python: &str) -> Result<Measurement, PeerFailure> {
    let script = peer::peers_dir().join("micrograd_mlp.py");
    if !script.is_file() {
        return Err(PeerFailure::Absent);
    }
    eprintln!("running {}", script.display());
    let stdout = peer::run_script(python, &script, &[])?;
    Ok(peer::parse_micrograd(&stdout)?)
}

/// Why a peer has no numbers in this run.
enum PeerFailure {
    /// `--no-peers`.
    NotRun,
    /// The peer's script is not in `peers/`.
    Absent,
    /// The script failed; the message is printed after the table.
    Failed(String),
}

impl PeerFailure {
    fn cell(&self) -> Cell {
        match self {
            PeerFailure::NotRun => Cell::NotRun("--no-peers".to_owned()),
            PeerFailure::Absent => Cell::Absent,
            PeerFailure::Failed(_) => Cell::Failed("see the message below the table".to_owned()),
        }
    }
}

impl From<peer::PeerError> for PeerFailure {
    fn from(e: peer::PeerError) -> Self {
        PeerFailure::Failed(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_run_everything_with_peers() {
        let o = parse(&[]).unwrap();
        assert!(WORKLOADS.iter().all(|w| o.wants(w)));
        assert_eq!((o.rounds, o.peers, o.python.as_str()), (3, true, "python3"));
    }

    #[test]
    fn options_select_workloads_rounds_and_peers() {
        let o = parse(&["--only", "gemm,fma", "--rounds", "5", "--no-peers"]).unwrap();
        assert!(o.wants("gemm") && o.wants("fma") && !o.wants("mlp784"));
        assert_eq!((o.rounds, o.peers), (5, false));
    }

    #[test]
    fn bad_arguments_are_named() {
        let cases: [(&[&str], &str); 4] = [
            (
                &["--only", "gemm,gpu"],
                "unknown workload `gpu` (known: fma,gemm,scalar,mlp784,moons)",
            ),
            (
                &["--rounds", "0"],
                "--rounds must be a whole number >= 1, not `0`",
            ),
            (&["--rounds"], "--rounds needs a value"),
            (&["--fast"], "unknown argument `--fast`"),
        ];
        for (args, message) in cases {
            assert_eq!(parse(args).err().as_deref(), Some(message));
        }
    }
}
