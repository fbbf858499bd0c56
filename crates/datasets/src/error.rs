//! What can be wrong with data: a file that does not parse, arrays that do
//! not fit together, a parameter outside its range.
//!
//! Every message names where the problem is (file and line for CSV, file and
//! byte offset for IDX, row and column for arrays) and what was expected, so
//! a student can fix the file without reading this crate's source.

use thiserror::Error;

/// Why data could not be loaded, built, split or scaled.
#[derive(Debug, Error)]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file's path as given.
        file: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error("cannot write {file}: {source}")]
    Write {
        /// The file's path as given.
        file: String,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The file holds nothing at all.
    #[error("{file} is empty: expected a header line or at least one data row")]
    EmptyFile {
        /// The file's path.
        file: String,
    },
    /// The file has a header line and nothing after it.
    #[error("{file} has a header line but no data rows")]
    NoDataRows {
        /// The file's path.
        file: String,
    },
    /// A CSV row has a different number of cells than the first row.
    #[error(
        "{file}, line {line}: expected {expected} columns (as in the first row) but found {found}"
    )]
    ColumnCount {
        /// The file's path.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Number of columns of the first row.
        expected: usize,
        /// Number of columns of this row.
        found: usize,
    },
    /// A cell that must be a number is not one.
    #[error("{file}, line {line}, column {column}: expected a number but found {value:?}")]
    NotNumeric {
        /// The file's path.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The column's name (from the header) or its 0-based index.
        column: String,
        /// The cell's text.
        value: String,
    },
    /// A cell parses as a number but is NaN or infinite.
    #[error(
        "{file}, line {line}, column {column}: {value:?} is not a finite number (NaN and infinity are not allowed)"
    )]
    NotFiniteCell {
        /// The file's path.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The column's name (from the header) or its 0-based index.
        column: String,
        /// The cell's text.
        value: String,
    },
    /// The CSV reader itself failed (bad quoting, invalid UTF-8 …).
    #[error("{file}, line {line}: malformed CSV: {message}")]
    Csv {
        /// The file's path.
        file: String,
        /// 1-based line number where the reader stopped (0 if unknown).
        line: u64,
        /// The reader's explanation.
        message: String,
    },
    /// A column chosen by name is not in the header.
    #[error("{file}: no column named {name:?}; the header has: {available}")]
    ColumnNotFound {
        /// The file's path.
        file: String,
        /// The name asked for.
        name: String,
        /// The header's column names, comma-separated.
        available: String,
    },
    /// A column chosen by index does not exist.
    #[error("{file}: column index {index} is out of range: the file has {columns} columns (0..={last})", last = columns.saturating_sub(1))]
    ColumnOutOfRange {
        /// The file's path.
        file: String,
        /// The 0-based index asked for.
        index: usize,
        /// How many columns the file has.
        columns: usize,
    },
    /// A column chosen by name in a file that has no header.
    #[error("{file}: column {name:?} is chosen by name but the file has no header line")]
    NeedsHeader {
        /// The file's path.
        file: String,
        /// The name asked for.
        name: String,
    },
    /// Every column is a target: nothing is left to learn from.
    #[error("{file}: all {columns} columns are targets; at least one feature column is needed")]
    NoFeatureColumns {
        /// The file's path.
        file: String,
        /// How many columns the file has.
        columns: usize,
    },
    /// Classification was asked for with more than one label column.
    #[error("classification needs exactly one label column, but {count} were chosen")]
    LabelColumnCount {
        /// How many label columns were chosen.
        count: usize,
    },
    /// A label cell with nothing in it.
    #[error("{file}, line {line}, column {column}: the label is empty; every row needs a class")]
    MissingLabel {
        /// The file's path.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The column's name (from the header) or its 0-based index.
        column: String,
    },
    /// A label that is not among the class names the caller listed.
    #[error("{file}, line {line}: label {value:?} is not one of the given classes: {known}")]
    UnknownClass {
        /// The file's path.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The label's text.
        value: String,
        /// The allowed class names, comma-separated.
        known: String,
    },
    /// The file starts like gzip but does not decompress.
    #[error("{file}: cannot decompress gzip data: {source}")]
    Gzip {
        /// The file's path.
        file: String,
        /// The decompressor's explanation.
        #[source]
        source: std::io::Error,
    },
    /// An IDX file does not start with the expected magic number.
    #[error(
        "{file}, byte offset 0: expected the magic number 0x{expected:08x} ({what}) but found 0x{found:08x}"
    )]
    BadMagic {
        /// The file's path.
        file: String,
        /// The magic number that was found.
        found: u32,
        /// The magic number an IDX file of this kind has.
        expected: u32,
        /// What the expected number means, in words.
        what: &'static str,
    },
    /// An IDX file ends before the data its header announces.
    #[error(
        "{file}, byte offset {offset}: the file ends while reading {what}; expected {needed} more bytes but found only {available}"
    )]
    Truncated {
        /// The file's path.
        file: String,
        /// Byte offset (in the decompressed data) where reading stopped.
        offset: usize,
        /// What was being read.
        what: String,
        /// How many bytes were needed from `offset` on.
        needed: usize,
        /// How many bytes were left.
        available: usize,
    },
    /// An IDX file has bytes after the data its header announces.
    #[error(
        "{file}, byte offset {offset}: {extra} unexpected bytes after the last item the header announces"
    )]
    TrailingBytes {
        /// The file's path.
        file: String,
        /// Byte offset (in the decompressed data) where the extra bytes start.
        offset: usize,
        /// How many extra bytes there are.
        extra: usize,
    },
    /// The IDX images file and labels file hold different numbers of items.
    #[error(
        "{images_file} holds {images} images but {labels_file} holds {labels} labels; they must match"
    )]
    CountMismatch {
        /// The images file.
        images_file: String,
        /// Number of images.
        images: usize,
        /// The labels file.
        labels_file: String,
        /// Number of labels.
        labels: usize,
    },
    /// Two arrays that must have one entry per sample do not.
    #[error("{what} has {found} rows but the features have {expected}; they must match")]
    LengthMismatch {
        /// Which array (`"labels"`, `"targets"`, `"feature names"` …).
        what: &'static str,
        /// The number required.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A list of names (features, classes, targets) has the wrong length.
    #[error("{what}: {found} names given for {expected} columns")]
    NameCount {
        /// Which names (`"feature names"`, `"class names"`, `"target names"`).
        what: &'static str,
        /// The number required.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A class label outside `0..n_classes`.
    #[error("label {label} of row {row} is out of range: expected 0..{n_classes}")]
    LabelOutOfRange {
        /// Sample index.
        row: usize,
        /// The label.
        label: usize,
        /// Number of classes.
        n_classes: usize,
    },
    /// A NaN or infinite entry in an array.
    #[error("{what}[{row}, {col}] = {value} is not a finite number")]
    NotFinite {
        /// `"features"` or `"targets"`.
        what: &'static str,
        /// Sample index.
        row: usize,
        /// Column index.
        col: usize,
        /// The offending value.
        value: f64,
    },
    /// Features with a different column count than expected.
    #[error("{what} has {found} feature columns but {expected} were expected")]
    FeatureCount {
        /// Which array.
        what: &'static str,
        /// The number required.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A row index past the end of the data set.
    #[error("row index {index} is out of range: the data set has {len} rows")]
    IndexOutOfRange {
        /// The index.
        index: usize,
        /// Number of rows.
        len: usize,
    },
    /// A batch buffer of the wrong shape.
    #[error("batch buffer {what} has shape {found:?} but {expected:?} is needed for {rows} rows")]
    BufferShape {
        /// `"x"` or `"y"`.
        what: &'static str,
        /// Shape required.
        expected: (usize, usize),
        /// Shape given.
        found: (usize, usize),
        /// Rows in the batch.
        rows: usize,
    },
    /// A batch with more rows than the buffer was made for.
    #[error("batch of {rows} rows does not fit a buffer made for {capacity}")]
    BatchTooLarge {
        /// Rows asked for.
        rows: usize,
        /// Rows the buffer holds.
        capacity: usize,
    },
    /// An operation that needs at least one row or feature got none.
    #[error("{what} needs at least one row and one feature, got shape {shape:?}")]
    Empty {
        /// What was attempted.
        what: &'static str,
        /// The shape given.
        shape: (usize, usize),
    },
    /// A parameter outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// The valid range, in words.
        expected: &'static str,
    },
    /// Split fractions that are not a partition of the data.
    #[error(
        "invalid split fractions train = {train}, validation = {validation}, test = {test}: each must be in [0, 1], train > 0, and they must sum to 1"
    )]
    Fractions {
        /// Training fraction.
        train: f64,
        /// Validation fraction.
        validation: f64,
        /// Test fraction.
        test: f64,
    },
    /// A split whose part would hold no rows although its fraction is positive.
    #[error(
        "the {part} part would be empty: {fraction} of {n} rows rounds to 0; use more data or a larger fraction"
    )]
    EmptyPart {
        /// `"train"`, `"validation"` or `"test"`.
        part: &'static str,
        /// Rows in the data set.
        n: usize,
        /// The part's fraction.
        fraction: f64,
    },
    /// The operation needs class labels but the data set is a regression set.
    #[error("{what} needs class labels, but data set {name:?} has regression targets")]
    NotClassification {
        /// What was attempted.
        what: &'static str,
        /// The data set's name.
        name: String,
    },
    /// A built-in data set name that does not exist.
    #[error("unknown data set {name:?}; known data sets: {known}")]
    UnknownDataset {
        /// The name asked for.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
}
