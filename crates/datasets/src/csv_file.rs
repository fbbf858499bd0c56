//! Loading your own data from CSV, and writing a data set back.
//!
//! A CSV file is a table: one sample per line, one column per feature, plus
//! the column(s) the network should predict. You say which column is the
//! target (by name or index, the last one by default) and whether it holds
//! class labels or real-valued targets; every other column is a feature.
//!
//! * **Header:** detected when the first line has a non-number where a
//!   number must be (a feature, or a regression target); or forced with
//!   [`Header::Present`] / [`Header::Absent`].
//! * **Class labels** may be any text (`setosa`, `spam`, `7`). They are
//!   mapped to indices `0..k` in sorted order — numeric order if every label
//!   is a number, text order otherwise — and the texts are kept as class
//!   names. Give [`CsvOptions::with_class_names`] to fix the order yourself.
//! * Files compressed with gzip are decompressed on the fly.
//!
//! Errors name the file, the line (1-based, as an editor shows it) and the
//! column, and say what was expected.

use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;

use csv::{ReaderBuilder, StringRecord, Trim, WriterBuilder};
use ndarray::Array2;

use crate::dataset::Target;
use crate::gzip::read_maybe_gzip;
use crate::{DataError, Dataset};

/// Whether the first line of the file names the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Header {
    /// A header if the first line has text where the data has numbers.
    #[default]
    Auto,
    /// The first line is a header.
    Present,
    /// The first line is data.
    Absent,
}

/// A column of the file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Column {
    /// The last column.
    #[default]
    Last,
    /// The column at this 0-based index.
    Index(usize),
    /// The column with this header name.
    Name(String),
}

impl FromStr for Column {
    type Err = std::convert::Infallible;

    /// `"last"` → [`Column::Last`], a whole number → [`Column::Index`],
    /// anything else → [`Column::Name`] (as a command-line flag would give it).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(if s == "last" {
            Self::Last
        } else if let Ok(index) = s.parse() {
            Self::Index(index)
        } else {
            Self::Name(s.to_owned())
        })
    }
}

/// What the target column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Task {
    /// Class labels (one column).
    #[default]
    Classification,
    /// Real-valued targets (one or more columns).
    Regression,
}

/// How to read a CSV file into a [`Dataset`].
#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    /// Whether the first line is a header.
    pub header: Header,
    /// The target column(s); exactly one for classification.
    pub targets: Vec<Column>,
    /// Class labels or regression targets.
    pub task: Task,
    /// The cell separator (`b','`, `b';'`, `b'\t'` …).
    pub delimiter: u8,
    /// The classes in index order; labels not in this list are an error.
    /// `None`: the sorted distinct labels of the file.
    pub class_names: Option<Vec<String>>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            header: Header::Auto,
            targets: vec![Column::Last],
            task: Task::Classification,
            delimiter: b',',
            class_names: None,
        }
    }
}

impl CsvOptions {
    /// Class labels in the last column, header detected, comma-separated.
    pub fn classification() -> Self {
        Self::default()
    }

    /// A regression target in the last column, header detected, comma-separated.
    pub fn regression() -> Self {
        Self {
            task: Task::Regression,
            ..Self::default()
        }
    }

    /// Sets whether the first line is a header.
    pub fn with_header(mut self, header: Header) -> Self {
        self.header = header;
        self
    }

    /// Sets the single target column.
    pub fn with_target(mut self, column: Column) -> Self {
        self.targets = vec![column];
        self
    }

    /// Sets several target columns (regression).
    pub fn with_targets(mut self, columns: Vec<Column>) -> Self {
        self.targets = columns;
        self
    }

    /// Sets the cell separator.
    pub fn with_delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Fixes the classes and their order.
    pub fn with_class_names(mut self, names: Vec<String>) -> Self {
        self.class_names = Some(names);
        self
    }
}

