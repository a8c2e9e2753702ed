//! Reminders end to end: the date fields they come from, preferences and
//! time zones, the scheduler (once only, catching up), the bell, reminders
//! set by hand, e-mail through a real SMTP exchange, and the calendar feed.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use crate::smtp_sink::SmtpSink;
use chrono::{DateTime, NaiveDateTime};
use kehu_api::config::{Smtp, SmtpTls};
use kehu_api::remind::{mail::Mailer, scheduler};
use serde_json::{Value, json};

fn at(s: &str) -> NaiveDateTime {
    DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
}

/// One scheduler tick at `now`, as a node would run it.
fn tick(app: &TestApp, now: &str) -> usize {
    let pool = app.pool();
    let mut c = pool.get().unwrap();
    scheduler::tick(&mut c, at(now), false).unwrap()
}

async fn rep(app: &TestApp, admin: &Client, org: &Org, email: &str) -> (String, Client) {
    user(email, "sales_rep")
        .regions(&[&org.shanghai])
        .create(app, admin)
        .await
}

async fn titles(c: &Client) -> Vec<String> {
    let r = c.get("/api/v1/notifications").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut t: Vec<String> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

async fn dates_and_birthdays_are_fields_of_customers_and_contacts(app: TestApp) {
    let admin = app.admin().await;
    let cid = create_customer(
        &admin,
        customer("续约客户")
            .with("renewal_on", json!("2026-12-31"))
            .with("maintenance_on", json!("2027-03-01")),
    )
    .await;
    let path = format!("/api/v1/customers/{cid}");
    let got = admin.get(&path).await;
    assert_eq!(got.body["renewal_on"], "2026-12-31");
    assert_eq!(got.body["maintenance_on"], "2027-03-01");
    let bad = admin
        .post(
            "/api/v1/customers",
            customer("坏日期").with("renewal_on", json!("2026-02-30")),
        )
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "renewal_on");
    let cleared = admin
        .patch(&path, &got.etag(), json!({"renewal_on": null}))
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body["renewal_on"], Value::Null);
    assert_eq!(cleared.body["maintenance_on"], "2027-03-01");
    let history = admin.get(&format!("{path}/history")).await;
    assert!(history.text.contains("renewal_on"), "{}", history.text);

    let contacts = format!("{path}/contacts");
    let k = admin
        .post(&contacts, json!({"name": "王芳", "birthday": "--02-29"}))
        .await;
    assert_eq!(k.status, 201, "{}", k.text);
    assert_eq!(k.body["birthday"], "--02-29");
    let bad = admin
        .post(&contacts, json!({"name": "李雷", "birthday": "1990-02-30"}))
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "birthday");

    let csv = admin.get("/api/v1/customers/export").await;
    assert!(
        csv.text
            .lines()
            .next()
            .unwrap()
            .contains("renewal_on,maintenance_on"),
        "{}",
        csv.text
    );
    assert!(csv.text.contains("2027-03-01"));
    let csv = admin.get("/api/v1/customers/export?what=contacts").await;
    assert!(csv.text.contains("--02-29"), "{}", csv.text);
}
db_test!(dates_and_birthdays_are_fields_of_customers_and_contacts);

