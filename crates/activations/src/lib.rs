//! # activations — the nonlinearities of Lecture 11, each with its derivative
//!
//! > Функция активации добавляет необходимое нелинейное преобразование в сеть.
//!
//! Without an activation a stack of layers $W_2(W_1 x + b_1) + b_2$ is one
//! linear map, and the network can only separate linearly separable data.
//! Every activation here is a small value implementing [`Activation`]: its
//! `forward` $f(x)$ and its `derivative` $f'(x)$ travel together, because
//! backpropagation needs both (the pairing is borrowed from TensorFlow
//! Playground's `nn.ts`).
//!
//! | lecture | type | $f'(x)$ |
//! |---|---|---|
//! | сигмоида | [`Sigmoid`] | $\sigma(x)(1 - \sigma(x))$ |
//! | гиперболический тангенс | [`Tanh`] | $1 - \tanh^2 x$ |
//! | ReLU | [`Relu`] | 1 if $x > 0$, else 0 |
//! | Leaky ReLU | [`LeakyRelu`] | $1$ or $\alpha$ |
//! | ELU | [`Elu`] | $1$ or $\alpha e^x$ |
//! | GELU | [`Gelu`] | $\Phi(x) + x\varphi(x)$ |
//! | GELU $\approx x\sigma(1.702x)$ | [`GeluSigmoid`] | $\sigma(1.702x) + 1.702x\,\sigma(1-\sigma)$ |
//! | (PyTorch's tanh form) | [`GeluTanh`] | see its docs |
//! | без активации | [`Identity`] | $1$ |
//! | SoftMax | [`softmax`], [`softmax_rows`] | [`softmax_jacobian`], [`softmax_vjp`] |
//!
//! [`ActivationKind`] chooses one by name (`"relu"`, `"leaky_relu(0.2)"`)
//! for the CLI and for configuration files.
//!
//! ```
//! use activations::{Activation, ActivationKind, Sigmoid};
//! let s = Sigmoid;
//! assert_eq!(s.forward(0.0), 0.5);
//! assert_eq!(s.derivative(0.0), 0.25); // σ'(x) = σ(x)(1 − σ(x))
//!
//! let relu: ActivationKind = "relu".parse()?;
//! let z = ndarray::array![-1.0, 0.0, 2.0];
//! assert_eq!(relu.forward_array(z.view()), ndarray::array![0.0, 0.0, 2.0]);
//! assert_eq!(relu.derivative_array(z.view()), ndarray::array![0.0, 0.0, 1.0]);
//! # Ok::<(), activations::ActivationError>(())
//! ```
//!
//! **Conventions.** Every function is finite for every finite input
//! (tested at $\pm 10^{3}$, $\pm 10^{300}$ and `±f64::MAX`). At a kink the
//! derivative is the value PyTorch's autograd gives: $\mathrm{ReLU}'(0) = 0$,
//! $\mathrm{LeakyReLU}'(0) = \alpha$, $\mathrm{ELU}'(0) = \alpha$. Values and
//! derivatives are checked against central differences (`gradcheck`) and
//! against PyTorch (`reference/generate.py`).
//!
//! **Corrections to the lecture** (see the types' docs): the sigmoid's sign
//! (correction 1, [`sigmoid`]) and ELU's $\alpha$ (correction 6, [`Elu`]).
#![forbid(unsafe_code)]

mod elu;
mod error;
mod gelu;
mod gelu_sigmoid;
mod gelu_tanh;
mod identity;
mod kind;
mod leaky_relu;
mod relu;
mod sigmoid;
mod softmax;
mod softmax_backward;
mod tanh;
mod traits;

pub use elu::Elu;
pub use error::ActivationError;
pub use gelu::Gelu;
pub use gelu_sigmoid::GeluSigmoid;
pub use gelu_tanh::GeluTanh;
pub use identity::Identity;
pub use kind::ActivationKind;
pub use leaky_relu::LeakyRelu;
pub use relu::Relu;
pub use sigmoid::{Sigmoid, sigmoid, sigmoid_as_written_in_lecture};
pub use softmax::{
    log_softmax, logsumexp, softmax, softmax_inplace, softmax_rows, softmax_rows_inplace,
};
pub use softmax_backward::{softmax_jacobian, softmax_rows_vjp, softmax_vjp};
pub use tanh::Tanh;
pub use traits::Activation;
