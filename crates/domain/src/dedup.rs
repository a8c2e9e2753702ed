//! Keys that make two ways of writing the same customer compare equal, for
//! finding likely duplicates: 上海华联超市有限公司 and （上海）华联超市 ，
//! +86 138-0013-8000 and 13800138000, Sales@Example.com and sales@example.com.

/// Company suffixes that say what kind of company it is, not which one.
/// Longest first, so 股份有限公司 is removed whole rather than as 有限公司.
const SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
    "corporation",
    "company",
    "limited",
    "coltd",
    "corp",
    "gmbh",
    "group",
    "inc",
    "llc",
    "ltd",
    "co",
];

/// Markers of where a company sits that do not tell companies apart.
const REGION_MARKERS: &[&str] = &["(中国)", "(china)"];

/// Full-width ASCII (Ａ１，) and the ideographic space become their ordinary forms.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The comparison key of a company or person name: half-width, lower case,
/// without region markers, company-form suffixes, punctuation or spaces.
/// Empty if nothing but those is left (a name of only "有限公司").
pub fn name_key(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(half_width)
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect();
    for marker in REGION_MARKERS {
        s = s.replace(marker, "");
    }
    // a leading region in brackets, e.g. "(上海)华联超市"
    if s.starts_with('(')
        && let Some(end) = s.find(')')
    {
        s.replace_range(..=end, "");
    }
    let mut key: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
    // "集团股份有限公司": strip suffixes repeatedly, but never the whole name
    while let Some(kept) = SUFFIXES
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
        .map(str::len)
        .filter(|&len| len > 0)
    {
        key.truncate(kept);
    }
    key
}

/// A phone number's comparison key: E.164 (`+8613800138000`) where the number
/// can be read as one, else its digits. Chinese numbers are read with or
/// without +86 / 0086: mobiles (1 and ten digits) and landlines with their
/// area code (0 and 9 to 11 digits). An extension (转, x, ext) is not part of
/// the number.
pub fn phone_key(raw: &str) -> String {
    let base = raw.split(['转', 'x', 'X', '#']).next().unwrap_or_default();
    let base = base.split("ext").next().unwrap_or_default();
    let plus = base.trim_start().starts_with('+');
    let digits: String = base
        .chars()
        .map(half_width)
        .filter(char::is_ascii_digit)
        .collect();
    let national = if plus {
        match digits.strip_prefix("86") {
            Some(rest) => rest.to_owned(),
            None => return format!("+{digits}"),
        }
    } else if let Some(rest) = digits.strip_prefix("0086") {
        rest.to_owned()
    } else if digits.len() == 13 && digits.starts_with("861") {
        digits[2..].to_owned()
    } else {
        digits.clone()
    };
    let is_mobile = national.len() == 11 && national.starts_with('1');
    // an area code written without its trunk 0 after +86
    let national = if plus && !is_mobile && !national.starts_with('0') {
        format!("0{national}")
    } else {
        national
    };
    let is_landline = national.starts_with('0') && (10..=12).contains(&national.len());
    if is_mobile {
        format!("+86{national}")
    } else if is_landline {
        format!("+86{}", &national[1..])
    } else if plus {
        format!("+86{national}")
    } else {
        digits
    }
}

