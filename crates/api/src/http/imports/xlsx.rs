//! Excel workbooks (.xlsx): the first sheet, read with calamine, becomes a
//! table like a CSV's, its first row naming the columns. Kept out of the
//! domain crate, which the browser app carries: a zip and XML reader would
//! only add weight there.

use calamine::{Data, Reader, Xlsx};
use kehu_domain::Invalid;
use kehu_domain::import::{MAX_COLUMNS, MAX_ROWS, Row, Table};

/// Whether `bytes` are a zip archive, which an .xlsx file is.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        // a phone typed into Excel is a number: 13800138000, not 1.38e10
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// The first sheet of the workbook in `bytes`.
pub fn read(bytes: Vec<u8>) -> Result<Table, Invalid> {
    let bad = |e: String| {
        Invalid::one(
            "file",
            "unreadable",
            format!("not a readable .xlsx workbook: {e}"),
        )
    };
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| Invalid::one("file", "empty", "the workbook has no sheet"))?
        .map_err(|e| bad(e.to_string()))?;
    let first = range.start().map_or(0, |(r, _)| r);
    let mut rows = range.rows().enumerate().map(|(i, r)| Row {
        line: first + i as u32 + 1,
        cells: r.iter().map(cell).collect(),
    });
    let Some(header) = rows.next() else {
        return Err(Invalid::one("file", "empty", "the sheet has no rows"));
    };
    if header.cells.len() > MAX_COLUMNS {
        return Err(Invalid::one(
            "file",
            "too_many_columns",
            format!("at most {MAX_COLUMNS} columns"),
        ));
    }
    let rows: Vec<Row> = rows
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect();
    if rows.len() > MAX_ROWS {
        return Err(Invalid::one(
            "file",
            "too_many_rows",
            format!("at most {MAX_ROWS} rows in one import"),
        ));
    }
    Ok(Table {
        columns: header.cells,
        rows,
    })
}
