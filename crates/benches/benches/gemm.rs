//! Matrix-product throughput of the ndarray configuration in use
//! (`matrixmultiply` with threading, or OpenBLAS with `--features blas`),
//! f64, at the shapes of one 784-256-10 training step and one large square.
//!
//! Criterion reports GFLOP/s as "elements per second" with one element per
//! floating-point operation ($2mkn$ per product): read `Gelem/s` as GFLOP/s.
//! Compare with the machine's limit from `examples/fma_peak.rs` (see
//! README.md).
//!
//! `cargo bench -p benches --bench gemm`
//! (`MATMUL_NUM_THREADS=1` for one core with matrixmultiply).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::time::Duration;

use benches::gemm::{Gemm, GemmShape, MLP784_PRODUCTS, SQUARE};
use benches::workloads::SEED;
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

fn gemm(c: &mut Criterion) {
    let mut group = c.benchmark_group("gemm_f64");
    // short: the whole `cargo bench -p benches` must stay within minutes
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for shape in MLP784_PRODUCTS {
        bench_shape(&mut group, shape);
    }
    // All five products of one step in sequence: the floor that the
    // products alone set under the trainer's step time.
    let mut step: Vec<Gemm> = MLP784_PRODUCTS
        .into_iter()
        .map(|s| Gemm::new(s, SEED))
        .collect();
    let flops: f64 = MLP784_PRODUCTS.iter().map(GemmShape::flops).sum();
    group.throughput(Throughput::Elements(flops as u64));
    group.bench_function("mlp784_step_all_5", |b| {
        b.iter(|| step.iter_mut().for_each(Gemm::run))
    });
    group.finish();

    // about 40 ms per product: 10 samples of one product each
    let mut group = c.benchmark_group("gemm_f64_square");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    bench_shape(&mut group, SQUARE);
    group.finish();
}

fn bench_shape(group: &mut BenchmarkGroup<'_, WallTime>, shape: GemmShape) {
    let mut g = Gemm::new(shape, SEED);
    group.throughput(Throughput::Elements(shape.flops() as u64));
    group.bench_function(format!("{}_{}", shape.name, shape.dims()), |b| {
        b.iter(|| g.run())
    });
}

criterion_group!(benches, gemm);
criterion_main!(benches);