/// An e-mail address's comparison key.
pub fn email_key(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(half_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// What two records are compared by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keys {
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

impl Keys {
    pub fn of(name: &str, phones: &[&str], emails: &[&str]) -> Self {
        Keys {
            name: name_key(name),
            phones: phones
                .iter()
                .map(|p| phone_key(p))
                .filter(|k| !k.is_empty())
                .collect(),
            emails: emails
                .iter()
                .map(|e| email_key(e))
                .filter(|k| !k.is_empty())
                .collect(),
        }
    }
}

impl Keys {
    /// Every key as (what it is, the key), without repeats: what is stored
    /// and looked up.
    pub fn entries(&self) -> Vec<(Match, &str)> {
        let mut out: Vec<(Match, &str)> = Vec::new();
        if !self.name.is_empty() {
            out.push((Match::Name, &self.name));
        }
        for p in &self.phones {
            out.push((Match::Phone, p));
        }
        for e in &self.emails {
            out.push((Match::Email, e));
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|entry| seen.insert(*entry));
        out
    }

    /// The keys an edit adds to what the record had. Only these are checked
    /// for duplicates on an edit: a pair that was accepted before (or existed
    /// before the check) must not block every later, unrelated change.
    pub fn added_since(&self, before: &Keys) -> Keys {
        let name = if self.name == before.name {
            String::new()
        } else {
            self.name.clone()
        };
        Keys {
            name,
            phones: self
                .phones
                .iter()
                .filter(|p| !before.phones.contains(p))
                .cloned()
                .collect(),
            emails: self
                .emails
                .iter()
                .filter(|e| !before.emails.contains(e))
                .cloned()
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }
}

/// Which generation of the rules above stored keys were made with. Bump it
/// when a rule changes: every customer's keys are then recomputed once.
pub const KEYS_VERSION: i32 = 1;

/// Why someone saves a record although it looks like a duplicate: required,
/// so that whoever later cleans up the duplicates knows what was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideReason(String);

impl OverrideReason {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(field: &str, raw: &str) -> Result<Self, crate::Invalid> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(crate::Invalid::one(
                field,
                "required",
                "say why this is not a duplicate",
            ));
        }
        if t.chars().count() > Self::MAX_CHARS {
            return Err(crate::Invalid::one(
                field,
                "too_long",
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why two records look like the same customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Match {
    Name,
    Phone,
    Email,
}

impl Match {
    pub fn as_str(self) -> &'static str {
        match self {
            Match::Name => "name",
            Match::Phone => "phone",
            Match::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Match::Name, Match::Phone, Match::Email]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Every way in which `a` and `b` look like the same customer (empty: they do not).
pub fn matches(a: &Keys, b: &Keys) -> Vec<Match> {
    let mut out = Vec::new();
    if !a.name.is_empty() && a.name == b.name {
        out.push(Match::Name);
    }
    if a.phones.iter().any(|p| b.phones.contains(p)) {
        out.push(Match::Phone);
    }
    if a.emails.iter().any(|e| b.emails.contains(e)) {
        out.push(Match::Email);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn company_forms_regions_and_punctuation_do_not_tell_companies_apart() {
        let k = name_key("上海华联超市有限公司");
        assert_eq!(k, "上海华联超市");
        for same in [
            "上海华联超市股份有限公司",
            "上海华联超市有限责任公司",
            "上海华联超市（中国）有限公司",
            "上海 华联超市 有限公司",
            "上海华联超市集团股份有限公司",
            "上海华联超市。",
        ] {
            assert_eq!(name_key(same), k, "{same}");
        }
        assert_ne!(name_key("上海华联百货有限公司"), k);
    }

    #[test]
    fn a_leading_region_in_brackets_is_ignored() {
        assert_eq!(name_key("（上海）华联超市"), name_key("华联超市有限公司"));
    }

    #[test]
    fn latin_names_ignore_case_width_and_legal_form() {
        let k = name_key("Acme Trading Co., Ltd.");
        assert_eq!(k, "acmetrading");
        assert_eq!(name_key("ＡＣＭＥ　Ｔｒａｄｉｎｇ　Ｌｉｍｉｔｅｄ"), k);
        assert_eq!(name_key("acme trading inc"), k);
    }

    #[test]
    fn a_name_that_is_only_a_legal_form_keeps_it() {
        assert_eq!(name_key("有限公司"), "有限公司");
        assert_eq!(name_key("  。 "), "");
    }

    #[test]
    fn chinese_mobiles_in_every_common_form_are_one_number() {
        for raw in [
            "13800138000",
            "138 0013 8000",
            "+86 138-0013-8000",
            "0086 13800138000",
            "8613800138000",
            "＋８６ １３８００１３８０００",
        ] {
            assert_eq!(phone_key(raw), "+8613800138000", "{raw}");
        }
    }

    #[test]
    fn landlines_keep_their_area_code_and_drop_the_trunk_zero_and_extension() {
        for raw in [
            "021-6888 8888",
            "(021) 68888888",
            "+86 21 6888 8888",
            "021-68888888转123",
            "021 6888 8888 ext 9",
        ] {
            assert_eq!(phone_key(raw), "+862168888888", "{raw}");
        }
        assert_eq!(phone_key("0755-8888 8888"), "+8675588888888");
    }

    #[test]
    fn foreign_and_unrecognised_numbers_keep_their_digits() {
        assert_eq!(phone_key("+49 30 1234567"), "+49301234567");
        assert_eq!(phone_key("6888 8888"), "68888888");
    }

    #[test]
    fn emails_ignore_case_and_surrounding_space() {
        assert_eq!(email_key("  Sales@Example.COM "), "sales@example.com");
    }

    #[test]
    fn matches_say_which_keys_agree() {
        let a = Keys::of("华联超市有限公司", &["13800138000"], &["a@x.cn"]);
        let b = Keys::of("华联超市", &["+86 138 0013 8000"], &["b@x.cn"]);
        assert_eq!(matches(&a, &b), vec![Match::Name, Match::Phone]);
        let c = Keys::of("别的公司", &[], &["A@X.CN"]);
        assert_eq!(matches(&a, &c), vec![Match::Email]);
        assert!(matches(&Keys::of("。", &[], &[]), &Keys::of("，", &[], &[])).is_empty());
    }

    #[test]
    fn an_edit_is_checked_only_for_the_keys_it_adds() {
        let before = Keys::of("华联超市", &["13800138000"], &["a@x.cn"]);
        let same = Keys::of("华联超市有限公司", &["+86 138 0013 8000"], &["A@x.cn"]);
        assert!(same.added_since(&before).is_empty());
        let more = Keys::of("华联超市", &["13800138000", "021-68888888"], &["a@x.cn"]);
        let added = more.added_since(&before);
        assert_eq!(added.phones, vec!["+862168888888".to_owned()]);
        assert!(added.name.is_empty() && added.emails.is_empty());
        let renamed = Keys::of("联华超市", &[], &[]).added_since(&before);
        assert_eq!(renamed.entries(), vec![(Match::Name, "联华超市")]);
    }

    #[test]
    fn entries_list_each_key_once() {
        let k = Keys::of(
            "A Co",
            &["13800138000", "138 0013 8000"],
            &["a@x.cn", "A@X.cn"],
        );
        assert_eq!(
            k.entries(),
            vec![
                (Match::Name, "a"),
                (Match::Phone, "+8613800138000"),
                (Match::Email, "a@x.cn")
            ]
        );
        assert!(Keys::of("。", &[], &[]).is_empty());
    }

    #[test]
    fn an_override_needs_a_reason_of_reasonable_length() {
        assert!(OverrideReason::parse("duplicate_reason", "  ").is_err());
        assert_eq!(
            OverrideReason::parse("duplicate_reason", " 同名不同公司 ")
                .unwrap()
                .as_str(),
            "同名不同公司"
        );
        let long = "x".repeat(OverrideReason::MAX_CHARS + 1);
        let e = OverrideReason::parse("duplicate_reason", &long).unwrap_err();
        assert_eq!(e.0[0].code, "too_long");
        for m in [Match::Name, Match::Phone, Match::Email] {
            assert_eq!(Match::parse(m.as_str()), Some(m));
        }
    }

    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                ' ' => '\u{3000}',
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                _ => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn name_keys_are_stable(name in "[a-zA-Z0-9 华联超市上海（）()。,.-]{0,30}") {
            let k = name_key(&name);
            prop_assert_eq!(name_key(&k), k.clone());
            prop_assert_eq!(name_key(&full_width(&name)), k.clone());
            prop_assert_eq!(name_key(&name.to_uppercase()), k);
        }

        #[test]
        fn adding_a_legal_form_does_not_change_a_name(core in "[华联超市上海]{1,8}", suffix in prop::sample::select(vec!["有限公司", "股份有限公司", "有限责任公司", "集团", " Co., Ltd."])) {
            prop_assert_eq!(name_key(&format!("{core}{suffix}")), name_key(&core));
        }

        #[test]
        fn a_mobile_number_has_one_key_however_it_is_spaced(n in "1[3-9][0-9]{9}", sep in prop::sample::select(vec!["", " ", "-"])) {
            let spaced = format!("+86 {}{sep}{}{sep}{}", &n[..3], &n[3..7], &n[7..]);
            prop_assert_eq!(phone_key(&spaced), phone_key(&n));
            prop_assert_eq!(phone_key(&n), format!("+86{n}"));
        }

        #[test]
        fn what_an_edit_adds_plus_what_was_there_covers_the_new_keys(
            a in prop::collection::vec("1[3-9][0-9]{9}", 0..4),
            b in prop::collection::vec("1[3-9][0-9]{9}", 0..4),
        ) {
            let before = Keys::of("x", &a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
            let after = Keys::of("x", &b.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
            let added = after.added_since(&before);
            for p in &after.phones {
                prop_assert!(added.phones.contains(p) || before.phones.contains(p));
            }
            for p in &added.phones {
                prop_assert!(!before.phones.contains(p));
            }
        }
    }
}
