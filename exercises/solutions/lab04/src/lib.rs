//! # Лабораторная 4. Оптимизаторы
//!
//! Градиент говорит, куда двигать веса; оптимизатор решает, *насколько*.
//! Четыре метода из лекции — SGD, импульс, RMSProp и Adam — реализуют
//! общий трейт [`Optimizer`]: один вызов [`Optimizer::step`] — одно
//! обновление вектора весов $w$ по градиенту $g = \partial \mathcal{L} / \partial w$.
//!
//! **Соглашения** (как в PyTorch и в крейте `optim` курса):
//! * состояние ($v$, $s$, $m$) создаётся нулевым при первом `step` и
//!   дальше должно совпадать по длине с градиентом;
//! * счётчик шагов Adam $t$ равен 1 на первом шаге;
//! * гиперпараметры проверяются в конструкторе: $\eta > 0$ и конечна,
//!   $0 \le \mu, \rho, \beta_1, \beta_2 < 1$, $\varepsilon > 0$.
//!
//! Порядок работы — в `README.md`, проверка — `cargo test -p lab04`.
#![forbid(unsafe_code)]

use ndarray::{Array1, Zip};
use thiserror::Error;

/// Что не так с гиперпараметром или с размерами. (Готовый код.)
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptimError {
    /// Гиперпараметр вне допустимых значений.
    #[error("недопустимое значение {name} = {value}: нужно {expected}")]
    InvalidHyperparameter {
        /// Имя: `"eta"`, `"mu"`, `"rho"`, `"beta1"`, `"beta2"` или `"eps"`.
        name: &'static str,
        /// Переданное значение.
        value: f64,
        /// Допустимые значения.
        expected: &'static str,
    },
    /// Длины весов, градиента или состояния оптимизатора не совпадают.
    #[error("{what}: ожидалась длина {expected}, получена {got}")]
    LengthMismatch {
        /// Что сравнивали.
        what: &'static str,
        /// Ожидаемая длина.
        expected: usize,
        /// Полученная длина.
        got: usize,
    },
}

/// Проверяет скорость обучения: $\eta > 0$ и конечна. (Готовый код.)
pub fn check_learning_rate(eta: f64) -> Result<(), OptimError> {
    if eta > 0.0 && eta.is_finite() {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            name: "eta",
            value: eta,
            expected: "конечное и > 0",
        })
    }
}

/// Проверяет коэффициент затухания ($\mu$, $\rho$, $\beta_1$, $\beta_2$):
/// $0 \le \beta < 1$. (Готовый код.)
pub fn check_decay(name: &'static str, beta: f64) -> Result<(), OptimError> {
    if (0.0..1.0).contains(&beta) {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            name,
            value: beta,
            expected: "из [0, 1)",
        })
    }
}

/// Проверяет $\varepsilon > 0$ (и конечность). (Готовый код.)
pub fn check_epsilon(eps: f64) -> Result<(), OptimError> {
    if eps > 0.0 && eps.is_finite() {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            name: "eps",
            value: eps,
            expected: "конечное и > 0",
        })
    }
}

/// Проверяет, что у весов и градиента одна длина. (Готовый код.)
pub fn check_lengths(w: &Array1<f64>, grad: &Array1<f64>) -> Result<(), OptimError> {
    if w.len() == grad.len() {
        Ok(())
    } else {
        Err(OptimError::LengthMismatch {
            what: "градиент и веса",
            expected: w.len(),
            got: grad.len(),
        })
    }
}

/// Состояние оптимизатора (вектор $v$, $s$, $m$ …): при первом вызове
/// создаёт нулевой вектор длины `len`, потом проверяет, что длина та же.
/// (Готовый код.)
pub fn state_for(
    state: &mut Option<Array1<f64>>,
    len: usize,
) -> Result<&mut Array1<f64>, OptimError> {
    let s = state.get_or_insert_with(|| Array1::zeros(len));
    if s.len() == len {
        Ok(s)
    } else {
        Err(OptimError::LengthMismatch {
            what: "градиент и состояние оптимизатора",
            expected: s.len(),
            got: len,
        })
    }
}

