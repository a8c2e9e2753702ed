-- Dates that reminders are built from: a customer's renewal and maintenance
-- days, a contact's birthday ("YYYY-MM-DD" or "--MM-DD" without the year) and
-- its month and day ("MM-DD"), which the scheduler looks birthdays up by.
ALTER TABLE customers ADD COLUMN renewal_on DATE;
ALTER TABLE customers ADD COLUMN maintenance_on DATE;
CREATE INDEX customers_renewal_on ON customers (renewal_on)
    WHERE renewal_on IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX customers_maintenance_on ON customers (maintenance_on)
    WHERE maintenance_on IS NOT NULL AND deleted_at IS NULL;
ALTER TABLE contacts ADD COLUMN birthday TEXT;
ALTER TABLE contacts ADD COLUMN birthday_md TEXT;
CREATE INDEX contacts_birthday_md ON contacts (birthday_md)
    WHERE birthday_md IS NOT NULL AND deleted_at IS NULL;

-- Each user's zone: their days (birthdays, all-day items, quiet hours) are its days.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';

-- What a user wants to be told and how; no row means the defaults.
CREATE TABLE notification_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    in_app BOOLEAN NOT NULL DEFAULT 1,
    email BOOLEAN NOT NULL DEFAULT 1,
    -- minutes after local midnight; both or neither
    quiet_start INTEGER,
    quiet_end INTEGER,
    -- JSON list of the kinds switched off
    kinds_off TEXT NOT NULL DEFAULT '[]',
    birthday_days_before INTEGER NOT NULL,
    renewal_days_before INTEGER NOT NULL,
    maintenance_days_before INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Notifications, each made once: (user_id, dedup_key) is unique and the
-- scheduler inserts only when absent, so restarts and several nodes never
-- tell anyone twice. The e-mail of one is claimed with a lease before it is sent.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT,
    record_type TEXT,
    record_id TEXT,
    customer_id TEXT,
    due_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    -- false when the user had in-app notifications off: kept only so it is not made again
    shown BOOLEAN NOT NULL,
    -- none | pending | sent | failed
    email_state TEXT NOT NULL,
    email_after TIMESTAMP,
    email_lease_until TIMESTAMP,
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_sent_at TIMESTAMP
);
CREATE UNIQUE INDEX notifications_once ON notifications (user_id, dedup_key);
CREATE INDEX notifications_by_user ON notifications (user_id, shown, created_at, id);
CREATE INDEX notifications_unread ON notifications (user_id, shown) WHERE read_at IS NULL;
CREATE INDEX notifications_mail_due ON notifications (email_state, email_after);

-- Reminders people set by hand; fired_at is set when the notification is made.
CREATE TABLE reminders (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    remind_at TIMESTAMP NOT NULL,
    note TEXT NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    activity_id TEXT,
    fired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reminders_by_user ON reminders (user_id, remind_at, id);
CREATE INDEX reminders_due ON reminders (remind_at) WHERE fired_at IS NULL;

-- A user's calendar feed secret; only its SHA-256 is kept.
CREATE TABLE calendar_tokens (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- Follow-up days across all users, for the scheduler (my day reads them per owner).
CREATE INDEX activities_follow_up_on ON activities (next_follow_up_on)
    WHERE next_follow_up_on IS NOT NULL;
