//! The text of an iCalendar feed (RFC 5545): events only, times in UTC or
//! whole days, lines folded at 75 octets and ended by CRLF.

use crate::date::{Date, UtcSeconds};

/// When an event starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    At(UtcSeconds),
    /// A whole day (`VALUE=DATE`); an all-day event ends on the next day.
    Day(Date),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across fetches, so calendars update an event instead of duplicating it.
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub start: Moment,
    pub end: Moment,
    pub stamp: UtcSeconds,
}

/// `20261201T020000Z`
pub fn utc_stamp(t: UtcSeconds) -> String {
    let d = t.date();
    let s = t.second_of_day();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        d.year(),
        d.month(),
        d.day(),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn day_stamp(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no line exceeds 75 octets (continuations
/// start with a space) and never inside a UTF-8 character, with its CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn moment(name: &str, m: Moment) -> String {
    match m {
        Moment::At(t) => format!("{name}:{}", utc_stamp(t)),
        Moment::Day(d) => format!("{name};VALUE=DATE:{}", day_stamp(d)),
    }
}

/// The whole feed.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kehu//Kehu CRM//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", escape(&e.uid)), &mut out);
        fold(&format!("DTSTAMP:{}", utc_stamp(e.stamp)), &mut out);
        fold(&moment("DTSTART", e.start), &mut out);
        fold(&moment("DTEND", e.end), &mut out);
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        if let Some(d) = &e.description {
            fold(&format!("DESCRIPTION:{}", escape(d)), &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn a_feed_with_a_timed_and_an_all_day_event() {
        let d = Date::new(2026, 12, 1).unwrap();
        let t = UtcSeconds(UtcSeconds::at_midnight(d).0 + 2 * 3600);
        let ev = [
            Event {
                uid: "a@kehu".into(),
                summary: "拜访, 上海华联".into(),
                description: None,
                start: Moment::At(t),
                end: Moment::At(UtcSeconds(t.0 + 1800)),
                stamp: t,
            },
            Event {
                uid: "b@kehu".into(),
                summary: "Renewal".into(),
                description: Some("line1\nline2".into()),
                start: Moment::Day(d),
                end: Moment::Day(d.add_days(1)),
                stamp: t,
            },
        ];
        let text = calendar("Kehu", &ev);
        assert!(text.contains("DTSTART:20261201T020000Z\r\n"));
        assert!(text.contains("DTEND:20261201T023000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202\r\n"));
        assert!(text.contains("SUMMARY:拜访\\, 上海华联\r\n"));
        assert!(text.contains("DESCRIPTION:line1\\nline2\r\n"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    }

    proptest! {
        #[test]
        fn folded_lines_are_short_and_unfold_to_the_original(s in "\\PC{0,300}") {
            let line = format!("SUMMARY:{}", escape(&s));
            let mut out = String::new();
            fold(&line, &mut out);
            prop_assert!(out.ends_with("\r\n"));
            for l in out.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(l.len() <= 75, "{} octets", l.len());
            }
            let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
            prop_assert_eq!(unfolded, line);
        }
    }
}
