//! Importing customers (and their contacts) from files people already have:
//! CSV from Excel (UTF-8, or GBK/GB18030 as Chinese Excel writes it) and
//! vCards from business-card apps.
//!
//! The steps, each a small pure function the API strings together:
//! bytes → text ([`decode`]) → a table ([`csv`], [`vcard`]) → columns
//! mapped to fields ([`mapping`]) → each row a validated customer
//! ([`draft`]) → what to do with rows that look like existing records or
//! like earlier rows of the same file ([`plan`]).

pub mod csv;
pub mod decode;
pub mod draft;
pub mod mapping;
pub mod plan;
pub mod vcard;

use serde::{Deserialize, Serialize};

/// What kind of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Csv,
    Vcard,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Csv => "csv",
            SourceKind::Vcard => "vcard",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [SourceKind::Csv, SourceKind::Vcard]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A file read into rows of text cells under named columns.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// One record of the file and the line of the file it starts on (1-based),
/// which is how a person finds it again in their spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub line: u32,
    pub cells: Vec<String>,
}

/// At most this many rows are read from one file: enough for a company's
/// whole customer list, and it bounds what one upload costs.
pub const MAX_ROWS: usize = 200_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 200;

/// Reads a file of `kind` (already decoded to text) into a table.
pub fn read(kind: SourceKind, text: &str) -> Result<Table, crate::Invalid> {
    match kind {
        SourceKind::Csv => csv::read(text),
        SourceKind::Vcard => Ok(vcard::to_table(&vcard::parse(text)?)),
    }
}

/// Guesses the kind of a file from its first bytes: a vCard starts with
/// BEGIN:VCARD, anything else is read as CSV.
pub fn sniff(text: &str) -> SourceKind {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(11)
        .collect();
    if head.eq_ignore_ascii_case("BEGIN:VCARD") {
        SourceKind::Vcard
    } else {
        SourceKind::Csv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcards_are_recognised_by_their_first_line() {
        assert_eq!(
            sniff("\u{feff}  begin:vcard\r\nVERSION:3.0"),
            SourceKind::Vcard
        );
        assert_eq!(sniff("公司名称,电话\n"), SourceKind::Csv);
        for k in [SourceKind::Csv, SourceKind::Vcard] {
            assert_eq!(SourceKind::parse(k.as_str()), Some(k));
        }
    }
}
