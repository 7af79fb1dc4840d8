//! Exact line numbers for CSV records. The csv crate skips blank lines without counting them
//! and counts them into the next record's start, so its own positions drift; this counts every
//! line break as the reader pulls bytes, and finds a record's first line from where it ends.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// Wraps the input; records where every `\n` is.
pub struct Counting<R> {
    inner: R,
    offset: u64,
    breaks: Arc<Mutex<VecDeque<u64>>>,
}

/// Answers "which line starts at this byte?" for offsets in increasing order.
pub struct LineNumbers {
    breaks: Arc<Mutex<VecDeque<u64>>>,
    passed: u64,
}

/// The wrapped input and its line numbers.
pub fn counting<R: Read>(inner: R) -> (Counting<R>, LineNumbers) {
    let breaks = Arc::new(Mutex::new(VecDeque::new()));
    let reader = Counting {
        inner,
        offset: 0,
        breaks: Arc::clone(&breaks),
    };
    (reader, LineNumbers { breaks, passed: 0 })
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut breaks = self.breaks.lock().unwrap_or_else(PoisonError::into_inner);
        let start = self.offset;
        breaks.extend(
            buf[..n]
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| start + i as u64),
        );
        self.offset += n as u64;
        Ok(n)
    }
}

impl LineNumbers {
    /// The 1-based line a record starts on, given the reader's position just after it (its
    /// end) and the record itself; call in reading order.
    pub fn record_line(&mut self, end: u64, record: &csv::ByteRecord) -> u64 {
        let breaks_inside = record.as_slice().iter().filter(|b| **b == b'\n').count() as u64;
        // The byte before `end` is the record's own line break (or its last byte at the end
        // of the file): the line of that byte is the record's last line.
        self.line_at(end.saturating_sub(1)) - breaks_inside
    }

    /// The 1-based line on which byte `offset` lies; offsets must not decrease between calls.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut breaks = self.breaks.lock().unwrap_or_else(PoisonError::into_inner);
        while breaks.front().is_some_and(|b| *b < offset) {
            breaks.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_and_quoted_breaks_count() {
        let text = "a,b\n\n\"x\ny\",1\r\n\r\nlast,2\n";
        let (mut reader, mut lines) = counting(text.as_bytes());
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&mut reader);
        let mut record = csv::ByteRecord::new();
        let mut found = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            let end = csv.position().byte();
            found.push(lines.record_line(end, &record));
        }
        assert_eq!(found, [1, 3, 6]);
        let (mut reader, mut lines) = counting(
            "no,break

at,end"
                .as_bytes(),
        );
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&mut reader);
        let mut found = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            let end = csv.position().byte();
            found.push(lines.record_line(end, &record));
        }
        assert_eq!(found, [1, 3]);
    }
}
