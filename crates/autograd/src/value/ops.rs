//! The operations, each with its local derivatives beside its forward value.
//!
//! Every function below reads as one line of calculus: the result $c$, then
//! $\partial c / \partial a$ (and $\partial c / \partial b$). The operators
//! `+ - * /` on any mix of `Value`, `&Value` and `f64` all come down to these.
//! An `f64` operand is a constant: it gets no node and no gradient.

use super::{BinaryOp, Op, UnaryOp, Value};
use activations::Activation;
use std::ops::{Add, Div, Mul, Neg, Sub};

impl Value {
    fn unary(kind: UnaryOp, a: &Value, c: f64, da: f64) -> Value {
        Value::from_op(c, Op::Unary(kind), [Some(a.clone()), None], [da, 0.0])
    }

    fn binary(kind: BinaryOp, a: &Value, b: &Value, c: f64, da: f64, db: f64) -> Value {
        Value::from_op(
            c,
            Op::Binary(kind),
            [Some(a.clone()), Some(b.clone())],
            [da, db],
        )
    }
}

/// $c = a + b$: $\quad \dfrac{\partial c}{\partial a} = 1, \quad \dfrac{\partial c}{\partial b} = 1$.
// ANCHOR: add
// c = a + b: ∂c/∂a = 1, ∂c/∂b = 1
fn add(a: &Value, b: &Value) -> Value {
    Value::binary(BinaryOp::Add, a, b, a.data() + b.data(), 1.0, 1.0)
}
// ANCHOR_END: add

/// $c = a - b$: $\quad \dfrac{\partial c}{\partial a} = 1, \quad \dfrac{\partial c}{\partial b} = -1$.
// ANCHOR: sub
// c = a − b: ∂c/∂a = 1, ∂c/∂b = −1
fn sub(a: &Value, b: &Value) -> Value {
    Value::binary(BinaryOp::Sub, a, b, a.data() - b.data(), 1.0, -1.0)
}
// ANCHOR_END: sub

/// $c = a \cdot b$: $\quad \dfrac{\partial c}{\partial a} = b, \quad \dfrac{\partial c}{\partial b} = a$.
// ANCHOR: mul
// c = a·b: ∂c/∂a = b, ∂c/∂b = a
fn mul(a: &Value, b: &Value) -> Value {
    Value::binary(BinaryOp::Mul, a, b, a.data() * b.data(), b.data(), a.data())
}
// ANCHOR_END: mul

/// $c = a / b$: $\quad \dfrac{\partial c}{\partial a} = \dfrac{1}{b}, \quad \dfrac{\partial c}{\partial b} = -\dfrac{a}{b^2}$.
// ANCHOR: div
// c = a/b: ∂c/∂a = 1/b, ∂c/∂b = −a/b²
fn div(a: &Value, b: &Value) -> Value {
    let (a_, b_) = (a.data(), b.data());
    Value::binary(BinaryOp::Div, a, b, a_ / b_, 1.0 / b_, -a_ / (b_ * b_))
}
// ANCHOR_END: div

// ANCHOR: constants
/// c = a + k for a constant k: ∂c/∂a = 1.
fn add_const(a: &Value, k: f64) -> Value {
    Value::unary(UnaryOp::AddConst(k), a, a.data() + k, 1.0)
}

/// c = a − k: ∂c/∂a = 1.
fn sub_const(a: &Value, k: f64) -> Value {
    Value::unary(UnaryOp::SubConst(k), a, a.data() - k, 1.0)
}

/// c = k − a: ∂c/∂a = −1.
fn sub_from_const(k: f64, a: &Value) -> Value {
    Value::unary(UnaryOp::SubFromConst(k), a, k - a.data(), -1.0)
}

/// c = k·a: ∂c/∂a = k.
fn mul_const(a: &Value, k: f64) -> Value {
    Value::unary(UnaryOp::MulConst(k), a, a.data() * k, k)
}

/// c = a/k: ∂c/∂a = 1/k.
fn div_const(a: &Value, k: f64) -> Value {
    Value::unary(UnaryOp::DivConst(k), a, a.data() / k, 1.0 / k)
}

