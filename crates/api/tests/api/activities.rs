//! 活动: logging and planning calls, visits, tasks and notes on a customer,
//! within the customer's scope; the timeline; "my day"; and what activities
//! change elsewhere (last activity, pool recycling, merges, transfers).

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, Resp, TestApp};
use chrono::{Duration, SecondsFormat, Utc};
use reqwest::Method;
use serde_json::{Value, json};

async fn log(c: &Client, cid: &str, body: Value) -> Resp {
    c.post(&format!("/api/v1/customers/{cid}/activities"), body)
        .await
}

async fn logged(c: &Client, cid: &str, body: Value) -> String {
    let r = log(c, cid, body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.id()
}

fn ago(d: Duration) -> String {
    (Utc::now() - d).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

/// An administrator, two reps of one region and a service agent.
async fn people(app: &TestApp) -> (Client, (String, Client), (String, Client), Client) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let rep = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(app, &admin)
        .await;
    let other = user("other@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(app, &admin)
        .await;
    let (_, service) = user("svc@test.example", "service_agent")
        .create(app, &admin)
        .await;
    (admin, rep, other, service)
}

async fn activities_follow_their_customers_scope(app: TestApp) {
    let (admin, (rep_id, rep), (other_id, other), service) = people(&app).await;
    let cid = create_customer(&rep, customer("拜访客户")).await;

    // a visit logged in one step: done now, owned by the rep
    let r = log(
        &rep,
        &cid,
        json!({"kind": "visit", "done": true, "outcome": "同意试用", "place": {"label": "客户总部", "lat": 31.24, "lon": 121.5}}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "done");
    assert_eq!(r.body["owner"]["id"], rep_id.as_str());
    assert_eq!(r.body["customer_name"], "拜访客户");
    assert_eq!(r.body["place"]["label"], "客户总部");
    assert_eq!(r.body["allowed"], json!({"update": true, "delete": true}));
    let visit = r.id();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/activities/{visit}").as_str())
    );
    let path = format!("/api/v1/activities/{visit}");

    // the customer now shows when it was last worked on
    let c = rep.get(&format!("/api/v1/customers/{cid}")).await;
    assert_eq!(c.body["last_activity_at"], r.body["done_at"]);

    // another rep sees nothing of it: not the activity, not the list, not the customer
    other.get(&path).await.problem(404);
    assert!(
        other
            .get(&format!("/api/v1/activities?customer_id={cid}"))
            .await
            .body["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    log(&other, &cid, json!({"kind": "call"}))
        .await
        .problem(404);
    other
        .patch(&path, &r.etag(), json!({"outcome": "x"}))
        .await
        .problem(404);
    assert_eq!(other.delete(&path).await.status, 404);

    // a service agent who sees the customer logs their own call...
    let call = log(&service, &cid, json!({"kind": "call", "done": true})).await;
    assert_eq!(call.status, 201, "{}", call.text);
    // ...but may not change the rep's visit, nor give work to the rep
    let seen = service.get(&path).await;
    assert_eq!(
        seen.body["allowed"],
        json!({"update": false, "delete": false})
    );
    service
        .patch(&path, &seen.etag(), json!({"outcome": "改"}))
        .await
        .problem(403);
    log(&service, &cid, json!({"kind": "task", "owner_id": rep_id}))
        .await
        .problem(403);
    // the rep, who may change the customer, may change the agent's call
    let call_path = format!("/api/v1/activities/{}", call.id());
    let upd = rep
        .patch(&call_path, &call.etag(), json!({"outcome": "已回电"}))
        .await;
    assert_eq!(upd.status, 200, "{}", upd.text);

    // the rep plans a task for a colleague on the customer
    let t = log(
        &rep,
        &cid,
        json!({"kind": "task", "subject": "送样品", "owner_id": other_id, "due_at": ago(Duration::days(-2))}),
    )
    .await;
    assert_eq!(t.status, 201, "{}", t.text);
    assert_eq!(t.body["status"], "open");

    // in the trash, the customer takes its activities out of reach
    admin.delete(&format!("/api/v1/customers/{cid}")).await;
    rep.get(&path).await.problem(404);
}
db_test!(activities_follow_their_customers_scope);

async fn bad_activities_are_refused_field_by_field_and_nothing_is_stored(app: TestApp) {
    let (admin, (_, rep), _, _) = people(&app).await;
    let cid = create_customer(&rep, customer("校验客户")).await;
    let elsewhere = create_customer(&admin, customer("别家客户")).await;
    let stranger = admin
        .post(
            &format!("/api/v1/customers/{elsewhere}/contacts"),
            json!({"name": "外人"}),
        )
        .await
        .id();

    let future = log(
        &rep,
        &cid,
        json!({"kind": "visit", "done_at": ago(Duration::hours(-3))}),
    )
    .await;
    future.problem(422);
    assert_eq!(future.error_fields(), ["done_at"]);

    let r = log(
        &rep,
        &cid,
        json!({"kind": "call", "contact_id": stranger, "participant_ids": ["nobody"], "next_follow_up_on": "2026-02-30", "all_day": true}),
    )
    .await;
    r.problem(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["all_day", "next_follow_up_on"], "{}", r.text);
    let r = log(
        &rep,
        &cid,
        json!({"kind": "call", "contact_id": stranger, "participant_ids": ["nobody"]}),
    )
    .await;
    r.problem(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["contact_id", "participant_ids[0]"], "{}", r.text);

    let kind = log(&rep, &cid, json!({"kind": "lunch"})).await;
    assert!(kind.status == 400 || kind.status == 422, "{}", kind.text);
    assert_eq!(kind.error_fields(), ["kind"], "{}", kind.text);
    let place = log(
        &rep,
        &cid,
        json!({"kind": "visit", "done": true, "place": {"lat": 95.0, "lon": 10.0}}),
    )
    .await;
    assert_eq!(place.error_fields(), ["place.lat"], "{}", place.text);
    let bad_filter = rep.get("/api/v1/activities?status=late").await;
    bad_filter.problem(400);

    // nothing was stored
    let list = rep
        .get(&format!("/api/v1/activities?customer_id={cid}"))
        .await;
    assert_eq!(list.body["data"], json!([]));
}
db_test!(bad_activities_are_refused_field_by_field_and_nothing_is_stored);

async fn lists_filter_by_kind_status_and_person_and_page_in_time_order(app: TestApp) {
    let (_, (rep_id, rep), (other_id, other), _) = people(&app).await;
    let cid = create_customer(&rep, customer("列表客户")).await;
    let old_call = logged(
        &rep,
        &cid,
        json!({"kind": "call", "done_at": ago(Duration::days(3))}),
    )
    .await;
    let visit = logged(
        &rep,
        &cid,
        json!({"kind": "visit", "done_at": ago(Duration::days(1)), "participant_ids": [other_id]}),
    )
    .await;
    let late = logged(
        &rep,
        &cid,
        json!({"kind": "task", "due_at": ago(Duration::hours(5))}),
    )
    .await;
    let ahead = logged(
        &rep,
        &cid,
        json!({"kind": "meeting", "due_at": ago(Duration::days(-1))}),
    )
    .await;
    let base = format!("/api/v1/activities?customer_id={cid}");

    // newest first by when it happens
    let all = rep.get(&base).await;
    assert_eq!(
        ids(&all.body["data"]),
        [
            ahead.as_str(),
            late.as_str(),
            visit.as_str(),
            old_call.as_str()
        ]
    );
    assert_eq!(
        ids(&rep.get(&format!("{base}&kind=visit,call")).await.body["data"]),
        [visit.as_str(), old_call.as_str()]
    );
    assert_eq!(
        ids(&rep.get(&format!("{base}&status=open")).await.body["data"]),
        [ahead.as_str(), late.as_str()]
    );
    let overdue = rep.get(&format!("{base}&status=overdue")).await;
    assert_eq!(ids(&overdue.body["data"]), [late.as_str()]);
    assert_eq!(overdue.body["data"][0]["status"], "overdue");
    assert_eq!(
        ids(&rep.get(&format!("{base}&status=done")).await.body["data"]),
        [visit.as_str(), old_call.as_str()]
    );
    // the colleague who took part sees the visit among theirs (they may see the customer? no: only by scope)
    assert_eq!(
        ids(&rep.get(&format!("{base}&owner_id=me")).await.body["data"]).len(),
        4
    );
    assert!(
        other.get("/api/v1/activities?involving=me").await.body["data"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the customer is out of the colleague's scope, so its activities are too"
    );
    let _ = rep_id;

    // pages of one walk the list once
    let mut walked = Vec::new();
    let mut next = Some(format!("{base}&limit=1"));
    while let Some(url) = next {
        let p = rep.get(&url).await;
        assert_eq!(p.status, 200, "{}", p.text);
        walked.extend(ids(&p.body["data"]));
        next = p.body["next_cursor"]
            .as_str()
            .map(|c| format!("{base}&limit=1&cursor={c}"));
    }
    assert_eq!(
        walked,
        [
            ahead.as_str(),
            late.as_str(),
            visit.as_str(),
            old_call.as_str()
        ]
    );
    // from a time on: oldest first, a plan of the days ahead
    let from = ago(Duration::hours(6)).replace('+', "%2B");
    assert_eq!(
        ids(&rep.get(&format!("{base}&from={from}")).await.body["data"]),
        [late.as_str(), ahead.as_str()]
    );
}
db_test!(lists_filter_by_kind_status_and_person_and_page_in_time_order);

async fn marking_done_and_deleting_keep_the_customers_last_activity_true(app: TestApp) {
    let (_, (_, rep), _, _) = people(&app).await;
    let cid = create_customer(&rep, customer("跟进客户")).await;
    let cpath = format!("/api/v1/customers/{cid}");
    let earlier = ago(Duration::days(2));
    let first = log(&rep, &cid, json!({"kind": "call", "done_at": earlier})).await;
    let task = log(
        &rep,
        &cid,
        json!({"kind": "task", "subject": "寄合同", "due_at": ago(Duration::days(-1)), "next_follow_up_on": "2030-01-01"}),
    )
    .await;
    let tpath = format!("/api/v1/activities/{}", task.id());
    let before = rep.get(&cpath).await;
    assert_eq!(before.body["last_activity_at"], first.body["done_at"]);

    let done = rep
        .patch(
            &tpath,
            &task.etag(),
            json!({"done": true, "outcome": "已寄出", "next_follow_up_on": null}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["status"], "done");
    assert_eq!(done.body["next_follow_up_on"], Value::Null);
    assert_eq!(done.body["version"], 2);
    // the customer's own version does not move: its last activity is derived
    let after = rep.get(&cpath).await;
    assert_eq!(after.body["last_activity_at"], done.body["done_at"]);
    assert_eq!(after.body["version"], before.body["version"]);
    // a stale write is refused
    rep.patch(&tpath, &task.etag(), json!({"subject": "late"}))
        .await
        .problem(412);
    // reopened, the latest done one is the first call again
    let reopened = rep
        .patch(&tpath, &done.etag(), json!({"done": false}))
        .await;
    assert_eq!(reopened.body["status"], "open");
    assert_eq!(
        rep.get(&cpath).await.body["last_activity_at"],
        first.body["done_at"]
    );
    assert_eq!(
        rep.delete(&format!("/api/v1/activities/{}", first.id()))
            .await
            .status,
        204
    );
    assert_eq!(rep.get(&cpath).await.body["last_activity_at"], Value::Null);
    // the deletion stays in the customer's history
    let history = rep.get(&format!("/api/v1/customers/{cid}/history")).await;
    assert!(
        history.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity"] == "activity" && e["action"] == "delete"),
        "{}",
        history.text
    );
}
db_test!(marking_done_and_deleting_keep_the_customers_last_activity_true);

async fn the_timeline_shows_everything_in_time_order_with_filters_and_paging(app: TestApp) {
    let (admin, (rep_id, rep), (other_id, other), _) = people(&app).await;
    let cid = create_customer(&rep, customer("时间线客户")).await;
    let cpath = format!("/api/v1/customers/{cid}");
    logged(&rep, &cid, json!({"kind": "note", "subject": "初次接触"})).await;
    let c = rep.get(&cpath).await;
    let up = rep
        .patch(
            &cpath,
            &c.etag(),
            json!({"lifecycle_stage": "interested", "industry": "零售"}),
        )
        .await;
    assert_eq!(up.status, 200, "{}", up.text);
    // the administrator hands it to the other rep, who logs a visit
    let c = admin.get(&cpath).await;
    admin
        .patch(&cpath, &c.etag(), json!({"owner_id": other_id}))
        .await;
    logged(&other, &cid, json!({"kind": "visit", "done": true})).await;

    let tl = format!("/api/v1/customers/{cid}/timeline");
    let all = other.get(&tl).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let kinds: Vec<&str> = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"activity"), "{kinds:?}");
    for k in ["activity", "stage_change", "owner_change", "change"] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    let times: Vec<&str> = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let owner = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "owner_change")
        .unwrap();
    assert_eq!(owner["owner_change"]["from"]["id"], rep_id.as_str());
    assert_eq!(owner["owner_change"]["to"]["id"], other_id.as_str());
    assert!(
        !owner["owner_change"]["to"]["display_name"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    // filters
    let acts = other.get(&format!("{tl}?kind=activity")).await;
    assert!(
        acts.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "activity")
    );
    assert_eq!(acts.body["data"].as_array().unwrap().len(), 2);
    let by_rep = other.get(&format!("{tl}?person={rep_id}")).await;
    assert!(
        by_rep.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["person"]["id"] == rep_id.as_str()
                || e["owner_change"]["from"]["id"] == rep_id.as_str()),
        "{}",
        by_rep.text
    );
    other.get(&format!("{tl}?kind=lunch")).await.problem(400);

    // paging one by one walks the same entries once
    let mut walked = Vec::new();
    let mut next = Some(format!("{tl}?limit=1"));
    while let Some(url) = next {
        let p = other.get(&url).await;
        walked.extend(ids(&p.body["data"]));
        next = p.body["next_cursor"]
            .as_str()
            .map(|c| format!("{tl}?limit=1&cursor={c}"));
    }
    assert_eq!(walked, ids(&all.body["data"]));

    // the former owner no longer sees the customer, nor its timeline
    rep.get(&tl).await.problem(404);
}
db_test!(the_timeline_shows_everything_in_time_order_with_filters_and_paging);

async fn my_day_lists_today_overdue_follow_ups_and_recent_customers_in_my_zone(app: TestApp) {
    let (_, (_, rep), _, _) = people(&app).await;
    let a = create_customer(&rep, customer("甲客户")).await;
    let b = create_customer(&rep, customer("乙客户")).await;
    // the day asked for is 2030-01-15 in Shanghai: 2030-01-14T16:00Z to 2030-01-15T16:00Z
    let morning = logged(
        &rep,
        &a,
        json!({"kind": "visit", "due_at": "2030-01-15T01:00:00Z"}),
    )
    .await;
    let just_after_midnight = logged(
        &rep,
        &a,
        json!({"kind": "call", "due_at": "2030-01-14T17:00:00Z"}),
    )
    .await;
    let whole_day = logged(
        &rep,
        &b,
        json!({"kind": "task", "due_at": "2030-01-15T00:00:00Z", "all_day": true}),
    )
    .await;
    let the_evening_before = logged(
        &rep,
        &b,
        json!({"kind": "call", "due_at": "2030-01-14T15:00:00Z"}),
    )
    .await;
    let day_before = logged(
        &rep,
        &b,
        json!({"kind": "task", "due_at": "2030-01-14T00:00:00Z", "all_day": true}),
    )
    .await;
    let tomorrow = logged(
        &rep,
        &a,
        json!({"kind": "meeting", "due_at": "2030-01-15T16:00:00Z"}),
    )
    .await;
    // follow-ups: due on a, overtaken by a newer activity on b
    let follow = logged(
        &rep,
        &a,
        json!({"kind": "visit", "done": true, "next_follow_up_on": "2030-01-10"}),
    )
    .await;
    logged(
        &rep,
        &b,
        json!({"kind": "call", "done_at": ago(Duration::hours(2)), "next_follow_up_on": "2030-01-10"}),
    )
    .await;
    logged(&rep, &b, json!({"kind": "note", "subject": "已回复"})).await;

    let day = rep.get("/api/v1/me/day?date=2030-01-15").await;
    assert_eq!(day.status, 200, "{}", day.text);
    assert_eq!(day.body["date"], "2030-01-15");
    assert_eq!(day.body["time_zone"], "Asia/Shanghai");
    assert_eq!(
        ids(&day.body["today"]),
        [
            whole_day.as_str(),
            just_after_midnight.as_str(),
            morning.as_str()
        ]
    );
    assert_eq!(
        ids(&day.body["overdue"]),
        [day_before.as_str(), the_evening_before.as_str()]
    );
    assert_eq!(ids(&day.body["follow_ups"]), [follow.as_str()]);
    let recent: Vec<&str> = day.body["recent_customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(recent, ["乙客户", "甲客户"]);
    assert!(!ids(&day.body["today"]).contains(&tomorrow));

    rep.get("/api/v1/me/day?date=2030-02-30").await.problem(400);
    // without a date: today in Shanghai
    let today = rep.get("/api/v1/me/day").await;
    let shanghai = (Utc::now() + Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(today.body["date"], shanghai.as_str());
}
db_test!(my_day_lists_today_overdue_follow_ups_and_recent_customers_in_my_zone);

async fn the_pool_recycles_by_the_last_activity_not_by_edits(app: TestApp) {
    let admin = app.admin().await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let owned = |name: &str| customer(name).with("owner_id", json!(rep_id));
    let visited = create_customer(&admin, owned("最近拜访过")).await;
    let edited = create_customer(&admin, owned("只改过资料")).await;
    let handed = create_customer(&admin, owned("刚交接的")).await;
    for id in [visited.as_str(), edited.as_str(), handed.as_str()] {
        app.exec(&format!(
            "UPDATE customers SET created_at = '2020-01-01 00:00:00', owned_since = '2020-01-01 00:00:00' WHERE id = '{id}'"
        ));
    }
    // a visit five days ago keeps one; an edit today does not keep the other
    logged(
        &rep,
        &visited,
        json!({"kind": "visit", "done_at": ago(Duration::days(5))}),
    )
    .await;
    let c = rep.get(&format!("/api/v1/customers/{edited}")).await;
    let e = rep
        .patch(
            &format!("/api/v1/customers/{edited}"),
            &c.etag(),
            json!({"address": "新地址"}),
        )
        .await;
    assert_eq!(e.status, 200, "{}", e.text);
    // a customer handed over yesterday gives its new owner the full time
    app.exec(&format!(
        "UPDATE customers SET owned_since = '{}' WHERE id = '{handed}'",
        (Utc::now() - Duration::days(1)).format("%Y-%m-%d %H:%M:%S")
    ));
    admin
        .send(
            Method::PUT,
            "/api/v1/pool/rules",
            Some(
                json!({"max_owned": null, "max_claims_per_day": null, "reclaim_cooldown_days": 0,
                "recycle": [{"stage": "prospect", "days_without_progress": 30}]}),
            ),
            &[],
        )
        .await;
    let rules = {
        let mut c = app.pool().get().unwrap();
        kehu_api::repo::customers::owners::rules(&mut c).unwrap()
    };
    let mut c = app.pool().get().unwrap();
    let n = kehu_api::repo::customers::owners::recycle(&mut c, &rules, kehu_api::db::now(), 100)
        .unwrap();
    assert_eq!(n, 1);
    for (id, owner) in [
        (&visited, json!(rep_id)),
        (&edited, Value::Null),
        (&handed, json!(rep_id)),
    ] {
        assert_eq!(
            admin.get(&format!("/api/v1/customers/{id}")).await.body["owner_id"],
            owner
        );
    }
}
db_test!(the_pool_recycles_by_the_last_activity_not_by_edits);

async fn merges_move_activities_and_transfers_hand_over_open_ones(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (leaver_id, leaver) = user("leaver@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (heir_id, heir) = user("heir@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let keep = create_customer(&leaver, customer("合并客户")).await;
    let dup = create_customer(&leaver, customer("合并客户（重复）")).await;
    let on_dup = logged(&leaver, &dup, json!({"kind": "visit", "done": true})).await;
    let open = logged(
        &leaver,
        &keep,
        json!({"kind": "task", "due_at": ago(Duration::days(-3)), "participant_ids": [heir_id]}),
    )
    .await;
    let done = logged(&leaver, &keep, json!({"kind": "call", "done": true})).await;

    let k = admin.get(&format!("/api/v1/customers/{keep}")).await;
    let m = admin
        .send(
            Method::POST,
            &format!("/api/v1/customers/{keep}/merge"),
            Some(json!({"other_id": dup, "other_version": 1, "fields": {}})),
            &[("if-match", &k.etag())],
        )
        .await;
    assert_eq!(m.status, 200, "{}", m.text);
    let moved = admin.get(&format!("/api/v1/activities/{on_dup}")).await;
    assert_eq!(moved.body["customer_id"], keep.as_str());
    assert_eq!(moved.body["customer_name"], "合并客户");

    let t = admin
        .post(
            "/api/v1/customers/transfers",
            json!({"from_owner_id": leaver_id, "to_owner_id": heir_id, "reason": "离职交接"}),
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.text);
    let task = heir.get(&format!("/api/v1/activities/{open}")).await;
    assert_eq!(task.body["owner"]["id"], heir_id.as_str(), "{}", task.text);
    assert_eq!(
        task.body["participants"],
        json!([]),
        "the heir is owner, not also a participant"
    );
    let call = heir.get(&format!("/api/v1/activities/{done}")).await;
    assert_eq!(
        call.body["owner"]["id"],
        leaver_id.as_str(),
        "done work stays with who did it"
    );
    let _ = leaver;
}
db_test!(merges_move_activities_and_transfers_hand_over_open_ones);

/// Activities written at the same moment on one customer leave its last
/// activity at the latest of them, whichever commits last.
async fn concurrent_activities_keep_the_last_activity_the_latest(app: TestApp) {
    let (_, (_, rep), _, _) = people(&app).await;
    let cid = create_customer(&rep, customer("并发客户")).await;
    let mut expected = String::new();
    for round in 0..5 {
        let writes: Vec<_> = (0..6)
            .map(|i| {
                let (rep, cid) = (rep.clone(), cid.clone());
                let at = ago(Duration::minutes(100 - round * 10 - i));
                async move {
                    let r = log(&rep, &cid, json!({"kind": "call", "done_at": at})).await;
                    assert_eq!(r.status, 201, "{}", r.text);
                    r.body["done_at"].as_str().unwrap().to_owned()
                }
            })
            .collect();
        let done = futures_util::future::join_all(writes).await;
        expected = done.into_iter().max().unwrap();
    }
    let c = rep.get(&format!("/api/v1/customers/{cid}")).await;
    assert_eq!(c.body["last_activity_at"], expected.as_str());
}
db_test!(concurrent_activities_keep_the_last_activity_the_latest);
