//! Small building blocks shared by the pages.

mod language_switch;
mod text_field;

pub use language_switch::LanguageSwitch;
pub use text_field::TextField;
