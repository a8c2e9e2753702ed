//! Small building blocks shared by the pages.

pub mod admin;
pub mod connection;
pub mod customers;
pub mod download;
pub mod focus;
mod language_switch;
pub mod problem;
pub mod quick_log;
mod text_field;

pub use language_switch::LanguageSwitch;
pub use problem::ProblemAlert;
pub use text_field::TextField;
