//! Reading committed reference values (JSON written by a Python script next
//! to the tests, e.g. `reference/generate.py` → `reference/*.json`).
//!
//! The files are plain JSON objects; tests pick the fields they need with
//! [`serde_json::Value`] indexing, and [`floats`] / [`matrix`] turn arrays
//! into Rust values with a message that names the field when it is missing.

use ndarray::Array2;
use serde_json::Value;
use std::path::Path;

/// Parses a JSON file; panics with the path in the message (a missing or
/// broken reference file is a broken test set-up, not user input).
#[track_caller]
pub fn load(path: impl AsRef<Path>) -> Value {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read reference file {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("reference file {} is not JSON: {e}", path.display()))
}

/// A JSON number, or an array of numbers nested to any depth, flattened.
#[track_caller]
pub fn floats(value: &Value, what: &str) -> Vec<f64> {
    fn walk(v: &Value, out: &mut Vec<f64>, what: &str) {
        match v {
            Value::Number(n) => out.push(n.as_f64().expect("JSON numbers are f64")),
            Value::Array(items) => items.iter().for_each(|i| walk(i, out, what)),
            // Python's json module writes ±inf/NaN as bare words only with
            // allow_nan; the generator scripts pass them as strings instead.
            Value::String(s) if s == "inf" => out.push(f64::INFINITY),
            Value::String(s) if s == "-inf" => out.push(f64::NEG_INFINITY),
            Value::String(s) if s == "nan" => out.push(f64::NAN),
            other => panic!("reference field {what}: expected numbers, found {other}"),
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out, what);
    out
}

/// A JSON array of equal-length arrays of numbers as a matrix.
#[track_caller]
pub fn matrix(value: &Value, what: &str) -> Array2<f64> {
    let rows = value
        .as_array()
        .unwrap_or_else(|| panic!("reference field {what}: expected an array of rows"));
    let cols = rows.first().and_then(Value::as_array).map_or(0, Vec::len);
    let data = floats(value, what);
    Array2::from_shape_vec((rows.len(), cols), data)
        .unwrap_or_else(|e| panic!("reference field {what}: rows of unequal length ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_arrays_flatten_in_row_order() {
        let v = json!([[1.0, 2.0], [3.0, "inf"]]);
        assert_eq!(floats(&v, "x"), vec![1.0, 2.0, 3.0, f64::INFINITY]);
        assert_eq!(matrix(&v, "x").dim(), (2, 2));
    }

    #[test]
    #[should_panic(expected = "unequal length")]
    fn ragged_matrix_is_reported() {
        matrix(&json!([[1.0, 2.0], [3.0]]), "ragged");
    }
}
