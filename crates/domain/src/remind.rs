//! Reminders: what to tell whom and when — birthdays, renewal and maintenance
//! dates, reminders set by hand — each user's preferences and quiet hours,
//! and the calendar feed's text. The API's scheduler asks these functions;
//! it only reads the data, turns zones into offsets and stores the outcome.

pub mod birthday;
pub mod ical;
pub mod prefs;
pub mod rules;

pub use birthday::Birthday;
pub use prefs::{Kind, Preferences, QuietHours};
