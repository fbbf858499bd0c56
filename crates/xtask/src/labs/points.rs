//! Points per lab, from `points.toml`:
//!
//! ```toml
//! default = 10      # every lab not listed below
//! [labs]
//! lab06 = 20
//! ```
//!
//! Without the file every lab weighs the same, 10 points. A lab earns its
//! points in proportion to the tests it passes.

use crate::Result;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The weight of a lab when `points.toml` says nothing about it.
pub const DEFAULT_POINTS: f64 = 10.0;

/// Maximum points of each lab.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    /// Points of a lab that is not listed in `labs`.
    #[serde(default = "default_points")]
    pub default: f64,
    /// Points by lab name (`lab06 = 20`).
    #[serde(default)]
    pub labs: BTreeMap<String, f64>,
}

fn default_points() -> f64 {
    DEFAULT_POINTS
}

impl Default for Points {
    fn default() -> Self {
        Points {
            default: DEFAULT_POINTS,
            labs: BTreeMap::new(),
        }
    }
}

impl Points {
    /// Parses `points.toml` text; every weight must be finite and ≥ 0.
    pub fn parse(text: &str) -> Result<Points> {
        let points: Points = toml::from_str(text)?;
        let all = std::iter::once(("default", points.default))
            .chain(points.labs.iter().map(|(k, v)| (k.as_str(), *v)));
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
}

/// Points earned for `passed` of `total` tests out of `max`, to 0.01.
pub fn earned(max: f64, passed: usize, total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    (max * passed as f64 / total as f64 * 100.0).round() / 100.0
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
    fn points_are_proportional_to_tests_passed() {
        assert_eq!(earned(10.0, 14, 14), 10.0);
        assert_eq!(earned(10.0, 0, 14), 0.0);
        assert_eq!(earned(10.0, 1, 3), 3.33);
        assert_eq!(earned(10.0, 0, 0), 0.0);
    }

    #[test]
    fn the_course_points_file_parses() {
        let path = crate::workspace_root().join("exercises/points.toml");
        let points = Points::load(&path, true).unwrap();
        assert!(points.max_for("lab01") > 0.0);
    }
}