/// Оптимизатор: обновляет веса по градиенту.
pub trait Optimizer {
    /// Одно обновление: меняет `w` на месте по градиенту `grad` той же длины.
    fn step(&mut self, w: &mut Array1<f64>, grad: &Array1<f64>) -> Result<(), OptimError>;

    /// Текущая скорость обучения $\eta$.
    fn learning_rate(&self) -> f64;

    /// Меняет $\eta$ (так работают расписания из лабораторной 5).
    fn set_learning_rate(&mut self, eta: f64);
}

/// Градиентный спуск:
/// $$w^{(t+1)} = w^{(t)} - \eta\, g_t, \qquad g_t = \frac{\partial \mathcal{L}}{\partial w^{(t)}}.$$
#[derive(Debug, Clone)]
pub struct Sgd {
    eta: f64,
}

impl Sgd {
    /// SGD со скоростью обучения `eta`; ошибка, если $\eta \le 0$ или не конечна.
    pub fn new(eta: f64) -> Result<Sgd, OptimError> {
        check_learning_rate(eta)?;
        Ok(Sgd { eta })
    }
}

impl Optimizer for Sgd {
    fn step(&mut self, w: &mut Array1<f64>, grad: &Array1<f64>) -> Result<(), OptimError> {
        check_lengths(w, grad)?;
        w.scaled_add(-self.eta, grad);
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        self.eta
    }

    fn set_learning_rate(&mut self, eta: f64) {
        self.eta = eta;
    }
}

/// Градиентный спуск с импульсом (как в лекции и в PyTorch `SGD(momentum=mu)`):
/// $$v_{t+1} = \mu\, v_t + g_t, \qquad w^{(t+1)} = w^{(t)} - \eta\, v_{t+1}, \qquad v_0 = 0.$$
#[derive(Debug, Clone)]
pub struct Momentum {
    eta: f64,
    mu: f64,
    v: Option<Array1<f64>>,
}

impl Momentum {
    /// Импульс с $\eta$ = `eta` и $\mu$ = `mu` ($0 \le \mu < 1$).
    pub fn new(eta: f64, mu: f64) -> Result<Momentum, OptimError> {
        check_learning_rate(eta)?;
        check_decay("mu", mu)?;
        Ok(Momentum { eta, mu, v: None })
    }
}

impl Optimizer for Momentum {
    fn step(&mut self, w: &mut Array1<f64>, grad: &Array1<f64>) -> Result<(), OptimError> {
        check_lengths(w, grad)?;
        let (eta, mu) = (self.eta, self.mu);
        let v = state_for(&mut self.v, grad.len())?;
        Zip::from(w).and(v).and(grad).for_each(|w, v, &g| {
            *v = mu * *v + g;
            *w -= eta * *v;
        });
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        self.eta
    }

    fn set_learning_rate(&mut self, eta: f64) {
        self.eta = eta;
    }
}

/// RMSProp (как в лекции и в PyTorch `RMSprop(alpha=rho)`):
/// $$s_{t+1} = \rho\, s_t + (1 - \rho)\, g_t^2, \qquad
/// w^{(t+1)} = w^{(t)} - \frac{\eta}{\sqrt{s_{t+1}} + \varepsilon}\, g_t, \qquad s_0 = 0.$$
#[derive(Debug, Clone)]
pub struct RmsProp {
    eta: f64,
    rho: f64,
    eps: f64,
    s: Option<Array1<f64>>,
}

impl RmsProp {
    /// RMSProp с $\eta$, $\rho$ ($0 \le \rho < 1$) и $\varepsilon > 0$.
    pub fn new(eta: f64, rho: f64, eps: f64) -> Result<RmsProp, OptimError> {
        check_learning_rate(eta)?;
        check_decay("rho", rho)?;
        check_epsilon(eps)?;
        Ok(RmsProp {
            eta,
            rho,
            eps,
            s: None,
        })
    }
}

