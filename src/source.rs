//! Where a history's rows come from. The scan and its second pass take
//! rows from a `Rows`, one at a time, and never see a file: a CSV file is
//! one source, and a database table can be another. A row's `line` is its
//! location in the source, for messages (`history.csv:14: ...`).

use std::io::Read;
use std::sync::Arc;

use anyhow::Result;

use crate::input::{self, CsvReader, Row};

/// A history's rows: its header, then each row in order.
pub trait Rows: Send {
    /// The header row: the source's column names, in its order.
    fn headers(&mut self) -> Result<Vec<String>>;

    /// Reads the next row into `row`; false at the end.
    fn next_row(&mut self, row: &mut Row) -> Result<bool>;
}

impl<T: Rows + ?Sized> Rows for Box<T> {
    fn headers(&mut self) -> Result<Vec<String>> {
        (**self).headers()
    }

    fn next_row(&mut self, row: &mut Row) -> Result<bool> {
        (**self).next_row(row)
    }
}

/// How to read a history's rows from the start (again, if a second pass is
/// needed).
pub type Opener<'a> = dyn Fn() -> Result<Box<dyn Rows + 'a>> + 'a;

/// A CSV history: the rows of a file (or standard input), through the
/// splitter every input shares.
#[derive(Debug)]
pub struct CsvRows<R> {
    file: Arc<str>,
    reader: CsvReader<R>,
}

impl<R: Read> CsvRows<R> {
    pub fn new(file: &Arc<str>, source: R, delimiter: u8) -> CsvRows<R> {
        CsvRows {
            file: Arc::clone(file),
            reader: CsvReader::new(source, delimiter),
        }
    }
}

impl<R: Read + Send> Rows for CsvRows<R> {
    fn headers(&mut self) -> Result<Vec<String>> {
        input::read_headers(&self.file, &mut self.reader)
    }

    fn next_row(&mut self, row: &mut Row) -> Result<bool> {
        input::next_row(&self.file, &mut self.reader, row)
    }
}
