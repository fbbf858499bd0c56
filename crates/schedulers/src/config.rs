//! Schedules as data, for configs and the CLI.

use crate::{
    Constant, CosineAnnealing, CyclicLr, CyclicPolicy, ExponentialWarmup, LinearWarmup,
    ScheduleError, Scheduler, StepDecay,
};
use serde::{Deserialize, Serialize};

/// Any schedule of this crate with its parameters; warmups wrap another
/// config, so they compose.
///
/// Serialized with the schedule's name as a tag:
///
/// ```
/// use schedulers::{ScheduleConfig, Scheduler};
/// let json = r#"{
///     "schedule": "linear_warmup", "warmup_steps": 5, "start_factor": 0.1,
///     "then": {"schedule": "cosine_annealing", "eta_min": 0.0, "eta_max": 0.1, "total_steps": 95}
/// }"#;
/// let schedule = serde_json::from_str::<ScheduleConfig>(json)?.build()?;
/// assert!((schedule.learning_rate(0) - 0.01).abs() < 1e-15);
/// assert_eq!(schedule.learning_rate(5), 0.1);
/// assert_eq!(schedule.learning_rate(100), 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "schedule", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScheduleConfig {
    /// [`Constant`].
    Constant {
        /// $\eta$.
        eta: f64,
    },
    /// [`StepDecay`].
    StepDecay {
        /// $\eta_0$.
        eta0: f64,
        /// $\gamma$.
        gamma: f64,
        /// $s$.
        step_size: usize,
    },
    /// [`CosineAnnealing`].
    CosineAnnealing {
        /// $\eta_{\min}$.
        eta_min: f64,
        /// $\eta_{\max}$.
        eta_max: f64,
        /// $T$.
        total_steps: usize,
    },
    /// [`LinearWarmup`] over `then`.
    LinearWarmup {
        /// $W$.
        warmup_steps: usize,
        /// $f$.
        start_factor: f64,
        /// The schedule that takes over after the warmup.
        then: Box<ScheduleConfig>,
    },
    /// [`ExponentialWarmup`] over `then`.
    ExponentialWarmup {
        /// $W$.
        warmup_steps: usize,
        /// $f$.
        start_factor: f64,
        /// The schedule that takes over after the warmup.
        then: Box<ScheduleConfig>,
    },
    /// [`CyclicLr`].
    Cyclic {
        /// $\eta_{\text{base}}$.
        base_lr: f64,
        /// $\eta_{\max}$.
        max_lr: f64,
        /// $s$, steps of the rise.
        step_size: usize,
        /// Steps of the fall; `None` for `step_size`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step_size_down: Option<usize>,
        /// The policy.
        policy: CyclicPolicy,
    },
}

impl ScheduleConfig {
    /// The names of the variants, as in JSON.
    pub const NAMES: [&'static str; 6] = [
        "constant",
        "step_decay",
        "cosine_annealing",
        "linear_warmup",
        "exponential_warmup",
        "cyclic",
    ];