impl Optimizer for RmsProp {
    fn step(&mut self, w: &mut Array1<f64>, grad: &Array1<f64>) -> Result<(), OptimError> {
        check_lengths(w, grad)?;
        let (eta, rho, eps) = (self.eta, self.rho, self.eps);
        let s = state_for(&mut self.s, grad.len())?;
        Zip::from(w).and(s).and(grad).for_each(|w, s, &g| {
            *s = rho * *s + (1.0 - rho) * g * g;
            *w -= eta / (s.sqrt() + eps) * g;
        });
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        self.eta
    }

    fn set_learning_rate(&mut self, eta: f64) {
        self.eta = eta;
    }
}

/// Adam — импульс и RMSProp вместе, с поправкой смещения:
/// $$m_{t+1} = \beta_1 m_t + (1 - \beta_1)\, g_t, \qquad v_{t+1} = \beta_2 v_t + (1 - \beta_2)\, g_t^2,$$
/// $$\hat m_{t+1} = \frac{m_{t+1}}{1 - \beta_1^{\,t+1}}, \qquad \hat v_{t+1} = \frac{v_{t+1}}{1 - \beta_2^{\,t+1}}, \qquad
/// w^{(t+1)} = w^{(t)} - \frac{\eta}{\sqrt{\hat v_{t+1}} + \varepsilon}\, \hat m_{t+1},$$
/// $m_0 = v_0 = 0$.
///
/// **Исправление лекции.** В лекции $\hat m_{t+1} = m_{t+1} / (1 - \beta_1^{t})$:
/// при $t = 0$ первый шаг делит на $1 - \beta_1^0 = 0$. Показатель — число
/// уже сделанных обновлений, $t + 1$. В коде удобно хранить именно его:
/// поле `t` равно 1 на первом шаге (как в PyTorch). Тест
/// `t06_adam_first_step_moves_every_weight_by_eta` это проверяет: на первом
/// шаге $\hat m = g$, $\hat v = g^2$, и каждый вес сдвигается почти ровно на $\eta$.
#[derive(Debug, Clone)]
pub struct Adam {
    eta: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    m: Option<Array1<f64>>,
    v: Option<Array1<f64>>,
    t: i32,
}

impl Adam {
    /// Adam с $\eta$, $\beta_1$, $\beta_2$ (оба в $[0, 1)$) и $\varepsilon > 0$.
    /// Значения PyTorch по умолчанию: $\beta_1 = 0.9$, $\beta_2 = 0.999$,
    /// $\varepsilon = 10^{-8}$.
    pub fn new(eta: f64, beta1: f64, beta2: f64, eps: f64) -> Result<Adam, OptimError> {
        check_learning_rate(eta)?;
        check_decay("beta1", beta1)?;
        check_decay("beta2", beta2)?;
        check_epsilon(eps)?;
        Ok(Adam {
            eta,
            beta1,
            beta2,
            eps,
            m: None,
            v: None,
            t: 0,
        })
    }
}

impl Optimizer for Adam {
    fn step(&mut self, w: &mut Array1<f64>, grad: &Array1<f64>) -> Result<(), OptimError> {
        check_lengths(w, grad)?;
        let (eta, beta1, beta2, eps) = (self.eta, self.beta1, self.beta2, self.eps);
        let m = state_for(&mut self.m, grad.len())?;
        let v = state_for(&mut self.v, grad.len())?;
        self.t += 1; // updates made so far, including this one
        let bias1 = 1.0 - beta1.powi(self.t); // 1 − β₁^(t+1) in the lecture's numbering
        let bias2 = 1.0 - beta2.powi(self.t);
        Zip::from(w)
            .and(m)
            .and(v)
            .and(grad)
            .for_each(|w, m, v, &g| {
                *m = beta1 * *m + (1.0 - beta1) * g;
                *v = beta2 * *v + (1.0 - beta2) * g * g;
                let m_hat = *m / bias1;
                let v_hat = *v / bias2;
                *w -= eta / (v_hat.sqrt() + eps) * m_hat;
            });
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        self.eta
    }

    fn set_learning_rate(&mut self, eta: f64) {
        self.eta = eta;
    }
}
