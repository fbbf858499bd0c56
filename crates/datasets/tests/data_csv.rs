//! The CSV loader on small files written to a temporary folder: good files
//! in every supported shape, one bad file per error, and write → read round
//! trips.

use std::io::Write;
use std::path::{Path, PathBuf};

use datasets::{self, Column, CsvOptions, DataError, Dataset, Header, Target, load_csv};
use ndarray::array;
use tempfile::TempDir;

/// Writes `contents` to `name` in `dir` and returns the path.
fn write(dir: &TempDir, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------- good files

#[test]
fn header_and_text_labels() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "flowers.csv",
        b"length,width,species\n1.5,0.2,setosa\n4.5,1.5,versicolor\n1.4,0.3,setosa\n",
    );
    let d = load_csv(&path, &CsvOptions::classification()).unwrap();
    assert_eq!(d.x(), &array![[1.5, 0.2], [4.5, 1.5], [1.4, 0.3]]);
    assert_eq!(d.labels().unwrap(), [0, 1, 0]);
    assert_eq!(d.class_names().unwrap(), ["setosa", "versicolor"]);
    assert_eq!(d.feature_names(), ["length", "width"]);
    assert_eq!(d.name(), shown(&path));
}

#[test]
fn no_header_numeric_labels_in_numeric_order() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "n.csv", b"0.5,10\n1.5,9\n2.5,10\n3.5,2\n");
    let d = load_csv(&path, &CsvOptions::classification()).unwrap();
    assert_eq!(d.len(), 4, "the first line is data: no header detected");
    assert_eq!(d.class_names().unwrap(), ["2", "9", "10"]);
    assert_eq!(d.labels().unwrap(), [2, 1, 2, 0]);
    assert_eq!(d.feature_names(), ["x0"]);
}

#[test]
fn target_by_name_or_index_anywhere_in_the_row() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "t.csv", b"class,a,b\nyes,1,2\nno,3,4\n");
    for column in [Column::Name("class".into()), Column::Index(0)] {
        let d = load_csv(&path, &CsvOptions::classification().with_target(column)).unwrap();
        assert_eq!(d.x(), &array![[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(d.labels().unwrap(), [1, 0]);
        assert_eq!(d.feature_names(), ["a", "b"]);
    }
}

#[test]
fn forced_header_modes() {
    let dir = TempDir::new().unwrap();
    // The header names are numbers here, so only `Present` can tell.
    let path = write(&dir, "h.csv", b"1,2,3\n4,5,0\n7,8,1\n");
    let with = load_csv(
        &path,
        &CsvOptions::classification().with_header(Header::Present),
    )
    .unwrap();
    assert_eq!(with.len(), 2);
    assert_eq!(with.feature_names(), ["1", "2"]);
    let without = load_csv(
        &path,
        &CsvOptions::classification().with_header(Header::Absent),
    )
    .unwrap();
    assert_eq!(without.len(), 3);
}

#[test]
fn regression_with_one_and_two_targets() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "r.csv", b"x,y1,y2\n1,2,3\n4,5,6\n");
    let one = load_csv(&path, &CsvOptions::regression()).unwrap();
    let Target::Values { y, names } = one.target() else {
        panic!("regression expected")
    };
    assert_eq!(
        (y, names.as_slice()),
        (&array![[3.0], [6.0]], ["y2".to_string()].as_slice())
    );
    assert_eq!(one.x(), &array![[1.0, 2.0], [4.0, 5.0]]);

    let two = load_csv(
        &path,
        &CsvOptions::regression().with_targets(vec![Column::Index(1), Column::Name("y2".into())]),
    )
    .unwrap();
    assert_eq!(two.target_matrix(), array![[2.0, 3.0], [5.0, 6.0]]);
    assert_eq!(two.x(), &array![[1.0], [4.0]]);
}

