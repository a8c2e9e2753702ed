//! vCard 3.0 and 4.0 (RFC 2426, RFC 6350), as business-card apps export
//! them, and 2.1 as older phones do: folded lines, escaped characters,
//! several cards per file, and QUOTED-PRINTABLE values with a CHARSET.

use super::{Row, Table};
use crate::Invalid;

/// What Kehu reads from a card.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Card {
    /// The line its BEGIN:VCARD is on.
    pub line: u32,
    pub full_name: String,
    pub org: String,
    pub title: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: String,
    pub note: String,
}

/// The columns a card becomes, named as in the vCard standard.
pub const COLUMNS: [&str; 7] = ["FN", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "NOTE"];

/// Joins lines folded by a leading space or tab, and QUOTED-PRINTABLE soft
/// breaks (a line ending in `=`); keeps each line's original number.
fn unfold(text: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        let soft = out
            .last()
            .is_some_and(|(_, prev)| prev.ends_with('=') && is_qp(prev));
        match out.last_mut() {
            Some((_, prev)) if l.starts_with([' ', '\t']) => prev.push_str(&l[1..]),
            Some((_, prev)) if soft => {
                prev.pop();
                prev.push_str(l);
            }
            _ => out.push((i as u32 + 1, l.to_owned())),
        }
    }
    out
}

fn is_qp(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(head, _)| head.to_ascii_uppercase().contains("QUOTED-PRINTABLE"))
}

/// `name;params:value` → (NAME without group, upper-case params, value).
fn split(line: &str) -> Option<(String, Vec<String>, &str)> {
    let mut quoted = false;
    let colon = line.char_indices().find(|&(_, c)| {
        if c == '"' {
            quoted = !quoted;
        }
        c == ':' && !quoted
    })?;
    let (head, value) = (&line[..colon.0], &line[colon.0 + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?;
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim()
        .to_ascii_uppercase();
    Some((
        name,
        parts.map(|p| p.trim().to_ascii_uppercase()).collect(),
        value,
    ))
}

fn qp_decode(v: &str) -> Vec<u8> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The text of a value: QUOTED-PRINTABLE and its CHARSET undone.
fn text_of(params: &[String], value: &str) -> String {
    let qp = params
        .iter()
        .any(|p| p == "ENCODING=QUOTED-PRINTABLE" || p == "QUOTED-PRINTABLE");
    if !qp {
        return value.to_owned();
    }
    let bytes = qp_decode(value);
    let charset = params
        .iter()
        .find_map(|p| p.strip_prefix("CHARSET="))
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim_matches('"').as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    charset.decode_without_bom_handling(&bytes).0.into_owned()
}

/// Splits a structured value (N, ADR, ORG) at unescaped `;` and unescapes
/// each component.
fn components(v: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => out.last_mut().map(|s| s.push('\n')).unwrap_or(()),
                Some(other) => out.last_mut().map(|s| s.push(other)).unwrap_or(()),
                None => {}
            },
            ';' => out.push(String::new()),
            _ => out.last_mut().map(|s| s.push(c)).unwrap_or(()),
        }
    }
    out
}

fn unescape(v: &str) -> String {
    components(&v.replace(';', "\\;")).concat()
}