async fn preferences_and_time_zone(app: TestApp) {
    let admin = app.admin().await;
    assert_eq!(
        admin.get("/api/v1/me").await.body["time_zone"],
        "Asia/Shanghai"
    );
    let p = admin.get("/api/v1/me/preferences").await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["time_zone"], "Asia/Shanghai");
    assert_eq!(
        p.body["quiet_hours"],
        json!({"start": "22:00", "end": "08:00"})
    );
    assert_eq!(p.body["kinds"]["birthday"], true);
    let bad = admin
        .send(
            reqwest::Method::PUT,
            "/api/v1/me/preferences",
            Some(json!({"time_zone": "Mars/Olympus", "quiet_hours": {"start": "25:00", "end": "08:00"}, "kinds": {"spam": true}, "renewal_days_before": 400})),
            &[],
        )
        .await;
    assert_eq!(
        bad.error_fields(),
        [
            "time_zone",
            "quiet_hours.start",
            "kinds.spam",
            "renewal_days_before"
        ]
    );
    let ok = admin
        .send(
            reqwest::Method::PUT,
            "/api/v1/me/preferences",
            Some(json!({"time_zone": "Europe/Berlin", "email": false, "quiet_hours": null, "kinds": {"birthday": false}, "renewal_days_before": 60})),
            &[],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let p = admin.get("/api/v1/me/preferences").await;
    assert_eq!(p.body["time_zone"], "Europe/Berlin");
    assert_eq!(p.body["email"], false);
    assert_eq!(p.body["in_app"], true);
    assert_eq!(p.body["quiet_hours"], Value::Null);
    assert_eq!(p.body["kinds"]["birthday"], false);
    assert_eq!(p.body["kinds"]["renewal"], true);
    assert_eq!(p.body["renewal_days_before"], 60);
    assert_eq!(
        admin.get("/api/v1/me").await.body["time_zone"],
        "Europe/Berlin"
    );
}
db_test!(preferences_and_time_zone);

async fn the_scheduler_notifies_the_owner_once_even_with_two_nodes(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    let cid = create_customer(
        &rep,
        customer("华联")
            .with("renewal_on", json!("2026-12-10"))
            .with("maintenance_on", json!("2026-12-03")),
    )
    .await;
    let k = rep
        .post(
            &format!("/api/v1/customers/{cid}/contacts"),
            json!({"name": "王芳", "birthday": "1985-12-01"}),
        )
        .await;
    assert_eq!(k.status, 201);
    // a customer in the company pool: nobody to tell
    create_customer(
        &admin,
        customer("公海客户")
            .with("owner_id", Value::Null)
            .with("renewal_on", json!("2026-12-05")),
    )
    .await;

    // two nodes tick at the same moment on one database:
    // 2026-11-30T17:00Z is already 1 December in Shanghai
    let now = "2026-11-30T17:00:00Z";
    let made: usize = std::thread::scope(|s| {
        let a = s.spawn(|| tick(&app, now));
        let b = s.spawn(|| tick(&app, now));
        a.join().unwrap() + b.join().unwrap()
    });
    assert_eq!(made, 3);
    assert_eq!(
        titles(&rep).await,
        [
            "Birthday: 王芳 (华联) on 2026-12-01",
            "Maintenance: 华联 on 2026-12-03",
            "Renewal: 华联 on 2026-12-10",
        ]
    );
    // a restart ticks again: nothing new
    assert_eq!(tick(&app, "2026-11-30T17:05:00Z"), 0);
    assert_eq!(titles(&admin).await, Vec::<String>::new());
    let page = rep.get("/api/v1/notifications").await;
    assert_eq!(page.body["unread_count"], 3);
    let birthday = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "birthday")
        .unwrap()
        .clone();
    assert_eq!(birthday["record"]["type"], "contact");
    assert_eq!(birthday["record"]["id"], k.id().as_str());
    assert_eq!(birthday["customer_id"], cid.as_str());
    assert_eq!(birthday["body"], "Turns 41.");
    // what the title is made of, for screens in other languages
    assert_eq!(
        birthday["params"],
        json!({"customer": "华联", "contact": "王芳", "on": "2026-12-01", "age": 41})
    );
    let renewal = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "renewal")
        .unwrap()
        .clone();
    assert_eq!(
        renewal["params"],
        json!({"customer": "华联", "on": "2026-12-10"})
    );
    // the day begins at midnight in Shanghai
    assert_eq!(birthday["due_at"], "2026-11-30T16:00:00Z");
}
db_test!(the_scheduler_notifies_the_owner_once_even_with_two_nodes);

