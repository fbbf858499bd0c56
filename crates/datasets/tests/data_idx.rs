//! The MNIST IDX loader on tiny hand-made files: 3 images of 2 × 3 pixels.

use std::io::Write;
use std::path::{Path, PathBuf};

use datasets::{DataError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, load_mnist, parse_idx_images};
use flate2::{Compression, write::GzEncoder};
use ndarray::array;
use tempfile::TempDir;

/// An IDX images file: magic, n, rows, cols (big-endian), then the pixels.
fn images_file(n: u32, rows: u32, cols: u32, pixels: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for v in [IDX_IMAGES_MAGIC, n, rows, cols] {
        bytes.extend_from_slice(&v.to_be_bytes());
    }
    bytes.extend_from_slice(pixels);
    bytes
}

/// An IDX labels file: magic, n, then the labels.
fn labels_file(labels: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&IDX_LABELS_MAGIC.to_be_bytes());
    bytes.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    bytes.extend_from_slice(labels);
    bytes
}

const PIXELS: [u8; 18] = [
    0, 255, 10, 20, 30, 40, // image 0
    1, 2, 3, 4, 5, 6, // image 1
    9, 8, 7, 6, 5, 4, // image 2
];

fn good_images() -> Vec<u8> {
    images_file(3, 2, 3, &PIXELS)
}

fn good_labels() -> Vec<u8> {
    labels_file(&[7, 0, 3])
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn good_files_load_row_major_with_raw_pixel_values() {
    let dir = TempDir::new().unwrap();
    let images = write(&dir, "images-idx3-ubyte", &good_images());
    let labels = write(&dir, "labels-idx1-ubyte", &good_labels());
    let d = load_mnist(&images, &labels).unwrap();
    assert_eq!(
        d.x(),
        &array![
            [0.0, 255.0, 10.0, 20.0, 30.0, 40.0],
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            [9.0, 8.0, 7.0, 6.0, 5.0, 4.0]
        ]
    );
    assert_eq!(d.labels().unwrap(), [7, 0, 3]);
    assert_eq!(
        d.n_classes(),
        Some(10),
        "digits: 10 classes even if some are missing"
    );
    assert_eq!(
        d.feature_names(),
        ["r0c0", "r0c1", "r0c2", "r1c0", "r1c1", "r1c2"]
    );
}

#[test]
fn gzip_files_give_the_same_data() {
    let dir = TempDir::new().unwrap();
    let plain = load_mnist(
        write(&dir, "i", &good_images()),
        write(&dir, "l", &good_labels()),
    )
    .unwrap();
    let compressed = load_mnist(
        write(&dir, "i.gz", &gzip(&good_images())),
        write(&dir, "l.gz", &gzip(&good_labels())),
    )
    .unwrap();
    assert_eq!(
        (plain.x(), plain.target()),
        (compressed.x(), compressed.target())
    );
}

#[test]
fn labels_above_nine_widen_the_class_count() {
    let dir = TempDir::new().unwrap();
    let d = load_mnist(
        write(&dir, "i", &good_images()),
        write(&dir, "l", &labels_file(&[0, 25, 3])),
    )
    .unwrap();
    assert_eq!(d.n_classes(), Some(26));
}

/// Each bad (images, labels) pair and its exact message; `{images}` and
/// `{labels}` stand for the paths.
#[test]
fn every_error_names_the_file_the_offset_and_what_was_expected() {
    let mut trailing = good_images();
    trailing.extend_from_slice(&[0, 0]);
    let cases: Vec<(Vec<u8>, Vec<u8>, &str)> = vec![
        (
            good_labels(),
            good_labels(),
            "{images}, byte offset 0: expected the magic number 0x00000803 (unsigned bytes in 3 dimensions: an IDX images file) but found 0x00000801",
        ),
        (
            good_images(),
            good_images(),
            "{labels}, byte offset 0: expected the magic number 0x00000801 (unsigned bytes in 1 dimension: an IDX labels file) but found 0x00000803",
        ),
        (
            vec![0, 0, 8],
            good_labels(),
            "{images}, byte offset 0: the file ends while reading the magic number; expected 4 more bytes but found only 3",
        ),
        (
            vec![],
            good_labels(),
            "{images}, byte offset 0: the file ends while reading the magic number; expected 4 more bytes but found only 0",
        ),
        (
            good_images()[..10].to_vec(),
            good_labels(),
            "{images}, byte offset 8: the file ends while reading the number of pixel rows; expected 4 more bytes but found only 2",
        ),
        (
            good_images()[..30].to_vec(),
            good_labels(),
            "{images}, byte offset 16: the file ends while reading 3 images of 2 × 3 pixels; expected 18 more bytes but found only 14",
        ),
        (
            images_file(u32::MAX, u32::MAX, u32::MAX, &PIXELS),
            good_labels(),
            "{images}, byte offset 16: the file ends while reading 4294967295 images of 4294967295 × 4294967295 pixels; expected 18446744073709551615 more bytes but found only 18",
        ),
        (
            good_images(),
            labels_file(&[1, 2, 3])[..9].to_vec(),
            "{labels}, byte offset 8: the file ends while reading 3 labels; expected 3 more bytes but found only 1",
        ),
        (
            trailing,
            good_labels(),
            "{images}, byte offset 34: 2 unexpected bytes after the last item the header announces",
        ),
        (
            good_images(),
            labels_file(&[1, 2]),
            "{images} holds 3 images but {labels} holds 2 labels; they must match",
        ),
    ];
    let dir = TempDir::new().unwrap();
    for (k, (images, labels, message)) in cases.into_iter().enumerate() {
        let images = write(&dir, &format!("images{k}"), &images);
        let labels = write(&dir, &format!("labels{k}"), &labels);
        let err = load_mnist(&images, &labels).unwrap_err();
        let expected = message
            .replace("{images}", &shown(&images))
            .replace("{labels}", &shown(&labels));
        assert_eq!(err.to_string(), expected, "case {k}");
    }
}

#[test]
fn offsets_count_decompressed_bytes() {
    let dir = TempDir::new().unwrap();
    let images = write(&dir, "cut.gz", &gzip(&good_images()[..30]));
    let labels = write(&dir, "l", &good_labels());
    let err = load_mnist(&images, &labels).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::Truncated {
                offset: 16,
                needed: 18,
                available: 14,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn missing_and_corrupt_files_are_errors() {
    let dir = TempDir::new().unwrap();
    let labels = write(&dir, "l", &good_labels());
    let missing = dir.path().join("missing-idx3-ubyte");
    let err = load_mnist(&missing, &labels).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("cannot read {}: ", shown(&missing))),
        "{err}"
    );

    let corrupt = write(&dir, "corrupt.gz", &[0x1f, 0x8b, 0xff, 0xff]);
    let err = load_mnist(&corrupt, &labels).unwrap_err();
    assert!(matches!(err, DataError::Gzip { .. }), "{err:?}");
}

#[test]
fn an_absurd_image_size_with_no_images_is_an_error_not_a_panic() {
    // 0 images of (2^32-1) × (2^32-1) pixels: no bytes needed, but the row
    // width does not fit an array.
    let err = parse_idx_images(&images_file(0, u32::MAX, u32::MAX, &[]), "huge").unwrap_err();
    assert!(
        matches!(
            err,
            DataError::InvalidParameter {
                name: "image size",
                ..
            }
        ),
        "{err:?}"
    );
}