#[test]
fn semicolons_quotes_spaces_and_blank_lines() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "s.csv",
        b"a;b;label\n 1.0 ; 2 ;\"big; red\"\n\n3;4;small\n",
    );
    let d = load_csv(&path, &CsvOptions::classification().with_delimiter(b';')).unwrap();
    assert_eq!(d.x(), &array![[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(d.class_names().unwrap(), ["big; red", "small"]);
}

#[test]
fn gzip_files_load_like_plain_ones() {
    let dir = TempDir::new().unwrap();
    let text = b"a,b,label\n1,2,x\n3,4,y\n";
    let plain = write(&dir, "p.csv", text);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text).unwrap();
    let gz = write(&dir, "p.csv.gz", &encoder.finish().unwrap());
    let a = load_csv(&plain, &CsvOptions::classification()).unwrap();
    let b = load_csv(&gz, &CsvOptions::classification()).unwrap();
    assert_eq!((a.x(), a.target()), (b.x(), b.target()));
}

#[test]
fn given_class_names_fix_the_order() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "c.csv", b"1,low\n2,high\n3,mid\n");
    let names: Vec<String> = ["low", "mid", "high"].map(String::from).to_vec();
    let d = load_csv(
        &path,
        &CsvOptions::classification().with_class_names(names.clone()),
    )
    .unwrap();
    assert_eq!(d.labels().unwrap(), [0, 2, 1]);
    assert_eq!(d.class_names().unwrap(), names.as_slice());
}

// ----------------------------------------------------------------- bad files

/// Each bad file with its options and the exact message (`{file}` stands
/// for the path).
#[test]
fn every_error_names_the_file_the_line_and_what_was_expected() {
    let class = CsvOptions::classification;
    let cases: Vec<(&str, &[u8], CsvOptions, &str)> = vec![
        (
            "empty.csv",
            b"",
            class(),
            "{file} is empty: expected a header line or at least one data row",
        ),
        (
            "blank.csv",
            b"\n\n",
            class(),
            "{file} is empty: expected a header line or at least one data row",
        ),
        (
            "header_only.csv",
            b"a,b,label\n",
            class(),
            "{file} has a header line but no data rows",
        ),
        (
            "ragged.csv",
            b"a,b,label\n1,2,x\n3,4\n",
            class(),
            "{file}, line 3: expected 3 columns (as in the first row) but found 2",
        ),
        (
            "text.csv",
            b"a,b,label\n1,2,x\n3,four,y\n",
            class(),
            "{file}, line 3, column 1 (\"b\"): expected a number but found \"four\"",
        ),
        (
            "text_no_header.csv",
            b"1,2,x\n3,,y\n",
            class(),
            "{file}, line 2, column 1: expected a number but found \"\"",
        ),
        (
            "nan.csv",
            b"a,b,label\n1,NaN,x\n",
            class(),
            "{file}, line 2, column 1 (\"b\"): \"NaN\" is not a finite number (NaN and infinity are not allowed)",
        ),
        (
            "inf.csv",
            b"x,y\n1,2\n3,-inf\n",
            CsvOptions::regression(),
            "{file}, line 3, column 1 (\"y\"): \"-inf\" is not a finite number (NaN and infinity are not allowed)",
        ),
        (
            "no_such_column.csv",
            b"a,b,label\n1,2,x\n",
            class().with_target(Column::Name("species".into())),
            "{file}: no column named \"species\"; the header has: a, b, label",
        ),
        (
            "index.csv",
            b"1,2,x\n",
            class().with_target(Column::Index(5)),
            "{file}: column index 5 is out of range: the file has 3 columns (0..=2)",
        ),
        (
            "needs_header.csv",
            b"1,2,x\n",
            class()
                .with_header(Header::Absent)
                .with_target(Column::Name("label".into())),
            "{file}: column \"label\" is chosen by name but the file has no header line",
        ),
        (
            "one_column.csv",
            b"label\nx\ny\n",
            class(),
            "{file}: all 1 columns are targets; at least one feature column is needed",
        ),
        (
            "missing_label.csv",
            b"a,label\n1,x\n2,\n",
            class(),
            "{file}, line 3, column 1 (\"label\"): the label is empty; every row needs a class",
        ),
        (
            "unknown_class.csv",
            b"1,cat\n2,dog\n3,cow\n",
            class().with_class_names(vec!["cat".into(), "dog".into()]),
            "{file}, line 3: label \"cow\" is not one of the given classes: cat, dog",
        ),
        (
            "two_labels.csv",
            b"1,2,3\n",
            class().with_targets(vec![Column::Index(1), Column::Index(2)]),
            "classification needs exactly one label column, but 2 were chosen",
        ),
    ];
    let dir = TempDir::new().unwrap();
    for (name, contents, options, message) in cases {
        let path = write(&dir, name, contents);
        let err = load_csv(&path, &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            message.replace("{file}", &shown(&path)),
            "{name}"
        );
    }
}

