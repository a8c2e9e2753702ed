//! Writing CSV for exports: RFC 4180 quoting, and no cell that a spreadsheet
//! would run as a formula.

/// Opens the file: Excel, as used in China, reads UTF-8 CSV correctly only
/// with a byte-order mark (without it, it guesses GBK and shows 乱码).
pub const BOM: &str = "\u{feff}";

/// One cell: quoted when it holds a separator, quote or line break; a value
/// starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`
/// so that a name such as `=HYPERLINK(…)` is shown, not run (CSV injection).
/// A phone number like `+86 138…` is text too, so it keeps its `+` visibly.
pub fn cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One line, ended with CRLF as RFC 4180 says.
pub fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(cell("上海华联"), "上海华联");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(row(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn nothing_is_run_as_a_formula() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("+86 138 0013 8000"), "'+86 138 0013 8000");
        assert_eq!(cell("-x,y"), "\"'-x,y\"");
        assert_eq!(cell("2026-11-30"), "2026-11-30");
    }
}
