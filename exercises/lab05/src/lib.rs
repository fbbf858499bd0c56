//! # Лабораторная 5. Расписания скорости обучения
//!
//! Скорость обучения $\eta$ не обязана быть постоянной. Расписание — это
//! функция номера шага $t = 0, 1, 2, \dots$ (или эпохи): трейт
//! [`Scheduler`] с единственным методом `learning_rate(t)`. Оптимизатор из
//! лабораторной 4 получает её через `set_learning_rate` перед каждым шагом.
//!
//! Параметры проверяются в конструкторах: ошибка [`ScheduleError`] называет
//! параметр, его значение и допустимые значения.
//!
//! Порядок работы — в `README.md`, проверка — `cargo test -p lab05`.
#![forbid(unsafe_code)]
// Пока вместо тел стоят `todo!()`, параметры и часть готового кода не
// используются; когда всё будет написано, эту строку можно удалить.
#![allow(unused_variables, dead_code)]

use thiserror::Error;

/// Недопустимый параметр расписания. (Готовый код.)
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScheduleError {
    /// Параметр вне допустимых значений.
    #[error("недопустимое значение {name} = {value}: нужно {expected}")]
    InvalidParameter {
        /// Имя параметра, как в конструкторе (`"eta0"`, `"gamma"`, `"step_size"` …).
        name: &'static str,
        /// Переданное значение.
        value: f64,
        /// Допустимые значения.
        expected: &'static str,
    },
}

/// `Ok(())`, если `ok`, иначе ошибка про параметр `name`. (Готовый код:
/// `require(eta0 > 0.0 && eta0.is_finite(), "eta0", eta0, "конечное и > 0")?;`.)
pub fn require(
    ok: bool,
    name: &'static str,
    value: f64,
    expected: &'static str,
) -> Result<(), ScheduleError> {
    if ok {
        Ok(())
    } else {
        Err(ScheduleError::InvalidParameter {
            name,
            value,
            expected,
        })
    }
}

/// Расписание: скорость обучения на шаге `t` (шаги считаются с нуля).
pub trait Scheduler {
    /// $\eta_t$.
    fn learning_rate(&self, t: usize) -> f64;
}

/// Постоянная скорость $\eta_t = \eta$ — чтобы обернуть её разминкой.
/// (Готовый код.)
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constant {
    /// $\eta$.
    pub eta: f64,
}

impl Scheduler for Constant {
    fn learning_rate(&self, _t: usize) -> f64 {
        self.eta
    }
}

/// Шаговый распад: каждые $s$ шагов скорость умножается на $\gamma$:
/// $$\eta_t = \eta_0 \cdot \gamma^{\lfloor t / s \rfloor}.$$
#[derive(Debug, Clone, PartialEq)]
pub struct StepDecay {
    eta0: f64,
    gamma: f64,
    step_size: usize,
}

impl StepDecay {
    /// `eta0` $= \eta_0 > 0$ (конечна), `gamma` $\in (0, 1]$, `step_size` $= s \ge 1$.
    pub fn new(eta0: f64, gamma: f64, step_size: usize) -> Result<StepDecay, ScheduleError> {
        // TODO: проверьте параметры готовой require(...)?; по одному вызову на параметр
        //       (имена "eta0", "gamma", "step_size"), затем Ok(StepDecay { ... })
        todo!()
    }
}

impl Scheduler for StepDecay {
    fn learning_rate(&self, t: usize) -> f64 {
        // TODO: ⌊t/s⌋ — это целочисленное деление t / self.step_size; η₀·γ^k (f64::powf или powi)
        todo!()
    }
}

/// Косинусный отжиг за $T$ шагов:
/// $$\eta_t = \eta_{\min} + \frac12 (\eta_{\max} - \eta_{\min}) \left(1 + \cos \frac{\pi t}{T}\right), \qquad 0 \le t \le T,$$
/// и $\eta_t = \eta_{\min}$ при $t > T$ (PyTorch продолжил бы косинус вверх).
#[derive(Debug, Clone, PartialEq)]
pub struct CosineAnnealing {
    eta_min: f64,
    eta_max: f64,
    t_max: usize,
}

impl CosineAnnealing {
    /// `eta_max` $> 0$ (конечна), `eta_min` $\in [0, \eta_{\max}]$, `t_max` $= T \ge 1$.
    pub fn new(eta_min: f64, eta_max: f64, t_max: usize) -> Result<CosineAnnealing, ScheduleError> {
        // TODO: require для "eta_max" (> 0, конечна), "eta_min" (0 ≤ η_min ≤ η_max), "t_max" (≥ 1)
        todo!()
    }
}

impl Scheduler for CosineAnnealing {
    fn learning_rate(&self, t: usize) -> f64 {
        // TODO: при t ≥ T верните η_min; иначе формула из документации (std::f64::consts::PI)
        todo!()
    }
}

