-- 勿扰: the channels (call, email, sms, mail) a contact must not be reached
-- by, each with who set it and when, as a JSON list kept on the contact so
-- that every read of a contact carries it and nothing can show a contact
-- without its marks.
ALTER TABLE contacts ADD COLUMN do_not_contact TEXT NOT NULL DEFAULT '[]';
