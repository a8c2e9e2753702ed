//! Times in the signed-in user's time zone (`time_zone` of `GET /me`), not
//! the device's: a rep travelling with a phone set to another zone still
//! plans in the zone their colleagues and reminders use. The browser's `Intl`
//! does the zone arithmetic, so the module carries no time-zone database.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::js_sys::{Array, Date, Function, Intl, Object, Reflect, global};

/// The demo's zone, and the API's default.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

thread_local! {
    static ZONE: RefCell<String> = RefCell::new(DEFAULT_ZONE.to_owned());
}

/// The zone times are shown and entered in.
pub fn zone() -> String {
    ZONE.with(|z| z.borrow().clone())
}

/// Uses `zone` from now on, when the browser knows it (else keeps the last one).
pub fn set_zone(zone: Option<&str>) {
    let Some(zone) = zone.filter(|z| known(z)) else {
        return;
    };
    ZONE.with(|z| *z.borrow_mut() = zone.to_owned());
}

/// Whether the browser's `Intl` accepts `zone` (it throws a RangeError otherwise).
pub fn known(zone: &str) -> bool {
    Reflect::get(&global(), &"Intl".into())
        .and_then(|intl| Reflect::get(&intl, &"DateTimeFormat".into()))
        .and_then(|ctor| {
            Reflect::construct(
                ctor.unchecked_ref::<Function>(),
                &Array::of2(&"en".into(), &options(&[("timeZone", zone)])),
            )
        })
        .is_ok()
}

/// The zones the browser knows, for a chooser (`Intl.supportedValuesOf`).
pub fn zones() -> Vec<String> {
    let list = Reflect::get(&global(), &"Intl".into())
        .and_then(|intl| {
            let f: Function = Reflect::get(&intl, &"supportedValuesOf".into())?.dyn_into()?;
            f.call1(&intl, &"timeZone".into())
        })
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok());
    list.map(|a| a.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default()
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o
}

fn format(date: &Date, lang: &str, pairs: &[(&str, &str)]) -> String {
    let zone = zone();
    let mut all = vec![("timeZone", zone.as_str())];
    all.extend_from_slice(pairs);
    date.to_locale_string(lang, &options(&all))
        .as_string()
        .unwrap_or_default()
}

/// Date and time, e.g. 2026年11月23日 16:30 (for an RFC 3339 UTC time).
pub fn date_time(utc: &str, lang: &str) -> String {
    format(
        &Date::new(&utc.into()),
        lang,
        &[("dateStyle", "medium"), ("timeStyle", "short")],
    )
}

/// The time of day, e.g. 16:30.
pub fn time_of_day(utc: &str, lang: &str) -> String {
    format(&Date::new(&utc.into()), lang, &[("timeStyle", "short")])
}

/// A calendar date (`YYYY-MM-DD`) as people read it, with the weekday.
pub fn date_label(date: &str, lang: &str) -> String {
    Date::new(&format!("{date}T12:00:00Z").into())
        .to_locale_date_string(
            lang,
            &options(&[
                ("timeZone", "UTC"),
                ("weekday", "short"),
                ("month", "short"),
                ("day", "numeric"),
            ]),
        )
        .as_string()
        .unwrap_or_else(|| date.to_owned())
}

/// The wall clock in the user's zone at `ms` (milliseconds since 1970), as
/// milliseconds of that reading taken as UTC.
fn wall(ms: f64) -> f64 {
    let f = Intl::DateTimeFormat::new(
        &Array::of1(&"en-US".into()),
        &options(&[
            ("timeZone", &zone()),
            ("hourCycle", "h23"),
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
        ]),
    );
    let parts = f.format_to_parts(&Date::new(&ms.into()));
    let mut n = [0u32; 6];
    for p in parts.iter() {
        let kind = Reflect::get(&p, &"type".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let value: u32 = Reflect::get(&p, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let i = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            "second" => 5,
            _ => continue,
        };
        n[i] = value;
    }
    Date::parse(&format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        n[0],
        n[1],
        n[2],
        n[3] % 24,
        n[4],
        n[5]
    ))
}

fn iso(ms: f64) -> String {
    let s = Date::new(&ms.into())
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    // whole seconds: the API stores microseconds, the form has minutes
    match s.split_once('.') {
        Some((head, _)) => format!("{head}Z"),
        None => s,
    }
}

/// A `datetime-local` input's value (`YYYY-MM-DDTHH:MM`, in the user's
/// zone) as an RFC 3339 UTC time; `None` when it is not a time.
pub fn to_utc(local: &str) -> Option<String> {
    let w = Date::parse(&format!("{local}:00Z"));
    if w.is_nan() {
        return None;
    }
    // the offset at the wall time is a guess; the offset at the guess is right
    // except within the hour a zone's clocks skip
    let guess = w - (wall(w) - w);
    Some(iso(w - (wall(guess) - guess)))
}

/// An RFC 3339 time as a `datetime-local` value in the user's zone.
pub fn to_local(utc: &str) -> String {
    let ms = Date::parse(utc);
    if ms.is_nan() {
        return String::new();
    }
    iso(wall(ms)).chars().take(16).collect()
}

/// Now, as a `datetime-local` value in the user's zone.
pub fn now_local() -> String {
    iso(wall(Date::now())).chars().take(16).collect()
}

/// Today's date in the user's zone.
pub fn today() -> String {
    now_local().chars().take(10).collect()
}

/// `date` moved by `days` (both `YYYY-MM-DD`).
pub fn add_days(date: &str, days: i32) -> String {
    let ms = Date::parse(&format!("{date}T00:00:00Z"));
    if ms.is_nan() {
        return date.to_owned();
    }
    iso(ms + f64::from(days) * 86_400_000.0)
        .chars()
        .take(10)
        .collect()
}

/// The date part of an RFC 3339 time in the user's zone.
pub fn local_date(utc: &str) -> String {
    to_local(utc).chars().take(10).collect()
}
