//! Validated text values. Each type can only be built through `parse`, so a
//! value that exists is known to be clean: trimmed, within its length, and
//! free of control characters (a NUL byte breaks PostgreSQL text and logs).

use crate::error::Invalid;
use serde::Serialize;

fn check(field: &str, raw: &str, max_chars: usize, multiline: bool) -> Result<String, Invalid> {
    let v = raw.trim();
    if v.chars().any(|c| c == '\0') {
        return Err(Invalid::one(
            field,
            "nul_byte",
            "must not contain NUL characters",
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
    {
        return Err(Invalid::one(
            field,
            "control_char",
            "must not contain control characters",
        ));
    }
    let n = v.chars().count();
    if n > max_chars {
        return Err(Invalid::one(
            field,
            "too_long",
            format!("must be at most {max_chars} characters (got {n})"),
        ));
    }
    Ok(v.to_owned())
}

/// Required single-line text such as a customer or contact name.
pub fn required(field: &str, raw: &str, max_chars: usize) -> Result<String, Invalid> {
    let v = check(field, raw, max_chars, false)?;
    if v.is_empty() {
        return Err(Invalid::one(field, "required", "must not be empty"));
    }
    Ok(v)
}

/// Optional single-line text; blank means "not set".
pub fn optional(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, Invalid> {
    match raw {
        None => Ok(None),
        Some(r) => {
            let v = check(field, r, max_chars, false)?;
            Ok((!v.is_empty()).then_some(v))
        }
    }
}

/// Optional multi-line text such as notes or an address.
pub fn optional_multiline(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, Invalid> {
    match raw {
        None => Ok(None),
        Some(r) => {
            let v = check(field, r, max_chars, true)?;
            Ok((!v.is_empty()).then_some(v))
        }
    }
}

pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 100;
pub const NOTES_MAX: usize = 10_000;
pub const ADDRESS_MAX: usize = 500;

/// An e-mail address, trimmed; compared case-insensitively via [`Email::key`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let v = required(field, raw, 254)?;
        let bad = || {
            Invalid::one(
                field,
                "invalid_email",
                "must be an e-mail address like name@example.com",
            )
        };
        let (local, domain) = v.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !v
                .chars()
                .any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>');
        if !ok {
            return Err(bad());
        }
        Ok(Self(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to compare and search: mailbox providers treat case as insignificant.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A phone number as a person would write it: digits with optional `+`,
/// spaces, dashes, dots, parentheses and an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let v = required(field, raw, 40)?;
        let allowed = |c: char| {
            c.is_ascii_digit() || " +-().".contains(c) || c == 'x' || c == 'X' || c == '转'
        };
        let digits = v.chars().filter(char::is_ascii_digit).count();
        if !v.chars().all(allowed)
            || !(5..=20).contains(&digits)
            || v.chars().skip(1).any(|c| c == '+')
        {
            return Err(Invalid::one(
                field,
                "invalid_phone",
                "must be a phone number of 5 to 20 digits, e.g. +86 138 0013 8000 or 021-6888 8888",
            ));
        }
        Ok(Self(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits only (keeping a leading `+`), the form searched by.
    pub fn key(&self) -> String {
        let mut k = String::with_capacity(self.0.len());
        for (i, c) in self.0.chars().enumerate() {
            if c.is_ascii_digit() || (i == 0 && c == '+') {
                k.push(c);
            }
        }
        k
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A short label used to group customers (`重点`, `trade-show-2026`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Tag(String);

impl Tag {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let v = required(field, raw, 50)?;
        if v.contains(',') {
            return Err(Invalid::one(
                field,
                "invalid_tag",
                "must not contain commas",
            ));
        }
        Ok(Self(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Parses a list, naming each bad element by index, and rejects duplicates and overly long lists.
pub fn list<T, K: PartialEq>(
    field: &str,
    raw: &[String],
    max_items: usize,
    parse: impl Fn(&str, &str) -> Result<T, Invalid>,
    key: impl Fn(&T) -> K,
) -> Result<Vec<T>, Invalid> {
    if raw.len() > max_items {
        return Err(Invalid::one(
            field,
            "too_many",
            format!("must have at most {max_items} entries"),
        ));
    }
    let mut out: Vec<T> = Vec::with_capacity(raw.len());
    let mut errs = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let f = format!("{field}[{i}]");
        match parse(&f, r) {
            Ok(v) => {
                if out.iter().any(|o| key(o) == key(&v)) {
                    errs.push(crate::FieldError::new(f, "duplicate", "is listed twice"));
                } else {
                    out.push(v);
                }
            }
            Err(Invalid(e)) => errs.extend(e),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(Invalid(errs))
    }
}

/// Lower-cased, whitespace-collapsed text used for substring search; works for
/// Chinese as for Latin script because it matches characters, not words.
pub fn search_key(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        if !s.is_empty() {
            s.push(' ');
        }
        s.extend(p.chars().flat_map(char::to_lowercase));
    }
    s
}

/// What a search for a customer or contact matches: the name, each phone as
/// typed and as digits (so "138 0013" finds "+86 13800138000"), and e-mails.
pub fn search_text(name: &str, phones: &[Phone], emails: &[Email]) -> String {
    let mut parts: Vec<String> = vec![name.to_owned()];
    for p in phones {
        parts.push(p.as_str().to_owned());
        parts.push(p.key());
    }
    parts.extend(emails.iter().map(Email::key));
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    search_key(&refs)
}

/// What a search query looks for, lower-cased: the text as typed and, when it
/// looks like a phone number written with spaces or signs ("138 0013 8000"),
/// also its digits alone, so it finds "+86 13800138000". A record matches
/// when its search text contains any of them.
pub fn search_terms(q: &str) -> Vec<String> {
    let text: String = q.chars().flat_map(char::to_lowercase).collect();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let looks_like_phone = digits.len() >= 3
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if looks_like_phone && digits != text {
        vec![text, digits]
    } else {
        vec![text]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(
            required("name", "  上海华联  ", NAME_MAX).unwrap(),
            "上海华联"
        );
        let e = required("name", "   ", NAME_MAX).unwrap_err();
        assert_eq!(e.0[0].code, "required");
        assert_eq!(e.0[0].field, "name");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let chinese = "客".repeat(NAME_MAX);
        assert!(required("name", &chinese, NAME_MAX).is_ok());
        let e = required("name", &format!("{chinese}户"), NAME_MAX).unwrap_err();
        assert_eq!(e.0[0].code, "too_long");
    }

    #[test]
    fn nul_and_control_characters_are_rejected() {
        assert_eq!(
            required("name", "a\0b", 10).unwrap_err().0[0].code,
            "nul_byte"
        );
        assert_eq!(
            required("name", "a\u{7}b", 10).unwrap_err().0[0].code,
            "control_char"
        );
        assert!(optional_multiline("notes", Some("line 1\nline 2"), 100).is_ok());
        assert!(optional("city", Some("a\nb"), 100).is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("e", " Li.Lei@Example.COM ").unwrap().key(),
            "li.lei@example.com"
        );
        for bad in [
            "", "a", "a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@.cn", "a@b..cn",
        ] {
            assert!(Email::parse("e", bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn phones() {
        for ok in [
            "+86 138 0013 8000",
            "021-6888 8888",
            "(010) 6512-3456 转 8001",
            "13800138000",
        ] {
            assert!(Phone::parse("p", ok).is_ok(), "{ok} should be accepted");
        }
        for bad in ["12", "abc-defg", "+86+138", "1380013800013800138000"] {
            assert!(Phone::parse("p", bad).is_err(), "{bad} should be rejected");
        }
        assert_eq!(
            Phone::parse("p", "+86 138-0013-8000").unwrap().key(),
            "+8613800138000"
        );
    }

    #[test]
    fn lists_name_the_bad_element_and_reject_duplicates() {
        let raw = vec!["a@b.cn".to_owned(), "nope".to_owned(), "A@B.cn".to_owned()];
        let e = list("emails", &raw, 10, Email::parse, Email::key).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            fields,
            [("emails[1]", "invalid_email"), ("emails[2]", "duplicate")]
        );
    }

    proptest! {
        #[test]
        fn parsed_text_is_always_clean(s in "\\PC{0,300}") {
            if let Ok(v) = required("f", &s, NAME_MAX) {
                prop_assert!(!v.is_empty());
                prop_assert!(v.chars().count() <= NAME_MAX);
                prop_assert!(!v.chars().any(char::is_control));
                prop_assert_eq!(v.trim(), v.as_str());
            }
        }

        #[test]
        fn phone_key_only_digits(s in "[0-9 +()-]{0,30}") {
            if let Ok(p) = Phone::parse("p", &s) {
                let k = p.key();
                prop_assert!(k.chars().skip(1).all(|c| c.is_ascii_digit()));
            }
        }
    }

    #[test]
    fn search_terms_add_the_digits_of_a_phone_number() {
        assert_eq!(
            search_terms("138 0013"),
            vec!["138 0013".to_owned(), "1380013".to_owned()]
        );
        assert_eq!(search_terms("13800138000"), vec!["13800138000".to_owned()]);
        assert_eq!(search_terms("ACME 12"), vec!["acme 12".to_owned()]);
        assert_eq!(search_terms("科技"), vec!["科技".to_owned()]);
    }
}
