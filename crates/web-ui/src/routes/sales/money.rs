//! Amounts as people read and type them. The API speaks integer minor units
//! and a currency; the browser's `Intl.NumberFormat` knows each currency's
//! symbol and how many minor digits it has, so the module carries no table.

use web_sys::js_sys::{Array, Intl, Object, Reflect};

fn options(pairs: &[(&str, &wasm_bindgen::JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

fn formatter(lang: &str, currency: &str, compact: bool) -> Intl::NumberFormat {
    let mut pairs: Vec<(&str, wasm_bindgen::JsValue)> =
        vec![("style", "currency".into()), ("currency", currency.into())];
    if compact {
        pairs.push(("notation", "compact".into()));
        pairs.push(("maximumFractionDigits", 1.into()));
    }
    let refs: Vec<(&str, &wasm_bindgen::JsValue)> = pairs.iter().map(|(k, v)| (*k, v)).collect();
    Intl::NumberFormat::new(&Array::of1(&lang.into()), &options(&refs))
}

/// How many minor digits `currency` has (2 for CNY, 0 for JPY).
pub fn digits(currency: &str) -> u32 {
    if currency.len() != 3 {
        return 2;
    }
    let f = formatter("en", currency, false);
    Reflect::get(&f.resolved_options(), &"maximumFractionDigits".into())
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(2, |d| d as u32)
}

fn major(minor: i64, currency: &str) -> f64 {
    minor as f64 / 10f64.powi(digits(currency) as i32)
}

fn format_with(f: &Intl::NumberFormat, value: f64) -> String {
    f.format()
        .call1(&f.clone().into(), &value.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// E.g. ¥12,345.67 / CN¥12,345.67, in the reader's language.
pub fn money(minor: i64, currency: &str, lang: &str) -> String {
    if currency.len() != 3 {
        return format!("{minor} {currency}");
    }
    format_with(&formatter(lang, currency, false), major(minor, currency))
}

/// Short, for column heads and charts: ¥1.2万 / CN¥12K.
pub fn short(minor: i64, currency: &str, lang: &str) -> String {
    if currency.len() != 3 {
        return format!("{minor} {currency}");
    }
    format_with(&formatter(lang, currency, true), major(minor, currency))
}

/// An amount as typed (`12345.6`, `12,345.60`) in minor units, `None` when
/// it is not a non-negative number with at most the currency's digits.
pub fn parse(typed: &str, currency: &str) -> Option<i64> {
    let s: String = typed
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_' | '，'))
        .collect();
    if s.is_empty() {
        return None;
    }
    let d = digits(currency) as usize;
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > d
        || whole.len() > 15
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<d$}").parse().ok()?
    };
    w.checked_mul(10i64.pow(d as u32))?.checked_add(f)
}

/// Minor units as an input's value (`12345.60`), without grouping.
pub fn input_value(minor: i64, currency: &str) -> String {
    let d = digits(currency);
    if d == 0 {
        return minor.to_string();
    }
    let p = 10i64.pow(d);
    format!("{}.{:0w$}", minor / p, (minor % p).abs(), w = d as usize)
}
