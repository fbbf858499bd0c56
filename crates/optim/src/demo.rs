//! Optimizer trajectories on the [test functions](crate::objectives): the
//! data behind `cargo run -p optim --example trajectories` and the book's
//! figures.

use crate::objectives::Problem;
use crate::{AdamConfig, SgdConfig};
use crate::{MomentumConfig, OptimError, Optimizer, OptimizerConfig, RmsPropConfig};
use ndarray::{ArrayD, IxDyn};
use std::io::{self, Write};

/// One point of a trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrajectoryRow {
    /// The test function ([`Problem::name`]).
    pub problem: &'static str,
    /// Steps taken (0 is the start).
    pub step: usize,
    /// The optimizer ([`Resumable::name`](crate::Resumable::name)).
    pub optimizer: &'static str,
    /// First coordinate.
    pub x: f64,
    /// Second coordinate.
    pub y: f64,
    /// $f(x, y)$.
    pub loss: f64,
}

/// Runs `optimizer` on `problem` from `start` for `steps` steps and returns
/// the `steps + 1` points $(x, y, f(x, y))$, the start included.
///
/// The point is one parameter tensor of shape `[2]`.
pub fn trajectory(
    problem: Problem,
    optimizer: &mut dyn Optimizer,
    start: [f64; 2],
    steps: usize,
) -> Result<Vec<[f64; 3]>, OptimError> {
    let mut w =
        ArrayD::from_shape_vec(IxDyn(&[2]), start.to_vec()).expect("2 values for shape [2]");
    let mut grad = ArrayD::zeros(IxDyn(&[2]));
    let mut points = Vec::with_capacity(steps + 1);
    points.push([w[0], w[1], problem.loss(w[0], w[1])]);
    for _ in 0..steps {
        let [gx, gy] = problem.gradient(w[0], w[1]);
        grad[0] = gx;
        grad[1] = gy;
        optimizer.step(&mut [w.view_mut()], &[grad.view()])?;
        points.push([w[0], w[1], problem.loss(w[0], w[1])]);
    }
    Ok(points)
}

/// The start shared by all optimizers on `problem`: $(-1.5, 2)$ on the far
/// side of Rosenbrock's valley, $(-4, 1)$ on the quadratic.
pub fn start(problem: Problem) -> [f64; 2] {
    match problem {
        Problem::Rosenbrock => [-1.5, 2.0],
        Problem::Quadratic => [-4.0, 1.0],
    }
}

/// How many steps the demo runs on `problem`.
pub fn steps(problem: Problem) -> usize {
    match problem {
        Problem::Rosenbrock => 1000,
        Problem::Quadratic => 60,
    }
}

/// SGD, momentum, RMSProp and Adam with hyperparameters chosen to show
/// their character on `problem`.
///
/// * Quadratic ($\kappa = 25$, 60 steps): SGD with $\eta = 0.07$, just
///   under the stability limit $2/\kappa = 0.08$, bounces across the steep
///   $y$ direction while it crawls along $x$; momentum with the same $\eta$
///   and $\mu = 0.7$ gets far along $x$ at once and ends orders of magnitude
///   lower; RMSProp ($\eta = 0.1$) rescales each coordinate, so both move at
///   about the same pace and the path runs diagonally; Adam ($\eta = 0.2$) does the same with
///   momentum, overshooting and swinging back.
/// * Rosenbrock (1000 steps from $(-1.5, 2)$): SGD ($\eta = 10^{-3}$)
///   quickly drops into the curved valley and then creeps along its flat
///   floor; momentum ($\mu = 0.9$) rolls along the floor and reaches
///   $(1, 1)$; RMSProp ($\eta = 10^{-2}$) moves at a steady pace of about
///   $\eta$ per step whatever the gradient's size and jitters across the
///   floor, lacking momentum; Adam ($\eta = 0.05$) moves steadily and smoothly.
pub fn optimizers(problem: Problem) -> Vec<OptimizerConfig> {
    let (sgd, momentum, rmsprop, adam) = match problem {
        Problem::Quadratic => (0.07, (0.07, 0.7), 0.1, 0.2),
        Problem::Rosenbrock => (1e-3, (1e-3, 0.9), 1e-2, 0.05),
    };
    vec![
        OptimizerConfig::Sgd(SgdConfig { eta: sgd }),
        OptimizerConfig::Momentum(MomentumConfig {
            eta: momentum.0,
            mu: momentum.1,
        }),
        OptimizerConfig::RmsProp(RmsPropConfig {
            eta: rmsprop,
            ..RmsPropConfig::default()
        }),
        OptimizerConfig::Adam(AdamConfig {
            eta: adam,
            ..AdamConfig::default()
        }),
    ]
}