    /// The schedule's name, as in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Constant { .. } => "constant",
            Self::StepDecay { .. } => "step_decay",
            Self::CosineAnnealing { .. } => "cosine_annealing",
            Self::LinearWarmup { .. } => "linear_warmup",
            Self::ExponentialWarmup { .. } => "exponential_warmup",
            Self::Cyclic { .. } => "cyclic",
        }
    }

    /// Validates the parameters (of the wrapped schedules too) and builds.
    pub fn build(&self) -> Result<Box<dyn Scheduler>, ScheduleError> {
        Ok(match self {
            Self::Constant { eta } => Box::new(Constant::new(*eta)?),
            Self::StepDecay {
                eta0,
                gamma,
                step_size,
            } => Box::new(StepDecay::new(*eta0, *gamma, *step_size)?),
            Self::CosineAnnealing {
                eta_min,
                eta_max,
                total_steps,
            } => Box::new(CosineAnnealing::new(*eta_min, *eta_max, *total_steps)?),
            Self::LinearWarmup {
                warmup_steps,
                start_factor,
                then,
            } => Box::new(LinearWarmup::new(
                then.build()?,
                *warmup_steps,
                *start_factor,
            )?),
            Self::ExponentialWarmup {
                warmup_steps,
                start_factor,
                then,
            } => Box::new(ExponentialWarmup::new(
                then.build()?,
                *warmup_steps,
                *start_factor,
            )?),
            Self::Cyclic {
                base_lr,
                max_lr,
                step_size,
                step_size_down,
                policy,
            } => {
                let cyclic = CyclicLr::new(*base_lr, *max_lr, *step_size, *policy)?;
                Box::new(match step_size_down {
                    Some(down) => cyclic.with_step_size_down(*down)?,
                    None => cyclic,
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine() -> ScheduleConfig {
        ScheduleConfig::CosineAnnealing {
            eta_min: 0.001,
            eta_max: 0.1,
            total_steps: 20,
        }
    }

    #[test]
    fn json_round_trip_of_a_composed_schedule() {
        let config = ScheduleConfig::ExponentialWarmup {
            warmup_steps: 4,
            start_factor: 0.01,
            then: Box::new(ScheduleConfig::LinearWarmup {
                warmup_steps: 2,
                start_factor: 0.5,
                then: Box::new(cosine()),
            }),
        };
        let json = serde_json::to_string(&config).unwrap();
        let back: ScheduleConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, config);
        let (a, b) = (config.build().unwrap(), back.build().unwrap());
        assert!((0..40).all(|t| a.learning_rate(t) == b.learning_rate(t)));
        // the nested warmups hand over in turn: 4 steps, then 2, then cosine
        let inner = cosine().build().unwrap();
        assert_eq!(a.learning_rate(6), inner.learning_rate(0));
        assert_eq!(a.learning_rate(16), inner.learning_rate(10));
    }

    #[test]
    fn cyclic_policies_in_json() {
        let json = r#"{"schedule": "cyclic", "base_lr": 0.001, "max_lr": 0.1, "step_size": 5,
                       "policy": {"mode": "exp_range", "gamma": 0.99}}"#;
        let config: ScheduleConfig = serde_json::from_str(json).unwrap();
        assert_eq!(config.name(), "cyclic");
        let built = config.build().unwrap();
        let direct = CyclicLr::new(0.001, 0.1, 5, CyclicPolicy::ExpRange { gamma: 0.99 }).unwrap();
        assert!((0..30).all(|t| built.learning_rate(t) == direct.learning_rate(t)));
    }

    #[test]
    fn typos_and_invalid_nested_values_are_errors() {
        let typo = r#"{"schedule": "constant", "eta": 0.1, "gama": 0.5}"#;
        let err = serde_json::from_str::<ScheduleConfig>(typo)
            .unwrap_err()
            .to_string();
        assert!(err.contains("gama"), "{err}");
        let nested = ScheduleConfig::LinearWarmup {
            warmup_steps: 3,
            start_factor: 0.1,
            then: Box::new(ScheduleConfig::StepDecay {
                eta0: 0.1,
                gamma: 2.0,
                step_size: 3,
            }),
        };
        let err = nested.build().unwrap_err().to_string();
        assert!(err.contains("gamma = 2"), "{err}");
    }

    #[test]
    fn names_are_the_json_tags() {
        for config in [
            ScheduleConfig::Constant { eta: 0.1 },
            cosine(),
            ScheduleConfig::Cyclic {
                base_lr: 0.0,
                max_lr: 1.0,
                step_size: 2,
                step_size_down: None,
                policy: CyclicPolicy::Triangular2,
            },
        ] {
            let json = serde_json::to_string(&config).unwrap();
            assert!(
                json.contains(&format!("\"schedule\":\"{}\"", config.name())),
                "{json}"
            );
            assert!(ScheduleConfig::NAMES.contains(&config.name()));
        }
    }
}
