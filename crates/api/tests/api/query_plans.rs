//! No hidden full scans: every list, filter, sort, search, get-by-id and
//! access query the repository builds is EXPLAINed on a seeded database
//! (statistics gathered), and fails when it reads a large table whole.
//!
//! The queries are the repository's own (`list_queries`, `count_queries`,
//! `visible`, …), wrapped in EXPLAIN with their real bind values by
//! `db::explain`, never hand-copied SQL.
//!
//! Allowed whole reads, and why:
//! - a walk of the sort index (`customers_updated`, `_created`, `_name`) by a
//!   list whose scope branch is broad (everything, or whole regions) and whose
//!   filters are not selective, or that sorts by something else than the
//!   default `updated_at` (which alone has composite indexes with each filter
//!   column): the page is the first rows of that index that qualify and the
//!   walk stops when the page is full, which is the best plan when many rows
//!   qualify. Narrow branches (own, collaborating, team, partner) never walk;
//! - the same broad branches when counting without a selective filter: a
//!   count of most of the table reads most of it, whatever the plan;
//! - the trash's partial index `customers_trash`, which holds deleted rows only;
//! - the same walk of the contacts' primary key, newest first, by `GET
//!   /contacts` for a broad branch, and of `audit_log_at` by the audit log
//!   unfiltered or filtered by kind of record only.
//!
//! On PostgreSQL `enable_seqscan` is off for the check: at this size (a few
//! thousand rows) the planner rightly prefers a sequential scan of a table that
//! fits in a few pages, which would say nothing about the plan at a million
//! rows. With it off, a sequential scan still appears when no index can serve
//! the query, which is exactly what this test is after. `enable_mergejoin` is
//! off for the same reason: a merge join of a few hundred collaborations or
//! tag rows with the whole customers key is cheap at this size and loses to
//! the nested loop over the same index long before a million rows. SQLite
//! plans from its ANALYZE statistics as they are. For a tag or a search,
//! PostgreSQL's plain index scans are off as well:
//! at this size walking a few thousand index entries in sort order costs less
//! than the trigram or tag index, so only with that walk ruled out does the
//! plan show whether the filter's own index can drive the query. The same
//! holds for the contacts of a narrow scope branch (they must come from the
//! branch's customers), and hash joins are off for the duplicates report as
//! merge joins are for everything.

use crate::db_test;
use crate::helpers::TestApp;
use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use kehu_api::auth::principal::Via;
use kehu_api::db::explain::{self, Plan};
use kehu_api::db::schema::{
    audit_log as al, customer_owner_changes as coc, customer_stage_changes, customers,
};
use kehu_api::db::{self, DbConnection};
use kehu_api::repo::access_sql::{branches, broad, customer_condition};
use kehu_api::repo::activities::ActivityFilter;
use kehu_api::repo::audit::{self as audit_log, AuditFilter, Entity};
use kehu_api::repo::customers::owners;
use kehu_api::repo::customers::stages::ChangedBy;
use kehu_api::repo::customers::{
    self as store, After, CursorValue, CustomerFilter, CustomerRow, Liveness, OwnerFilter, Sort,
    SortKey,
};
use kehu_api::repo::opportunities::OpportunityFilter;
use kehu_api::repo::{self, contacts, customers::stages, reminders};
use kehu_domain::access::{self, Action, Resource, Subject};
use kehu_domain::customer::LifecycleStage;
use kehu_domain::ownership::OwnerChangeKind;

const LARGE: &[&str] = &[
    "customers",
    "contacts",
    "customer_collaborators",
    "customer_stage_changes",
    "customer_tags",
    "customer_product_lines",
    "customer_keys",
    "customer_owner_changes",
    "audit_log",
    "activities",
    "activity_participants",
    "opportunities",
    "opportunity_stage_history",
];
const SORT_INDEXES: &[&str] = &["customers_updated", "customers_created", "customers_name"];

fn subject(c: &mut DbConnection, email: &str) -> Subject {
    let id = repo::users::id_by_email_key(c, email)
        .unwrap()
        .expect("seeded user");
    repo::principal::load(c, &id, Via::Session)
        .unwrap()
        .unwrap()
        .subject
}

