-- Activities (活动): calls, visits, meetings, e-mails, tasks and notes on a
-- customer. They are read through their customer's access condition, so
-- they carry no scope of their own. `sort_at` is when the activity happens
-- in the timeline (done, else due, else written), kept so one index serves
-- each list in time order.
CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    contact_id TEXT REFERENCES contacts (id),
    kind TEXT NOT NULL,
    subject TEXT,
    notes TEXT,
    owner_id TEXT NOT NULL REFERENCES users (id),
    due_at TIMESTAMP,
    all_day BOOLEAN NOT NULL,
    done_at TIMESTAMP,
    outcome TEXT,
    place TEXT,
    next_follow_up_on TEXT,
    sort_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX activities_customer ON activities (customer_id, sort_at, id);
CREATE INDEX activities_owner ON activities (owner_id, sort_at, id);
CREATE INDEX activities_contact ON activities (contact_id);
-- A user's open follow-ups: "next follow-up on" dates not yet overtaken.
CREATE INDEX activities_follow_up ON activities (owner_id, next_follow_up_on)
    WHERE next_follow_up_on IS NOT NULL;

CREATE TABLE activity_participants (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX activity_participants_user ON activity_participants (user_id, activity_id);

-- Pool recycling counts days without progress from the later of the last
-- done activity and the day the current owner took the customer (NULL:
-- since it was created), no longer from any edit of the record.
ALTER TABLE customers ADD COLUMN last_activity_at TIMESTAMP;
ALTER TABLE customers ADD COLUMN owned_since TIMESTAMP;
UPDATE customers SET owned_since = updated_at WHERE owner_id IS NOT NULL;
CREATE INDEX customers_recycle ON customers (lifecycle_stage, owned_since, id)
    WHERE owner_id IS NOT NULL AND deleted_at IS NULL;
-- Everything in time order, for those who see whole regions or all.
CREATE INDEX activities_sort ON activities (sort_at, id);
