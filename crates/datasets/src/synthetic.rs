//! Small two-dimensional problems, generated from a seed.
//!
//! Each one shows something the lecture claims (the TensorFlow Playground's
//! habit: data you can draw on a plane):
//!
//! * [`xor`] — not linearly separable: without the activation $\sigma$ a
//!   network "can only separate linearly separable data" (the lecture's
//!   first section); one hidden layer is enough.
//! * [`two_moons`], [`circles`] — curved boundaries a small network learns.
//! * [`spirals`] — hard for a shallow network: depth and width matter.
//! * [`sine`] — regression: the approximation theorem in one picture.
//!
//! Every generator takes `seed`: the same seed gives bit-identical data (a
//! seeded `StdRng`), so a lab's expected numbers stay put; another seed
//! gives another sample of the same problem. `noise` is the standard
//! deviation of Gaussian noise added to each coordinate (to the target for
//! [`sine`]); classes are balanced and interleaved (sample $i$ has class
//! $i \bmod k$).

use std::f64::consts::PI;

use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

use crate::{DataError, Dataset};

/// How many full turns each arm of [`spirals`] makes.
pub const SPIRAL_TURNS: f64 = 1.0;

/// The interval $[a, b]$ on which [`sine`] samples $x$: one full period.
pub const SINE_INTERVAL: (f64, f64) = (-PI, PI);

fn check_noise(noise: f64) -> Result<Normal<f64>, DataError> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(Normal::new(0.0, noise).expect("a finite std >= 0 is valid"))
    } else {
        Err(DataError::InvalidParameter {
            name: "noise",
            value: noise.to_string(),
            expected: "a finite standard deviation >= 0",
        })
    }
}

fn check_n(n: usize, min: usize, expected: &'static str) -> Result<(), DataError> {
    if n >= min {
        Ok(())
    } else {
        Err(DataError::InvalidParameter {
            name: "n",
            value: n.to_string(),
            expected,
        })
    }
}

/// A two-class set on the plane: `point(i, class, rng)` gives sample `i`'s
/// coordinates before noise.
fn planar(
    name: &str,
    n: usize,
    n_classes: usize,
    noise: Normal<f64>,
    seed: u64,
    mut point: impl FnMut(usize, &mut StdRng) -> (usize, [f64; 2]),
) -> Result<Dataset, DataError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut x = Array2::zeros((n, 2));
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let (class, [x1, x2]) = point(i, &mut rng);
        x[[i, 0]] = x1 + noise.sample(&mut rng);
        x[[i, 1]] = x2 + noise.sample(&mut rng);
        labels.push(class);
    }
    Dataset::classification(x, labels, n_classes)?
        .with_name(name)
        .with_feature_names(vec!["x1".into(), "x2".into()])
}

/// XOR: points uniform in $[-1, 1]^2$; class 1 where the coordinates have
/// opposite signs ($x_1 x_2 < 0$, quadrants II and IV), class 0 where they
/// agree (I and III). The label is decided before the noise is added, so
/// noise blurs the boundary.
pub fn xor(n: usize, noise: f64, seed: u64) -> Result<Dataset, DataError> {
    check_n(n, 2, "at least 2 samples (one per class)")?;
    let noise = check_noise(noise)?;
    planar("xor", n, 2, noise, seed, |i, rng| {
        let class = i % 2;
        let x1: f64 = rng.random_range(-1.0..1.0);
        // |x2| uniform, its sign chosen so that the class comes out right:
        // the same as x1's for class 0, the opposite for class 1.
        let magnitude: f64 = rng.random_range(0.0..1.0);
        let same_sign = x1.signum() * magnitude;
        (class, [x1, if class == 0 { same_sign } else { -same_sign }])
    })
}

/// Two interleaving half circles: class 0 is the upper moon
/// $(\cos t, \sin t)$, class 1 the lower one $(1 - \cos t, \tfrac12 - \sin t)$,
/// with $t$ uniform in $[0, \pi]$ (scikit-learn's `make_moons` layout).
pub fn two_moons(n: usize, noise: f64, seed: u64) -> Result<Dataset, DataError> {
    check_n(n, 2, "at least 2 samples (one per class)")?;
    let noise = check_noise(noise)?;
    planar("moons", n, 2, noise, seed, |i, rng| {
        let t: f64 = rng.random_range(0.0..PI);
        let class = i % 2;
        let point = if class == 0 {
            [t.cos(), t.sin()]
        } else {
            [1.0 - t.cos(), 0.5 - t.sin()]
        };
        (class, point)
    })
}

/// Two concentric circles: class 0 on radius 1, class 1 on radius
/// `factor` $\in (0, 1)$, at uniform angles.
pub fn circles(n: usize, noise: f64, factor: f64, seed: u64) -> Result<Dataset, DataError> {
    check_n(n, 2, "at least 2 samples (one per class)")?;
    let noise = check_noise(noise)?;
    if !(factor > 0.0 && factor < 1.0) {
        return Err(DataError::InvalidParameter {
            name: "factor",
            value: factor.to_string(),
            expected: "the inner circle's radius, in (0, 1)",
        });
    }
    planar("circles", n, 2, noise, seed, |i, rng| {
        let angle: f64 = rng.random_range(0.0..2.0 * PI);
        let class = i % 2;
        let r = if class == 0 { 1.0 } else { factor };
        (class, [r * angle.cos(), r * angle.sin()])
    })
}

