ALTER TABLE contacts DROP COLUMN do_not_contact;
