//! Transparent gzip: files that start with gzip's magic bytes are
//! decompressed, everything else is passed through.
//!
//! Deciding by content rather than by the `.gz` extension means a renamed
//! file still loads, and a plain file named `.gz` is not rejected.

use std::io::Read;

use flate2::read::GzDecoder;

use crate::DataError;

/// The first two bytes of every gzip stream (RFC 1952, section 2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// `bytes` decompressed if they are gzip, unchanged otherwise.
pub(crate) fn gunzip_if_compressed(bytes: Vec<u8>, file: &str) -> Result<Vec<u8>, DataError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() * 4);
    GzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .map_err(|source| DataError::Gzip {
            file: file.to_owned(),
            source,
        })?;
    Ok(out)
}

/// Reads a whole file, decompressing it if it is gzip.
pub(crate) fn read_maybe_gzip(path: &std::path::Path) -> Result<Vec<u8>, DataError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        file: file.clone(),
        source,
    })?;
    gunzip_if_compressed(bytes, &file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    #[test]
    fn compressed_and_plain_bytes_give_the_same_content() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(b"1,2,3\n").unwrap();
        let compressed = encoder.finish().unwrap();
        assert_eq!(gunzip_if_compressed(compressed, "a").unwrap(), b"1,2,3\n");
        assert_eq!(
            gunzip_if_compressed(b"1,2,3\n".to_vec(), "a").unwrap(),
            b"1,2,3\n"
        );
    }

    #[test]
    fn a_cut_gzip_stream_is_an_error_naming_the_file() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&[7u8; 1000]).unwrap();
        let mut compressed = encoder.finish().unwrap();
        compressed.truncate(compressed.len() / 2);
        let err = gunzip_if_compressed(compressed, "cut.gz").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cut.gz: cannot decompress gzip data: "),
            "{err}"
        );
    }
}
