//! CSV as spreadsheets write it (RFC 4180): quoted fields may hold the
//! delimiter, doubled quotes and line breaks. The delimiter is whichever of
//! comma, semicolon (European Excel) or tab ("Unicode text") the header uses.

use super::{MAX_COLUMNS, MAX_ROWS, Row, Table};
use crate::Invalid;

/// The delimiter the header line uses most, outside quotes; comma if none.
pub fn delimiter(text: &str) -> char {
    let mut quoted = false;
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if !quoted => {
                if let Some(n) = counts.iter_mut().find(|(d, _)| *d == c) {
                    n.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(',', |(d, _)| *d)
}

/// The records of `text` with the line each starts on. Blank lines are
/// skipped; a quote left open at the end of the file is an error naming the
/// line it was opened on, since everything after it would be one cell.
pub fn records(text: &str, delim: char) -> Result<Vec<Row>, Invalid> {
    let mut out = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    // the cell began with a quote, so a quote inside it closes or doubles
    let mut in_quotes = false;
    let mut line: u32 = 1;
    let mut start: u32 = 1;
    let mut quote_line: u32 = 1;
    let mut chars = text.chars().peekable();
    let mut end_record = |cells: &mut Vec<String>, cell: &mut String, start: u32| {
        cells.push(std::mem::take(cell));
        let blank = cells.iter().all(|c| c.trim().is_empty());
        let record = std::mem::take(cells);
        if !blank {
            out.push(Row {
                line: start,
                cells: record,
            });
        }
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => in_quotes = false,
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if !quoted && cell.is_empty() => {
                quoted = true;
                in_quotes = true;
                quote_line = line;
            }
            c if c == delim => {
                cells.push(std::mem::take(&mut cell));
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_record(&mut cells, &mut cell, start);
                quoted = false;
                line += 1;
                start = line;
            }
            _ => cell.push(c),
        }
    }
    if in_quotes {
        return Err(Invalid::one(
            "file",
            "unclosed_quote",
            format!("the quote opened on line {quote_line} is never closed"),
        ));
    }
    if !cell.is_empty() || !cells.is_empty() {
        end_record(&mut cells, &mut cell, start);
    }
    Ok(out)
}

/// A CSV file as a table: the first record names the columns.
pub fn read(text: &str) -> Result<Table, Invalid> {
    let mut rows = records(text, delimiter(text))?.into_iter();
    let Some(header) = rows.next() else {
        return Err(Invalid::one("file", "empty", "the file has no rows"));
    };
    let columns: Vec<String> = header.cells.iter().map(|c| c.trim().to_owned()).collect();
    if columns.len() > MAX_COLUMNS {
        return Err(Invalid::one(
            "file",
            "too_many_columns",
            format!("at most {MAX_COLUMNS} columns"),
        ));
    }
    let rows: Vec<Row> = rows.collect();
    if rows.len() > MAX_ROWS {
        return Err(Invalid::one(
            "file",
            "too_many_rows",
            format!("at most {MAX_ROWS} rows in one import"),
        ));
    }
    Ok(Table { columns, rows })
}

/// One record written as CSV, quoting what needs it (for the file of
/// failed rows a user downloads to fix and import again).
pub fn write_record(cells: &[String]) -> String {
    let mut out = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cells(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn quoted_cells_hold_delimiters_quotes_and_line_breaks() {
        let t =
            read("名称,备注\r\n\"华联, 上海\",\"说\"\"好\"\"\r\n第二行\"\r\n\r\n明达,\n").unwrap();
        assert_eq!(t.columns, vec!["名称", "备注"]);
        assert_eq!(
            cells(&t),
            vec![vec!["华联, 上海", "说\"好\"\n第二行"], vec!["明达", ""]]
        );
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(
            t.rows[1].line, 5,
            "a record after a multi-line cell keeps its own line"
        );
    }

    #[test]
    fn semicolons_and_tabs_are_recognised() {
        assert_eq!(delimiter("a;b;c\n1,5;2;3"), ';');
        assert_eq!(delimiter("a\tb\n"), '\t');
        assert_eq!(delimiter("\"a;b\",c\n"), ',');
        assert_eq!(delimiter("name\n"), ',');
        let t = read("a\tb\n1\t2").unwrap();
        assert_eq!(cells(&t), vec![vec!["1", "2"]]);
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        let e = read("a,b\n1,2\n3,\"oops\n4,5\n").unwrap_err();
        assert_eq!(e.0[0].code, "unclosed_quote");
        assert!(e.0[0].message.contains("line 3"));
        assert_eq!(read("").unwrap_err().0[0].code, "empty");
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_text() {
        let t = read("a\n5\" pipe\n").unwrap();
        assert_eq!(cells(&t), vec![vec!["5\" pipe"]]);
    }

    proptest! {
        #[test]
        fn written_records_read_back(rows in prop::collection::vec(prop::collection::vec("[a-z华联,\"\n ]{0,8}", 1..5), 1..6)) {
            let width = rows[0].len();
            let rows: Vec<Vec<String>> = rows.into_iter().map(|mut r| { r.resize(width, "x".into()); r }).collect();
            // a record whose every cell is blank is skipped on reading
            let rows: Vec<Vec<String>> = rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
            let text: String = rows.iter().map(|r| write_record(r)).collect();
            let back: Vec<Vec<String>> = records(&text, ',').unwrap().into_iter().map(|r| r.cells).collect();
            prop_assert_eq!(back, rows);
        }

        #[test]
        fn reading_never_panics(s in "\\PC{0,200}") {
            let _ = read(&s);
        }
    }
}
