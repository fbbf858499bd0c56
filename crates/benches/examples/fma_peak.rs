//! The machine's f64 limit: how many floating-point operations per second
//! the cores can do when nothing but fused multiply-adds runs.
//!
//! **Method.** Each thread updates `C` independent accumulators,
//! $a_i \leftarrow a_i x + y$ (`f64::mul_add`, two flops each), over and over.
//! The chains are independent, so the compiler turns them into vector FMA
//! instructions on registers (no memory traffic), and there are enough of
//! them to hide the FMA latency (latency × FMA units × lanes, e.g.
//! 4 × 2 × 4 = 32 for 256-bit AVX2). The program tries `C` = 64, 96, 128
//! and reports the best, with one thread per core and with one thread.
//! Smaller `C` would do: LLVM unrolls such short loops completely and then
//! leaves the chains scalar (checked in the assembly, `--emit asm`: 16–48
//! chains give `vfmadd…sd`, 64 and more give `vfmadd…pd` on `ymm`/`zmm`).
//! $x$ slightly below 1 and a small $y$ keep the values finite and normal
//! (a fixed point at $y / (1 - x)$), so no slow denormal path runs.
//!
//! **It must be compiled for this CPU.** Without `-C target-cpu=native` the
//! x86-64 baseline has no FMA instruction: `mul_add` would call a software
//! routine, so the program then measures separate multiply and add instead
//! and says so. The target CPU cannot be set for one package in Cargo
//! (profiles have no `rustflags` on stable), and the file needs only `std`,
//! so the simplest documented mechanism is to compile it directly:
//!
//! ```text
//! rustc --edition 2024 -C opt-level=3 -C target-cpu=native \
//!     crates/benches/examples/fma_peak.rs -o target/fma_peak && target/fma_peak
//! ```
//!
//! (`cargo run -p benches --bin compare --release` does exactly this.) As a
//! Cargo example it also runs, with the flag given through the environment
//! and a separate target directory so the shared one is not rebuilt:
//! `RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR=target/native cargo run --release -p benches --example fma_peak`.
//!
//! By default LLVM uses 256-bit vectors on Intel CPUs that have AVX-512
//! (`prefer-256-bit`, to avoid the clock penalty of 512-bit code); adding
//! `-C target-feature=-prefer-256-bit` measures the 512-bit limit.
//! `matrixmultiply`'s f64 kernel is 256-bit AVX2 + FMA, so the 256-bit limit
//! is the ceiling for our matrix products; OpenBLAS and MKL can use AVX-512.
//!
//! Output: human-readable lines, then one JSON line
//! (`{"peer":"ours","workload":"fma_peak",…}`) for the compare command.
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::thread;
use std::time::Instant;

/// Whether this build has a hardware FMA instruction to use.
const HAS_FMA: bool = cfg!(target_feature = "fma");

/// Repetitions of the whole set of chains per timed run (about 0.2 s).
const ITERS: u64 = 20_000_000;

/// $C$ independent chains $a_i \leftarrow a_i x + y$, `iters` times; returns
/// their sum so that the work cannot be optimised away.
fn chains<const C: usize>(iters: u64, x: f64, y: f64) -> f64 {
    let mut a = [0.0_f64; C];
    for (i, ai) in a.iter_mut().enumerate() {
        *ai = i as f64 * 1e-3;
    }
    for _ in 0..iters {
        for ai in a.iter_mut() {
            // one FMA instruction if the build has FMA; otherwise a
            // multiply and an add (mul_add would call a software routine)
            *ai = if HAS_FMA {
                ai.mul_add(x, y)
            } else {
                *ai * x + y
            };
        }
    }
    a.iter().sum()
}

/// GFLOP/s of `threads` threads each running `C` chains (best of 3 runs).
fn measure<const C: usize>(threads: usize) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| chains::<C>(black_box(ITERS), black_box(0.999_999), black_box(1e-6)))
                })
                .collect();
            for h in handles {
                black_box(h.join().expect("an FMA thread panicked"));
            }
        });
        best = best.min(start.elapsed().as_secs_f64());
    }
    let flops = 2.0 * C as f64 * ITERS as f64 * threads as f64;
    flops / best / 1e9
}

/// The best over several chain counts, with the count that reached it.
fn best_over_chain_counts(threads: usize) -> (f64, usize) {
    let runs = [
        (measure::<64>(threads), 64),
        (measure::<96>(threads), 96),
        (measure::<128>(threads), 128),
    ];
    for (gflops, c) in runs {
        eprintln!("  {threads} thread(s), {c:>3} chains: {gflops:7.1} GFLOP/s");
    }
    runs.into_iter().fold(
        (0.0, 0),
        |best, run| if run.0 > best.0 { run } else { best },
    )
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let width = if cfg!(target_feature = "avx512f") {
        "AVX-512 available"
    } else if cfg!(target_feature = "avx2") {
        "AVX2"
    } else {
        "baseline SSE2"
    };
    let op = if HAS_FMA {
        "fused multiply-add"
    } else {
        "multiply + add (no FMA in this build: compile with -C target-cpu=native)"
    };
    eprintln!("f64 {op}, build target features: {width}");
    let (one, c1) = best_over_chain_counts(1);
    let (all, c_all) = best_over_chain_counts(cores);
    println!("one core:   {one:6.1} GFLOP/s ({c1} chains)");
    println!("{cores} cores:    {all:6.1} GFLOP/s ({c_all} chains)");
    println!(
        "{{\"peer\":\"ours\",\"workload\":\"fma_peak\",\"case\":\"f64 FMA limit, {cores} threads\",\
         \"dtype\":\"f64\",\"unit\":\"GFLOP/s\",\"best\":{all},\"one_core\":{one},\
         \"threads\":{cores},\"fma\":{HAS_FMA},\"avx512f\":{}}}",
        cfg!(target_feature = "avx512f")
    );
}
