//! Learning rates against PyTorch's StepLR, CosineAnnealingLR, CyclicLR
//! (triangular, triangular2, exp_range) and LinearLR (= LinearWarmup over
//! Constant), from `reference/generate.py`, at 1e-9 + 1e-7·|x|.

use gradcheck::assert_all_close;
use gradcheck::reference::{floats, load};
use schedulers::{ScheduleConfig, Scheduler};
use std::collections::BTreeSet;

#[test]
fn learning_rates_match_torch_schedulers() {
    let reference = load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/schedules.json"
    ));
    let cases = reference["cases"].as_array().expect("cases");
    let mut kinds = BTreeSet::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let config: ScheduleConfig =
            serde_json::from_value(case["config"].clone()).expect("a ScheduleConfig");
        let schedule = config.build().expect("valid parameters");
        let expected = floats(&case["learning_rates"], name);
        let got: Vec<f64> = (0..expected.len())
            .map(|t| schedule.learning_rate(t))
            .collect();
        assert_all_close(&got, &expected, name);
        kinds.insert(
            name.split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    // every PyTorch scheduler and every cyclic mode is covered
    for kind in [
        "StepLR lr=0.1",
        "CosineAnnealingLR lr=0.1",
        "CyclicLR triangular",
        "CyclicLR triangular2",
        "CyclicLR exp_range",
        "LinearLR lr=0.1",
    ] {
        assert!(kinds.contains(kind), "no case for {kind}: {kinds:?}");
    }
}