/// Линейная разминка (Goyal и др., 2017) поверх другого расписания:
/// первые $W$ шагов множитель растёт *линейно* от $f_0$ до 1,
/// $$\eta_t = \eta^{\text{inner}}_t \cdot \left(f_0 + (1 - f_0)\frac{t}{W}\right), \quad t < W; \qquad \eta_t = \eta^{\text{inner}}_t, \quad t \ge W.$$
/// Это `LinearLR(start_factor = f0, total_iters = W)` из PyTorch.
///
/// **Уточнение к лекции.** Лекция описывает разминку как экспоненциальную;
/// обычная (и в статье Goyal и др.) — линейная. Здесь есть обе:
/// экспоненциальная — [`ExponentialWarmup`].
#[derive(Debug, Clone, PartialEq)]
pub struct LinearWarmup<S> {
    inner: S,
    warmup_steps: usize,
    start_factor: f64,
}

impl<S: Scheduler> LinearWarmup<S> {
    /// Разминка длиной `warmup_steps` $= W \ge 1$ с начальным множителем
    /// `start_factor` $= f_0 \in (0, 1]$ поверх расписания `inner`.
    pub fn new(
        inner: S,
        warmup_steps: usize,
        start_factor: f64,
    ) -> Result<LinearWarmup<S>, ScheduleError> {
        // TODO: require для "warmup_steps" (≥ 1) и "start_factor" (0 < f₀ ≤ 1)
        todo!()
    }
}

impl<S: Scheduler> Scheduler for LinearWarmup<S> {
    fn learning_rate(&self, t: usize) -> f64 {
        // TODO: η = self.inner.learning_rate(t); после разминки — просто η,
        //       во время — η·(f₀ + (1 − f₀)·t/W)
        todo!()
    }
}

/// Экспоненциальная разминка (как её описывает лекция): первые $W$ шагов
/// множитель растёт *геометрически* от $f_0$ до 1,
/// $$\eta_t = \eta^{\text{inner}}_t \cdot f_0^{\,1 - t/W}, \quad t < W; \qquad \eta_t = \eta^{\text{inner}}_t, \quad t \ge W,$$
/// то есть каждый шаг умножает множитель на одно и то же число $f_0^{-1/W}$.
#[derive(Debug, Clone, PartialEq)]
pub struct ExponentialWarmup<S> {
    inner: S,
    warmup_steps: usize,
    start_factor: f64,
}

impl<S: Scheduler> ExponentialWarmup<S> {
    /// Разминка длиной `warmup_steps` $= W \ge 1$ с начальным множителем
    /// `start_factor` $= f_0 \in (0, 1]$ поверх расписания `inner`.
    pub fn new(
        inner: S,
        warmup_steps: usize,
        start_factor: f64,
    ) -> Result<ExponentialWarmup<S>, ScheduleError> {
        // TODO: те же проверки, что у LinearWarmup::new
        todo!()
    }
}

impl<S: Scheduler> Scheduler for ExponentialWarmup<S> {
    fn learning_rate(&self, t: usize) -> f64 {
        // TODO: как у линейной, но множитель f₀^(1 − t/W)
        todo!()
    }
}

/// Форма циклической скорости (Smith, 2017, arXiv:1506.01186).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CyclicPolicy {
    /// Треугольник с постоянной высотой: множитель 1.
    Triangular,
    /// Высота треугольника делится пополам в каждом новом цикле:
    /// множитель $1 / 2^{\,c - 1}$ в цикле $c = 1, 2, \dots$
    Triangular2,
    /// Высота убывает экспоненциально с номером шага: множитель $\gamma^{t}$.
    ExpRange {
        /// $\gamma \in (0, 1]$.
        gamma: f64,
    },
}

/// Циклическая скорость обучения: $\eta$ ходит от нижней границы
/// $\eta_{\text{base}}$ к верхней $\eta_{\max}$ за $s$ шагов и обратно
/// за столько же (цикл — $2s$ шагов):
/// $$c = \left\lfloor 1 + \frac{t}{2s} \right\rfloor, \qquad x = \left| \frac{t}{s} - 2c + 1 \right|, \qquad
/// \eta_t = \eta_{\text{base}} + (\eta_{\max} - \eta_{\text{base}}) \cdot \max(0, 1 - x) \cdot \text{scale},$$
/// где scale задаёт [`CyclicPolicy`]. Как `CyclicLR` в PyTorch.
#[derive(Debug, Clone, PartialEq)]
pub struct CyclicLr {
    base_lr: f64,
    max_lr: f64,
    step_size: usize,
    policy: CyclicPolicy,
}

impl CyclicLr {
    /// `base_lr` $> 0$, `max_lr` $\ge$ `base_lr` (обе конечны),
    /// `step_size` $= s \ge 1$, у `ExpRange` $\gamma \in (0, 1]$ (`name: "gamma"`).
    pub fn new(
        base_lr: f64,
        max_lr: f64,
        step_size: usize,
        policy: CyclicPolicy,
    ) -> Result<CyclicLr, ScheduleError> {
        // TODO: require для "base_lr", "max_lr" (≥ base_lr), "step_size"; у ExpRange ещё
        //       "gamma" ∈ (0, 1] (if let CyclicPolicy::ExpRange { gamma } = policy { ... })
        todo!()
    }
}

impl Scheduler for CyclicLr {
    fn learning_rate(&self, t: usize) -> f64 {
        // TODO: номер цикла c, положение x, множитель scale по self.policy (match),
        //       затем формула из документации; считайте в f64
        todo!()
    }
}
