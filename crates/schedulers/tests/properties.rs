//! Properties of the schedules: cosine stays in [η_min, η_max] and never
//! increases on [0, T]; triangular is periodic with period 2s; warmup is
//! monotone and meets the wrapped schedule at the hand-over; every schedule
//! gives a finite η ≥ 0.

use proptest::prelude::*;
use schedulers::{
    Constant, CosineAnnealing, CyclicLr, CyclicPolicy, ExponentialWarmup, LinearWarmup,
    ScheduleConfig, Scheduler, StepDecay,
};

fn any_policy() -> impl Strategy<Value = CyclicPolicy> {
    prop_oneof![
        Just(CyclicPolicy::Triangular),
        Just(CyclicPolicy::Triangular2),
        (0.5..1.0_f64).prop_map(|gamma| CyclicPolicy::ExpRange { gamma }),
    ]
}

/// Any schedule without a warmup, as a config.
fn any_base_schedule() -> impl Strategy<Value = ScheduleConfig> {
    prop_oneof![
        (1e-4..1.0_f64).prop_map(|eta| ScheduleConfig::Constant { eta }),
        (1e-4..1.0_f64, 0.01..=1.0_f64, 1usize..50).prop_map(|(eta0, gamma, step_size)| {
            ScheduleConfig::StepDecay {
                eta0,
                gamma,
                step_size,
            }
        }),
        (1e-4..1.0_f64, 0.0..1.0_f64, 1usize..200).prop_map(|(eta_max, frac, total_steps)| {
            ScheduleConfig::CosineAnnealing {
                eta_min: eta_max * frac,
                eta_max,
                total_steps,
            }
        }),
        (
            0.0..0.1_f64,
            0.1..1.0_f64,
            1usize..30,
            1usize..30,
            any_policy()
        )
            .prop_map(
                |(base_lr, max_lr, up, down, policy)| ScheduleConfig::Cyclic {
                    base_lr,
                    max_lr,
                    step_size: up,
                    step_size_down: Some(down),
                    policy,
                }
            ),
    ]
}

/// Any schedule, warmups (nested up to twice) included.
fn any_schedule() -> impl Strategy<Value = ScheduleConfig> {
    any_base_schedule().prop_recursive(2, 4, 1, |inner| {
        (inner, 1usize..40, 0.001..=1.0_f64, any::<bool>()).prop_map(
            |(then, warmup_steps, start_factor, linear)| {
                let then = Box::new(then);
                if linear {
                    ScheduleConfig::LinearWarmup {
                        warmup_steps,
                        start_factor,
                        then,
                    }
                } else {
                    ScheduleConfig::ExponentialWarmup {
                        warmup_steps,
                        start_factor,
                        then,
                    }
                }
            },
        )
    })
}

