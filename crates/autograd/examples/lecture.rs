//! The lecture's worked example, computed four ways.
//!
//! `cargo run -p autograd --example lecture`
//!
//! The network $\hat y = w_2 \sigma(w_1 x + b_1) + b_2$ with
//! $\mathcal{L} = \frac12 (y - \hat y)^2$ at $x = 0.5$, $y = 1$, $w_1 = 0.3$,
//! $b_1 = -0.1$, $w_2 = 0.8$, $b_2 = 0.2$: the forward values, then the four
//! gradients by hand (the chain rule with the corrected sign), by autograd,
//! by central finite differences, and as the lecture prints them.
//! (`--example dot` draws the same network as a graph.)

use autograd::lecture::{
    Params, WORKED_EXAMPLE, gradients, gradients_as_written_in_lecture, gradients_by_autograd,
};

fn main() {
    let (x, y, params) = WORKED_EXAMPLE;
    let Params { w1, b1, w2, b2 } = params;
    println!("Лекция 11: ŷ = w2·σ(w1·x + b1) + b2,  L = ½(y − ŷ)²");
    println!("x = {x}, y = {y}, w1 = {w1}, b1 = {b1}, w2 = {w2}, b2 = {b2}\n");

    let fwd = params.forward(x, y);
    println!("Прямой проход (forward pass)");
    for (name, formula, value) in [
        ("z", "w1·x + b1", fwd.z),
        ("σ(z)", "1 / (1 + e^(−z))", fwd.sigma_z),
        ("ŷ", "w2·σ(z) + b2", fwd.y_hat),
        ("L", "½(y − ŷ)²", fwd.loss),
    ] {
        println!("  {name:<5} = {formula:<17} = {value:>12.8}");
    }

    let hand = gradients(&params, &fwd).to_array();
    let auto = gradients_by_autograd(&params, x, y).to_array();
    let numeric = gradcheck::gradient(
        |p| Params::from_array([p[0], p[1], p[2], p[3]]).loss(x, y),
        &params.to_array(),
    );
    let literal = gradients_as_written_in_lecture(&params, &fwd).to_array();

    println!("\nГрадиенты (∂L/∂ŷ = ŷ − y; в лекции напечатано y − ŷ)");
    println!(
        "  {:<7} {:>12} {:>12} {:>12} {:>14}",
        "", "вручную", "autograd", "кон. разн.", "знак лекции"
    );
    for (k, name) in ["∂L/∂w2", "∂L/∂b2", "∂L/∂w1", "∂L/∂b1"].iter().enumerate() {
        println!(
            "  {name:<7} {:>12.8} {:>12.8} {:>12.8} {:>14.8}",
            hand[k], auto[k], numeric[k], literal[k]
        );
    }

    let eta = 0.5;
    let down = params.sgd_step(&gradients(&params, &fwd), eta).loss(x, y);
    let up = params
        .sgd_step(&gradients_as_written_in_lecture(&params, &fwd), eta)
        .loss(x, y);
    println!("\nОдин шаг w ← w − η·grad, η = {eta}:");
    println!("  L до шага                  = {:.8}", fwd.loss);
    println!("  с исправленным знаком      = {down:.8}  (убывает)");
    println!("  со знаком из лекции        = {up:.8}  (растёт)");
}
