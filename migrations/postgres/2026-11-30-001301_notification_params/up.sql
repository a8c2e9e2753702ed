-- What a notification's title is made of (names, days, the activity), as
-- JSON, so a screen can word the title in its reader's language. Null for
-- notifications made before, and for reminders set by hand.
ALTER TABLE notifications ADD COLUMN params TEXT;