/// Filters that leave a large share of rows in (a stage, an industry, a
/// region, the pool, a tag, a one- or two-character search): a broad branch
/// may walk its sort order through them and stop when the page is full.
fn unselective(f: &CustomerFilter) -> bool {
    !matches!(f.owner, Some(OwnerFilter::User(_)))
        && f.team_id.is_none()
        && f.updated_since.is_none()
        && f.q.as_ref().is_none_or(|q| q.chars().count() < 3)
}

struct Checker {
    failures: Vec<String>,
    checked: usize,
}

impl Checker {
    fn check(&mut self, name: &str, plan: QueryResult<Plan>, allowed: &[&str]) {
        let plan = plan.unwrap_or_else(|e| panic!("EXPLAIN of {name} failed: {e}"));
        self.checked += 1;
        for r in plan.whole_reads() {
            if !LARGE.contains(&r.table.as_str()) {
                continue;
            }
            let ok = r
                .index
                .as_deref()
                .is_some_and(|i| i == "customers_trash" || allowed.contains(&i))
                || allowed.contains(&"*");
            if !ok {
                self.failures.push(format!(
                    "{name}: reads all of {} (index {:?})\n{}",
                    r.table,
                    r.index,
                    plan.render()
                ));
            }
        }
    }
}

fn seed(c: &mut DbConnection) {
    kehu_api::seed::run(c, 3000).expect("seed");
    // what the seed lacks: collaborations and a stage history
    // spread over the table, as real collaborations are
    let ids: Vec<String> = customers::table
        .select(customers::id)
        .order(customers::id)
        .load::<String>(c)
        .unwrap()
        .into_iter()
        .step_by(7)
        .collect();
    let reps: Vec<String> = (0..7)
        .map(|i| repo::users::id_by_email_key(c, &format!("rep{i}@seed.example")))
        .map(|r| r.unwrap().unwrap())
        .collect();
    let t0 = NaiveDateTime::parse_from_str("2026-01-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    for (i, id) in ids.iter().enumerate() {
        store::add_collaborator(c, id, &reps[i % reps.len()]).unwrap();
        // a claim: an owner change and its audit entry
        let rep = &reps[(i + 1) % reps.len()];
        let claim = owners::OwnerChange {
            kind: OwnerChangeKind::Claim,
            from: None,
            to: Some(rep),
            reason: None,
            team: None,
        };
        let by = ChangedBy {
            user_id: Some(rep),
            api_key_id: None,
        };
        owners::record(c, id, &claim, by, t0 + Duration::minutes(i as i64)).unwrap();
        diesel::insert_into(customer_stage_changes::table)
            .values((
                customer_stage_changes::id.eq(db::new_id()),
                customer_stage_changes::customer_id.eq(id),
                customer_stage_changes::from_stage.eq("prospect"),
                customer_stage_changes::to_stage.eq("interested"),
                customer_stage_changes::changed_by.eq(Some(&reps[0])),
                customer_stage_changes::changed_at.eq(t0 + Duration::minutes(i as i64)),
            ))
            .execute(c)
            .unwrap();
    }
    // activities: a done one and a plan on every third customer, some with
    // a colleague taking part and a follow-up day
    let some: Vec<String> = customers::table
        .select(customers::id)
        .order(customers::id)
        .load::<String>(c)
        .unwrap()
        .into_iter()
        .step_by(3)
        .collect();
    for (i, id) in some.iter().enumerate() {
        let owner = &reps[i % reps.len()];
        let author = repo::activities::Author {
            user_id: Some(owner),
            api_key_id: None,
        };
        let at = t0 + Duration::hours(i as i64);
        let mut done = kehu_domain::activity::Activity::create(
            kehu_domain::activity::RawActivity {
                kind: Some("visit".into()),
                done_at: Some(Some(repo::activities::micros(at))),
                next_follow_up_on: (i % 5 == 0).then(|| Some("2026-02-01".into())),
                ..Default::default()
            },
            owner,
            repo::activities::micros(at),
        )
        .unwrap();
        if i % 4 == 0 {
            done.participant_ids = vec![reps[(i + 1) % reps.len()].clone()];
        }
        repo::activities::insert(c, &db::new_id(), id, &done, author, at).unwrap();
        let plan = kehu_domain::activity::Activity::create(
            kehu_domain::activity::RawActivity {
                kind: Some("task".into()),
                due_at: Some(Some(repo::activities::micros(at + Duration::days(30)))),
                ..Default::default()
            },
            owner,
            repo::activities::micros(at),
        )
        .unwrap();
        let author = repo::activities::Author {
            user_id: Some(owner),
            api_key_id: None,
        };
        repo::activities::insert(c, &db::new_id(), id, &plan, author, at).unwrap();
    }
    // the duplicate keys, as `kehu seed` and `kehu serve` make them
    while kehu_api::repo::customers::dedup::refresh_stale_keys(c, 1000).unwrap() > 0 {}
    db::analyze(c).unwrap();
}

