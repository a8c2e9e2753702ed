//! Writing Excel workbooks (.xlsx) for exports: one sheet, filled row by row
//! in constant memory (rows go to a temporary file as they are written, not
//! into memory), then sent as a stream while it is zipped.
//!
//! Text is always written as a text cell, never as a formula, so a name
//! such as `=HYPERLINK(…)` is shown as it is, and `+86 138…` keeps its `+`.

use crate::error::ApiError;
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use futures_util::Stream;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::io::{self, Write};
use tokio::sync::mpsc;

/// One exported value: the same cells feed the CSV and the workbook.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// A point in time: RFC 3339 in CSV, an Excel date-time (UTC) in a workbook.
    Time(DateTime<Utc>),
}

impl Cell {
    /// The cell as CSV text.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Time(t) => t.to_rfc3339(),
        }
    }
}

/// Rows a sheet holds, the header included: Excel opens no more.
pub const MAX_ROWS: u32 = 1_048_576;

/// A workbook being filled, one row after the other.
pub struct Sheet {
    book: Workbook,
    next_row: u32,
    time: Format,
}

fn failed(e: XlsxError) -> ApiError {
    ApiError::internal(format!("writing the workbook: {e}"))
}

impl Sheet {
    /// A workbook whose one sheet starts with the header row, in bold.
    pub fn new(name: &str, head: &[&str]) -> Result<Self, ApiError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory().map_err(failed)?;
        sheet.set_name(name).map_err(failed)?;
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        let bold = Format::new().set_bold();
        for (col, h) in head.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *h, &bold)
                .map_err(failed)?;
        }
        Ok(Self {
            book,
            next_row: 1,
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        })
    }

    fn sheet(&mut self) -> Result<&mut Worksheet, ApiError> {
        self.book.worksheet_from_index(0).map_err(failed)
    }

    /// Adds a row below the last. `Err(None)` when the sheet is full.
    pub fn push(&mut self, cells: &[Cell]) -> Result<(), Option<ApiError>> {
        if self.next_row >= MAX_ROWS {
            return Err(None);
        }
        let row = self.next_row;
        let time = self.time.clone();
        let sheet = self.sheet()?;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                // an empty cell stays blank rather than an empty string
                Cell::Text(s) if s.is_empty() => continue,
                Cell::Text(s) => sheet.write_string(row, col, s.as_str()),
                Cell::Time(t) => sheet.write_datetime_with_format(row, col, t.naive_utc(), &time),
            }
            .map_err(failed)?;
        }
        self.next_row += 1;
        Ok(())
    }

    /// Zips the workbook on a blocking thread and hands its bytes over as
    /// they come, so that neither the file nor its cells sit in memory.
    pub fn stream(mut self) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
        let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
        tokio::task::spawn_blocking(move || {
            let mut out = Chunks {
                tx: tx.clone(),
                buf: Vec::with_capacity(CHUNK),
            };
            let saved = self
                .book
                .save_to_writer(&mut out)
                .map_err(|e| io::Error::other(e.to_string()))
                .and_then(|()| out.flush());
            if let Err(e) = saved {
                // the status is sent already: cutting the stream short tells the client
                tracing::error!(error = %e, "workbook export stopped");
                let _ = tx.blocking_send(Err(e));
            }
        });
        futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv()
                .await
                .map(|item| (item.map_err(actix_web::error::ErrorInternalServerError), rx))
        })
    }
}

/// Bytes sent to the client at a time.
const CHUNK: usize = 64 * 1024;

/// A writer that passes its bytes to the response in chunks.
struct Chunks {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl Write for Chunks {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}
