//! A quote opened and never closed (a `"` in a payee's name, a file cut short) makes a CSV
//! reader take every later line as part of one field, so one damaged line would swallow the
//! rest of the statement. This guard watches the quoting line by line before the CSV reader
//! does. A quoted field may run over several lines (banks do that for long purposes), but
//! when a line inside an open quote is a statement row on its own (a date where the dates
//! go, about the header's width), or the quote is still open after [`MAX_QUOTED_LINES`]
//! lines, [`MAX_QUOTED_BYTES`] or at the end of the file, the line that opened it is the
//! broken one. It is replaced by [`BROKEN_QUOTE`], which the row reader reports as invalid
//! under its own line number, and the lines after it are read afresh.

use super::dates::{self, DateOrder};
use super::layout::CsvLayout;
use crate::transfer::lines::MAX_LINE;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// What a broken line is replaced by: one field no bank writes (a NUL cannot be typed).
pub const BROKEN_QUOTE: &[u8] = b"\0broken quote\0";
/// A quoted purpose over more lines than this is a quote left open.
pub const MAX_QUOTED_LINES: usize = 50;
/// …and so is one longer than this.
pub const MAX_QUOTED_BYTES: usize = 64 * 1024;

/// Where the CSV reader is within a record, the way the csv crate reads quotes (a quote
/// opens a field only at its start, `""` inside is one quote).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Quoting {
    fn after(mut self, line: &[u8], delimiter: u8) -> Self {
        if self == Quoting::FieldStart && memchr::memchr(b'"', line).is_none() {
            return self; // the common line: no quote at all
        }
        for &byte in line {
            self = match (self, byte) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::FieldStart, b'"') | (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (_, b'\n' | b'\r') => Quoting::FieldStart,
                (_, b) if b == delimiter => Quoting::FieldStart,
                _ => Quoting::Unquoted,
            };
        }
        self
    }
}

/// What tells a statement row: the delimiter, the header's width and where the date is.
pub struct RowShape {
    pub delimiter: u8,
    pub width: usize,
    pub date: usize,
    pub date_order: DateOrder,
}

impl RowShape {
    pub fn of(layout: &CsvLayout) -> Self {
        RowShape {
            // One of the four ASCII delimiters (`CsvLayout::check`, detection).
            delimiter: layout.delimiter as u8,
            width: layout.header.len(),
            date: layout.date,
            date_order: layout.date_order,
        }
    }

    /// Whether `line` read alone is a row of the statement: a date where the dates go, and
    /// about the header's width (or a quoted purpose of its own that goes on below).
    fn fits(&self, line: &[u8]) -> bool {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(line);
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).unwrap_or(false) {
            return false;
        }
        let wide = record.len() + 1 >= self.width
            || Quoting::FieldStart.after(line, self.delimiter) == Quoting::Quoted;
        wide && record
            .get(self.date)
            .and_then(|cell| std::str::from_utf8(cell).ok())
            .is_some_and(|cell| dates::parse(cell.trim(), self.date_order).is_some())
    }
}

/// The guard, between the decoded text and the CSV reader.
pub struct QuoteGuard<R> {
    inner: R,
    shape: RowShape,
    /// Lines decided on, ready to hand on, and how far they were handed.
    out: Vec<u8>,
    handed: usize,
    /// Lines to look at again, after the line before them proved broken.
    again: VecDeque<Vec<u8>>,
    /// A line too long to hold was met: the rest is handed on as it is, for the line
    /// counter to refuse.
    raw: bool,
}

impl<R: BufRead> QuoteGuard<R> {
    pub fn new(inner: R, shape: RowShape) -> Self {
        QuoteGuard {
            inner,
            shape,
            out: Vec::new(),
            handed: 0,
            again: VecDeque::new(),
            raw: false,
        }
    }