#[test]
fn invalid_utf8_is_a_csv_error_with_its_line() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "latin1.csv", b"a,label\n1,x\n2,caf\xe9\n");
    let err = load_csv(&path, &CsvOptions::classification()).unwrap_err();
    assert!(matches!(err, DataError::Csv { line: 3, .. }), "{err:?}");
    let prefix = format!("{}, line 3: malformed CSV: ", shown(&path));
    assert!(err.to_string().starts_with(&prefix), "{err}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("missing.csv");
    let err = load_csv(&path, &CsvOptions::classification()).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }));
    assert!(
        err.to_string()
            .starts_with(&format!("cannot read {}: ", shown(&path))),
        "{err}"
    );
}

#[test]
fn a_corrupt_gzip_file_is_an_error() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "bad.csv.gz", &[0x1f, 0x8b, 8, 0, 1, 2, 3]);
    let err = load_csv(&path, &CsvOptions::classification()).unwrap_err();
    assert!(matches!(err, DataError::Gzip { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("{}: cannot decompress gzip data", shown(&path)))
    );
}

// ---------------------------------------------------------------- round trips

fn round_trip(d: &Dataset, options: &CsvOptions) -> Dataset {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("round_trip.csv");
    d.write_csv(&path).unwrap();
    load_csv(&path, options).unwrap()
}

#[test]
fn iris_survives_a_round_trip_bit_for_bit() {
    let iris = datasets::iris();
    let back = round_trip(&iris, &CsvOptions::classification());
    assert_eq!(back.x(), iris.x());
    assert_eq!(back.target(), iris.target());
    assert_eq!(back.feature_names(), iris.feature_names());
}

#[test]
fn digits_survive_a_round_trip() {
    let digits = datasets::digits();
    let back = round_trip(&digits, &CsvOptions::classification());
    assert_eq!(back.x(), digits.x());
    assert_eq!(back.target(), digits.target());
}

#[test]
fn noisy_regression_floats_survive_a_round_trip_bit_for_bit() {
    let sine = datasets::sine(100, 0.3, 7).unwrap();
    let back = round_trip(&sine, &CsvOptions::regression());
    assert_eq!(back.x(), sine.x());
    assert_eq!(back.target(), sine.target());
}

#[test]
fn unsorted_class_names_round_trip_when_given() {
    let d = Dataset::classification(array![[1.0], [2.0], [3.0]], vec![0, 1, 2], 3)
        .unwrap()
        .with_class_names(["zebra", "ant", "moose"].map(String::from).to_vec())
        .unwrap();
    let sorted = round_trip(&d, &CsvOptions::classification());
    assert_eq!(sorted.class_names().unwrap(), ["ant", "moose", "zebra"]);
    assert_eq!(sorted.labels().unwrap(), [2, 0, 1]);
    let names = d.class_names().unwrap().to_vec();
    let given = round_trip(&d, &CsvOptions::classification().with_class_names(names));
    assert_eq!(given.target(), d.target());
}

#[test]
fn write_to_a_missing_folder_is_an_error_naming_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("no").join("such").join("out.csv");
    let err = datasets::iris().write_csv(&path).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("cannot write {}: ", shown(&path))),
        "{err}"
    );
}