/// Every optimizer of [`optimizers`] on `problem` from [`start`] for
/// [`steps`], one row per point.
pub fn trajectories(problem: Problem) -> Vec<TrajectoryRow> {
    let mut rows = Vec::new();
    for config in optimizers(problem) {
        let mut optimizer = config
            .build()
            .expect("the demo's hyperparameters are valid");
        let points = trajectory(problem, &mut optimizer, start(problem), steps(problem))
            .expect("the test functions' gradients are finite along the demo's paths");
        rows.extend(
            points
                .iter()
                .enumerate()
                .map(|(step, &[x, y, loss])| TrajectoryRow {
                    problem: problem.name(),
                    step,
                    optimizer: config.name(),
                    x,
                    y,
                    loss,
                }),
        );
    }
    rows
}

/// Writes `rows` as CSV, `step,optimizer,x,y,loss`, with a leading
/// `problem` column if `with_problem`.
pub fn write_csv(
    rows: &[TrajectoryRow],
    with_problem: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    if with_problem {
        write!(out, "problem,")?;
    }
    writeln!(out, "step,optimizer,x,y,loss")?;
    for r in rows {
        if with_problem {
            write!(out, "{},", r.problem)?;
        }
        writeln!(out, "{},{},{},{},{}", r.step, r.optimizer, r.x, r.y, r.loss)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(problem: Problem) -> Vec<(&'static str, Vec<[f64; 3]>)> {
        optimizers(problem)
            .into_iter()
            .map(|config| {
                let mut opt = config.build().unwrap();
                let points = trajectory(problem, &mut opt, start(problem), steps(problem)).unwrap();
                (config.name(), points)
            })
            .collect()
    }

    fn distance_to_minimum(problem: Problem, p: [f64; 3]) -> f64 {
        let [a, b] = problem.minimum();
        (p[0] - a).hypot(p[1] - b)
    }

    #[test]
    fn quadratic_shows_each_character() {
        let runs = run(Problem::Quadratic);
        let (_, sgd) = &runs[0];
        // SGD bounces across y: the sign of y alternates on the first steps
        assert!(
            sgd[..6].windows(2).all(|w| w[0][1] * w[1][1] < 0.0),
            "{sgd:?}"
        );
        // ... while x shrinks by only 1 − η = 0.93 per step
        assert!((sgd[1][0] / sgd[0][0] - 0.93).abs() < 1e-12);
        // momentum and RMSProp end orders of magnitude below SGD
        let finals: Vec<f64> = runs.iter().map(|(_, p)| p.last().unwrap()[2]).collect();
        assert!(
            finals[1] < 0.01 * finals[0] && finals[2] < 0.01 * finals[0],
            "{finals:?}"
        );
        // RMSProp's first step is about the same size in both coordinates (diagonal)
        let (_, rmsprop) = &runs[2];
        let (dx, dy) = (rmsprop[1][0] - rmsprop[0][0], rmsprop[1][1] - rmsprop[0][1]);
        assert!((dx.abs() / dy.abs() - 1.0).abs() < 1e-6, "{dx} {dy}");
        assert!(
            runs.iter()
                .all(|(_, p)| p.last().unwrap()[2] < 0.05 * p[0][2])
        );
    }

    #[test]
    fn rosenbrock_shows_each_character() {
        let problem = Problem::Rosenbrock;
        let runs = run(problem);
        let end = |i: usize| distance_to_minimum(problem, *runs[i].1.last().unwrap());
        // SGD creeps: it ends far from (1, 1); momentum and Adam get close
        assert!(end(0) > 1.0, "SGD ended {}", end(0));
        assert!(
            end(1) < 0.05 && end(3) < 0.1,
            "momentum {}, Adam {}",
            end(1),
            end(3)
        );
        // RMSProp jitters: its loss is not monotone near the end
        let rms = &runs[2].1;
        let last = rms[rms.len() - 100..]
            .windows(2)
            .filter(|w| w[1][2] > w[0][2])
            .count();
        assert!(
            last > 10,
            "RMSProp rose only {last} times in the last 100 steps"
        );
        for (name, points) in &runs {
            assert!(
                points.last().unwrap()[2] < points[0][2],
                "{name} did not descend"
            );
        }
    }

    #[test]
    fn csv_has_the_promised_columns() {
        let rows = trajectories(Problem::Quadratic);
        assert_eq!(rows.len(), 4 * (steps(Problem::Quadratic) + 1));
        let mut out = Vec::new();
        write_csv(&rows[..2], false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("step,optimizer,x,y,loss"));
        assert_eq!(lines.next(), Some("0,sgd,-4,1,20.5"));
        let mut out = Vec::new();
        write_csv(&rows[..1], true, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with("problem,step,"));
    }
}
