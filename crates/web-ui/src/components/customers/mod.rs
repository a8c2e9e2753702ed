//! Pieces shared by the customer screens: records, lookups, the form.

pub mod draft;
pub mod duplicates;
pub mod form;
pub mod model;

use leptos::prelude::*;

/// The message `key`, following the language. One boxed signal type for all
/// texts keeps the wasm small (each distinct closure would be compiled apart).
pub fn t(key: &'static str) -> Signal<String> {
    let i18n = crate::i18n::I18n::get();
    Signal::derive(move || i18n.t(key))
}