/// c = k/a: ∂c/∂a = −k/a².
fn div_const_by(k: f64, a: &Value) -> Value {
    let a_ = a.data();
    Value::unary(UnaryOp::DivConstBy(k), a, k / a_, -k / (a_ * a_))
}
// ANCHOR_END: constants

/// $c = -a$: $\partial c / \partial a = -1$.
// ANCHOR: neg
// c = −a: ∂c/∂a = −1
fn neg(a: &Value) -> Value {
    Value::unary(UnaryOp::Neg, a, -a.data(), -1.0)
}
// ANCHOR_END: neg

impl Value {
    /// $c = a^n$: $\quad \dfrac{\partial c}{\partial a} = n\,a^{n-1}$.
    ///
    /// ```
    /// let a = autograd::Value::new(3.0);
    /// let c = a.powi(2);
    /// c.backward();
    /// assert_eq!((c.data(), a.grad()), (9.0, 6.0));
    /// ```
    // ANCHOR: powi
    // c = aⁿ: ∂c/∂a = n·aⁿ⁻¹
    pub fn powi(&self, n: i32) -> Value {
        let a = self.data();
        // n = 0 would give 0 · a⁻¹ = NaN at a = 0; the derivative of a
        // constant is 0 everywhere.
        let da = if n == 0 {
            0.0
        } else {
            f64::from(n) * a.powi(n - 1)
        };
        Value::unary(UnaryOp::Powi(n), self, a.powi(n), da)
    }
    // ANCHOR_END: powi

    /// $c = e^a$: $\quad \dfrac{\partial c}{\partial a} = e^a = c$.
    // ANCHOR: exp
    // c = eᵃ: ∂c/∂a = eᵃ = c
    pub fn exp(&self) -> Value {
        let c = self.data().exp();
        Value::unary(UnaryOp::Exp, self, c, c)
    }
    // ANCHOR_END: exp

    /// $c = \ln a$: $\quad \dfrac{\partial c}{\partial a} = \dfrac{1}{a}$.
    ///
    /// Like [`f64::ln`], $a = 0$ gives $-\infty$ and $a < 0$ gives NaN:
    /// a `Value` is a number, and bad numbers propagate as they would in
    /// `f64` arithmetic (except through [`relu`](Self::relu), which maps NaN to 0).
    // ANCHOR: ln
    // c = ln a: ∂c/∂a = 1/a
    pub fn ln(&self) -> Value {
        let a = self.data();
        Value::unary(UnaryOp::Ln, self, a.ln(), 1.0 / a)
    }
    // ANCHOR_END: ln

    /// $c = \tanh a$: $\quad \dfrac{\partial c}{\partial a} = 1 - \tanh^2 a = 1 - c^2$.
    // ANCHOR: tanh
    // c = tanh a: ∂c/∂a = 1 − tanh² a = 1 − c²
    pub fn tanh(&self) -> Value {
        let c = self.data().tanh();
        Value::unary(UnaryOp::Tanh, self, c, 1.0 - c * c)
    }
    // ANCHOR_END: tanh

    /// $c = \sigma(a) = \dfrac{1}{1 + e^{-a}}$: $\quad \dfrac{\partial c}{\partial a} = \sigma(a)\,(1 - \sigma(a)) = c\,(1 - c)$.
    ///
    /// Computed by [`activations::sigmoid`], which does not overflow for
    /// either sign (and uses $e^{-a}$, not the lecture's misprinted $e^{a}$).
    // ANCHOR: sigmoid
    // c = σ(a): ∂c/∂a = σ(a)·(1 − σ(a)) = c·(1 − c)
    pub fn sigmoid(&self) -> Value {
        let c = activations::sigmoid(self.data());
        Value::unary(UnaryOp::Sigmoid, self, c, c * (1.0 - c))
    }
    // ANCHOR_END: sigmoid