async fn no_full_scans(app: TestApp) {
    let pool = app.db.pool();
    let mut conn = pool.get().unwrap();
    let c: &mut DbConnection = &mut conn;
    seed(c);
    let pg = c.backend() == db::Backend::Postgres;
    if pg {
        c.batch_execute("SET enable_seqscan = off; SET enable_mergejoin = off")
            .unwrap();
    }
    let region = repo::principal::tree(c, "region")
        .unwrap()
        .into_iter()
        .find(|(_, parent)| parent.is_some())
        .map(|(id, _)| id)
        .unwrap();
    let rep0 = repo::users::id_by_email_key(c, "rep0@seed.example")
        .unwrap()
        .unwrap();
    let team = repo::principal::load(c, &rep0, Via::Session)
        .unwrap()
        .unwrap()
        .team_id
        .unwrap();
    // the last eight digits of a customer's phone, typed with a space
    let phones: String = customers::table.select(customers::phones).first(c).unwrap();
    let digits: String = phones.chars().filter(char::is_ascii_digit).collect();
    let tail = &digits[digits.len() - 8..];
    let phone = format!("{} {}", &tail[..4], &tail[4..]);
    let since = NaiveDateTime::parse_from_str("2026-11-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let filters: Vec<(&str, CustomerFilter)> = vec![
        ("no filter", CustomerFilter::default()),
        (
            "stage",
            CustomerFilter {
                stage: Some("customer".into()),
                ..Default::default()
            },
        ),
        (
            "region",
            CustomerFilter {
                region_ids: Some(vec![region.clone()]),
                ..Default::default()
            },
        ),
        (
            "owner",
            CustomerFilter {
                owner: Some(OwnerFilter::User(rep0.clone())),
                ..Default::default()
            },
        ),
        (
            "pool",
            CustomerFilter {
                owner: Some(OwnerFilter::Pool),
                ..Default::default()
            },
        ),
        (
            "team",
            CustomerFilter {
                team_id: Some(team.clone()),
                ..Default::default()
            },
        ),
        (
            "tag",
            CustomerFilter {
                tag: Some("重点".into()),
                ..Default::default()
            },
        ),
        (
            "industry",
            CustomerFilter {
                industry: Some("制造".into()),
                ..Default::default()
            },
        ),
        (
            "updated_since",
            CustomerFilter {
                updated_since: Some(since),
                ..Default::default()
            },
        ),
        (
            "search 3+",
            CustomerFilter {
                q: Some("@c1234.".into()),
                ..Default::default()
            },
        ),
        (
            "search phone",
            CustomerFilter {
                q: Some(phone),
                ..Default::default()
            },
        ),
        (
            "search 2",
            CustomerFilter {
                q: Some("科技".into()),
                ..Default::default()
            },
        ),
        (
            "trash",
            CustomerFilter {
                deleted: true,
                ..Default::default()
            },
        ),
    ];
    let t = NaiveDateTime::parse_from_str("2026-06-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let sorts = [
        (SortKey::UpdatedAt, true, CursorValue::Time(t)),
        (SortKey::CreatedAt, false, CursorValue::Time(t)),
        (SortKey::Name, false, CursorValue::Text("M".into())),
    ];
    let mut chk = Checker {
        failures: Vec::new(),
        checked: 0,
    };
    let some_id: String = customers::table.select(customers::id).first(c).unwrap();
    for who in [
        "rep0@seed.example",
        "manager0@seed.example",
        "dealer0@seed.example",
        "admin@seed.example",
    ] {
        let s = subject(c, who);
        for action in [Action::Read, Action::Update, Action::Delete] {
            let scope = access::predicate(&s, Resource::Customer, action);
            let name = format!("{who} {action:?} get by id");
            let q = store::visible(customer_condition(&scope), &some_id, Liveness::Live)
                .select(CustomerRow::as_select());
            chk.check(&name, explain::plan(c, q), &[]);
        }
        // GET /contacts: a narrow branch from its customers, a broad one
        // walking contacts newest first until the page is full
        let scope = access::predicate(&s, Resource::Customer, Action::Read);
        let newest: String = kehu_api::db::schema::contacts::table
            .select(kehu_api::db::schema::contacts::id)
            .first(c)
            .unwrap();
        for before in [None, Some(newest.as_str())] {
            for (q, branch) in contacts::visible_queries(&scope, before, 51)
                .into_iter()
                .zip(branches(&scope))
            {
                let name = format!(
                    "{who} all contacts cursor={} branch {branch:?}",
                    before.is_some()
                );
                let allowed: &[&str] = if broad(&branch) {
                    &["sqlite_autoindex_contacts_1", "contacts_pkey"]
                } else {
                    &[]
                };
                // at this size a few hundred of the newest contacts hold a
                // page of any branch; only with that walk ruled out does
                // the plan show whether a narrow branch starts from its
                // customers, as it must at a million
                let narrow_pg = pg && !broad(&branch);
                if narrow_pg {
                    c.batch_execute("SET enable_indexscan = off").unwrap();
                }
                chk.check(&name, explain::plan(c, q), allowed);
                if narrow_pg {
                    c.batch_execute("SET enable_indexscan = on").unwrap();
                }
            }
        }
        // ownership transfer: selection and preview of rep0's customers
        let edit = access::predicate(&s, Resource::Customer, Action::Update);
        for ids in [None, Some(vec![some_id.clone()])] {
            let q =
                owners::transferable_query(&rep0, ids.as_deref(), customer_condition(&edit), 1000)
                    .select(CustomerRow::as_select());
            let name = format!("{who} transferable ids={}", ids.is_some());
            chk.check(&name, explain::plan(c, q), &[]);
        }
        let parts = branches(&scope);
        let in_order = store::list_branches(&scope);
        for (fname, f) in &filters {
            let own_index_only = pg && (f.tag.is_some() || f.q.is_some());
            if own_index_only {
                c.batch_execute("SET enable_indexscan = off").unwrap();
            }
            for (key, desc, value) in &sorts {
                let sort = Sort {
                    key: *key,
                    desc: *desc,
                };
                let cursor = After {
                    value: value.clone(),
                    id: some_id.clone(),
                };
                for after in [None, Some(&cursor)] {
                    let queries = store::list_queries(c.backend(), &scope, f, sort, after, 51);
                    assert_eq!(queries.len(), in_order.len());
                    for (q, branch) in queries.into_iter().zip(&in_order) {
                        let name = format!(
                            "{who} list [{fname}] sort {key:?} desc={desc} cursor={} branch {branch:?}",
                            after.is_some()
                        );
                        let walk = unselective(f) || *key != SortKey::UpdatedAt;
                        let allowed = if broad(branch) && walk {
                            SORT_INDEXES
                        } else {
                            &[]
                        };
                        let q = q.select(CustomerRow::as_select());
                        chk.check(&name, explain::plan(c, q), allowed);
                    }
                }
            }
            for (q, branch) in store::count_queries(c.backend(), &scope, f)
                .into_iter()
                .zip(&parts)
            {
                let name = format!("{who} count [{fname}] branch {branch:?}");
                let allowed: &[&str] = if broad(branch) && unselective(f) {
                    &["*"]
                } else {
                    &[]
                };
                chk.check(&name, explain::plan(c, q.count()), allowed);
            }
            if own_index_only {
                c.batch_execute("SET enable_indexscan = on").unwrap();
            }
        }
    }
    chk.check(
        "contacts of a customer",
        explain::plan(
            c,
            contacts::list_query(&some_id, false, Some(("张".into(), some_id.clone())), 51)
                .select(contacts::ContactRow::as_select()),
        ),
        &[],
    );
    chk.check(
        "stage history of a customer",
        explain::plan(
            c,
            stages::list_query(some_id.clone(), 50).select((
                customer_stage_changes::id,
                customer_stage_changes::changed_at,
            )),
        ),
        &[],
    );
    // every create and every edit that adds a key looks these up
    use kehu_api::repo::customers::dedup::{self, candidates_query};
    use kehu_domain::dedup::Match;
    for (kind, key) in [
        (Match::Name, "华联超市"),
        (Match::Phone, "+8613800138000"),
        (Match::Email, "a@example.com"),
    ] {
        chk.check(
            &format!("duplicate candidates by {}", kind.as_str()),
            explain::plan(
                c,
                candidates_query(kind, vec![key, "other"], Some(&some_id)),
            ),
            &[],
        );
    }
    // the duplicates report: its window, the shared keys in it, their
    // members. A hash join of a window of keys with all customers is cheap
    // at this size and loses to the nested loop over the primary key long
    // before a million rows, as the merge join does.
    if pg {
        c.batch_execute("SET enable_hashjoin = off").unwrap();
    }
    let start = (String::new(), String::new());
    let mid = ("name".to_owned(), "m".to_owned());
    for after in [&start, &mid] {
        chk.check(
            &format!("duplicates report window after {after:?}"),
            explain::plan(c, dedup::report_window_query(after)),
            &[],
        );
        for upto in [None, Some(&mid)] {
            chk.check(
                &format!("duplicates report keys after {after:?} upto {upto:?}"),
                explain::plan(c, dedup::report_keys_query(after, upto, 500)),
                &[],
            );
        }
    }
    chk.check(
        "duplicates report members",
        explain::plan(
            c,
            dedup::report_members_query(Match::Name, vec!["华联超市".into(), "x".into()]),
        ),
        &[],
    );
    if pg {
        c.batch_execute("SET enable_hashjoin = on").unwrap();
    }
    // the pool: owner history, the claim limits' counts, recycling
    chk.check(
        "owner history of a customer",
        explain::plan(
            c,
            owners::list_query(&some_id, 50).select((coc::id, coc::changed_at)),
        ),
        &[],
    );
    chk.check(
        "customers a rep owns",
        explain::plan(c, owners::owned_query(&rep0).count()),
        &[],
    );
    chk.check(
        "claims of a rep in a day",
        explain::plan(c, owners::claims_query(&rep0, since).count()),
        &[],
    );
    chk.check(
        "when a rep last lost a customer",
        explain::plan(
            c,
            owners::last_lost_query(&rep0, &some_id).select(coc::changed_at),
        ),
        &[],
    );
    for stage in LifecycleStage::ALL {
        chk.check(
            &format!("recycling due in {}", stage.as_str()),
            explain::plan(
                c,
                owners::due_query(stage.as_str(), since, 100).select(customers::id),
            ),
            &[],
        );
    }
    // the reminder scheduler: dates in a window, birthdays by month and day
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
    );
    for which in [
        reminders::CustomerDate::Renewal,
        reminders::CustomerDate::Maintenance,
    ] {
        chk.check(
            &format!("{which:?} dates due"),
            explain::plan(
                c,
                reminders::customers_dated_query(which, from, to, None).select(customers::id),
            ),
            &[],
        );
    }
    let t = NaiveDateTime::parse_from_str("2026-12-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    chk.check(
        "activities due",
        explain::plan(
            c,
            reminders::open_due_query(t - Duration::days(7), t + Duration::days(1))
                .select(kehu_api::db::schema::activities::id),
        ),
        &[],
    );
    chk.check(
        "follow-ups due",
        explain::plan(
            c,
            reminders::follow_ups_query("2026-11-23", "2026-12-02")
                .select(kehu_api::db::schema::activities::id),
        ),
        &[],
    );
    let month_days: Vec<String> = (1..=40).map(|d| format!("12-{:02}", d % 31 + 1)).collect();
    chk.check(
        "birthdays due",
        explain::plan(
            c,
            reminders::birthdays_query(&month_days).select(contacts::ContactRow::as_select()),
        ),
        &[],
    );
    // export: the contacts of a batch of customers
    let batch: Vec<String> = customers::table
        .select(customers::id)
        .limit(200)
        .load(c)
        .unwrap();
    chk.check(
        "export contacts of a batch",
        explain::plan(
            c,
            contacts::of_customers_query(&batch).select(contacts::ContactRow::as_select()),
        ),
        &[],
    );
    // the audit log: the whole log, a record's, a customer's, a person's
    let audit_filters: Vec<(&str, AuditFilter, bool)> = vec![
        ("none", AuditFilter::default(), true),
        (
            "entity",
            AuditFilter {
                entity: Some(Entity::Customer),
                ..Default::default()
            },
            true,
        ),
        (
            "record",
            AuditFilter {
                entity: Some(Entity::Contact),
                entity_id: Some(some_id.clone()),
                ..Default::default()
            },
            false,
        ),
        (
            "customer history",
            AuditFilter {
                customer_id: Some(some_id.clone()),
                ..Default::default()
            },
            false,
        ),
        (
            "user",
            AuditFilter {
                user_id: Some(rep0.clone()),
                ..Default::default()
            },
            false,
        ),
        (
            "api key",
            AuditFilter {
                api_key_id: Some(some_id.clone()),
                ..Default::default()
            },
            false,
        ),
        (
            "since and until",
            AuditFilter {
                since: Some(t - Duration::days(1)),
                until: Some(t),
                ..Default::default()
            },
            false,
        ),
        (
            "user since",
            AuditFilter {
                user_id: Some(rep0.clone()),
                since: Some(since),
                ..Default::default()
            },
            false,
        ),
    ];
    for (fname, f, walk) in &audit_filters {
        for before in [None, Some((t, some_id.clone()))] {
            let name = format!("audit log [{fname}] cursor={}", before.is_some());
            let allowed: &[&str] = if *walk { &["audit_log_at"] } else { &[] };
            let q = audit_log::list_query(f, before, 51).select((al::id, al::at, al::changes));
            chk.check(&name, explain::plan(c, q), allowed);
        }
    }
    // activities: the lists a rep, a manager, a dealer and an administrator
    // read (my day's, a customer's, everything newest first), and the
    // timeline's sources
    let activity_at = t + Duration::days(3);
    for who in [
        "rep0@seed.example",
        "manager0@seed.example",
        "dealer0@seed.example",
        "admin@seed.example",
    ] {
        let s = subject(c, who);
        let me = s.user_id.clone();
        let scope = access::predicate(&s, Resource::Customer, Action::Read);
        let filters = [
            ("everything", ActivityFilter::default(), true),
            (
                "a customer's",
                ActivityFilter {
                    customer_id: Some(some_id.clone()),
                    ..Default::default()
                },
                false,
            ),
            (
                "mine (owner or participant) that day",
                ActivityFilter {
                    involving: Some(me.clone()),
                    sort_from: Some(t),
                    sort_to: Some(activity_at),
                    skip_open_all_day: true,
                    ascending: true,
                    ..Default::default()
                },
                false,
            ),
            (
                "my overdue",
                ActivityFilter {
                    owner_id: Some(me.clone()),
                    done: Some(false),
                    due_before: Some(activity_at),
                    ascending: true,
                    ..Default::default()
                },
                false,
            ),
            (
                "my follow-ups",
                ActivityFilter {
                    owner_id: Some(me.clone()),
                    follow_up_by: Some("2026-03-01".into()),
                    ..Default::default()
                },
                false,
            ),
            (
                "visits and calls",
                ActivityFilter {
                    kinds: vec!["visit".into(), "call".into()],
                    ..Default::default()
                },
                true,
            ),
        ];
        for (fname, f, walk) in &filters {
            for after in [None, Some((activity_at, some_id.clone()))] {
                let queries = repo::activities::list_queries(&scope, f, after.clone(), 51);
                for (q, branch) in queries.into_iter().zip(branches(&scope)) {
                    let name = format!(
                        "{who} activities [{fname}] cursor={} branch {branch:?}",
                        after.is_some()
                    );
                    // The lists without a customer or person (an API
                    // client's export, not a screen) may walk the time
                    // index until the page is full, also for a narrow
                    // branch: at this size both planners prefer it to
                    // starting from the branch's customers. Known cost at
                    // scale for a rep with few activities; the screens'
                    // lists (a customer's, mine) must not walk.
                    let allowed: &[&str] = if *walk {
                        &["activities_sort", "activities_customer"]
                    } else {
                        &[]
                    };
                    chk.check(&name, explain::plan(c, q), allowed);
                }
            }
        }
    }
    let rep0 = repo::users::id_by_email_key(c, "rep0@seed.example")
        .unwrap()
        .unwrap();
    for (name, plan) in kehu_api::http::activities::timeline::plans(c, &some_id, &rep0, t).unwrap()
    {
        chk.check(&format!("timeline {name}"), Ok(plan), &[]);
    }
    // deals: the lists and board columns a rep, a manager, a dealer and an
    // administrator read, and the forecast's aggregate
    for who in [
        "rep0@seed.example",
        "manager0@seed.example",
        "dealer0@seed.example",
        "admin@seed.example",
    ] {
        let s = subject(c, who);
        let scope = access::predicate(&s, Resource::Opportunity, Action::Read);
        let deal_filters = [
            ("everything", OpportunityFilter::default()),
            (
                "a customer's",
                OpportunityFilter {
                    customer_id: Some(some_id.clone()),
                    ..Default::default()
                },
            ),
            (
                "mine",
                OpportunityFilter {
                    owner_id: Some(s.user_id.clone()),
                    ..Default::default()
                },
            ),
            (
                "a board column",
                OpportunityFilter {
                    pipeline_id: Some("default".into()),
                    stage_id: Some("stage-qualify".into()),
                    closed_since: Some("2026-11-01".into()),
                    ..Default::default()
                },
            ),
        ];
        for (fname, f) in &deal_filters {
            for after in [None, Some(("2026-06-01".to_owned(), some_id.clone()))] {
                let queries = repo::opportunities::list_queries(&scope, f, after.clone(), 51);
                for (q, branch) in queries.into_iter().zip(branches(&scope)) {
                    let name = format!(
                        "{who} deals [{fname}] cursor={} branch {branch:?}",
                        after.is_some()
                    );
                    // a broad branch walks the close-date order (or a
                    // stage's) until the page is full, as customers do
                    let allowed: &[&str] = if broad(&branch) {
                        &["opportunities_close", "opportunities_stage"]
                    } else {
                        &[]
                    };
                    chk.check(&name, explain::plan(c, q), allowed);
                }
            }
        }
        // the forecast's aggregate: the rollup for what the deals' own
        // columns allow, the deals for what collaboration adds
        let ask = repo::forecast::Ask {
            currency: "CNY",
            from: "2025-12-01",
            to: "2026-12-01",
            group: repo::forecast::GroupBy::Owner,
            pipeline_id: None,
        };
        let plans = repo::forecast::plans(c, repo::forecast::Sources::of(&scope), &ask).unwrap();
        assert!(!plans.is_empty(), "{who}: the forecast reads something");
        for (i, plan) in plans.into_iter().enumerate() {
            chk.check(&format!("{who} forecast part {i}"), Ok(plan), &[]);
        }
    }
    assert!(chk.checked > 500, "only {} plans checked", chk.checked);
    assert!(
        chk.failures.is_empty(),
        "{} of {} queries read a large table whole:\n\n{}",
        chk.failures.len(),
        chk.checked,
        chk.failures.join("\n")
    );
}
db_test!(no_full_scans);

