//! Points per lab, from `points.toml`:
//!
//! ```toml
//! default = 10      # every lab not listed below
//! [labs]
//! lab06 = 20
//! ```
//!
//! Without the file every lab weighs the same, 10 points. A lab earns its
//! points in proportion to the *weights* of the tests it passes; a test
//! weighs 1 unless `[tests.labNN]` says otherwise, and a test there can be
//! marked hidden — its source lives in the teacher's
//! `exercises/hidden/labNN/*.rs`, never in the handout, and counts at
//! grading (as in nbgrader):
//!
//! ```toml
//! [tests.lab01]
//! t05_tanh_and_its_derivative = 2
//! t90_sigmoid_saturates = { weight = 2, hidden = true }
//! ```

use crate::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The weight of a lab when `points.toml` says nothing about it.
pub const DEFAULT_POINTS: f64 = 10.0;

/// Maximum points of each lab.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    /// Points of a lab that is not listed in `labs`.
    #[serde(default = "default_points")]
    pub default: f64,
    /// Points by lab name (`lab06 = 20`).
    #[serde(default)]
    pub labs: BTreeMap<String, f64>,
    /// Per lab, per test: its weight, and whether it is hidden.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tests: BTreeMap<String, BTreeMap<String, TestSpec>>,
}

/// One test's entry in `[tests.labNN]`: a weight, or a table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum TestSpec {
    /// `t05 = 2`
    Weight(f64),
    /// `t90 = { weight = 2, hidden = true }`
    Table(TestTable),
}

/// The table form of a test's entry.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TestTable {
    /// Its weight (default 1).
    #[serde(default = "one")]
    pub weight: f64,
    /// Kept in the teacher's copy, run only at grading.
    #[serde(default)]
    pub hidden: bool,
}

fn one() -> f64 {
    1.0
}

impl TestSpec {
    fn weight(&self) -> f64 {
        match self {
            TestSpec::Weight(w) | TestSpec::Table(TestTable { weight: w, .. }) => *w,
        }
    }

    fn hidden(&self) -> bool {
        matches!(self, TestSpec::Table(TestTable { hidden: true, .. }))
    }
}

fn default_points() -> f64 {
    DEFAULT_POINTS
}

impl Default for Points {
    fn default() -> Self {
        Points {
            default: DEFAULT_POINTS,
            labs: BTreeMap::new(),
            tests: BTreeMap::new(),
        }
    }
}

impl Points {
    /// Parses `points.toml` text; every weight must be finite and ≥ 0.
    pub fn parse(text: &str) -> Result<Points> {
        let points: Points = toml::from_str(text)?;
        let tests = points
            .tests
            .values()
            .flat_map(|t| t.iter().map(|(k, v)| (k.as_str(), v.weight())));
        let all = std::iter::once(("default", points.default))
            .chain(points.labs.iter().map(|(k, v)| (k.as_str(), *v)))
            .chain(tests);
        for (name, value) in all {
            if !(value.is_finite() && value >= 0.0) {
                return Err(
                    format!("points for {name} = {value}: must be a finite number >= 0").into(),
                );
            }
        }
        Ok(points)
    }

    /// Reads `path`; if it is the optional default and does not exist,
    /// equal weights.
    pub fn load(path: &Path, required: bool) -> Result<Points> {
        match fs::read_to_string(path) {
            Ok(text) => Points::parse(&text).map_err(|e| format!("{}: {e}", path.display()).into()),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Points::default())
            }
            Err(e) => Err(format!("cannot read {}: {e}", path.display()).into()),
        }
    }

    /// The maximum points of `lab`.
    pub fn max_for(&self, lab: &str) -> f64 {
        self.labs.get(lab).copied().unwrap_or(self.default)
    }

    /// The weight of `test` in `lab` (1 unless `[tests.lab]` says).
    pub fn weight(&self, lab: &str, test: &str) -> f64 {
        self.tests
            .get(lab)
            .and_then(|t| t.get(test))
            .map_or(1.0, TestSpec::weight)
    }

    /// The tests of `lab` marked hidden.
    pub fn hidden(&self, lab: &str) -> Vec<String> {
        self.tests.get(lab).map_or_else(Vec::new, |t| {
            t.iter()
                .filter(|(_, s)| s.hidden())
                .map(|(n, _)| n.clone())
                .collect()
        })
    }

    /// The points file for students: without the hidden tests.
    pub fn for_students(&self) -> Points {
        let mut out = self.clone();
        for tests in out.tests.values_mut() {
            tests.retain(|_, s| !s.hidden());
        }
        out.tests.retain(|_, t| !t.is_empty());
        out
    }

    /// The points of each test of `lab` (in the order given) when the lab
    /// is worth [`Points::max_for`]: `max · wᵢ / Σw`.
    pub fn per_test(&self, lab: &str, tests: &[String]) -> Vec<f64> {
        let weights: Vec<f64> = tests.iter().map(|t| self.weight(lab, t)).collect();
        let total: f64 = weights.iter().sum();
        let max = self.max_for(lab);
        weights
            .iter()
            .map(|w| if total > 0.0 { max * w / total } else { 0.0 })
            .collect()
    }
}

/// A sum of points, to 0.01.
pub fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_default_to_equal_and_can_be_overridden() {
        let equal = Points::default();
        assert_eq!(equal.max_for("lab01"), equal.max_for("lab06"));
        let custom = Points::parse("default = 5\n[labs]\nlab06 = 20\n").unwrap();
        assert_eq!(custom.max_for("lab01"), 5.0);
        assert_eq!(custom.max_for("lab06"), 20.0);
        let only_labs = Points::parse("[labs]\nlab02 = 1.5\n").unwrap();
        assert_eq!(only_labs.max_for("lab01"), DEFAULT_POINTS);
    }

    #[test]
    fn bad_files_are_rejected() {
        for bad in [
            "default = -1",
            "[labs]\nlab01 = nan",
            "defualt = 3",
            "default = \"ten\"",
        ] {
            assert!(Points::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn a_missing_default_file_means_equal_weights() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("points.toml");
        assert_eq!(Points::load(&missing, false).unwrap(), Points::default());
        assert!(Points::load(&missing, true).is_err());
    }

    #[test]
    fn tests_have_weights_and_can_be_hidden() {
        let p = Points::parse(
            "[labs]\nlab01 = 12\n[tests.lab01]\nt02 = 3\nt09 = { weight = 2, hidden = true }\n",
        )
        .unwrap();
        let tests: Vec<String> = ["t01", "t02", "t09"].map(String::from).into();
        // weights 1 + 3 + 2 = 6: 12 points split 2, 6, 4
        assert_eq!(p.per_test("lab01", &tests), [2.0, 6.0, 4.0]);
        assert_eq!(p.hidden("lab01"), ["t09"]);
        assert!(p.hidden("lab02").is_empty());
        let students = p.for_students();
        assert!(students.hidden("lab01").is_empty());
        assert_eq!(students.weight("lab01", "t02"), 3.0);
        let text = toml::to_string(&students).unwrap();
        assert!(!text.contains("t09"), "{text}");
        assert_eq!(Points::parse(&text).unwrap(), students);
        assert!(Points::parse("[tests.lab01]\nt01 = -2\n").is_err());
        assert!(Points::parse("[tests.lab01]\nt01 = { wieght = 2 }\n").is_err());
    }

    #[test]
    fn the_course_points_file_parses() {
        let path = crate::workspace_root().join("exercises/points.toml");
        let points = Points::load(&path, true).unwrap();
        assert!(points.max_for("lab01") > 0.0);
    }
}