    /// $c = \max(0, a)$: $\quad \dfrac{\partial c}{\partial a} = 1$ for $a > 0$, else $0$
    /// (at the kink $a = 0$ PyTorch's choice, 0).
    ///
    /// A NaN input gives 0 with derivative 0, because `f64::max` returns the
    /// operand that is not NaN: a NaN does not propagate through this
    /// function (PyTorch's `relu` keeps it).
    // ANCHOR: relu
    // c = max(0, a): ∂c/∂a = 1 for a > 0, else 0 (0 at the kink, as in PyTorch)
    pub fn relu(&self) -> Value {
        let a = self.data();
        let da = if a > 0.0 { 1.0 } else { 0.0 };
        Value::unary(UnaryOp::Relu, self, a.max(0.0), da)
    }
    // ANCHOR_END: relu

    /// $c = f(a)$ for any activation $f$ of the `activations` crate:
    /// $\quad \dfrac{\partial c}{\partial a} = f'(a)$, from its `derivative`.
    ///
    /// ```
    /// use activations::{Activation, Sigmoid};
    /// use autograd::Value;
    /// let a = Value::new(0.7);
    /// let c = a.activation(&Sigmoid);
    /// c.backward();
    /// assert_eq!(c.data(), a.sigmoid().data());
    /// assert_eq!(a.grad(), Sigmoid.derivative(0.7));
    /// ```
    // ANCHOR: activation
    // c = f(a) for any activation f: ∂c/∂a = f′(a), its `derivative`
    pub fn activation<A: Activation + ?Sized>(&self, f: &A) -> Value {
        let a = self.data();
        Value::unary(
            UnaryOp::Activation(f.name()),
            self,
            f.forward(a),
            f.derivative(a),
        )
    }
    // ANCHOR_END: activation
}

impl std::iter::Sum for Value {
    /// $\sum_i v_i$ as a chain of additions; an empty sum is a constant 0.
    fn sum<I: Iterator<Item = Value>>(mut iter: I) -> Value {
        match iter.next() {
            None => Value::new(0.0),
            Some(first) => iter.fold(first, |acc, v| add(&acc, &v)),
        }
    }
}

/// Implements `Value ∘ Value` for all four owned/borrowed combinations.
macro_rules! value_value {
    ($Trait:ident, $method:ident, $f:ident) => {
        impl $Trait<&Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                $f(self, rhs)
            }
        }
        impl $Trait<Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                $f(self, &rhs)
            }
        }
        impl $Trait<&Value> for Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                $f(&self, rhs)
            }
        }
        impl $Trait<Value> for Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                $f(&self, &rhs)
            }
        }
    };
}

/// Implements `Value ∘ f64` and `f64 ∘ Value` (owned and borrowed).
macro_rules! value_scalar {
    ($Trait:ident, $method:ident, |$a:ident, $k:ident| $right:expr, |$k2:ident, $a2:ident| $left:expr) => {
        impl $Trait<f64> for &Value {
            type Output = Value;
            fn $method(self, $k: f64) -> Value {
                let $a = self;
                $right
            }
        }
        impl $Trait<f64> for Value {
            type Output = Value;
            fn $method(self, $k: f64) -> Value {
                let $a = &self;
                $right
            }
        }
        impl $Trait<&Value> for f64 {
            type Output = Value;
            fn $method(self, $a2: &Value) -> Value {
                let $k2 = self;
                $left
            }
        }
        impl $Trait<Value> for f64 {
            type Output = Value;
            fn $method(self, $a2: Value) -> Value {
                let $k2 = self;
                let $a2 = &$a2;
                $left
            }
        }
    };
}

value_value!(Add, add, add);
value_value!(Sub, sub, sub);
value_value!(Mul, mul, mul);
value_value!(Div, div, div);

value_scalar!(Add, add, |a, k| add_const(a, k), |k, a| add_const(a, k));
value_scalar!(Sub, sub, |a, k| sub_const(a, k), |k, a| sub_from_const(
    k, a
));
value_scalar!(Mul, mul, |a, k| mul_const(a, k), |k, a| mul_const(a, k));
value_scalar!(Div, div, |a, k| div_const(a, k), |k, a| div_const_by(k, a));

impl Neg for &Value {
    type Output = Value;
    fn neg(self) -> Value {
        neg(self)
    }
}