/// `classes` spiral arms, one class each: arm $c$ at radius $r$ (uniform in
/// $[0, 1]$) has angle
/// $$ \theta = \frac{2\pi c}{K} + 2\pi \cdot \text{turns} \cdot r, $$
/// with $K$ = `classes` and turns = [`SPIRAL_TURNS`]; the point is
/// $(r\cos\theta, r\sin\theta)$.
pub fn spirals(n: usize, classes: usize, noise: f64, seed: u64) -> Result<Dataset, DataError> {
    if classes < 2 {
        return Err(DataError::InvalidParameter {
            name: "classes",
            value: classes.to_string(),
            expected: "at least 2 spiral arms",
        });
    }
    check_n(n, classes, "at least one sample per class (n >= classes)")?;
    let noise = check_noise(noise)?;
    let k = classes as f64;
    planar("spirals", n, classes, noise, seed, |i, rng| {
        let class = i % classes;
        let r: f64 = rng.random_range(0.0..=1.0);
        let theta = 2.0 * PI * class as f64 / k + 2.0 * PI * SPIRAL_TURNS * r;
        (class, [r * theta.cos(), r * theta.sin()])
    })
}

/// Noisy sine regression: $x$ uniform on [`SINE_INTERVAL`] and
/// $$ y = \sin x + \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, \text{noise}^2). $$
pub fn sine(n: usize, noise: f64, seed: u64) -> Result<Dataset, DataError> {
    check_n(n, 1, "at least 1 sample")?;
    let noise = check_noise(noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let (a, b) = SINE_INTERVAL;
    let mut x = Array2::zeros((n, 1));
    let mut y = Array2::zeros((n, 1));
    for i in 0..n {
        let xi: f64 = rng.random_range(a..=b);
        x[[i, 0]] = xi;
        y[[i, 0]] = xi.sin() + noise.sample(&mut rng);
    }
    Ok(Dataset::regression(x, y)?.with_name("sine"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Target;

    #[test]
    fn xor_labels_follow_the_sign_rule_without_noise() {
        let d = xor(200, 0.0, 1).unwrap();
        for (row, &label) in d.x().rows().into_iter().zip(d.labels().unwrap()) {
            assert_eq!(label == 1, row[0] * row[1] < 0.0, "{row}");
        }
        assert_eq!(d.class_counts(), Some(vec![100, 100]));
    }

    #[test]
    fn circles_lie_on_their_radii_without_noise() {
        let d = circles(100, 0.0, 0.3, 2).unwrap();
        for (row, &label) in d.x().rows().into_iter().zip(d.labels().unwrap()) {
            let r = row[0].hypot(row[1]);
            let expected = if label == 0 { 1.0 } else { 0.3 };
            assert!((r - expected).abs() < 1e-12, "r = {r}, class {label}");
        }
    }

    #[test]
    fn moons_lie_on_their_half_circles_without_noise() {
        let d = two_moons(100, 0.0, 3).unwrap();
        for (row, &label) in d.x().rows().into_iter().zip(d.labels().unwrap()) {
            // upper moon: centre (0, 0), y >= 0; lower: centre (1, 0.5), y <= 0.5
            let (cx, cy, upper) = if label == 0 {
                (0.0, 0.0, true)
            } else {
                (1.0, 0.5, false)
            };
            let r = (row[0] - cx).hypot(row[1] - cy);
            assert!((r - 1.0).abs() < 1e-12);
            assert_eq!(row[1] >= cy, upper, "{row} class {label}");
        }
    }

    #[test]
    fn spiral_points_have_the_arm_angle() {
        let d = spirals(90, 3, 0.0, 4).unwrap();
        assert_eq!(d.class_counts(), Some(vec![30, 30, 30]));
        for (row, &label) in d.x().rows().into_iter().zip(d.labels().unwrap()) {
            let r = row[0].hypot(row[1]);
            let theta = 2.0 * PI * label as f64 / 3.0 + 2.0 * PI * SPIRAL_TURNS * r;
            assert!((row[0] - r * theta.cos()).abs() < 1e-12);
            assert!((row[1] - r * theta.sin()).abs() < 1e-12);
        }
    }

    #[test]
    fn sine_without_noise_is_the_sine() {
        let d = sine(50, 0.0, 5).unwrap();
        let Target::Values { y, .. } = d.target() else {
            panic!("sine is a regression set")
        };
        for (x, y) in d.x().column(0).iter().zip(y.column(0)) {
            assert!((-PI..=PI).contains(x));
            assert_eq!(*y, x.sin());
        }
    }

    #[test]
    fn invalid_parameters_are_named() {
        let cases = [
            (
                xor(10, -0.1, 0),
                "invalid noise = -0.1: expected a finite standard deviation >= 0",
            ),
            (
                two_moons(1, 0.1, 0),
                "invalid n = 1: expected at least 2 samples (one per class)",
            ),
            (
                circles(10, 0.1, 1.0, 0),
                "invalid factor = 1: expected the inner circle's radius, in (0, 1)",
            ),
            (
                spirals(10, 1, 0.1, 0),
                "invalid classes = 1: expected at least 2 spiral arms",
            ),
            (
                spirals(2, 3, 0.1, 0),
                "invalid n = 2: expected at least one sample per class (n >= classes)",
            ),
            (
                sine(10, f64::NAN, 0),
                "invalid noise = NaN: expected a finite standard deviation >= 0",
            ),
        ];
        for (result, message) in cases {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
    }
}