/// The checker itself sees a full scan: without a usable index, it must fail.
async fn a_full_scan_is_seen(app: TestApp) {
    let pool = app.db.pool();
    let mut conn = pool.get().unwrap();
    let c: &mut DbConnection = &mut conn;
    if c.backend() == db::Backend::Postgres {
        c.batch_execute("SET enable_seqscan = off").unwrap();
    }
    // notes has no index
    let q = customers::table
        .filter(customers::notes.eq("x"))
        .select(customers::id);
    let plan = explain::plan(c, q).unwrap();
    assert!(
        plan.whole_reads().iter().any(|r| r.table == "customers"),
        "{}",
        plan.render()
    );
}
db_test!(a_full_scan_is_seen);

/// Lead lists: each alternative of a scope is read on its own (see
/// `repo::leads::list`), from its own index; only the broad ones (everything,
/// whole regions) may walk the newest-first index `leads_created`, and the
/// queue filter the partial index of unowned leads, `leads_queue`.
async fn lead_lists_read_their_own_indexes(app: TestApp) {
    use kehu_api::repo::leads::{self as leads_store, LeadFilter, Placement, Writer};
    use kehu_domain::lead::{Lead, LeadStatus, RawLead, Source};
    let pool = app.db.pool();
    let mut conn = pool.get().unwrap();
    let c: &mut DbConnection = &mut conn;
    kehu_api::seed::run(c, 200).expect("seed");
    let reps: Vec<(String, Option<String>, Vec<String>)> = (0..7)
        .map(|i| {
            let id = repo::users::id_by_email_key(c, &format!("rep{i}@seed.example"))
                .unwrap()
                .unwrap();
            let s = subject(c, &format!("rep{i}@seed.example"));
            let team = repo::principal::load(c, &id, Via::Session)
                .unwrap()
                .unwrap()
                .team_id;
            (id, team, s.region_ids.into_iter().collect())
        })
        .collect();
    let t0 = NaiveDateTime::parse_from_str("2026-01-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    db::write_tx(c, |c| {
        for i in 0..4000usize {
            // rep0, whose lists are checked, owns one lead in a hundred, as
            // one rep among many would
            let (rep, team, regions) = &reps[if i % 100 == 1 {
                0
            } else {
                1 + i % (reps.len() - 1)
            }];
            let lead = Lead::create(
                RawLead {
                    name: Some(format!("线索{i}")),
                    region_id: Some(regions.first().cloned()),
                    source: Some(["referral", "web_form", "import"][i % 3].into()),
                    ..Default::default()
                },
                &Source::known(Source::MANUAL),
            )
            .unwrap();
            let queued = i % 5 == 0;
            let p = Placement {
                status: Some(
                    [
                        LeadStatus::New,
                        LeadStatus::Contacted,
                        LeadStatus::Qualified,
                    ][i % 3],
                ),
                owner_id: (!queued).then(|| rep.clone()),
                team_id: team.clone(),
                score: 10,
                ..Default::default()
            };
            leads_store::insert(
                c,
                &db::new_id(),
                &lead,
                &p,
                Writer::default(),
                t0 + Duration::minutes(i as i64),
            )?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    db::analyze(c).unwrap();
    if c.backend() == db::Backend::Postgres {
        c.batch_execute("SET enable_seqscan = off; SET enable_mergejoin = off")
            .unwrap();
    }
    let (rep0, team0, _) = reps[0].clone();
    let filters: Vec<(&str, LeadFilter)> = vec![
        ("no filter", LeadFilter::default()),
        (
            "status",
            LeadFilter {
                status: Some("contacted".into()),
                ..Default::default()
            },
        ),
        (
            "owner",
            LeadFilter {
                owner_id: Some(rep0.clone()),
                ..Default::default()
            },
        ),
        (
            "queue",
            LeadFilter {
                queue: true,
                ..Default::default()
            },
        ),
        (
            "team queue",
            LeadFilter {
                queue: true,
                queue_team_id: team0.clone(),
                ..Default::default()
            },
        ),
        (
            "source",
            LeadFilter {
                source: Some("referral".into()),
                ..Default::default()
            },
        ),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for who in [
        "rep0@seed.example",
        "manager0@seed.example",
        "admin@seed.example",
        "dealer0@seed.example",
    ] {
        let s = subject(c, who);
        let scope = access::predicate(&s, Resource::Lead, Action::Read);
        for branch in leads_store::list_branches(&scope) {
            for (fname, f) in &filters {
                let q = leads_store::list_query(leads_store::lead_condition(&branch), f, None, 51)
                    .select(leads_store::LeadRow::as_select());
                let plan = explain::plan(c, q).unwrap();
                checked += 1;
                for r in plan
                    .whole_reads()
                    .into_iter()
                    .filter(|r| r.table == "leads")
                {
                    let ok = match r.index.as_deref() {
                        Some("leads_created") => broad(&branch),
                        Some("leads_queue") => f.queue,
                        _ => false,
                    };
                    if !ok {
                        failures.push(format!(
                            "{who} × {branch:?} × {fname}: reads all of leads (index {:?})\n{}",
                            r.index,
                            plan.render()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} plans checked");
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
db_test!(lead_lists_read_their_own_indexes);
