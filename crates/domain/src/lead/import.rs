//! Leads from a CSV file: a header row naming the columns, then one lead a
//! row. All or nothing: every row's problems are reported as
//! `rows[<line>].<field>`, and nothing is stored unless every row is valid.

use super::{Lead, RawLead, Source};
use crate::error::{FieldError, Invalid};
use crate::import::Table;

/// The most rows one lead import takes.
pub const MAX_ROWS: usize = 5_000;

/// The columns understood (others are refused, so a typo is not lost silently).
pub const COLUMNS: [&str; 8] = [
    "name", "company", "phone", "email", "industry", "source", "campaign", "notes",
];

/// Reads every row into a lead, or says what is wrong with each bad one.
pub fn leads(table: &Table) -> Result<Vec<Lead>, Invalid> {
    let mut errors = Vec::new();
    let mut index = Vec::new();
    for (i, col) in table.columns.iter().enumerate() {
        let name = col
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(_) if index.iter().any(|(n, _): &(String, usize)| *n == name) => {
                errors.push(FieldError::new(
                    format!("columns[{i}]"),
                    "duplicate_column",
                    format!("{name} appears twice"),
                ))
            }
            Some(_) => index.push((name, i)),
            None => errors.push(FieldError::new(
                format!("columns[{i}]"),
                "unknown_column",
                format!("{col} is not one of {}", COLUMNS.join(", ")),
            )),
        }
    }
    if !index.iter().any(|(n, _)| n == "name") {
        errors.push(FieldError::new(
            "columns",
            "required",
            "a name column is required",
        ));
    }
    if table.rows.is_empty() {
        errors.push(FieldError::new(
            "file",
            "empty",
            "the file has no rows below the header",
        ));
    }
    if table.rows.len() > MAX_ROWS {
        errors.push(FieldError::new(
            "file",
            "too_many_rows",
            format!("at most {MAX_ROWS} rows in one lead import"),
        ));
    }
    if !errors.is_empty() {
        return Err(Invalid(errors));
    }
    let default = Source::known(Source::IMPORT);
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let cell = |name: &str| -> Option<String> {
            index
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, i)| row.cells.get(*i))
                .map(|s| s.trim().to_owned())
        };
        let opt = |name: &str| cell(name).map(|s| (!s.is_empty()).then_some(s));
        let raw = RawLead {
            name: Some(cell("name").unwrap_or_default()),
            company: opt("company"),
            phone: opt("phone"),
            email: opt("email"),
            industry: opt("industry"),
            source: cell("source").filter(|s| !s.is_empty()),
            campaign: opt("campaign"),
            notes: opt("notes"),
            ..Default::default()
        };
        match Lead::create(raw, &default) {
            Ok(l) => out.push(l),
            Err(Invalid(errs)) => errors.extend(errs.into_iter().map(|e| FieldError {
                field: format!("rows[{}].{}", row.line, e.field),
                ..e
            })),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::csv;

    #[test]
    fn every_bad_row_is_named_and_nothing_is_taken() {
        let t =
            csv::read("name,email,source\n张三,z@example.com,referral\n,bad,web form\n").unwrap();
        let e = leads(&t).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["rows[3].name", "rows[3].email", "rows[3].source"]);
        let t = csv::read("Name,Company\n张三,上海某某\n").unwrap();
        let l = leads(&t).unwrap();
        assert_eq!(l[0].source.as_str(), "import");
        assert_eq!(l[0].company.as_deref(), Some("上海某某"));
        let t = csv::read("name,fax\nx,1\n").unwrap();
        assert_eq!(leads(&t).unwrap_err().0[0].code, "unknown_column");
    }
}
