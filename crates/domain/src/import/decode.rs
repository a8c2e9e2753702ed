//! Bytes to text. Excel on a Chinese Windows saves CSV as GBK (its "ANSI"),
//! elsewhere as UTF-8, often with a byte-order mark; "Unicode text" is UTF-16.
//! GB18030 is a superset of GBK and GB2312, so one decoder reads all three.

use crate::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Gb18030,
    Utf16le,
    Utf16be,
}

impl Encoding {
    pub const ALL: [Encoding; 4] = [
        Encoding::Utf8,
        Encoding::Gb18030,
        Encoding::Utf16le,
        Encoding::Utf16be,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16le => "utf16le",
            Encoding::Utf16be => "utf16be",
        }
    }

    /// Our names, and the labels people know (`gbk`, `gb2312`, `utf-8`).
    pub fn parse(s: &str) -> Option<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            "utf16le" | "utf16" => Some(Encoding::Utf16le),
            "utf16be" => Some(Encoding::Utf16be),
            _ => None,
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Utf16le => encoding_rs::UTF_16LE,
            Encoding::Utf16be => encoding_rs::UTF_16BE,
        }
    }
}

/// Which encoding `bytes` are in: a byte-order mark decides; else UTF-8 if
/// they are valid UTF-8 (GBK text almost never is), else GB18030.
pub fn detect(bytes: &[u8]) -> Encoding {
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8,
        [0xFF, 0xFE, ..] => Encoding::Utf16le,
        [0xFE, 0xFF, ..] => Encoding::Utf16be,
        _ if std::str::from_utf8(bytes).is_ok() => Encoding::Utf8,
        _ => Encoding::Gb18030,
    }
}

/// The text of `bytes` in `forced` or the detected encoding, without a
/// byte-order mark. Bytes the encoding cannot read are refused, naming the
/// line, rather than imported as replacement characters.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<(String, Encoding), Invalid> {
    let enc = forced.unwrap_or_else(|| detect(bytes));
    let (text, had_errors) = enc.codec().decode_with_bom_removal(bytes);
    if had_errors {
        let line = text
            .find('\u{FFFD}')
            .map(|at| text[..at].matches('\n').count() + 1)
            .unwrap_or(1);
        return Err(Invalid::one(
            "encoding",
            "undecodable",
            format!(
                "line {line} is not valid {}; choose the file's encoding",
                enc.as_str()
            ),
        ));
    }
    Ok((text.into_owned(), enc))
}

/// `text` as GB18030 bytes, as Chinese Excel would save it (for tests and
/// for offering failed rows back in the file's own encoding).
pub fn encode(text: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf16le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Encoding::Utf16be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Encoding::Gb18030 => enc.codec().encode(text).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn excel_chinese_csv_in_gbk_is_read() {
        let bytes = encode(
            "公司名称,电话\n上海华联超市,021-68888888\n",
            Encoding::Gb18030,
        );
        assert_eq!(detect(&bytes), Encoding::Gb18030);
        let (text, enc) = decode(&bytes, None).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert!(text.starts_with("公司名称,电话"));
    }

    #[test]
    fn a_byte_order_mark_decides_and_is_dropped() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("名称\n".as_bytes());
        assert_eq!(
            decode(&bytes, None).unwrap(),
            ("名称\n".into(), Encoding::Utf8)
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(encode("名称\tphone\n", Encoding::Utf16le));
        assert_eq!(decode(&utf16, None).unwrap().0, "名称\tphone\n");
    }

    #[test]
    fn bytes_the_encoding_cannot_read_are_refused_with_their_line() {
        let e = decode(b"ok\nbad \xff\xff\n", Some(Encoding::Utf8)).unwrap_err();
        assert_eq!(e.0[0].field, "encoding");
        assert!(e.0[0].message.contains("line 2"), "{}", e.0[0].message);
    }

    #[test]
    fn labels_people_use_are_understood() {
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("UTF-8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("latin1"), None);
        for e in Encoding::ALL {
            assert_eq!(Encoding::parse(e.as_str()), Some(e));
        }
    }

    proptest! {
        #[test]
        fn text_gbk_can_hold_survives_the_round_trip(s in "[a-zA-Z0-9,;\"\n 公司名称电话邮箱上海华联超市（）。·—]{0,80}") {
            let bytes = encode(&s, Encoding::Gb18030);
            let (back, _) = decode(&bytes, Some(Encoding::Gb18030)).unwrap();
            prop_assert_eq!(back, s);
        }

        #[test]
        fn any_utf8_text_is_read_as_itself(s in "\\PC{0,60}") {
            let (back, enc) = decode(s.as_bytes(), None).unwrap();
            prop_assert_eq!(enc, Encoding::Utf8);
            prop_assert_eq!(back.as_str(), s.strip_prefix('\u{feff}').unwrap_or(&s));
        }

        #[test]
        fn decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes, None);
        }
    }
}
