//! Choosing the concrete activation once per matrix rather than once per
//! element.

/// Evaluates `$body` with `$f` bound to the concrete activation type behind
/// the [`ActivationKind`](activations::ActivationKind) `$kind`; each arm is
/// monomorphic, so a loop over a whole matrix inside `$body` inlines
/// `forward`/`derivative` without a `match` per element.
///
/// The kind's $\alpha$ must have been validated (an [`Mlp`](crate::Mlp)
/// checks it when it is built).
macro_rules! with_activation {
    ($kind:expr, $f:ident => $body:expr) => {{
        use activations::ActivationKind as K;
        match $kind {
            K::Sigmoid => {
                let $f = activations::Sigmoid;
                $body
            }
            K::Tanh => {
                let $f = activations::Tanh;
                $body
            }
            K::Relu => {
                let $f = activations::Relu;
                $body
            }
            K::LeakyRelu { alpha } => {
                let $f = activations::LeakyRelu::new(alpha);
                $body
            }
            K::Elu { alpha } => {
                let $f = activations::Elu::new(alpha);
                $body
            }
            K::Gelu => {
                let $f = activations::Gelu;
                $body
            }
            K::GeluSigmoid => {
                let $f = activations::GeluSigmoid;
                $body
            }
            K::GeluTanh => {
                let $f = activations::GeluTanh;
                $body
            }
            K::Identity => {
                let $f = activations::Identity;
                $body
            }
        }
    }};
}

pub(crate) use with_activation;
