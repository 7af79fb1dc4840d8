//! Exact line numbers for CSV records. The csv crate skips blank lines without counting them
//! and starts the next record's position at the first blank line, so its own line numbers
//! drift. This watches the bytes as the reader pulls them: where every line break is, and
//! where every line with content starts; a record starts on the first content line at or
//! after its position.
//!
//! A line break is `\n`, or a `\r` not followed by `\r` or `\n`: old Mac files end lines with
//! a lone CR, and CR CR LF (a CRLF file converted twice) is one break, not two.
//!
//! It also stops a line that never ends (a 1 GB file with no line break) before the CSV
//! reader buffers all of it: past [`MAX_LINE`] bytes without a break, reading fails.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// The longest line read: far past any real statement line (a bank's purpose text is at
/// most a few kilobytes), far below what would strain memory.
pub const MAX_LINE: u64 = 1024 * 1024;

#[derive(Default)]
struct Marks {
    /// Offsets of `\n`.
    breaks: VecDeque<u64>,
    /// Offsets of the first byte of lines that hold more than a line break.
    content_starts: VecDeque<u64>,
    /// Whether the next byte starts a line.
    at_line_start: bool,
    /// The byte before was a `\r` whose meaning waits on this one.
    after_cr: bool,
    /// Breaks seen so far, and bytes since the last one.
    lines: u64,
    since_break: u64,
}

/// Wraps the input and marks lines as bytes go by.
pub struct Counting<R> {
    inner: R,
    offset: u64,
    marks: Arc<Mutex<Marks>>,
}

/// Answers "which line does the record at this byte start on?", in reading order.
pub struct LineNumbers {
    marks: Arc<Mutex<Marks>>,
    passed: u64,
}

/// The wrapped input and its line numbers.
pub fn counting<R: Read>(inner: R) -> (Counting<R>, LineNumbers) {
    let marks = Arc::new(Mutex::new(Marks {
        at_line_start: true,
        ..Marks::default()
    }));
    let reader = Counting {
        inner,
        offset: 0,
        marks: Arc::clone(&marks),
    };
    (reader, LineNumbers { marks, passed: 0 })
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut marks = self.marks.lock().unwrap_or_else(PoisonError::into_inner);
        for (i, byte) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            if std::mem::take(&mut marks.after_cr) && !matches!(byte, b'\r' | b'\n') {
                marks.line_break(at - 1);
            }
            match byte {
                b'\n' => marks.line_break(at),
                b'\r' => marks.after_cr = true,
                _ if marks.at_line_start => {
                    marks.content_starts.push_back(at);
                    marks.at_line_start = false;
                }
                _ => {}
            }
            marks.since_break += 1;
            if marks.since_break > MAX_LINE {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {} is longer than {} KiB",
                        marks.lines + 1,
                        MAX_LINE / 1024
                    ),
                ));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl Marks {
    fn line_break(&mut self, at: u64) {
        self.breaks.push_back(at);
        self.at_line_start = true;
        self.lines += 1;
        self.since_break = 0;
    }
}

impl LineNumbers {
    /// The 1-based line of the record whose position (csv's `Position::byte`) is `start`.
    /// Call in reading order.
    pub fn record_line(&mut self, start: u64) -> u64 {
        let mut marks = self.marks.lock().unwrap_or_else(PoisonError::into_inner);
        while marks.content_starts.front().is_some_and(|c| *c < start) {
            marks.content_starts.pop_front();
        }
        let content = marks.content_starts.front().copied().unwrap_or(start);
        while marks.breaks.front().is_some_and(|b| *b < content) {
            marks.breaks.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<u64> {
        let (mut reader, mut lines) = counting(text.as_bytes());
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&mut reader);
        let mut record = csv::ByteRecord::new();
        let mut found = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            found.push(lines.record_line(record.position().unwrap().byte()));
        }
        found
    }

    #[test]
    fn blank_lines_and_quoted_breaks_count() {
        assert_eq!(lines_of("a,b\n\n\"x\ny\",1\r\n\r\nlast,2\n"), [1, 3, 6]);
        assert_eq!(lines_of("no,break\n\nat,end"), [1, 3]);
        assert_eq!(lines_of("h\n\n\n\"open\nquote,\n"), [1, 4]);
    }

    #[test]
    fn lone_cr_and_cr_cr_lf_are_one_break_each() {
        assert_eq!(lines_of("a,b\rc,d\r\re,f"), [1, 2, 3]);
        assert_eq!(lines_of("a,b\r\r\nc,d\r\r\ne,f\r\r\n"), [1, 2, 3]);
    }

    #[test]
    fn a_line_that_never_ends_stops_the_reading() {
        let endless = std::io::repeat(b'x').take(MAX_LINE + 10);
        let (mut reader, _) = counting(endless);
        let error = std::io::copy(&mut reader, &mut std::io::sink()).unwrap_err();
        assert!(
            error.to_string().contains("line 1 is longer than 1024 KiB"),
            "{error}"
        );
    }
}
