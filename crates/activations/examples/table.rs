//! A table of every activation and its derivative at a few points, and a
//! SoftMax example — the numbers the book prints.
//!
//! ```text
//! cargo run -p activations --example table
//! ```

use activations::{
    Activation, ActivationKind, Elu, LeakyRelu, softmax, softmax_jacobian, softmax_vjp,
};
use ndarray::{Array1, Array2, array};

const XS: [f64; 9] = [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0];

/// One row per activation, one column per x.
fn print_table(title: &str, value: impl Fn(ActivationKind, f64) -> f64) {
    println!("{title}");
    print!("{:<14}", "x");
    for x in XS {
        print!("{x:>9.1}");
    }
    println!();
    for kind in ActivationKind::ALL {
        print!("{:<14}", kind.to_string());
        for x in XS {
            print!("{:>9.4}", value(kind, x));
        }
        println!();
    }
    println!();
}

fn print_vector(name: &str, v: &Array1<f64>) {
    print!("{name:<10}");
    for x in v {
        print!("{x:>11.4}");
    }
    println!();
}

fn print_matrix(name: &str, m: &Array2<f64>) {
    for (i, row) in m.rows().into_iter().enumerate() {
        print!("{:<10}", if i == 0 { name } else { "" });
        for x in row {
            print!("{x:>11.4}");
        }
        println!();
    }
}

fn main() {
    print_table("f(x)", |kind, x| kind.forward(x));
    print_table("f'(x)", |kind, x| kind.derivative(x));
    println!(
        "f'(0) at the kinks is PyTorch's choice: ReLU 0, Leaky ReLU alpha = {}, ELU alpha = {}.",
        LeakyRelu::DEFAULT_ALPHA,
        Elu::DEFAULT_ALPHA,
    );
    println!();

    println!("SoftMax, s = SoftMax(z)");
    let z = array![1.0, 2.0, 3.0];
    let s = softmax(z.view());
    print_vector("z", &z);
    print_vector("s", &s);
    println!("{:<10}{:>11.4}", "sum s", s.sum());
    println!();
    println!("Jacobian J = diag(s) - s s^T (each row sums to 0)");
    print_matrix("J", &softmax_jacobian(z.view()));
    println!();
    println!("Backprop: dL/dz = s * (g - <g, s>), without building J");
    let g = array![1.0, 0.0, 0.0];
    print_vector("g", &g);
    print_vector("dL/dz", &softmax_vjp(s.view(), g.view()));
    println!();
    println!("Large logits: the maximum is subtracted first, so nothing overflows");
    let z = array![1000.0, 0.0, -1000.0];
    print_vector("z", &z);
    print_vector("s", &softmax(z.view()));
}
