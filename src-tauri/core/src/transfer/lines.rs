//! Exact line numbers for CSV records. The csv crate skips blank lines without counting them
//! and starts the next record's position at the first blank line, so its own line numbers
//! drift. This watches the bytes as the reader pulls them: where every line break is, and
//! where every line with content starts; a record starts on the first content line at or
//! after its position.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Default)]
struct Marks {
    /// Offsets of `\n`.
    breaks: VecDeque<u64>,
    /// Offsets of the first byte of lines that hold more than a line break.
    content_starts: VecDeque<u64>,
    /// Whether the next byte starts a line.
    at_line_start: bool,
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
            match byte {
                b'\n' => {
                    marks.breaks.push_back(at);
                    marks.at_line_start = true;
                }
                b'\r' => {}
                _ if marks.at_line_start => {
                    marks.content_starts.push_back(at);
                    marks.at_line_start = false;
                }
                _ => {}
            }
        }
        self.offset += n as u64;
        Ok(n)
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
}
