//! Which encoding a bank file is in, decided from its first bytes with no question asked, and
//! a reader that hands the rest of the file on as UTF-8.
//!
//! UTF-8 (with or without BOM) is passed through untouched, so a line that is not UTF-8 after
//! all is caught where it is read, with its line number. Everything else (UTF-16 with or
//! without BOM, the Windows code pages banks still write) is transcoded as it streams.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::io::Read;

/// How many bytes the detection looks at: enough for a preamble and a few hundred rows.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// The encoding of a file whose first bytes are `sample`.
pub fn detect(sample: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return encoding;
    }
    if let Some(encoding) = utf16_without_bom(sample) {
        return encoding;
    }
    if is_utf8(sample) || mostly_utf8(sample) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// Valid UTF-8, allowing a character cut off at the end of the sample.
fn is_utf8(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// UTF-8 with a few bad bytes: a file that holds well-formed multi-byte characters is a
/// UTF-8 file with damaged lines (mixed encodings), which are then reported by line rather
/// than decoded as a Windows code page into nonsense everywhere else.
fn mostly_utf8(sample: &[u8]) -> bool {
    let mut good_multibyte = 0usize;
    let mut bad = 0usize;
    let mut rest = sample;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                good_multibyte += text.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                good_multibyte += std::str::from_utf8(valid)
                    .map_or(0, |t| t.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    Some(len) => {
                        bad += 1;
                        rest = &after[len..];
                    }
                    None => break,
                }
            }
        }
    }
    good_multibyte >= 4 && good_multibyte >= bad * 4
}

/// UTF-16 without a BOM shows as a zero byte in every other position of ASCII text.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zero_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 7 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The file as UTF-8 bytes, BOM removed: passed through when it is UTF-8, else transcoded.
pub fn utf8_reader<'r, R: Read + Send + 'r>(
    input: R,
    encoding: &'static Encoding,
) -> Box<dyn Read + Send + 'r> {
    if encoding == UTF_8 {
        return Box::new(SkipBom::new(input));
    }
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            // A BOM of another encoding than the detected one cannot happen (detection reads
            // BOMs first); when present, it is the truth.
            .bom_override(true)
            .build(input),
    )
}

/// Drops a leading UTF-8 BOM.
struct SkipBom<R> {
    inner: R,
    start: Option<Vec<u8>>,
}

impl<R: Read> SkipBom<R> {
    fn new(inner: R) -> Self {
        SkipBom { inner, start: None }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.start.is_none() {
            let mut head = Vec::with_capacity(3);
            (&mut self.inner).take(3).read_to_end(&mut head)?;
            if head.starts_with(b"\xEF\xBB\xBF") {
                head.clear();
            }
            self.start = Some(head);
        }
        if let Some(start) = self.start.as_mut().filter(|s| !s.is_empty()) {
            let n = start.len().min(buf.len());
            buf[..n].copy_from_slice(&start[..n]);
            start.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8_of(bytes: &[u8]) -> String {
        let mut out = String::new();
        utf8_reader(bytes, detect(bytes))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn boms_and_utf16_are_recognised() {
        assert_eq!(utf8_of(b"\xEF\xBB\xBFDatum;Betrag\n"), "Datum;Betrag\n");
        let le: Vec<u8> = "Date,Amount\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&le), UTF_16LE);
        assert_eq!(utf8_of(&le), "Date,Amount\n1,2\n");
        let be: Vec<u8> = "\u{feff}Date,Amount\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(utf8_of(&be), "Date,Amount\n1,2\n");
    }

    #[test]
    fn code_pages_are_told_apart() {
        // "Kontoführung Gebühr Überweisung" in Latin-1; "Položka Částka zaúčtování" in 1250.
        let latin1 = b"Buchung;Kontof\xfchrung Geb\xfchr;\xdcberweisung;Betrag\n";
        assert_eq!(detect(latin1).name(), "windows-1252");
        assert!(utf8_of(latin1).contains("Kontoführung Gebühr"));
        let czech = b"\"Polo\x9eka\";\"Datum za\xfa\xe8tov\xe1n\xed\";\"\xc8\xe1stka CZK\";\"Zpr\xe1va pro p\xf8\xedjemce\"\n";
        assert_eq!(detect(czech).name(), "windows-1250");
        assert!(utf8_of(czech).contains("Položka\";\"Datum zaúčtování\";\"Částka CZK"));
    }

    #[test]
    fn a_utf8_file_with_one_latin1_line_stays_utf8() {
        let mixed =
            "Datum;Empfänger;Betrag\n01.02.2026;Bäckerei Müller;-3,20\n02.02.2026;Café;-2\n"
                .as_bytes()
                .iter()
                .chain(b"03.02.2026;Gr\xfcnkohl;-1\n")
                .copied()
                .collect::<Vec<_>>();
        assert_eq!(detect(&mixed), UTF_8);
    }
}