    /// The next physical line with its line break (`\n`, `\r\n`, a lone `\r`, `\r\r\n`),
    /// `None` at the end. A line past [`MAX_LINE`] comes back cut, and `raw` is set.
    fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        if let Some(line) = self.again.pop_front() {
            return Ok(Some(line));
        }
        let mut line = Vec::new();
        loop {
            let buffer = self.inner.fill_buf()?;
            if buffer.is_empty() {
                return Ok((!line.is_empty()).then_some(line));
            }
            // A `\r` ends a line, with any `\r` and one `\n` right after it.
            if line.last() == Some(&b'\r') {
                let more = buffer.iter().take_while(|b| **b == b'\r').count();
                let lf = usize::from(buffer.get(more) == Some(&b'\n'));
                if more < buffer.len() || lf == 1 {
                    line.extend_from_slice(&buffer[..more + lf]);
                    self.inner.consume(more + lf);
                    return Ok(Some(line));
                }
                line.extend_from_slice(buffer);
                let n = buffer.len();
                self.inner.consume(n);
                continue;
            }
            match memchr::memchr2(b'\n', b'\r', buffer) {
                Some(at) if buffer[at] == b'\n' => {
                    line.extend_from_slice(&buffer[..=at]);
                    self.inner.consume(at + 1);
                    return Ok(Some(line));
                }
                Some(at) => {
                    line.extend_from_slice(&buffer[..=at]);
                    self.inner.consume(at + 1);
                }
                None => {
                    line.extend_from_slice(buffer);
                    let n = buffer.len();
                    self.inner.consume(n);
                }
            }
            if line.len() as u64 > MAX_LINE {
                self.raw = true;
                return Ok(Some(line));
            }
        }
    }

    /// Decides on the next line (or lines, for a quote over several), into `out`.
    fn decide(&mut self) -> io::Result<()> {
        let Some(first) = self.next_line()? else {
            return Ok(());
        };
        let delimiter = self.shape.delimiter;
        let mut quoting = Quoting::FieldStart.after(&first, delimiter);
        if self.raw || quoting != Quoting::Quoted {
            self.out.extend_from_slice(&first);
            return Ok(());
        }
        let mut held = vec![first];
        let mut bytes = held[0].len();
        // Ends at the end of the file inside the quote, or at a line that proves it broken.
        while let Some(line) = self.next_line()? {
            if self.raw {
                held.push(line);
                for line in held {
                    self.out.extend_from_slice(&line);
                }
                return Ok(());
            }
            if self.shape.fits(&line) || held.len() >= MAX_QUOTED_LINES || bytes > MAX_QUOTED_BYTES
            {
                self.again.push_front(line);
                break;
            }
            quoting = quoting.after(&line, delimiter);
            bytes += line.len();
            held.push(line);
            if quoting != Quoting::Quoted {
                for line in held {
                    self.out.extend_from_slice(&line);
                }
                return Ok(());
            }
        }
        let mut rest = held.into_iter();
        let broken = rest.next().expect("the opening line is held");
        let line_break = broken
            .iter()
            .rev()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        self.out.extend_from_slice(BROKEN_QUOTE);
        self.out
            .extend_from_slice(&broken[broken.len() - line_break..]);
        for line in rest.rev() {
            self.again.push_front(line);
        }
        Ok(())
    }
}

impl<R: BufRead> Read for QuoteGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.handed == self.out.len() {
            self.out.clear();
            self.handed = 0;
            // Whole lines at a time, up to about a buffer's worth, so the CSV reader gets
            // full reads.
            while self.out.len() < buf.len() {
                let before = self.out.len();
                if self.raw && self.again.is_empty() {
                    let n = self.inner.read(buf)?;
                    if before == 0 {
                        return Ok(n);
                    }
                    self.out.extend_from_slice(&buf[..n]);
                    break;
                }
                self.decide()?;
                if self.out.len() == before {
                    break; // the end
                }
            }
        }
        let n = buf.len().min(self.out.len() - self.handed);
        buf[..n].copy_from_slice(&self.out[self.handed..self.handed + n]);
        self.handed += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str) -> String {
        let shape = RowShape {
            delimiter: b';',
            width: 3,
            date: 0,
            date_order: DateOrder::DayMonthYear,
        };
        let mut out = String::new();
        QuoteGuard::new(text.as_bytes(), shape)
            .read_to_string(&mut out)
            .expect("reads");
        out
    }

    const BROKEN: &str = "\0broken quote\0";

    #[test]
    fn lines_without_an_open_quote_pass_unchanged() {
        let text = "Date;Payee;Amount\r\n01.02.2024;\"Shop; Ltd\";-1,00\r\n\
                    02.02.2024;TV 5\" stand;-2,00\r\n03.02.2024;\"say \"\"hi\"\"\";-3,00";
        assert_eq!(guarded(text), text);
    }

    #[test]
    fn a_quote_over_several_lines_is_kept() {
        let text =
            "Date;Payee;Amount\n01.02.2024;\"Invoice\n123, paid\";-1,00\n02.02.2024;B;-2,00\n";
        assert_eq!(guarded(text), text);
    }

    #[test]
    fn a_quote_never_closed_loses_only_its_line() {
        let text =
            "Date;Payee;Amount\n01.02.2024;\"Shop;-1,00\n02.02.2024;B;-2,00\n03.02.2024;C;-3,00\n";
        assert_eq!(
            guarded(text),
            format!("Date;Payee;Amount\n{BROKEN}\n02.02.2024;B;-2,00\n03.02.2024;C;-3,00\n")
        );
    }

    #[test]
    fn a_row_after_the_broken_line_may_quote_over_lines_itself() {
        let text = "01.02.2024;\"Shop;-1,00\n02.02.2024;\"B\nmore\";-2,00\n";
        assert_eq!(
            guarded(text),
            format!("{BROKEN}\n02.02.2024;\"B\nmore\";-2,00\n")
        );
    }

    #[test]
    fn a_quote_open_at_the_end_of_the_file_is_broken() {
        let text = "Date;Payee;Amount\r01.02.2024;A;-1,00\r02.02.2024;\"B;-2,00\rmore text";
        assert_eq!(
            guarded(text),
            format!("Date;Payee;Amount\r01.02.2024;A;-1,00\r{BROKEN}\rmore text")
        );
    }

    #[test]
    fn a_quote_open_for_too_many_lines_is_broken() {
        let mut text = String::from("01.02.2024;\"open;-1,00\n");
        for i in 0..MAX_QUOTED_LINES + 5 {
            text.push_str(&format!("note {i}\n"));
        }
        let out = guarded(&text);
        assert!(out.starts_with(&format!("{BROKEN}\nnote 0\n")), "{out}");
        assert!(out.ends_with("note 54\n"));
    }

    #[test]
    fn a_line_too_long_is_handed_on_for_the_counter_to_refuse() {
        let text = format!("01.02.2024;\"open;{}", "x".repeat(MAX_LINE as usize + 10));
        assert_eq!(guarded(&text), text);
    }
}
