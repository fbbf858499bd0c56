//! Values and gradients of every loss on a few hand-picked batches.
//!
//! ```text
//! cargo run -p losses --example loss_table
//! ```
//!
//! Each row is a one-entry batch (n = k = 1), so the value is the loss of
//! that single prediction and the gradient is ∂L/∂(prediction).

use activations::sigmoid;
use losses::{
    Bce, BceWithLogits, CrossEntropy, CrossEntropyWithLogits, FocalBinary, FocalMulticlass, Huber,
    Loss, LossError, Mae, Mse,
};
use ndarray::{Array2, array};

/// Value and gradient of `loss` for a single prediction and target.
fn single(loss: &dyn Loss, pred: f64, target: f64) -> Result<(f64, f64), LossError> {
    let (value, grad) = loss.value_and_gradient(array![[pred]].view(), array![[target]].view())?;
    Ok((value, grad[[0, 0]]))
}

fn main() -> Result<(), LossError> {
    println!("Regression: y = 0, prediction ŷ (Huber δ = 1)");
    println!(
        "{:>6} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9}",
        "ŷ", "MSE", "∂/∂ŷ", "MAE", "∂/∂ŷ", "Huber", "∂/∂ŷ"
    );
    let huber = Huber::new(1.0)?;
    for y_hat in [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0] {
        let (mse, d_mse) = single(&Mse, y_hat, 0.0)?;
        let (mae, d_mae) = single(&Mae, y_hat, 0.0)?;
        let (hub, d_hub) = single(&huber, y_hat, 0.0)?;
        println!(
            "{y_hat:>6.2} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9}",
            num(mse),
            num(d_mse),
            num(mae),
            num(d_mae),
            num(hub),
            num(d_hub)
        );
    }

    println!();
    println!("Binary classification: y = 1, predicted probability p (focal α = 0.25, γ = 2)");
    println!(
        "{:>6} | {:>10} {:>10} | {:>10} {:>10} | {:>10}",
        "p", "BCE", "∂/∂p", "focal", "∂/∂p", "focal/BCE"
    );
    let focal = FocalBinary::new(0.25, 2.0)?;
    for p in [0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0] {
        let (bce, d_bce) = single(&Bce, p, 1.0)?;
        let (foc, d_foc) = single(&focal, p, 1.0)?;
        // the lecture's point: (1 − p)^γ shrinks the loss of easy examples
        let ratio = if bce > 0.0 {
            num(foc / bce)
        } else {
            "—".to_string()
        };
        println!(
            "{p:>6.2} | {:>10} {:>10} | {:>10} {:>10} | {ratio:>10}",
            num(bce),
            num(d_bce),
            num(foc),
            num(d_foc)
        );
    }
    println!(
        "(p = 0 hits the clamp log 0 → −100: a finite BCE of 100, flat there; focal still has the slope of (1 − p)^γ)"
    );

    println!();
    println!(
        "The same from logits z, p = σ(z): BCE-with-logits stays exact where σ(z) rounds to 0 or 1"
    );
    println!(
        "{:>6} | {:>10} | {:>10} {:>11} | {:>10}",
        "z", "σ(z)", "BCE(σ(z))", "with logits", "∂/∂z"
    );
    for z in [-500.0, -40.0, -2.0, 0.0, 2.0, 40.0, 500.0] {
        let (bce, _) = single(&Bce, sigmoid(z), 1.0)?;
        let (logits, d_logits) = single(&BceWithLogits, z, 1.0)?;
        println!(
            "{z:>6} | {:>10.3e} | {:>10} {:>11} | {:>10}",
            sigmoid(z),
            num(bce),
            num(logits),
            num(d_logits)
        );
    }

    println!("(at z = 40 the exact gradient σ(40) − 1 ≈ −4e-18 rounds to 0: σ(40) is 1.0 in f64)");

    println!();
    println!("Three classes, true class 0: probabilities p = SoftMax(z) (multiclass focal γ = 2)");
    println!(
        "{:>16} | {:>23} | {:>9} {:>9} {:>9} | {:>24}",
        "z", "p", "CE", "focal", "CE(z)", "∂CE(z)/∂z = p − y"
    );
    let y: Array2<f64> = array![[1.0, 0.0, 0.0]];
    let focal = FocalMulticlass::new(2.0)?;
    for z in [
        [3.0, 0.0, 0.0],
        [1.0, 1.0, 1.0],
        [0.0, 2.0, -1.0],
        [500.0, -500.0, 0.0],
        [-500.0, 500.0, 0.0],
    ] {
        let z = array![z];
        let p = activations::softmax_rows(z.view());
        let ce = CrossEntropy.value(p.view(), y.view())?;
        let foc = focal.value(p.view(), y.view())?;
        let (ce_z, grad) = CrossEntropyWithLogits.value_and_gradient(z.view(), y.view())?;
        println!(
            "{:>16} | {:>23} | {:>9} {:>9} {:>9} | {:>24}",
            fmt_row(z.row(0).to_vec(), 0),
            fmt_row(p.row(0).to_vec(), 3),
            num(ce),
            num(foc),
            num(ce_z),
            fmt_row(grad.row(0).to_vec(), 3),
        );
    }
    println!(
        "(the last row: SoftMax gives p₀ = 0 exactly, CE on p is clamped at 100, CE from logits is the true 1000)"
    );
    Ok(())
}

/// Four decimals, or three significant digits in e-notation for tiny values.
fn num(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

fn fmt_row(values: Vec<f64>, digits: usize) -> String {
    let parts: Vec<String> = values.iter().map(|v| format!("{v:.digits$}")).collect();
    format!("[{}]", parts.join(", "))
}
