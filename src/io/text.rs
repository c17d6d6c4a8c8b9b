//! Bytes of a delimited text file → UTF-8 text the CSV reader can take.
//!
//! Strips a UTF-8 byte-order mark, transcodes GBK / GB18030 / Windows-1252 exports with
//! `encoding_rs` (the WHATWG decoders browsers use), and turns whitespace-aligned files
//! (runs of spaces, leading blanks, as CDNOW ships) into tab-separated lines.

use super::spec::Encoding;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a file's bytes are not text in the declared encoding.
#[derive(Debug, PartialEq)]
pub struct DecodeError {
    /// 1-based physical line of the first bad byte.
    pub line: usize,
    pub msg: String,
}

/// Decode `bytes` in `encoding` to UTF-8 bytes (no BOM). Invalid input is an error naming the
/// line of the first bad byte, never a silent replacement.
pub fn decode(bytes: Vec<u8>, encoding: Encoding) -> Result<Vec<u8>, DecodeError> {
    let enc = match encoding {
        Encoding::Utf8 => {
            let mut bytes = bytes;
            if bytes.starts_with(BOM) {
                bytes.drain(..BOM.len());
            }
            return match std::str::from_utf8(&bytes) {
                Ok(_) => Ok(bytes),
                Err(e) => Err(DecodeError {
                    line: line_of(&bytes, e.valid_up_to()),
                    msg: "is not valid UTF-8; set encoding = \"gbk\", \"gb18030\" or \"windows-1252\" for this input".into(),
                }),
            };
        }
        Encoding::Gbk => encoding_rs::GBK,
        Encoding::Gb18030 => encoding_rs::GB18030,
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
    };
    let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
    match enc.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok(text.into_owned().into_bytes()),
        None => {
            // Find the first undecodable line to name it.
            let (text, _) = enc.decode_without_bom_handling(body);
            let line = text
                .lines()
                .position(|l| l.contains('\u{FFFD}'))
                .map_or(1, |i| i + 1);
            Err(DecodeError {
                line,
                msg: format!("is not valid {}", enc.name()),
            })
        }
    }
}

/// 1-based line number of byte offset `at`.
pub fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Runs of spaces/tabs → one tab; leading and trailing blanks and blank lines dropped.
pub fn whitespace_to_tabs(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut first = true;
        for field in line
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|f| !f.is_empty())
        {
            if !first {
                out.push(b'\t');
            }
            out.extend_from_slice(field);
            first = false;
        }
        if !first {
            out.push(b'\n');
        }
    }
    out
}

/// True when the text holds nothing but blanks.
pub fn is_blank(text: &[u8]) -> bool {
    text.iter().all(|b| b.is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let out = decode(b"\xEF\xBB\xBFid,amount\n".to_vec(), Encoding::Utf8);
        assert_eq!(out, Ok(b"id,amount\n".to_vec()));
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let e = decode(b"id\nok\n\xC4\xE3\n".to_vec(), Encoding::Utf8).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.msg.contains("gbk"));
    }

    #[test]
    fn gbk_is_transcoded() {
        // "你好" in GBK
        let out = decode(b"name\n\xC4\xE3\xBA\xC3\n".to_vec(), Encoding::Gbk);
        assert_eq!(out, Ok("name\n你好\n".as_bytes().to_vec()));
    }

    #[test]
    fn windows_1252_is_transcoded() {
        let out = decode(b"name\nCaf\xE9\n".to_vec(), Encoding::Windows1252);
        assert_eq!(out, Ok("name\nCafé\n".as_bytes().to_vec()));
    }

    #[test]
    fn whitespace_runs_become_tabs() {
        let out =
            whitespace_to_tabs(b"   00001 19970101  1   11.77\r\n\n  00002\t19970112 2 20\r\n");
        assert_eq!(out, b"00001\t19970101\t1\t11.77\n00002\t19970112\t2\t20\n");
    }
}
