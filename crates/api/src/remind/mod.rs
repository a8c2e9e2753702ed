//! Reminders at work: the scheduler that turns due dates into notifications,
//! the e-mail that carries them, and the calendar feed.

pub mod feed;
pub mod mail;
pub mod scheduler;
pub mod zone;
