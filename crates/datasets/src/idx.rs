//! MNIST's IDX files, for students who download MNIST themselves.
//!
//! MNIST (70 000 handwritten digits, 28 × 28 pixels) is the classic next step
//! after the built-in 8 × 8 digits. It is distributed as four IDX files:
//! `train-images-idx3-ubyte`, `train-labels-idx1-ubyte` and the same for
//! `t10k` (often gzip-compressed, `.gz`; both forms load). The format
//! (LeCun et al.) is:
//!
//! | offset | bytes | meaning |
//! |---|---|---|
//! | 0 | 4 | magic number: `0x00 0x00`, data type (`0x08` = unsigned byte), number of dimensions |
//! | 4 | 4 × dims | each dimension's size, big-endian `u32` |
//! | then | product of sizes | the values, row-major |
//!
//! so an images file starts `0x00000803` with sizes $n$, rows, columns, and a
//! labels file starts `0x00000801` with size $n$.
//!
//! Pixels are kept as they are (0..255) as `f64`; scaling is the job of the
//! [`Standardizer`](crate::Standardizer), fitted on the training part.
//! Byte offsets in errors are counted in the decompressed data.

use std::path::Path;

use ndarray::Array2;

use crate::gzip::read_maybe_gzip;
use crate::{DataError, Dataset};

/// Magic number of an IDX file of unsigned bytes with 3 dimensions (images).
pub const IDX_IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned bytes with 1 dimension (labels).
pub const IDX_LABELS_MAGIC: u32 = 0x0000_0801;

/// The images of an IDX file: one flattened image per row of `pixels`.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxImages {
    /// Pixel rows per image (28 for MNIST).
    pub rows: usize,
    /// Pixel columns per image (28 for MNIST).
    pub cols: usize,
    /// $n \times (\text{rows} \cdot \text{cols})$, row-major pixels, values 0..255.
    pub pixels: Array2<f64>,
}

/// Reads big-endian numbers from the front of a byte slice, keeping the
/// offset so that errors can say where the file ended.
struct Cursor<'a> {
    bytes: &'a [u8],
    offset: usize,
    file: &'a str,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, needed: usize, what: &str) -> Result<&'a [u8], DataError> {
        let available = self.bytes.len() - self.offset;
        if needed > available {
            return Err(DataError::Truncated {
                file: self.file.to_owned(),
                offset: self.offset,
                what: what.to_owned(),
                needed,
                available,
            });
        }
        let slice = &self.bytes[self.offset..self.offset + needed];
        self.offset += needed;
        Ok(slice)
    }

    fn u32(&mut self, what: &str) -> Result<u32, DataError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn magic(&mut self, expected: u32, meaning: &'static str) -> Result<(), DataError> {
        let found = self.u32("the magic number")?;
        if found == expected {
            Ok(())
        } else {
            Err(DataError::BadMagic {
                file: self.file.to_owned(),
                found,
                expected,
                what: meaning,
            })
        }
    }

    fn end(&self) -> Result<(), DataError> {
        let extra = self.bytes.len() - self.offset;
        if extra == 0 {
            Ok(())
        } else {
            Err(DataError::TrailingBytes {
                file: self.file.to_owned(),
                offset: self.offset,
                extra,
            })
        }
    }
}

/// Parses an IDX images file (already decompressed); `file` names it in errors.
pub fn parse_idx_images(bytes: &[u8], file: &str) -> Result<IdxImages, DataError> {
    let mut cursor = Cursor {
        bytes,
        offset: 0,
        file,
    };
    cursor.magic(
        IDX_IMAGES_MAGIC,
        "unsigned bytes in 3 dimensions: an IDX images file",
    )?;
    let n = cursor.u32("the number of images")? as usize;
    let rows = cursor.u32("the number of pixel rows")? as usize;
    let cols = cursor.u32("the number of pixel columns")? as usize;
    // Sizes come from the file: a corrupted header must not overflow.
    let per_image = rows.checked_mul(cols);
    let needed = per_image
        .and_then(|p| p.checked_mul(n))
        .unwrap_or(usize::MAX);
    let what = format!("{n} images of {rows} × {cols} pixels");
    let data = cursor.take(needed, &what)?;
    cursor.end()?;
    let per_image = per_image.unwrap_or(usize::MAX);
    let values = data.iter().map(|&b| f64::from(b)).collect();
    // The byte count is n · rows · cols, so only an absurd image size with
    // n = 0 can still fail here.
    let pixels = Array2::from_shape_vec((n, per_image), values).map_err(|_| {
        DataError::InvalidParameter {
            name: "image size",
            value: format!("{rows} × {cols} (in {file})"),
            expected: "rows · cols small enough to index",
        }
    })?;
    Ok(IdxImages { rows, cols, pixels })
}

/// Parses an IDX labels file (already decompressed); `file` names it in errors.
pub fn parse_idx_labels(bytes: &[u8], file: &str) -> Result<Vec<usize>, DataError> {
    let mut cursor = Cursor {
        bytes,
        offset: 0,
        file,
    };
    cursor.magic(
        IDX_LABELS_MAGIC,
        "unsigned bytes in 1 dimension: an IDX labels file",
    )?;
    let n = cursor.u32("the number of labels")? as usize;
    let data = cursor.take(n, &format!("{n} labels"))?;
    cursor.end()?;
    Ok(data.iter().map(|&b| usize::from(b)).collect())
}

/// Loads MNIST-style images and labels (plain or gzip) as a classification set.
///
/// Features are the $28 \cdot 28 = 784$ pixels (named `r{row}c{col}`); the
/// number of classes is 10 (the digits), or more if a label is larger, so a
/// small subset that happens to miss a digit still has 10 outputs.
pub fn load_mnist(
    images: impl AsRef<Path>,
    labels: impl AsRef<Path>,
) -> Result<Dataset, DataError> {
    let (images, labels) = (images.as_ref(), labels.as_ref());
    let images_file = images.display().to_string();
    let labels_file = labels.display().to_string();
    let parsed = parse_idx_images(&read_maybe_gzip(images)?, &images_file)?;
    let y = parse_idx_labels(&read_maybe_gzip(labels)?, &labels_file)?;
    if parsed.pixels.nrows() != y.len() {
        return Err(DataError::CountMismatch {
            images_file,
            images: parsed.pixels.nrows(),
            labels_file,
            labels: y.len(),
        });
    }
    let n_classes = y.iter().max().map_or(10, |&m| (m + 1).max(10));
    let feature_names = (0..parsed.rows)
        .flat_map(|r| (0..parsed.cols).map(move |c| format!("r{r}c{c}")))
        .collect();
    Dataset::classification(parsed.pixels, y, n_classes)?
        .with_name(images_file)
        .with_feature_names(feature_names)
}
