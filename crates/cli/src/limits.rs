//! Sizes checked before any work starts: a network or a data file that
//! cannot fit in memory is refused with the estimate, not left to abort the
//! process halfway (a failed allocation ends a Rust program with exit code
//! 134 and no explanation).

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use mlp::Architecture;
use optim::OptimizerConfig;

use crate::error::{CliError, CliResult};
use crate::output::shell_path;

/// The default of `--max-input-mb`: the CSV text `nn` reads, after gzip.
pub const DEFAULT_MAX_INPUT_MB: u64 = 256;

/// Bytes of memory a loaded CSV takes per byte of text (measured: a 300 MB
/// CSV of numbers took 7.4 GB while being parsed, split and standardised).
const MEMORY_PER_CSV_BYTE: u64 = 25;

static MAX_INPUT_MB: OnceLock<u64> = OnceLock::new();

/// Sets the `--max-input-mb` of this process.
pub fn set_max_input_mb(mb: u64) {
    let _ = MAX_INPUT_MB.set(mb);
}

fn max_input_bytes() -> u64 {
    MAX_INPUT_MB
        .get()
        .copied()
        .unwrap_or(DEFAULT_MAX_INPUT_MB)
        .saturating_mul(1 << 20)
}

/// `1.5 GB`, `320 MB`, `12 kB`.
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e12 {
        format!("{:.1} TB", n / 1e12)
    } else if n >= 1e9 {
        format!("{:.1} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.0} MB", n / 1e6)
    } else {
        format!("{:.0} kB", (n / 1e3).max(1.0))
    }
}

/// The memory this machine can still give (`MemAvailable` of
/// `/proc/meminfo`); `None` where that is not known.
pub fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Refuses `needed` bytes for `what` if they exceed the available memory.
fn check_fits(needed: Option<u64>, what: &str, advice: &str) -> CliResult {
    let available = available_memory();
    let fits = match (needed, available) {
        (Some(n), Some(a)) => n <= a,
        // without /proc/meminfo only sizes beyond any machine are refused
        (Some(n), None) => n <= 1 << 42,
        (None, _) => false,
    };
    if fits {
        return Ok(());
    }
    let needed = needed.map_or_else(|| "more than 16 EB".to_owned(), bytes);
    let available = available.map_or_else(String::new, |a| {
        format!(", but this machine has {} available", bytes(a))
    });
    Err(CliError::usage(format!(
        "{what} needs about {needed} of memory{available}; {advice}"
    )))
}

/// Parameters of a network of these layer widths: Σ (n_in + 1)·n_out, or
/// `None` if the count does not even fit in 64 bits.
pub fn parameters(sizes: &[usize]) -> Option<u64> {
    sizes.windows(2).try_fold(0u64, |sum, w| {
        let layer = (w[0] as u64).checked_add(1)?.checked_mul(w[1] as u64)?;
        sum.checked_add(layer)
    })
}

/// The memory training this network takes, before it is allocated: per
/// parameter the weight, its gradient, the optimizer's buffers, a best copy
/// for early stopping and two copies while a checkpoint is written; per
/// sample of a batch the activations of every layer, a few times over.
pub fn check_network(
    architecture: &Architecture,
    batch_size: usize,
    optimizer: &OptimizerConfig,
    early_stopping: bool,
) -> CliResult {
    let buffers: u64 = match optimizer {
        OptimizerConfig::Sgd(_) => 0,
        OptimizerConfig::Momentum(_)
        | OptimizerConfig::Nesterov(_)
        | OptimizerConfig::RmsProp(_) => 1,
        _ => 2,
    };
    let copies = 2 + buffers + u64::from(early_stopping) + 2;
    let units = architecture
        .sizes
        .iter()
        .try_fold(0u64, |sum, &w| sum.checked_add(w as u64));
    let needed = parameters(&architecture.sizes).and_then(|p| {
        let weights = p.checked_mul(8 * copies)?;
        let activations = units?.checked_mul(batch_size as u64)?.checked_mul(8 * 4)?;
        weights.checked_add(activations)
    });
    let count = parameters(&architecture.sizes)
        .map_or_else(|| "more than 2^64".to_owned(), |p| p.to_string());
    check_fits(
        needed,
        &format!(
            "a network of widths {} ({count} parameters)",
            widths(architecture)
        ),
        "choose smaller --hidden widths (or a smaller --batch-size)",
    )
}

fn widths(architecture: &Architecture) -> String {
    let sizes: Vec<String> = architecture.sizes.iter().map(usize::to_string).collect();
    sizes.join("-")
}

/// Checks a CSV file before it is read: its size after gzip within
/// `--max-input-mb`, and the memory loading it takes. A gzip file is
/// decompressed once into nothing, to count its bytes without keeping them.
pub fn check_input(path: &Path) -> CliResult {
    let limit = max_input_bytes();
    let read_error =
        |err: std::io::Error| CliError::runtime(format!("cannot read {}: {err}", shell_path(path)));
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut magic = [0u8; 2];
    let is_gzip = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let size = if is_gzip {
        let file = std::fs::File::open(path).map_err(read_error)?;
        let mut decoder = flate2::read::MultiGzDecoder::new(file).take(limit.saturating_add(1));
        // a damaged gzip stream is reported by the loader, with its own words
        std::io::copy(&mut decoder, &mut std::io::sink()).unwrap_or(0)
    } else {
        file.metadata().map_err(read_error)?.len()
    };
    if size > limit {
        let what = if is_gzip {
            "expands to more than"
        } else {
            "holds more than"
        };
        return Err(CliError::usage(format!(
            "{} {what} {} MB of CSV text, the --max-input-mb limit ({} MB); loading it would take about {}× that in memory. Raise the limit if the machine has the memory: --max-input-mb N",
            shell_path(path),
            limit >> 20,
            limit >> 20,
            MEMORY_PER_CSV_BYTE
        )));
    }
    check_fits(
        size.checked_mul(MEMORY_PER_CSV_BYTE),
        &format!("loading {} ({} of CSV text)", shell_path(path), bytes(size)),
        "use a smaller file",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_counts() {
        assert_eq!(parameters(&[64, 128, 10]), Some(65 * 128 + 129 * 10));
        assert_eq!(parameters(&[usize::MAX, usize::MAX]), None);
    }

    #[test]
    fn sizes_read_short() {
        assert_eq!(bytes(1_500_000_000), "1.5 GB");
        assert_eq!(bytes(320_000_000), "320 MB");
        assert_eq!(bytes(12_000), "12 kB");
    }

    #[test]
    fn a_huge_network_is_refused_with_its_estimate() {
        let arch = Architecture::new(
            [64, 100_000_000, 10],
            activations::ActivationKind::Relu,
            mlp::Head::Softmax,
        )
        .unwrap();
        let adam = OptimizerConfig::from_name("adam").unwrap();
        let err = check_network(&arch, 32, &adam, false)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "a network of widths 64-100000000-10 (7500000010 parameters) needs about"
            ),
            "{err}"
        );
        let small = Architecture::new(
            [4, 8, 3],
            activations::ActivationKind::Relu,
            mlp::Head::Softmax,
        )
        .unwrap();
        check_network(&small, 32, &adam, true).unwrap();
    }
}