async fn a_tick_after_downtime_delivers_what_was_missed_once(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    rep.send(
        reqwest::Method::PUT,
        "/api/v1/me/preferences",
        Some(json!({"renewal_days_before": 0})),
        &[],
    )
    .await;
    create_customer(&rep, customer("甲").with("renewal_on", json!("2026-12-10"))).await;
    create_customer(&rep, customer("乙").with("renewal_on", json!("2026-11-01"))).await;
    assert_eq!(
        tick(&app, "2026-12-09T03:00:00Z"),
        0,
        "not due before the day"
    );
    // the nodes were down from the 9th to the 13th
    assert_eq!(tick(&app, "2026-12-13T03:00:00Z"), 1);
    assert_eq!(tick(&app, "2026-12-13T03:01:00Z"), 0);
    assert_eq!(titles(&rep).await, ["Renewal: 甲 on 2026-12-10"]);
    // missed by more than the grace period: too late to be useful
    assert_eq!(tick(&app, "2026-12-30T03:00:00Z"), 0);
}
db_test!(a_tick_after_downtime_delivers_what_was_missed_once);

async fn birthdays_fall_on_the_recipients_local_date(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, sh) = rep(&app, &admin, &org, "sh@test.example").await;
    let (_, ldn) = rep(&app, &admin, &org, "ldn@test.example").await;
    ldn.send(
        reqwest::Method::PUT,
        "/api/v1/me/preferences",
        Some(json!({"time_zone": "Europe/London"})),
        &[],
    )
    .await;
    for (c, name) in [(&sh, "上海客户"), (&ldn, "London Ltd")] {
        let cid = create_customer(c, customer(name)).await;
        for (who, b) in [("十二月", "--12-01"), ("闰日", "--02-29")] {
            let r = c
                .post(
                    &format!("/api/v1/customers/{cid}/contacts"),
                    json!({"name": who, "birthday": b}),
                )
                .await;
            assert_eq!(r.status, 201);
        }
    }
    // 17:00Z on 30 November: 1 December in Shanghai, still 30 November in London
    tick(&app, "2026-11-30T17:00:00Z");
    assert_eq!(
        titles(&sh).await,
        ["Birthday: 十二月 (上海客户) on 2026-12-01"]
    );
    assert_eq!(titles(&ldn).await, Vec::<String>::new());
    tick(&app, "2026-12-01T09:00:00Z");
    assert_eq!(
        titles(&ldn).await,
        ["Birthday: 十二月 (London Ltd) on 2026-12-01"]
    );
    // 2027 has no 29 February: the 28th it is
    tick(&app, "2027-02-28T12:00:00Z");
    assert!(
        titles(&ldn)
            .await
            .contains(&"Birthday: 闰日 (London Ltd) on 2027-02-28".to_owned())
    );
}
db_test!(birthdays_fall_on_the_recipients_local_date);

async fn the_bell_reads_and_hides_others_notifications(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    let (_, other) = self::rep(&app, &admin, &org, "other@test.example").await;
    create_customer(&rep, customer("甲").with("renewal_on", json!("2026-12-10"))).await;
    create_customer(
        &rep,
        customer("乙").with("maintenance_on", json!("2026-12-05")),
    )
    .await;
    tick(&app, "2026-12-01T02:00:00Z");
    assert_eq!(
        rep.get("/api/v1/notifications/unread-count").await.body["count"],
        2
    );
    let page = rep.get("/api/v1/notifications?limit=1").await;
    assert_eq!(page.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["unread_count"], 2);
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let second = rep
        .get(&format!("/api/v1/notifications?limit=1&cursor={cursor}"))
        .await;
    assert_eq!(second.body["data"].as_array().unwrap().len(), 1);
    assert_ne!(second.body["data"][0]["id"], page.body["data"][0]["id"]);
    let nid = page.body["data"][0]["id"].as_str().unwrap().to_owned();
    other
        .post(&format!("/api/v1/notifications/{nid}/read"), json!({}))
        .await
        .problem(404);
    assert_eq!(
        other.get("/api/v1/notifications").await.body["data"],
        json!([])
    );
    let r = rep
        .post(&format!("/api/v1/notifications/{nid}/read"), json!({}))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(
        rep.get("/api/v1/notifications/unread-count").await.body["count"],
        1
    );
    let unread = rep.get("/api/v1/notifications?unread=true").await;
    assert_eq!(unread.body["data"].as_array().unwrap().len(), 1);
    assert!(unread.body["data"][0]["read_at"].is_null());
    assert_eq!(
        rep.post("/api/v1/notifications/read-all", json!({}))
            .await
            .status,
        204
    );
    assert_eq!(
        rep.get("/api/v1/notifications/unread-count").await.body["count"],
        0
    );
    rep.get("/api/v1/notifications?cursor=nonsense")
        .await
        .problem(400);
}
db_test!(the_bell_reads_and_hides_others_notifications);