/// Loads a CSV file (plain or gzip) as a data set named after the path.
pub fn load_csv(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Dataset, DataError> {
    let path = path.as_ref();
    let bytes = read_maybe_gzip(path)?;
    read_csv(&bytes[..], &path.display().to_string(), options)
}

/// Reads CSV text from any reader; `file` names it in errors and becomes the
/// data set's name.
pub fn read_csv(reader: impl Read, file: &str, options: &CsvOptions) -> Result<Dataset, DataError> {
    let records = read_records(reader, file, options.delimiter)?;
    let Some((_, first)) = records.first() else {
        return Err(DataError::EmptyFile {
            file: file.to_owned(),
        });
    };
    let n_columns = first.len();
    for (line, record) in &records {
        if record.len() != n_columns {
            return Err(DataError::ColumnCount {
                file: file.to_owned(),
                line: *line,
                expected: n_columns,
                found: record.len(),
            });
        }
    }
    if options.task == Task::Classification && options.targets.len() != 1 {
        return Err(DataError::LabelColumnCount {
            count: options.targets.len(),
        });
    }

    // Columns chosen by index are known before the header question is settled;
    // a column chosen by name implies a header.
    let by_name = options.targets.iter().any(|c| matches!(c, Column::Name(_)));
    let has_header = match options.header {
        Header::Present => true,
        Header::Absent => false,
        Header::Auto if by_name => true,
        Header::Auto => {
            let targets = resolve(&options.targets, None, n_columns, file)?;
            first_line_is_header(first, &targets, options.task)
        }
    };
    let header = has_header.then_some(first);
    let targets = resolve(&options.targets, header, n_columns, file)?;
    let features: Vec<usize> = (0..n_columns).filter(|j| !targets.contains(j)).collect();
    if features.is_empty() {
        return Err(DataError::NoFeatureColumns {
            file: file.to_owned(),
            columns: n_columns,
        });
    }
    let rows = &records[usize::from(has_header)..];
    if rows.is_empty() {
        return Err(DataError::NoDataRows {
            file: file.to_owned(),
        });
    }

    let column_label = |j: usize| match header {
        Some(h) => format!("{j} ({:?})", &h[j]),
        None => j.to_string(),
    };
    let names_of = |columns: &[usize], prefix: &str| -> Vec<String> {
        columns
            .iter()
            .map(|&j| header.map_or_else(|| format!("{prefix}{j}"), |h| h[j].to_owned()))
            .collect()
    };

    let number = |line: u64, j: usize, cell: &str| -> Result<f64, DataError> {
        let value: f64 = cell.parse().map_err(|_| DataError::NotNumeric {
            file: file.to_owned(),
            line,
            column: column_label(j),
            value: cell.to_owned(),
        })?;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(DataError::NotFiniteCell {
                file: file.to_owned(),
                line,
                column: column_label(j),
                value: cell.to_owned(),
            })
        }
    };

    let mut x = Array2::zeros((rows.len(), features.len()));
    for (i, (line, record)) in rows.iter().enumerate() {
        for (f, &j) in features.iter().enumerate() {
            x[[i, f]] = number(*line, j, &record[j])?;
        }
    }

    let dataset = match options.task {
        Task::Classification => {
            let j = targets[0];
            let cells: Vec<(u64, &str)> = rows.iter().map(|(line, r)| (*line, &r[j])).collect();
            if let Some(&(line, _)) = cells.iter().find(|(_, cell)| cell.is_empty()) {
                return Err(DataError::MissingLabel {
                    file: file.to_owned(),
                    line,
                    column: column_label(j),
                });
            }
            let (labels, names) = encode_labels(&cells, options.class_names.as_deref(), file)?;
            Dataset::classification(x, labels, names.len())?.with_class_names(names)?
        }
        Task::Regression => {
            let mut y = Array2::zeros((rows.len(), targets.len()));
            for (i, (line, record)) in rows.iter().enumerate() {
                for (t, &j) in targets.iter().enumerate() {
                    y[[i, t]] = number(*line, j, &record[j])?;
                }
            }
            let names = if header.is_none() && targets.len() == 1 {
                vec![String::from("y")]
            } else {
                names_of(&targets, "y")
            };
            Dataset::regression(x, y)?.with_target_names(names)?
        }
    };
    dataset
        .with_name(file)
        .with_feature_names(names_of(&features, "x"))
}

/// Every record with its 1-based line number.
fn read_records(
    reader: impl Read,
    file: &str,
    delimiter: u8,
) -> Result<Vec<(u64, StringRecord)>, DataError> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .delimiter(delimiter)
        .from_reader(reader);
    let mut records = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| DataError::Csv {
            file: file.to_owned(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        records.push((line, record));
    }
    Ok(records)
}

/// Column indices of `columns`, checked against the file.
fn resolve(
    columns: &[Column],
    header: Option<&StringRecord>,
    n_columns: usize,
    file: &str,
) -> Result<Vec<usize>, DataError> {
    columns
        .iter()
        .map(|column| match column {
            Column::Last => Ok(n_columns - 1),
            Column::Index(index) if *index < n_columns => Ok(*index),
            Column::Index(index) => Err(DataError::ColumnOutOfRange {
                file: file.to_owned(),
                index: *index,
                columns: n_columns,
            }),
            Column::Name(name) => {
                let Some(header) = header else {
                    return Err(DataError::NeedsHeader {
                        file: file.to_owned(),
                        name: name.clone(),
                    });
                };
                header
                    .iter()
                    .position(|h| h == name)
                    .ok_or_else(|| DataError::ColumnNotFound {
                        file: file.to_owned(),
                        name: name.clone(),
                        available: header.iter().collect::<Vec<_>>().join(", "),
                    })
            }
        })
        .collect()
}

