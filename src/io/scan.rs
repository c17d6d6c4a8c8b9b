//! A UTF-8 CSV read where it lies: one streaming pass over the file (its hash for the manifest,
//! and a check that it is UTF-8 text without a byte-order mark, not blank), then Polars reads
//! the file itself (memory-mapped). The alternative, the whole file copied into memory, then
//! hashed, checked and parsed from the copy, spent a quarter of loading on the copy
//! (`docs/performance.md`, "Side by side with Python Polars").
//!
//! Anything else (another encoding, a byte-order mark, a blank file, a file that is not
//! UTF-8, rows the fast reader refuses) is left to [`super::load::load_bytes`], which reads
//! the bytes and says what is wrong, exactly as before; the values read are the same either way.

use std::io::Read;
use std::path::Path;

use polars::prelude::*;

use super::load::{FileInfo, csv_options, read_error};
use super::spec::{Delimiter, Encoding, Format, ValidInput};
use crate::error::{Error, Result};

/// Bytes read at a time.
const CHUNK: usize = 1 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The input read in place as text columns (without the row numbers) and the file's identity;
/// `None` when the input is not a plain UTF-8 CSV or the fast reader refuses it.
pub(super) fn read_in_place(input: &ValidInput) -> Result<Option<(DataFrame, FileInfo)>> {
    let (Format::Csv, Encoding::Utf8, Delimiter::Byte(sep)) =
        (input.format, input.encoding, input.delimiter)
    else {
        return Ok(None);
    };
    let Some(file) = plain_utf8(&input.path)? else {
        return Ok(None);
    };
    let reader =
        csv_options(sep, input.has_header).try_into_reader_with_file_path(Some(input.path.clone()));
    match reader.and_then(|r| r.finish()) {
        Ok(df) => Ok(Some((df, file))),
        Err(_) => Ok(None),
    }
}

/// The file's identity when it is UTF-8 text without a byte-order mark and not blank, from
/// one pass of [`CHUNK`]-sized reads; `None` otherwise.
fn plain_utf8(path: &Path) -> Result<Option<FileInfo>> {
    let fail = |e: std::io::Error| Error::input(path, read_error(&e));
    let mut f = std::fs::File::open(path).map_err(fail)?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; CHUNK];
    // `kept`: the start of a character cut by the previous read, moved to the front of `buf`
    let (mut kept, mut total, mut blank) = (0usize, 0u64, true);
    let mut head: Vec<u8> = Vec::with_capacity(BOM.len());
    loop {
        let n = match f.read(&mut buf[kept..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(fail(e)),
        };
        if n == 0 {
            break;
        }
        let (new, filled) = (&buf[kept..kept + n], kept + n);
        hasher.update(new);
        total += n as u64;
        blank = blank && new.iter().all(u8::is_ascii_whitespace);
        let want = BOM.len() - head.len();
        head.extend_from_slice(&new[..want.min(n)]);
        kept = match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => 0,
            // a character cut at the end of this read: finished by the next one
            Err(e) if e.error_len().is_none() => {
                buf.copy_within(e.valid_up_to()..filled, 0);
                filled - e.valid_up_to()
            }
            Err(_) => return Ok(None),
        };
    }
    if kept > 0 || blank || head == BOM {
        return Ok(None);
    }
    Ok(Some(FileInfo {
        path: path.display().to_string(),
        bytes: total,
        blake3: hasher.finalize().to_hex().to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(bytes: &[u8]) -> Option<FileInfo> {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("t.csv");
        std::fs::write(&p, bytes).expect("write");
        plain_utf8(&p).expect("readable")
    }

    #[test]
    fn a_plain_utf8_file_is_hashed_as_a_whole() {
        // characters cut by every read: 3-byte characters across the 1 MiB borders
        let mut text = b"id,name\n".to_vec();
        while text.len() < 3 * CHUNK {
            text.extend_from_slice("C1,大客户\n".as_bytes());
        }
        let got = info(&text).expect("plain");
        assert_eq!(got.bytes, text.len() as u64);
        assert_eq!(got.blake3, blake3::hash(&text).to_hex().to_string());
    }

    #[test]
    fn anything_but_plain_utf8_text_is_left_to_the_byte_reader() {
        assert!(info(b"\xEF\xBB\xBFid\n1\n").is_none(), "byte-order mark");
        assert!(info(b"id\n\xC4\xE3\n").is_none(), "GBK bytes");
        assert!(
            info("id\n大".as_bytes().split_last().expect("bytes").1).is_none(),
            "cut"
        );
        assert!(info(b" \n\t\r\n").is_none(), "blank");
        assert!(info(b"").is_none(), "empty");
        let mut late = b"id\n".to_vec();
        late.resize(CHUNK + 10, b'1');
        late.push(0xFF);
        assert!(info(&late).is_none(), "bad byte after the first read");
    }
}