impl Neg for Value {
    type Output = Value;
    fn neg(self) -> Value {
        neg(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use activations::Sigmoid;
    use gradcheck::check_gradient;
    use proptest::prelude::*;

    /// One row of the table: an expression built from `Value`s, the same
    /// expression in plain `f64`, and the interval its inputs are drawn from
    /// (away from poles and kinks).
    struct Case {
        name: &'static str,
        build: fn(&[Value]) -> Value,
        plain: fn(&[f64]) -> f64,
        domain: (f64, f64),
    }

    fn cases() -> Vec<Case> {
        vec![
            Case {
                name: "a + b",
                build: |v| &v[0] + &v[1],
                plain: |x| x[0] + x[1],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a - b",
                build: |v| &v[0] - &v[1],
                plain: |x| x[0] - x[1],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a * b",
                build: |v| &v[0] * &v[1],
                plain: |x| x[0] * x[1],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a / b",
                build: |v| &v[0] / &v[1],
                plain: |x| x[0] / x[1],
                domain: (0.3, 3.0),
            },
            Case {
                name: "a + 2.5",
                build: |v| &v[0] + 2.5,
                plain: |x| x[0] + 2.5,
                domain: (-3.0, 3.0),
            },
            Case {
                name: "2.5 + a",
                build: |v| 2.5 + &v[0],
                plain: |x| 2.5 + x[0],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a - 2.5",
                build: |v| &v[0] - 2.5,
                plain: |x| x[0] - 2.5,
                domain: (-3.0, 3.0),
            },
            Case {
                name: "2.5 - a",
                build: |v| 2.5 - &v[0],
                plain: |x| 2.5 - x[0],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a * -1.5",
                build: |v| &v[0] * -1.5,
                plain: |x| x[0] * -1.5,
                domain: (-3.0, 3.0),
            },
            Case {
                name: "-1.5 * a",
                build: |v| -1.5 * &v[0],
                plain: |x| -1.5 * x[0],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a / 4",
                build: |v| &v[0] / 4.0,
                plain: |x| x[0] / 4.0,
                domain: (-3.0, 3.0),
            },
            Case {
                name: "4 / a",
                build: |v| 4.0 / &v[0],
                plain: |x| 4.0 / x[0],
                domain: (0.3, 3.0),
            },
            Case {
                name: "-a",
                build: |v| -&v[0],
                plain: |x| -x[0],
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a^3",
                build: |v| v[0].powi(3),
                plain: |x| x[0].powi(3),
                domain: (-3.0, 3.0),
            },
            Case {
                name: "a^-2",
                build: |v| v[0].powi(-2),
                plain: |x| x[0].powi(-2),
                domain: (0.3, 3.0),
            },
            Case {
                name: "a^0",
                build: |v| v[0].powi(0),
                plain: |_| 1.0,
                domain: (-3.0, 3.0),
            },
            Case {
                name: "exp a",
                build: |v| v[0].exp(),
                plain: |x| x[0].exp(),
                domain: (-3.0, 3.0),
            },
            Case {
                name: "ln a",
                build: |v| v[0].ln(),
                plain: |x| x[0].ln(),
                domain: (0.1, 5.0),
            },
            Case {
                name: "tanh a",
                build: |v| v[0].tanh(),
                plain: |x| x[0].tanh(),
                domain: (-3.0, 3.0),
            },
            Case {
                name: "sigmoid a",
                build: |v| v[0].sigmoid(),
                plain: |x| 1.0 / (1.0 + (-x[0]).exp()),
                domain: (-6.0, 6.0),
            },
            Case {
                name: "relu a (a < 0)",
                build: |v| v[0].relu(),
                plain: |_| 0.0,
                domain: (-3.0, -0.01),
            },
            Case {
                name: "relu a (a > 0)",
                build: |v| v[0].relu(),
                plain: |x| x[0],
                domain: (0.01, 3.0),
            },
            Case {
                name: "activation(Sigmoid)",
                build: |v| v[0].activation(&Sigmoid),
                plain: |x| 1.0 / (1.0 + (-x[0]).exp()),
                domain: (-6.0, 6.0),
            },
            Case {
                name: "(a·b + a)^2 / (1 + b^2)",
                build: |v| (&v[0] * &v[1] + &v[0]).powi(2) / (1.0 + v[1].powi(2)),
                plain: |x| (x[0] * x[1] + x[0]).powi(2) / (1.0 + x[1] * x[1]),
                domain: (-2.0, 2.0),
            },
            Case {
                name: "Σ of a, b, a·b",
                build: |v| {
                    [v[0].clone(), v[1].clone(), &v[0] * &v[1]]
                        .into_iter()
                        .sum()
                },
                plain: |x| x[0] + x[1] + x[0] * x[1],
                domain: (-2.0, 2.0),
            },
        ]
    }

    /// Autograd's gradient of `case` at inputs `u` (each in [0, 1), mapped
    /// into the case's domain), checked against the plain value and against
    /// central differences of the plain function.
    fn check_case(case: &Case, u: &[f64]) -> Result<(), TestCaseError> {
        let (lo, hi) = case.domain;
        let x: Vec<f64> = u.iter().map(|t| lo + (hi - lo) * t).collect();
        let inputs: Vec<Value> = x.iter().copied().map(Value::new).collect();
        let out = (case.build)(&inputs);
        let expected = (case.plain)(&x);
        prop_assert!(
            (out.data() - expected).abs() <= 1e-12 * expected.abs().max(1.0),
            "{}: forward {} vs {}",
            case.name,
            out.data(),
            expected
        );
        out.backward();
        let grads: Vec<f64> = inputs.iter().map(Value::grad).collect();
        let report = check_gradient(case.plain, &x, &grads);
        prop_assert!(report.passes(gradcheck::GOOD), "{}: {report}", case.name);
        Ok(())
    }

    proptest! {
        #[test]
        fn every_op_matches_finite_differences(u in proptest::collection::vec(0.0..1.0f64, 2)) {
            for case in &cases() {
                check_case(case, &u)?;
            }
        }
    }

    proptest! {
        #[test]
        fn every_activation_of_the_activations_crate(
            x in gradcheck::strategies::scalar_away_from(-4.0..4.0, &[0.0], 1e-3),
        ) {
            for kind in activations::ActivationKind::ALL {
                let a = Value::new(x);
                let c = a.activation(&kind);
                prop_assert_eq!(c.data(), kind.forward(x));
                c.backward();
                // the stored local derivative is the activation's own f'(x) …
                prop_assert_eq!(a.grad(), kind.derivative(x));
                // … and it is right
                let report = check_gradient(|v| kind.forward(v[0]), &[x], &[a.grad()]);
                prop_assert!(report.passes(gradcheck::GOOD), "{}: {report}", kind.name());
            }
        }
    }

    #[test]
    fn a_wrong_local_derivative_would_be_caught() {
        // the check above is not vacuous: d/da (4/a) = -4/a², and +4/a² fails
        let a = 0.7;
        let wrong = [4.0 / (a * a)];
        assert!(!check_gradient(|x| 4.0 / x[0], &[a], &wrong).passes(gradcheck::WRONG));
    }

    #[test]
    fn constants_get_no_node() {
        let a = Value::new(1.5);
        let c = (2.0 * &a + 1.0) / 4.0 - 0.5;
        // a, then four operations with a constant each: no leaf for the constants
        assert_eq!(c.node_count(), 5);
        c.backward();
        assert_eq!(a.grad(), 0.5);
    }

    #[test]
    fn edge_cases_stay_finite_where_the_maths_is() {
        let zero = Value::new(0.0);
        let c = zero.powi(0);
        c.backward();
        assert_eq!((c.data(), zero.grad()), (1.0, 0.0));
        for x in [-1000.0, 1000.0] {
            let a = Value::new(x);
            let s = a.sigmoid();
            s.backward();
            assert!(s.data().is_finite() && a.grad().is_finite() && a.grad() >= 0.0);
            let t = Value::new(x).tanh();
            assert_eq!(t.data().abs(), 1.0);
        }
        // ReLU at its kink: derivative 0, as in PyTorch
        let k = Value::new(0.0);
        k.relu().backward();
        assert_eq!(k.grad(), 0.0);
    }

    #[test]
    fn empty_sum_is_zero() {
        let s: Value = std::iter::empty().sum();
        assert_eq!(s.data(), 0.0);
        assert!(s.is_leaf());
    }
}