/// A header is text where numbers must be: in a feature column, or in a
/// regression target. (Class labels may be text in data rows too.)
fn first_line_is_header(first: &StringRecord, targets: &[usize], task: Task) -> bool {
    first.iter().enumerate().any(|(j, cell)| {
        let must_be_number = !targets.contains(&j) || task == Task::Regression;
        must_be_number && cell.parse::<f64>().is_err()
    })
}

/// Class indices for the label cells, and the class names in index order.
fn encode_labels(
    cells: &[(u64, &str)],
    given: Option<&[String]>,
    file: &str,
) -> Result<(Vec<usize>, Vec<String>), DataError> {
    let names: Vec<String> = match given {
        Some(names) => names.to_vec(),
        None => {
            let mut distinct: Vec<&str> = cells.iter().map(|(_, c)| *c).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let numeric: Option<Vec<f64>> = distinct.iter().map(|c| c.parse().ok()).collect();
            if let Some(values) = numeric {
                // "10" after "9", not between "1" and "2".
                let mut pairs: Vec<(f64, &str)> = values.into_iter().zip(distinct).collect();
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                distinct = pairs.into_iter().map(|(_, c)| c).collect();
            }
            distinct.into_iter().map(str::to_owned).collect()
        }
    };
    let labels = cells
        .iter()
        .map(|&(line, cell)| {
            names
                .iter()
                .position(|n| n == cell)
                .ok_or_else(|| DataError::UnknownClass {
                    file: file.to_owned(),
                    line,
                    value: cell.to_owned(),
                    known: names.join(", "),
                })
        })
        .collect::<Result<_, _>>()?;
    Ok((labels, names))
}

impl Dataset {
    /// Writes the data set as CSV with a header: the feature columns, then
    /// `label` (the class *name*) for classification or the target columns
    /// for regression. Numbers are written in Rust's shortest round-trip
    /// form, so reading the file back gives the same `f64` bits.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<(), DataError> {
        let path = path.as_ref();
        let write_error = |source| DataError::Write {
            file: path.display().to_string(),
            source,
        };
        let file = std::fs::File::create(path).map_err(write_error)?;
        self.write_csv_to(std::io::BufWriter::new(file))
            .map_err(write_error)
    }

    /// Writes the CSV text of [`write_csv`](Self::write_csv) to any writer.
    pub fn write_csv_to(&self, writer: impl Write) -> std::io::Result<()> {
        let mut out = WriterBuilder::new().from_writer(writer);
        let mut header: Vec<&str> = self.feature_names().iter().map(String::as_str).collect();
        match self.target() {
            Target::Classes { .. } => header.push("label"),
            Target::Values { names, .. } => header.extend(names.iter().map(String::as_str)),
        }
        out.write_record(&header)?;
        let mut cells = Vec::with_capacity(header.len());
        for i in 0..self.len() {
            cells.clear();
            cells.extend(self.x().row(i).iter().map(f64::to_string));
            match self.target() {
                Target::Classes { labels, names, .. } => cells.push(names[labels[i]].clone()),
                Target::Values { y, .. } => cells.extend(y.row(i).iter().map(f64::to_string)),
            }
            out.write_record(&cells)?;
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_from_str_reads_indices_names_and_last() {
        let cases = [
            ("last", Column::Last),
            ("3", Column::Index(3)),
            ("species", Column::Name("species".into())),
        ];
        for (text, column) in cases {
            assert_eq!(text.parse::<Column>().unwrap(), column);
        }
    }

    #[test]
    fn numeric_labels_sort_as_numbers() {
        let cells = [(1, "10"), (2, "9"), (3, "2"), (4, "9")];
        let (labels, names) = encode_labels(&cells, None, "f").unwrap();
        assert_eq!(names, ["2", "9", "10"]);
        assert_eq!(labels, [2, 1, 0, 1]);
    }

    #[test]
    fn text_labels_sort_as_text() {
        let cells = [(1, "virginica"), (2, "setosa"), (3, "versicolor")];
        let (labels, names) = encode_labels(&cells, None, "f").unwrap();
        assert_eq!(names, ["setosa", "versicolor", "virginica"]);
        assert_eq!(labels, [2, 0, 1]);
    }

    #[test]
    fn header_detection_looks_only_where_numbers_must_be() {
        let record = |cells: &[&str]| StringRecord::from(cells.to_vec());
        let cases = [
            (record(&["1.5", "2", "cat"]), Task::Classification, false),
            (record(&["a", "b", "label"]), Task::Classification, true),
            (record(&["1.5", "2", "y"]), Task::Regression, true),
            (record(&["1.5", "2", "3"]), Task::Regression, false),
        ];
        for (first, task, expected) in cases {
            assert_eq!(
                first_line_is_header(&first, &[2], task),
                expected,
                "{first:?}"
            );
        }
    }
}