async fn reminders_by_hand_are_the_setters_own(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    let (_, other) = self::rep(&app, &admin, &org, "other@test.example").await;
    let cid = create_customer(&rep, customer("华联")).await;
    let soon = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let r = rep
        .post(
            "/api/v1/reminders",
            json!({"remind_at": soon, "note": "给王总回电话\n确认报价", "customer_id": cid}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let rid = r.id();
    assert!(r.body["fired_at"].is_null());
    // the other rep cannot see the customer, so cannot set a reminder about it
    let hidden = other
        .post(
            "/api/v1/reminders",
            json!({"remind_at": soon, "note": "x", "customer_id": cid}),
        )
        .await;
    assert_eq!(hidden.problem(422)["errors"][0]["field"], "customer_id");
    for (body, field) in [
        (json!({"remind_at": "tomorrow", "note": "x"}), "remind_at"),
        (
            json!({"remind_at": "2020-01-01T00:00:00Z", "note": "x"}),
            "remind_at",
        ),
        (json!({"remind_at": soon, "note": "  "}), "note"),
    ] {
        let bad = rep.post("/api/v1/reminders", body).await;
        assert_eq!(
            bad.problem(422)["errors"][0]["field"],
            field,
            "{}",
            bad.text
        );
    }
    assert_eq!(
        rep.get("/api/v1/reminders").await.ids(),
        std::slice::from_ref(&rid)
    );
    assert_eq!(
        other.get("/api/v1/reminders").await.ids(),
        Vec::<String>::new()
    );
    other
        .delete(&format!("/api/v1/reminders/{rid}"))
        .await
        .problem(404);

    let later = (chrono::Utc::now() + chrono::Duration::hours(3)).to_rfc3339();
    assert_eq!(tick(&app, &later), 1);
    assert_eq!(tick(&app, &later), 0);
    let n = rep.get("/api/v1/notifications").await;
    let n = &n.body["data"][0];
    assert_eq!(n["kind"], "manual");
    assert_eq!(n["title"], "给王总回电话");
    assert!(n["params"].is_null(), "the user's own words: {n}");
    assert_eq!(n["body"], "给王总回电话\n确认报价");
    assert_eq!(n["record"], json!({"type": "customer", "id": cid}));
    let list = rep.get("/api/v1/reminders").await;
    assert!(!list.body["data"][0]["fired_at"].is_null());
    assert_eq!(
        rep.delete(&format!("/api/v1/reminders/{rid}")).await.status,
        204
    );
    assert_eq!(
        rep.get("/api/v1/reminders").await.ids(),
        Vec::<String>::new()
    );
}
db_test!(reminders_by_hand_are_the_setters_own);

fn mailer(sink: &SmtpSink) -> Mailer {
    Mailer::new(
        &Smtp {
            host: sink.addr.ip().to_string(),
            port: sink.addr.port(),
            tls: SmtpTls::None,
            username: None,
            password: None,
            from: "Kehu <crm@test.example>".into(),
        },
        Some("https://crm.test.example".into()),
    )
    .unwrap()
}

async fn e_mail_waits_for_quiet_hours_and_goes_once(app: TestApp) {
    let sink = SmtpSink::start();
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    let cid = create_customer(
        &rep,
        customer("华联").with("renewal_on", json!("2026-12-10")),
    )
    .await;
    let pool = app.pool();
    let mut c = pool.get().unwrap();
    // 15:00Z is 23:00 in Shanghai, within the default quiet hours (22:00–08:00)
    assert_eq!(
        scheduler::tick(&mut c, at("2026-12-01T15:00:00Z"), true).unwrap(),
        1
    );
    let m = mailer(&sink);
    assert_eq!(m.send_due(&mut c, at("2026-12-01T15:05:00Z")).unwrap(), 0);
    assert_eq!(m.send_due(&mut c, at("2026-12-01T23:59:00Z")).unwrap(), 0);
    assert!(sink.messages().is_empty());
    // 08:00 in Shanghai: two nodes try at once, one sends
    let sent: usize = std::thread::scope(|s| {
        let run = || {
            let pool = app.pool();
            let mut c = pool.get().unwrap();
            mailer(&sink)
                .send_due(&mut c, at("2026-12-02T00:00:30Z"))
                .unwrap()
        };
        let a = s.spawn(run);
        let b = s.spawn(run);
        a.join().unwrap() + b.join().unwrap()
    });
    assert_eq!(sent, 1);
    assert_eq!(m.send_due(&mut c, at("2026-12-02T00:10:00Z")).unwrap(), 0);
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["rep@test.example"]);
    assert_eq!(got[0].from, "crm@test.example");
    assert!(
        got[0].data.contains("Subject: Renewal: =?utf-8?")
            || got[0].data.contains("Subject: Renewal:"),
        "{}",
        got[0].data
    );
    assert!(
        got[0]
            .data
            .contains(&format!("https://crm.test.example/customers/{cid}")),
        "{}",
        got[0].data
    );
    // the in-app notification is there too
    assert_eq!(
        rep.get("/api/v1/notifications/unread-count").await.body["count"],
        1
    );

    // without quiet hours and with e-mail off, nothing is mailed
    rep.send(
        reqwest::Method::PUT,
        "/api/v1/me/preferences",
        Some(json!({"email": false})),
        &[],
    )
    .await;
    create_customer(
        &rep,
        customer("乙").with("maintenance_on", json!("2026-12-05")),
    )
    .await;
    assert_eq!(
        scheduler::tick(&mut c, at("2026-12-02T03:00:00Z"), true).unwrap(),
        1
    );
    assert_eq!(m.send_due(&mut c, at("2026-12-02T03:01:00Z")).unwrap(), 0);
    assert_eq!(sink.messages().len(), 1);
}
db_test!(e_mail_waits_for_quiet_hours_and_goes_once);

async fn the_calendar_feed_is_rfc_5545_behind_a_revocable_secret(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    assert_eq!(rep.get("/api/v1/me/calendar").await.body["active"], false);
    let renewal = (chrono::Utc::now().date_naive() + chrono::Duration::days(20)).to_string();
    create_customer(
        &rep,
        customer("华联, 上海; 总部").with("renewal_on", json!(renewal)),
    )
    .await;
    let when = (chrono::Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .and_hms_opt(2, 0, 0)
        .unwrap()
        .and_utc();
    let long = "拜访前准备报价单，并带上样品目录和最新的价格表以及合同草稿，确认交货期与付款方式"
        .repeat(2);
    let r = rep
        .post(
            "/api/v1/reminders",
            json!({"remind_at": when.to_rfc3339(), "note": long}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let rid = r.id();
    let cid = create_customer(&rep, customer("江南")).await;
    let visit_at = (chrono::Utc::now() + chrono::Duration::days(3))
        .date_naive()
        .and_hms_opt(6, 30, 0)
        .unwrap()
        .and_utc();
    let visit = activity(
        &rep,
        &cid,
        json!({"kind": "visit", "due_at": visit_at.to_rfc3339(), "notes": "带样品\n见王总"}),
    )
    .await;
    let task_day = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
    let task = activity(
        &rep,
        &cid,
        json!({"kind": "task", "subject": "寄合同", "due_at": format!("{task_day}T00:00:00Z"), "all_day": true}),
    )
    .await;

    let made = rep.post("/api/v1/me/calendar", json!({})).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let url = made.body["url"].as_str().unwrap().to_owned();
    let path = url
        .split_once("/api/v1/")
        .map(|(_, p)| format!("/api/v1/{p}"))
        .unwrap();
    assert!(path.ends_with(".ics"));
    assert_eq!(rep.get("/api/v1/me/calendar").await.body["active"], true);

    let feed = app.anon().get(&path).await;
    assert_eq!(feed.status, 200, "{}", feed.text);
    assert!(
        feed.header("content-type")
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(feed.text.contains("\r\n") && !feed.text.replace("\r\n", "").contains('\n'));
    assert!(feed.text.split("\r\n").all(|l| l.len() <= 75));
    let cal = ical::IcalParser::new(feed.text.as_bytes())
        .next()
        .expect("a calendar")
        .expect("parses");
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties.iter().find(|p| p.name == name).cloned()
    };
    assert_eq!(cal.events.len(), 4);
    let find = |uid: String| {
        cal.events
            .iter()
            .find(|e| prop(e, "UID").unwrap().value.unwrap() == uid)
            .unwrap_or_else(|| panic!("no event {uid}"))
    };
    let v = find(format!("activity-{visit}@kehu"));
    assert_eq!(prop(v, "SUMMARY").unwrap().value.unwrap(), "Visit – 江南");
    assert_eq!(
        prop(v, "DTSTART").unwrap().value.unwrap(),
        visit_at.format("%Y%m%dT%H%M%SZ").to_string()
    );
    assert_eq!(
        prop(v, "DESCRIPTION").unwrap().value.unwrap(),
        "带样品\\n见王总"
    );
    let t = find(format!("activity-{task}@kehu"));
    assert_eq!(
        prop(t, "DTSTART").unwrap().value.unwrap(),
        task_day.format("%Y%m%d").to_string()
    );
    assert_eq!(
        prop(t, "DTEND").unwrap().value.unwrap(),
        (task_day + chrono::Duration::days(1))
            .format("%Y%m%d")
            .to_string()
    );
    let reminder = cal
        .events
        .iter()
        .find(|e| prop(e, "UID").unwrap().value.unwrap() == format!("reminder-{rid}@kehu"))
        .expect("the reminder");
    assert_eq!(prop(reminder, "SUMMARY").unwrap().value.unwrap(), long);
    assert_eq!(
        prop(reminder, "DTSTART").unwrap().value.unwrap(),
        when.format("%Y%m%dT%H%M%SZ").to_string()
    );
    assert!(prop(reminder, "DTSTAMP").is_some());
    let day = cal
        .events
        .iter()
        .find(|e| {
            prop(e, "UID")
                .unwrap()
                .value
                .unwrap()
                .starts_with("renewal-")
        })
        .expect("the renewal");
    let start = prop(day, "DTSTART").unwrap();
    assert_eq!(start.value.unwrap(), renewal.replace('-', ""));
    assert_eq!(
        start.params.unwrap(),
        [("VALUE".to_owned(), vec!["DATE".to_owned()])]
    );
    assert_eq!(
        prop(day, "SUMMARY").unwrap().value.unwrap(),
        "Renewal: 华联\\, 上海\\; 总部"
    );

    // a new secret retires the old; revoking retires that one too
    let again = rep.post("/api/v1/me/calendar", json!({})).await;
    let new_path = again.body["url"]
        .as_str()
        .unwrap()
        .split_once("/api/v1/")
        .map(|(_, p)| format!("/api/v1/{p}"))
        .unwrap();
    app.anon().get(&path).await.problem(404);
    assert_eq!(app.anon().get(&new_path).await.status, 200);
    assert_eq!(rep.delete("/api/v1/me/calendar").await.status, 204);
    app.anon().get(&new_path).await.problem(404);
    app.anon()
        .get("/api/v1/calendar/nothing.ics")
        .await
        .problem(404);
    assert_eq!(rep.get("/api/v1/me/calendar").await.body["active"], false);
}
db_test!(the_calendar_feed_is_rfc_5545_behind_a_revocable_secret);

async fn activity(c: &Client, cid: &str, body: Value) -> String {
    let r = c
        .post(&format!("/api/v1/customers/{cid}/activities"), body)
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.id()
}

async fn activities_due_and_follow_ups_are_announced_once(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = rep(&app, &admin, &org, "rep@test.example").await;
    let (_, other) = self::rep(&app, &admin, &org, "other@test.example").await;
    let hualian = create_customer(&rep, customer("华联")).await;
    let visit = activity(
        &rep,
        &hualian,
        json!({"kind": "visit", "subject": "季度回顾", "due_at": "2026-12-01T02:00:00Z"}),
    )
    .await;
    activity(
        &rep,
        &hualian,
        json!({"kind": "task", "due_at": "2026-12-03T00:00:00Z", "all_day": true}),
    )
    .await;
    activity(
        &rep,
        &hualian,
        json!({"kind": "call", "done": true, "next_follow_up_on": "2026-12-02"}),
    )
    .await;
    // a follow-up overtaken by a later activity on the customer is not announced
    let jiangnan = create_customer(&rep, customer("江南")).await;
    activity(
        &rep,
        &jiangnan,
        json!({"kind": "call", "done": true, "next_follow_up_on": "2026-12-02"}),
    )
    .await;
    activity(&rep, &jiangnan, json!({"kind": "note", "notes": "已回电"})).await;

    assert_eq!(
        tick(&app, "2026-12-01T01:40:00Z"),
        0,
        "the visit is 20 minutes away"
    );
    assert_eq!(tick(&app, "2026-12-01T01:50:00Z"), 1);
    let n = rep.get("/api/v1/notifications").await;
    assert_eq!(n.body["data"][0]["kind"], "activity_due");
    assert_eq!(
        n.body["data"][0]["record"],
        json!({"type": "activity", "id": visit})
    );
    assert_eq!(
        n.body["data"][0]["title"],
        "Due: 季度回顾 – 华联 at 2026-12-01 02:00 UTC"
    );
    assert_eq!(
        n.body["data"][0]["params"],
        json!({"customer": "华联", "subject": "季度回顾", "activity_kind": "visit", "at": "2026-12-01T02:00:00Z"})
    );
    // 00:30 on 2 December in Shanghai: the follow-up's day
    assert_eq!(tick(&app, "2026-12-01T16:30:00Z"), 1);
    // the all-day task's day begins at 16:00Z on 2 December in Shanghai
    assert_eq!(tick(&app, "2026-12-02T15:59:00Z"), 0);
    assert_eq!(tick(&app, "2026-12-02T16:00:00Z"), 1);
    assert_eq!(tick(&app, "2026-12-02T16:30:00Z"), 0);
    assert_eq!(
        titles(&rep).await,
        [
            "Due: Task – 华联 on 2026-12-03",
            "Due: 季度回顾 – 华联 at 2026-12-01 02:00 UTC",
            "Follow up: 华联 on 2026-12-02",
        ]
    );
    // my day lists the unread ones
    let day = rep.get("/api/v1/me/day?date=2026-12-02").await;
    assert_eq!(
        day.body["reminders"].as_array().unwrap().len(),
        3,
        "{}",
        day.text
    );

    // a reminder about an activity needs read access to its customer
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let hidden = other
        .post(
            "/api/v1/reminders",
            json!({"remind_at": soon, "note": "x", "activity_id": visit}),
        )
        .await;
    assert_eq!(hidden.problem(422)["errors"][0]["field"], "activity_id");
    let r = rep
        .post(
            "/api/v1/reminders",
            json!({"remind_at": soon, "note": "准备资料", "activity_id": visit}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let later = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    tick(&app, &later);
    let n = rep.get("/api/v1/notifications?unread=true").await;
    let manual = n.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "manual")
        .unwrap()
        .clone();
    assert_eq!(manual["record"], json!({"type": "activity", "id": visit}));
}
db_test!(activities_due_and_follow_ups_are_announced_once);
