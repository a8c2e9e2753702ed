//! Time zones: data is stored in UTC and shown in each user's zone (IANA
//! names; the demo organisation works in Asia/Shanghai). The domain takes
//! plain offsets, so the zone database stays out of the browser's wasm.

use crate::db::DbConnection;
use chrono::{Offset, TimeZone};
use chrono_tz::Tz;
use diesel::QueryResult;
use kehu_domain::date::Date;

/// The zone of a user who has not chosen one.
pub const DEFAULT: Tz = chrono_tz::Asia::Shanghai;

pub fn parse(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Seconds east of UTC in `tz` at the Unix time `at` (daylight saving included).
pub fn offset_at(tz: Tz, at: i64) -> i64 {
    match tz.timestamp_opt(at, 0).single() {
        Some(t) => i64::from(t.offset().fix().local_minus_utc()),
        None => 0,
    }
}

/// The day it is in `tz` at `at`.
pub fn today(tz: Tz, at: i64) -> Date {
    Date::local(at, offset_at(tz, at))
}

/// The UTC instants `[start, end)` of `day` in `tz`: 23 or 25 hours long
/// on the days daylight saving starts or ends.
pub fn day_bounds(tz: Tz, day: Date) -> (i64, i64) {
    let start = |d: Date| {
        let noon = d.start_unix() + 12 * 3600;
        kehu_domain::activity::day_bounds(d, offset_at(tz, noon)).0
    };
    (start(day), start(day.add_days(1)))
}

/// The zone a user works in (chosen in their preferences; the default for a
/// name the zone database no longer knows).
pub fn of_user(c: &mut DbConnection, user_id: &str) -> QueryResult<Tz> {
    use crate::db::schema::users;
    use diesel::prelude::*;
    let name: Option<String> = users::table
        .filter(users::id.eq(user_id))
        .select(users::time_zone)
        .first(c)
        .optional()?;
    Ok(name.as_deref().and_then(parse).unwrap_or(DEFAULT))
}
