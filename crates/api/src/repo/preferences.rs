//! Users' notification preferences and time zones.

use crate::db::DbConnection;
use crate::db::schema::{notification_preferences as np, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::date::TimeOfDay;
use kehu_domain::remind::{Kind, Preferences, QuietHours};
use std::collections::HashMap;

type Row = (bool, bool, Option<i32>, Option<i32>, String, i32, i32, i32);

fn columns() -> (
    np::in_app,
    np::email,
    np::quiet_start,
    np::quiet_end,
    np::kinds_off,
    np::birthday_days_before,
    np::renewal_days_before,
    np::maintenance_days_before,
) {
    (
        np::in_app,
        np::email,
        np::quiet_start,
        np::quiet_end,
        np::kinds_off,
        np::birthday_days_before,
        np::renewal_days_before,
        np::maintenance_days_before,
    )
}

fn of(time_zone: String, row: Option<Row>) -> Preferences {
    let Some((in_app, email, qs, qe, kinds, b, r, m)) = row else {
        return Preferences {
            time_zone,
            ..Preferences::default()
        };
    };
    let minutes = |v: Option<i32>| {
        v.and_then(|m| u16::try_from(m).ok())
            .and_then(TimeOfDay::from_minutes)
    };
    let days = |v: i32| u16::try_from(v).unwrap_or(0);
    Preferences {
        time_zone,
        in_app,
        email,
        quiet_hours: match (minutes(qs), minutes(qe)) {
            (Some(start), Some(end)) => Some(QuietHours { start, end }),
            _ => None,
        },
        kinds_off: serde_json::from_str::<Vec<String>>(&kinds)
            .unwrap_or_default()
            .iter()
            .filter_map(|k| Kind::parse(k))
            .collect(),
        birthday_days_before: days(b),
        renewal_days_before: days(r),
        maintenance_days_before: days(m),
    }
}

/// A user's preferences: the saved ones, or the defaults in their zone.
pub fn get(c: &mut DbConnection, user_id: &str) -> QueryResult<Option<Preferences>> {
    let Some(tz) = users::table
        .filter(users::id.eq(user_id))
        .select(users::time_zone)
        .first::<String>(c)
        .optional()?
    else {
        return Ok(None);
    };
    let row = np::table
        .filter(np::user_id.eq(user_id))
        .select(columns())
        .first::<Row>(c)
        .optional()?;
    Ok(Some(of(tz, row)))
}

/// Someone a notification may go to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub email: String,
    pub display_name: String,
    pub prefs: Preferences,
}

/// The active users among `ids`, with what they want.
pub fn recipients(c: &mut DbConnection, ids: &[String]) -> QueryResult<HashMap<String, Recipient>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let users: Vec<(String, String, String, String)> = users::table
            .filter(users::id.eq_any(chunk))
            .filter(users::is_active.eq(true))
            .select((
                users::id,
                users::email,
                users::display_name,
                users::time_zone,
            ))
            .load(c)?;
        let rows: Vec<(String, Row)> = np::table
            .filter(np::user_id.eq_any(chunk))
            .select((np::user_id, columns()))
            .load(c)?;
        let mut rows: HashMap<String, Row> = rows.into_iter().collect();
        for (id, email, display_name, tz) in users {
            let prefs = of(tz, rows.remove(&id));
            out.insert(
                id,
                Recipient {
                    email,
                    display_name,
                    prefs,
                },
            );
        }
    }
    Ok(out)
}

/// Saves a user's preferences (the zone on the user, the rest in its own row).
pub fn save(
    c: &mut DbConnection,
    user_id: &str,
    p: &Preferences,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::write_tx(c, |c| {
        diesel::update(users::table.filter(users::id.eq(user_id)))
            .set(users::time_zone.eq(&p.time_zone))
            .execute(c)?;
        let kinds: Vec<&str> = p.kinds_off.iter().map(|k| k.as_str()).collect();
        let kinds = serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".into());
        let (qs, qe) = match p.quiet_hours {
            Some(q) => (
                Some(i32::from(q.start.minutes())),
                Some(i32::from(q.end.minutes())),
            ),
            None => (None, None),
        };
        let values = (
            np::in_app.eq(p.in_app),
            np::email.eq(p.email),
            np::quiet_start.eq(qs),
            np::quiet_end.eq(qe),
            np::kinds_off.eq(&kinds),
            np::birthday_days_before.eq(i32::from(p.birthday_days_before)),
            np::renewal_days_before.eq(i32::from(p.renewal_days_before)),
            np::maintenance_days_before.eq(i32::from(p.maintenance_days_before)),
            np::updated_at.eq(now),
        );
        let n = diesel::update(np::table.filter(np::user_id.eq(user_id)))
            .set(values)
            .execute(c)?;
        if n == 0 {
            diesel::insert_into(np::table)
                .values((np::user_id.eq(user_id), values))
                .execute(c)?;
        }
        Ok(())
    })
}

/// The most days ahead anyone announces this kind: how far ahead the
/// scheduler must look.
pub fn max_days_before(c: &mut DbConnection, kind: Kind) -> QueryResult<u16> {
    use diesel::dsl::max;
    let saved: Option<i32> = match kind {
        Kind::Birthday => np::table.select(max(np::birthday_days_before)).first(c)?,
        Kind::Renewal => np::table.select(max(np::renewal_days_before)).first(c)?,
        Kind::Maintenance => np::table
            .select(max(np::maintenance_days_before))
            .first(c)?,
        _ => None,
    };
    let default = Preferences::default().days_before(kind);
    Ok(saved
        .and_then(|d| u16::try_from(d).ok())
        .map_or(default, |d| d.max(default)))
}