fn join_nonempty(parts: impl IntoIterator<Item = String>, sep: &str) -> String {
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Every card of `text`. A file without any card is an error.
pub fn parse(text: &str) -> Result<Vec<Card>, Invalid> {
    let mut cards = Vec::new();
    let mut cur: Option<Card> = None;
    let mut n_parts: Option<Vec<String>> = None;
    for (line, l) in unfold(text) {
        let Some((name, params, value)) = split(&l) else {
            continue;
        };
        let v = text_of(&params, value);
        match (name.as_str(), cur.as_mut()) {
            ("BEGIN", _) if v.trim().eq_ignore_ascii_case("VCARD") => {
                cur = Some(Card {
                    line,
                    ..Card::default()
                });
                n_parts = None;
            }
            ("END", Some(_)) if v.trim().eq_ignore_ascii_case("VCARD") => {
                if let Some(mut card) = cur.take() {
                    if card.full_name.is_empty()
                        && let Some(n) = n_parts.take()
                    {
                        card.full_name = name_from_n(&n);
                    }
                    cards.push(card);
                }
            }
            ("FN", Some(c)) => c.full_name = unescape(&v).trim().to_owned(),
            ("N", Some(_)) => n_parts = Some(components(&v)),
            ("ORG", Some(c)) => c.org = join_nonempty(components(&v), " "),
            ("TITLE", Some(c)) => c.title = unescape(&v).trim().to_owned(),
            ("TEL", Some(c)) => {
                let t = unescape(v.trim().trim_start_matches("tel:"))
                    .trim()
                    .to_owned();
                if !t.is_empty() {
                    c.phones.push(t);
                }
            }
            ("EMAIL", Some(c)) => {
                let e = unescape(&v).trim().to_owned();
                if !e.is_empty() {
                    c.emails.push(e);
                }
            }
            ("ADR", Some(c)) if c.address.is_empty() => {
                // po box; extended; street; locality; region; code; country
                let p = components(&v);
                // Chinese addresses read from the country down, without
                // the postcode, as they are written on an envelope's line
                let chinese = p.iter().any(|s| s.chars().any(is_cjk));
                let (order, sep): (&[usize], &str) = if chinese {
                    (&[6, 4, 3, 2, 1, 0], "")
                } else {
                    (&[0, 1, 2, 3, 4, 5, 6], ", ")
                };
                c.address = join_nonempty(order.iter().filter_map(|&i| p.get(i).cloned()), sep);
            }
            ("NOTE", Some(c)) => c.note = unescape(&v).trim().to_owned(),
            _ => {}
        }
    }
    if cards.is_empty() {
        return Err(Invalid::one(
            "file",
            "empty",
            "the file holds no vCard (BEGIN:VCARD … END:VCARD)",
        ));
    }
    Ok(cards)
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// N is family; given; additional; prefix; suffix. Chinese names are written
/// family name first without a space, others given name first.
fn name_from_n(n: &[String]) -> String {
    let family = n.first().map(|s| s.trim()).unwrap_or_default();
    let given = n.get(1).map(|s| s.trim()).unwrap_or_default();
    if family.chars().chain(given.chars()).any(is_cjk) {
        format!("{family}{given}")
    } else {
        join_nonempty([given.to_owned(), family.to_owned()], " ")
    }
}

/// Cards as a table under [`COLUMNS`]; several phones or e-mails share a
/// cell, separated by `; ` (as the mapping splits list cells).
pub fn to_table(cards: &[Card]) -> Table {
    Table {
        columns: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        rows: cards
            .iter()
            .map(|c| Row {
                line: c.line,
                cells: vec![
                    c.full_name.clone(),
                    c.org.clone(),
                    c.title.clone(),
                    c.phones.join("; "),
                    c.emails.join("; "),
                    c.address.clone(),
                    c.note.clone(),
                ],
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const V3: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:张;三;;;\r\nFN:张三\r\nORG:上海华联超市有限公司;采购部\r\nTITLE:采购经理\r\nTEL;TYPE=CELL:138 0013 8000\r\nTEL;TYPE=WORK,VOICE:021-6888 8888\r\nEMAIL;TYPE=INTERNET:zhangsan@hualian.example\r\nADR;TYPE=WORK:;;南京东路1号;黄浦区;上海市;200001;中国\r\nNOTE:展会认识\\, 对冷链感兴趣\\n第二行\r\nEND:VCARD\r\n";

    #[test]
    fn a_v3_card_from_a_business_card_app_is_read() {
        let cards = parse(V3).unwrap();
        assert_eq!(cards.len(), 1);
        let c = &cards[0];
        assert_eq!(c.line, 1);
        assert_eq!(c.full_name, "张三");
        assert_eq!(c.org, "上海华联超市有限公司 采购部");
        assert_eq!(c.title, "采购经理");
        assert_eq!(c.phones, vec!["138 0013 8000", "021-6888 8888"]);
        assert_eq!(c.emails, vec!["zhangsan@hualian.example"]);
        assert_eq!(c.address, "中国上海市黄浦区南京东路1号");
        assert_eq!(c.note, "展会认识, 对冷链感兴趣\n第二行");
    }

    #[test]
    fn v4_cards_with_folded_lines_and_uri_phones_are_read() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nFN:Jane\n  Doe\nitem1.ORG:Acme Trading\nTEL;VALUE=uri;TYPE=\"voice,work\":tel:+1-555-555-5555\nEMAIL:jane@acme.example\nADR:;;1 Main St;Springfield;IL;62701;USA\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nN:Smith;John;;;\nEND:VCARD\n";
        let cards = parse(text).unwrap();
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].full_name, "Jane Doe");
        assert_eq!(cards[0].org, "Acme Trading");
        assert_eq!(cards[0].phones, vec!["+1-555-555-5555"]);
        assert_eq!(cards[0].address, "1 Main St, Springfield, IL, 62701, USA");
        assert_eq!(cards[1].full_name, "John Smith", "FN missing: built from N");
        assert_eq!(cards[1].line, 10);
    }

    #[test]
    fn quoted_printable_values_of_older_phones_are_decoded() {
        // "李四" in UTF-8 and "华联" in GBK, the second folded with a soft break
        let text = "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E=E5=9B=9B\nORG;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:=BB=AA=\n=C1=AA\nEND:VCARD\n";
        let c = &parse(text).unwrap()[0];
        assert_eq!(c.full_name, "李四");
        assert_eq!(c.org, "华联");
    }

    #[test]
    fn a_file_without_cards_is_refused_and_cards_become_rows() {
        assert_eq!(parse("hello").unwrap_err().0[0].code, "empty");
        let t = to_table(&parse(V3).unwrap());
        assert_eq!(t.columns[3], "TEL");
        assert_eq!(t.rows[0].cells[3], "138 0013 8000; 021-6888 8888");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in "(BEGIN:VCARD\n|END:VCARD\n|FN:|N:|TEL;|=\n|ENCODING=QUOTED-PRINTABLE:|=E6|\\\\|;|:| |\n|[a-z张三])*") {
            let _ = parse(&s);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }
    }
}