proptest! {
    #[test]
    fn cosine_stays_in_bounds_and_never_increases(
        eta_max in 1e-6..10.0_f64,
        frac in 0.0..=1.0_f64,
        total in 1usize..500,
    ) {
        let eta_min = eta_max * frac;
        let schedule = CosineAnnealing::new(eta_min, eta_max, total).unwrap();
        let eta: Vec<f64> = (0..=total + 20).map(|t| schedule.learning_rate(t)).collect();
        for (t, &e) in eta.iter().enumerate() {
            prop_assert!(eta_min <= e && e <= eta_max, "t = {t}: {e} outside [{eta_min}, {eta_max}]");
        }
        for t in 0..total {
            prop_assert!(eta[t + 1] <= eta[t], "rose at t = {t}: {} → {}", eta[t], eta[t + 1]);
        }
        prop_assert_eq!(eta[total], eta_min);
        prop_assert!(eta[total..].iter().all(|&e| e == eta_min), "after T it stays at η_min");
        prop_assert!((eta[0] - eta_max).abs() <= 1e-15 * eta_max);
    }

    #[test]
    fn triangular_is_periodic_with_period_2s(
        base in 0.0..0.1_f64,
        peak in 0.1..1.0_f64,
        s in 1usize..40,
        t in 0usize..10_000,
    ) {
        let schedule = CyclicLr::new(base, peak, s, CyclicPolicy::Triangular).unwrap();
        prop_assert_eq!(schedule.learning_rate(t), schedule.learning_rate(t + 2 * s));
        prop_assert_eq!(schedule.learning_rate(t), schedule.learning_rate(t + 14 * s));
        // base at the start of each cycle, peak in its middle (to rounding:
        // base + (peak − base)·1 need not be exactly peak)
        let c = t / (2 * s);
        prop_assert_eq!(schedule.learning_rate(2 * s * c), base);
        prop_assert!((schedule.learning_rate(2 * s * c + s) - peak).abs() <= 1e-15 * peak);
    }

    #[test]
    fn triangular2_halves_each_cycle(
        base in 0.0..0.1_f64,
        peak in 0.1..1.0_f64,
        s in 1usize..40,
        t in 0usize..1_000,
    ) {
        let schedule = CyclicLr::new(base, peak, s, CyclicPolicy::Triangular2).unwrap();
        let (now, next) = (schedule.learning_rate(t) - base, schedule.learning_rate(t + 2 * s) - base);
        prop_assert!((next - 0.5 * now).abs() <= 1e-15 * peak, "{now} → {next}");
    }

    #[test]
    fn warmup_is_monotone_and_meets_the_wrapped_schedule(
        then in any_base_schedule(),
        w in 1usize..60,
        f in 0.001..=1.0_f64,
    ) {
        let inner = then.build().unwrap();
        let linear = LinearWarmup::new(then.build().unwrap(), w, f).unwrap();
        let exponential = ExponentialWarmup::new(then.build().unwrap(), w, f).unwrap();
        let warmups: [&dyn Scheduler; 2] = [&linear, &exponential];
        for warm in warmups {
            prop_assert!((warm.learning_rate(0) - f * inner.learning_rate(0)).abs()
                <= 1e-15 * inner.learning_rate(0));
            for t in 0..w {
                prop_assert!(warm.learning_rate(t) <= warm.learning_rate(t + 1),
                    "{warm:?} fell at t = {t}");
            }
            // the hand-over: at W the warmup has reached the inner schedule's start …
            prop_assert_eq!(warm.learning_rate(w), inner.learning_rate(0));
            // … and from then on it is the inner schedule, shifted by W
            for k in 0..50 {
                prop_assert_eq!(warm.learning_rate(w + k), inner.learning_rate(k));
            }
        }
    }

    #[test]
    fn every_schedule_is_finite_and_non_negative(config in any_schedule(), t in 0usize..100_000) {
        let schedule = config.build().unwrap();
        for step in [0, 1, t, t + 1, usize::MAX / 2] {
            let eta = schedule.learning_rate(step);
            prop_assert!(eta.is_finite() && eta >= 0.0, "{config:?} at {step}: {eta}");
        }
    }

    #[test]
    fn step_decay_is_constant_within_a_step_and_drops_by_gamma(
        eta0 in 1e-3..1.0_f64,
        gamma in 0.01..=1.0_f64,
        s in 1usize..50,
        t in 0usize..200,
    ) {
        let schedule = StepDecay::new(eta0, gamma, s).unwrap();
        let start = (t / s) * s;
        prop_assert_eq!(schedule.learning_rate(t), schedule.learning_rate(start));
        let ratio = schedule.learning_rate(start + s) / schedule.learning_rate(start);
        prop_assert!((ratio - gamma).abs() <= 1e-12 * gamma);
    }
}

#[test]
fn warmup_wraps_a_boxed_schedule_and_a_concrete_one_alike() {
    let boxed: Box<dyn Scheduler> = Box::new(CosineAnnealing::new(0.0, 0.1, 30).unwrap());
    let concrete = CosineAnnealing::new(0.0, 0.1, 30).unwrap();
    let a = LinearWarmup::new(boxed, 5, 0.2).unwrap();
    let b = LinearWarmup::new(concrete, 5, 0.2).unwrap();
    assert!((0..50).all(|t| a.learning_rate(t) == b.learning_rate(t)));
    // and a warmup of a warmup of a constant
    let nested = ExponentialWarmup::new(
        LinearWarmup::new(Constant::new(1.0).unwrap(), 2, 0.5).unwrap(),
        3,
        0.125,
    )
    .unwrap();
    let got: Vec<f64> = (0..6).map(|t| nested.learning_rate(t)).collect();
    // exponential from 0.5·0.125: ×2 per step for 3 steps to 0.5, then the linear warmup 0.5, 0.75, then 1
    let expected = [0.0625, 0.125, 0.25, 0.5, 0.75, 1.0];
    for (g, e) in got.iter().zip(expected) {
        assert!((g - e).abs() < 1e-15, "{got:?}");
    }
}
