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

use std::f64::consts::PI;
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
        require(
            eta0 > 0.0 && eta0.is_finite(),
            "eta0",
            eta0,
            "конечное и > 0",
        )?;
        require(gamma > 0.0 && gamma <= 1.0, "gamma", gamma, "из (0, 1]")?;
        require(step_size >= 1, "step_size", step_size as f64, "≥ 1")?;
        Ok(StepDecay {
            eta0,
            gamma,
            step_size,
        })
    }
}

impl Scheduler for StepDecay {
    fn learning_rate(&self, t: usize) -> f64 {
        let k = t / self.step_size; // ⌊t/s⌋: integer division
        self.eta0 * self.gamma.powf(k as f64)
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
        require(
            eta_max > 0.0 && eta_max.is_finite(),
            "eta_max",
            eta_max,
            "конечное и > 0",
        )?;
        require(
            (0.0..=eta_max).contains(&eta_min),
            "eta_min",
            eta_min,
            "из [0, eta_max]",
        )?;
        require(t_max >= 1, "t_max", t_max as f64, "≥ 1")?;
        Ok(CosineAnnealing {
            eta_min,
            eta_max,
            t_max,
        })
    }
}

impl Scheduler for CosineAnnealing {
    fn learning_rate(&self, t: usize) -> f64 {
        if t >= self.t_max {
            return self.eta_min;
        }
        let progress = t as f64 / self.t_max as f64; // t / T
        self.eta_min + 0.5 * (self.eta_max - self.eta_min) * (1.0 + (PI * progress).cos())
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
        require(
            warmup_steps >= 1,
            "warmup_steps",
            warmup_steps as f64,
            "≥ 1",
        )?;
        require(
            start_factor > 0.0 && start_factor <= 1.0,
            "start_factor",
            start_factor,
            "из (0, 1]",
        )?;
        Ok(LinearWarmup {
            inner,
            warmup_steps,
            start_factor,
        })
    }
}

impl<S: Scheduler> Scheduler for LinearWarmup<S> {
    fn learning_rate(&self, t: usize) -> f64 {
        let eta = self.inner.learning_rate(t);
        if t >= self.warmup_steps {
            return eta;
        }
        let f0 = self.start_factor;
        let progress = t as f64 / self.warmup_steps as f64; // t / W
        eta * (f0 + (1.0 - f0) * progress)
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
        require(
            warmup_steps >= 1,
            "warmup_steps",
            warmup_steps as f64,
            "≥ 1",
        )?;
        require(
            start_factor > 0.0 && start_factor <= 1.0,
            "start_factor",
            start_factor,
            "из (0, 1]",
        )?;
        Ok(ExponentialWarmup {
            inner,
            warmup_steps,
            start_factor,
        })
    }
}

impl<S: Scheduler> Scheduler for ExponentialWarmup<S> {
    fn learning_rate(&self, t: usize) -> f64 {
        let eta = self.inner.learning_rate(t);
        if t >= self.warmup_steps {
            return eta;
        }
        let progress = t as f64 / self.warmup_steps as f64; // t / W
        eta * self.start_factor.powf(1.0 - progress)
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
        require(
            base_lr > 0.0 && base_lr.is_finite(),
            "base_lr",
            base_lr,
            "конечное и > 0",
        )?;
        require(
            max_lr >= base_lr && max_lr.is_finite(),
            "max_lr",
            max_lr,
            "конечное и не меньше base_lr",
        )?;
        require(step_size >= 1, "step_size", step_size as f64, "≥ 1")?;
        if let CyclicPolicy::ExpRange { gamma } = policy {
            require(gamma > 0.0 && gamma <= 1.0, "gamma", gamma, "из (0, 1]")?;
        }
        Ok(CyclicLr {
            base_lr,
            max_lr,
            step_size,
            policy,
        })
    }
}

impl Scheduler for CyclicLr {
    fn learning_rate(&self, t: usize) -> f64 {
        let s = self.step_size as f64;
        let cycle = (1.0 + t as f64 / (2.0 * s)).floor();
        let x = (t as f64 / s - 2.0 * cycle + 1.0).abs();
        let scale = match self.policy {
            CyclicPolicy::Triangular => 1.0,
            CyclicPolicy::Triangular2 => 1.0 / 2f64.powf(cycle - 1.0),
            CyclicPolicy::ExpRange { gamma } => gamma.powf(t as f64),
        };
        self.base_lr + (self.max_lr - self.base_lr) * (1.0 - x).max(0.0) * scale
    }
}
