//! Where the trainer's fast path gains: one epoch of the 784-256-10
//! workload through the lecture's plain code (`mlp::backprop`, `.dot()`,
//! a new matrix per step) and through `trainer::engine::Workspace`
//! (preallocated buffers, fused passes), timed phase by phase.
//!
//! ```text
//! cargo run -p benches --release --example plain_vs_engine [-- moons] [-- --epochs N]
//! ```
//!
//! Both run the same batches in the same order with the same optimizer,
//! so the phases compare like with like; the numbers go into appendix E.
#![forbid(unsafe_code)]

use std::time::Instant;

use benches::training::Workload;
use mlp::backprop::{backward, forward};
use mlp::train::{epoch_order, update};
use mlp::{Head, Objective};
use ndarray::{Array2, Axis};
use trainer::engine::Workspace;

#[derive(Default, Clone, Copy)]
struct Phases {
    gather: f64,
    forward: f64,
    loss: f64,
    backward: f64,
    update: f64,
}

impl Phases {
    fn total(&self) -> f64 {
        self.gather + self.forward + self.loss + self.backward + self.update
    }
}

fn targets(workload: &Workload) -> Array2<f64> {
    let labels = workload.data.labels().expect("classification workloads");
    if workload.model.head() == Head::Sigmoid && workload.model.n_outputs() == 1 {
        Array2::from_shape_fn((labels.len(), 1), |(i, _)| labels[i] as f64)
    } else {
        datasets::one_hot(labels, workload.model.n_outputs()).expect("labels fit")
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let moons = args.iter().any(|a| a == "moons");
    let epochs: usize = args
        .iter()
        .position(|a| a == "--epochs")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let workload = if moons {
        Workload::moons()
    } else {
        Workload::mlp784()
    }
    .expect("the workload builds");
    let x = workload.data.x();
    let y = targets(&workload);
    let objective = Objective::new(workload.model.head(), workload.config.loss).unwrap();
    let batch = workload.config.batch_size;
    let n = x.nrows();
    let mut order = vec![0; n];

    let mut best_plain: Option<Phases> = None;
    let mut best_engine: Option<Phases> = None;
    for epoch in 0..epochs {
        epoch_order(workload.config.seed, epoch, true, &mut order);
        // the plain code: a new matrix for every z, a, δ and gradient
        let mut model = workload.model.clone();
        let mut optimizer = workload.config.optimizer.build().unwrap();
        let mut p = Phases::default();
        for rows in order.chunks(batch) {
            let t0 = Instant::now();
            let (x_b, y_b) = (x.select(Axis(0), rows), y.select(Axis(0), rows));
            let t1 = Instant::now();
            let pass = forward(&model, x_b.view()).unwrap();
            let t2 = Instant::now();
            let (_, delta) = objective.loss_and_delta(pass.logits(), y_b.view()).unwrap();
            let t3 = Instant::now();
            let gradients = backward(&model, &pass, delta);
            let t4 = Instant::now();
            update(&mut model, &gradients, &mut optimizer).unwrap();
            let t5 = Instant::now();
            p.gather += (t1 - t0).as_secs_f64();
            p.forward += (t2 - t1).as_secs_f64();
            p.loss += (t3 - t2).as_secs_f64();
            p.backward += (t4 - t3).as_secs_f64();
            p.update += (t5 - t4).as_secs_f64();
        }
        if best_plain.is_none_or(|b| p.total() < b.total()) {
            best_plain = Some(p);
        }
        // the engine: the same formulas in buffers made once
        let mut model = workload.model.clone();
        let mut optimizer = workload.config.optimizer.build().unwrap();
        let mut workspace = Workspace::new(&model, batch);
        let mut x_b = Array2::zeros((batch, x.ncols()));
        let mut y_b = Array2::zeros((batch, y.ncols()));
        let mut e = Phases::default();
        for rows in order.chunks(batch) {
            let t0 = Instant::now();
            for (i, &r) in rows.iter().enumerate() {
                x_b.row_mut(i).assign(&x.row(r));
                y_b.row_mut(i).assign(&y.row(r));
            }
            let (xv, yv) = (
                x_b.slice_axis(Axis(0), (0..rows.len()).into()),
                y_b.slice_axis(Axis(0), (0..rows.len()).into()),
            );
            let t1 = Instant::now();
            workspace.forward(&model, xv).unwrap();
            let t2 = Instant::now();
            workspace.output_loss(&objective, yv).unwrap();
            let t3 = Instant::now();
            workspace.backward(&model, xv).unwrap();
            let t4 = Instant::now();
            update(&mut model, workspace.gradients(), &mut optimizer).unwrap();
            let t5 = Instant::now();
            e.gather += (t1 - t0).as_secs_f64();
            e.forward += (t2 - t1).as_secs_f64();
            e.loss += (t3 - t2).as_secs_f64();
            e.backward += (t4 - t3).as_secs_f64();
            e.update += (t5 - t4).as_secs_f64();
        }
        if best_engine.is_none_or(|b| e.total() < b.total()) {
            best_engine = Some(e);
        }
    }
    let (p, e) = (best_plain.unwrap(), best_engine.unwrap());
    let name = if moons { "2-16-16-1" } else { "784-256-10" };
    let steps = n.div_ceil(batch) as f64;
    println!("{name}, one epoch ({n} rows, batches of {batch}), best of {epochs}; µs per step");
    println!("| phase | plain (mlp) | engine (trainer) | plain / engine |");
    println!("|---|---|---|---|");
    let rows = [
        ("gather the batch", p.gather, e.gather),
        ("forward pass", p.forward, e.forward),
        ("loss and δ_L", p.loss, e.loss),
        ("backward pass", p.backward, e.backward),
        ("optimizer step", p.update, e.update),
        ("whole step", p.total(), e.total()),
    ];
    for (phase, plain, engine) in rows {
        println!(
            "| {phase} | {:.2} | {:.2} | {:.2} |",
            plain / steps * 1e6,
            engine / steps * 1e6,
            plain / engine
        );
    }
}
