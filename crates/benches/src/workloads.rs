//! The data and sizes of `peers/WORKLOADS.md`, on the Rust side.
//!
//! PyTorch's script draws from numpy's generator and this module from
//! rand's `StdRng`: same distribution and shapes, not the same bytes (the
//! time of a training step does not depend on the values).

use ndarray::Array2;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

/// The seed every workload uses (`SEED` in `torch_peer.py`).
pub const SEED: u64 = 8;

/// Workload `mlp784`: layer sizes 784-256-10.
pub const MLP784_SIZES: [usize; 3] = [784, 256, 10];
/// Workload `mlp784`: samples per epoch.
pub const MLP784_SAMPLES: usize = 60_000;
/// Workload `mlp784`: batch size.
pub const MLP784_BATCH: usize = 128;
/// Workload `mlp784`: the standard deviation of the class centres' coordinates.
pub const MLP784_CENTRE_STD: f64 = 0.1;

/// Workload `moons`: layer sizes 2-16-16-1.
pub const MOONS_SIZES: [usize; 4] = [2, 16, 16, 1];
/// Workload `moons`: samples.
pub const MOONS_SAMPLES: usize = 1000;
/// Workload `moons`: batch size.
pub const MOONS_BATCH: usize = 32;
/// Workload `moons`: the standard deviation of the noise on each coordinate.
pub const MOONS_NOISE: f64 = 0.1;

/// Steps in one epoch: $\lceil n / b \rceil$ (the last batch may be short).
pub const fn steps_per_epoch(samples: usize, batch: usize) -> usize {
    samples.div_ceil(batch)
}

/// A classification set: one sample per row of `x`, its class in `labels`.
#[derive(Debug, Clone)]
pub struct Blobs {
    /// Features, `n × d`.
    pub x: Array2<f64>,
    /// Class of each row, in `0..k`.
    pub labels: Vec<usize>,
    /// The class centres, `k × d`.
    pub centres: Array2<f64>,
}

/// Gaussian blobs (WORKLOADS.md §1): centres
/// $\mu_{c,j} \sim \mathcal N(0, \text{centre\_std}^2)$ drawn first, row by row;
/// then sample $i$ has class $c_i = i \bmod k$ and features
/// $$ x_{i,j} = \mu_{c_i, j} + \varepsilon_{i,j}, \qquad \varepsilon_{i,j} \sim \mathcal N(0, 1). $$
///
/// # Panics
/// If `k` is 0 or `centre_std` is negative or not finite (the workloads'
/// constants are fixed; this is not user input).
pub fn gaussian_blobs(n: usize, d: usize, k: usize, centre_std: f64, seed: u64) -> Blobs {
    assert!(k > 0, "gaussian_blobs needs at least one class");
    let mut rng = StdRng::seed_from_u64(seed);
    let centre = Normal::new(0.0, centre_std).expect("centre_std is finite and >= 0");
    let noise = Normal::new(0.0, 1.0).expect("a unit normal");
    let centres = Array2::from_shape_simple_fn((k, d), || centre.sample(&mut rng));
    let labels: Vec<usize> = (0..n).map(|i| i % k).collect();
    let mut x = Array2::zeros((n, d));
    for (mut row, &c) in x.rows_mut().into_iter().zip(&labels) {
        for (xij, &mu) in row.iter_mut().zip(centres.row(c)) {
            *xij = mu + noise.sample(&mut rng);
        }
    }
    Blobs { x, labels, centres }
}

/// The blobs of workload `mlp784`: 60 000 × 784, 10 classes, seed [`SEED`].
pub fn mlp784_blobs() -> Blobs {
    gaussian_blobs(
        MLP784_SAMPLES,
        MLP784_SIZES[0],
        MLP784_SIZES[2],
        MLP784_CENTRE_STD,
        SEED,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Axis;

    #[test]
    fn epochs_have_the_documented_step_counts() {
        assert_eq!(steps_per_epoch(MLP784_SAMPLES, MLP784_BATCH), 469);
        assert_eq!(steps_per_epoch(MOONS_SAMPLES, MOONS_BATCH), 32);
        assert_eq!(steps_per_epoch(256, 128), 2);
    }

    #[test]
    fn classes_are_balanced_and_interleaved() {
        let b = gaussian_blobs(30, 4, 3, 0.1, 1);
        assert_eq!(b.x.dim(), (30, 4));
        assert_eq!(b.centres.dim(), (3, 4));
        assert_eq!(&b.labels[..4], &[0, 1, 2, 0]);
        for c in 0..3 {
            assert_eq!(b.labels.iter().filter(|&&l| l == c).count(), 10);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
        let a = gaussian_blobs(20, 5, 2, 0.1, 7);
        let b = gaussian_blobs(20, 5, 2, 0.1, 7);
        let c = gaussian_blobs(20, 5, 2, 0.1, 8);
        assert_eq!(a.x, b.x);
        assert_ne!(a.x, c.x);
    }

    #[test]
    fn samples_scatter_with_unit_variance_around_their_centre() {
        // 2000 × 50 residuals: their mean is 0 and variance 1 within a few
        // standard errors (1/sqrt(1e5) ≈ 0.003 for the mean).
        let b = gaussian_blobs(2000, 50, 4, 0.1, 3);
        let mut residuals = b.x.clone();
        for (mut row, &c) in residuals.rows_mut().into_iter().zip(&b.labels) {
            row -= &b.centres.row(c);
        }
        let mean = residuals.mean().unwrap();
        let var = residuals.mapv(|r| (r - mean).powi(2)).mean().unwrap();
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((var - 1.0).abs() < 0.03, "variance {var}");
    }

    #[test]
    fn centres_have_the_requested_spread() {
        let b = gaussian_blobs(10, 2000, 5, 0.1, 4);
        let std = b.centres.std(0.0);
        assert!((std - 0.1).abs() < 0.005, "centre std {std}");
        // the class means of the samples sit near their centre, not elsewhere
        let b = gaussian_blobs(4000, 3, 2, 5.0, 5);
        for c in 0..2 {
            let rows: Vec<usize> = (0..4000).filter(|i| b.labels[*i] == c).collect();
            let mean = b.x.select(Axis(0), &rows).mean_axis(Axis(0)).unwrap();
            for (m, mu) in mean.iter().zip(b.centres.row(c)) {
                assert!((m - mu).abs() < 0.1, "class {c}: mean {m}, centre {mu}");
            }
        }
    }
}
