//! The access model, spelled out: every built-in role and an API key, against
//! records that are own, a teammate's, in the region but of another product
//! line, in the region, in another region, another partner's, our partner's,
//! in the pool, and deleted — for read, list, search, count, update, delete
//! and relation writes (adding a contact, logging an activity), and for the
//! customer's activities and timeline. Hidden records answer 404 on every
//! verb and never show up in a list, a count or a search hit.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use reqwest::Method;
use serde_json::json;
use std::collections::HashMap;

const KINDS: [&str; 9] = [
    "own",
    "teammate",
    "region_other_line",
    "region",
    "other_region",
    "other_partner",
    "our_partner",
    "pool",
    "deleted",
];

/// What one caller may do with each kind of record: (read, update, delete).
fn expected(role: &str, kind: &str) -> (bool, bool, bool) {
    let all = (true, true, true);
    let none = (false, false, false);
    match (role, kind) {
        (_, "deleted") => none,
        ("admin", _) => all,
        ("sales_manager", "own" | "region") => all,
        ("sales_manager", _) => none,
        ("sales_rep" | "api_key", "own") => (true, true, false),
        // the company pool in the rep's region (上海), to claim from
        ("sales_rep" | "api_key", "region_other_line") => (true, false, false),
        ("sales_rep" | "api_key", _) => none,
        ("service_agent" | "marketing", _) => (true, false, false),
        ("partner", "our_partner") => (true, true, false),
        ("partner", _) => none,
        _ => unreachable!("{role}"),
    }
}

async fn check(c: &Client, role: &str, ids: &[(&str, String)], acts: &HashMap<&str, String>) {
    let listed = c.get("/api/v1/customers?limit=200").await.ids();
    for (kind, id) in ids {
        let (read, update, delete) = expected(role, kind);
        let what = format!("{role} × {kind}");
        let path = format!("/api/v1/customers/{id}");
        let name = format!("矩阵<{kind}>");
        let get = c.get(&path).await;
        assert_eq!(
            get.status.as_u16(),
            if read { 200 } else { 404 },
            "{what}: read"
        );
        assert_eq!(listed.contains(id), read, "{what}: list");
        let hits = c
            .get(&format!(
                "/api/v1/customers?q={}&include_total=true",
                crate::customers_list::urlencode(&name)
            ))
            .await;
        assert_eq!(hits.ids().contains(id), read, "{what}: search");
        assert_eq!(
            hits.body["total"],
            if read { 1 } else { 0 },
            "{what}: count"
        );
        let hidden = if read { 403 } else { 404 };
        let r = c.patch(&path, "*", json!({"notes": "matrix"})).await;
        assert_eq!(
            r.status.as_u16(),
            if update { 200 } else { hidden },
            "{what}: update {}",
            r.text
        );
        let r = c
            .post(&format!("{path}/contacts"), json!({"name": "矩阵联系人"}))
            .await;
        assert_eq!(
            r.status.as_u16(),
            if update { 201 } else { hidden },
            "{what}: add contact {}",
            r.text
        );
        if !read {
            assert!(
                !r.text.contains(id.as_str()) && !r.text.contains(&name),
                "{what}: the refusal names nothing"
            );
        }
        // its activities: seen, listed, logged and changed within the customer's scope
        let aid = &acts[kind];
        let apath = format!("/api/v1/activities/{aid}");
        assert_eq!(
            c.get(&apath).await.status.as_u16(),
            if read { 200 } else { 404 },
            "{what}: read activity"
        );
        let mine = c.get(&format!("/api/v1/activities?customer_id={id}")).await;
        assert_eq!(mine.status.as_u16(), 200, "{what}: list activities");
        assert_eq!(mine.ids().contains(aid), read, "{what}: list activities");
        assert!(
            !c.get("/api/v1/activities?limit=200")
                .await
                .ids()
                .contains(aid)
                || read,
            "{what}: all activities"
        );
        assert_eq!(
            c.get(&format!("{path}/timeline")).await.status.as_u16(),
            if read { 200 } else { 404 },
            "{what}: timeline"
        );
        let r = c
            .post(
                &format!("{path}/activities"),
                json!({"kind": "call", "done": true}),
            )
            .await;
        assert_eq!(
            r.status.as_u16(),
            if read { 201 } else { 404 },
            "{what}: log an activity {}",
            r.text
        );
        let r = c.patch(&apath, "*", json!({"outcome": "matrix"})).await;
        assert_eq!(
            r.status.as_u16(),
            if update { 200 } else { hidden },
            "{what}: change someone else's activity {}",
            r.text
        );
        // delete last, and only where it is refused or on throwaway copies
        if !delete {
            let r = c.send(Method::DELETE, &path, None, &[]).await;
            assert_eq!(r.status.as_u16(), hidden, "{what}: delete");
        }
    }
}

/// The callers of the matrix: a rep (and an API key of theirs) in 上海 and
/// a teammate, a manager of 华东 for printers, a service agent, marketing
/// and a dealer's user, with the administrator last.
struct Callers {
    rep_id: String,
    mate_id: String,
    all: Vec<(&'static str, Client)>,
}

async fn callers(app: &TestApp, admin: Client, org: &Org) -> Callers {
    let (rep_id, rep) = user("rep@m.example", "sales_rep")
        .team(&org.team_east_sub)
        .regions(&[&org.shanghai])
        .create(app, &admin)
        .await;
    let (mate_id, _) = user("mate@m.example", "sales_rep")
        .team(&org.team_east_sub)
        .create(app, &admin)
        .await;
    let (_, mgr) = user("mgr@m.example", "sales_manager")
        .team(&org.team_east)
        .regions(&[&org.east])
        .product_lines(&[&org.printers])
        .create(app, &admin)
        .await;
    let (_, service) = user("svc@m.example", "service_agent")
        .create(app, &admin)
        .await;
    let (_, marketing) = user("mkt@m.example", "marketing").create(app, &admin).await;
    let (_, dealer) = user("dealer@m.example", "partner")
        .partner(&org.dealer)
        .create(app, &admin)
        .await;
    let key = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "matrix", "user_id": rep_id}),
        )
        .await;
    let mut integ = app.anon();
    integ.token = Some(key.body["key"].as_str().unwrap().to_owned());

    Callers {
        rep_id,
        mate_id,
        all: vec![
            ("sales_rep", rep),
            ("api_key", integ),
            ("sales_manager", mgr),
            ("service_agent", service),
            ("marketing", marketing),
            ("partner", dealer),
            ("admin", admin),
        ],
    }
}

async fn every_role_sees_and_changes_exactly_its_share(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let people = callers(&app, admin.clone(), &org).await;
    let (rep_id, mate_id) = (people.rep_id.clone(), people.mate_id.clone());
    let pool = |kind: &str| customer(&format!("矩阵<{kind}>")).with("owner_id", json!(null));
    let mut ids = Vec::new();
    let mut acts = HashMap::new();
    for kind in KINDS {
        let body = match kind {
            "own" | "deleted" => pool(kind)
                .with("owner_id", json!(rep_id))
                .with("region_id", json!(org.shanghai)),
            "teammate" => pool(kind)
                .with("owner_id", json!(mate_id))
                .with("region_id", json!(org.guangdong)),
            "region_other_line" => pool(kind)
                .with("region_id", json!(org.shanghai))
                .with("product_line_ids", json!([org.computers])),
            "region" => pool(kind).with("region_id", json!(org.jiangsu)),
            "other_region" => pool(kind).with("region_id", json!(org.guangdong)),
            "other_partner" => pool(kind).with("partner_id", json!(org.other_dealer)),
            "our_partner" => pool(kind).with("partner_id", json!(org.dealer)),
            _ => pool(kind),
        };
        let id = create_customer(&admin, body).await;
        let a = admin
            .post(
                &format!("/api/v1/customers/{id}/activities"),
                json!({"kind": "note", "subject": "矩阵活动"}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.text);
        acts.insert(kind, a.id());
        if kind == "deleted" {
            assert_eq!(
                admin
                    .delete(&format!("/api/v1/customers/{id}"))
                    .await
                    .status,
                204
            );
        }
        ids.push((kind, id));
    }
    for (role, c) in &people.all {
        check(c, role, &ids, &acts).await;
    }
}
db_test!(every_role_sees_and_changes_exactly_its_share);

const DEAL_KINDS: [&str; 7] = [
    "own",
    "teammate",
    "region_other_line",
    "region",
    "other_region",
    "other_partner",
    "our_partner",
];

/// What one caller may do with each kind of deal: (read, update). A deal is
/// scoped by its own owner, region and product line like a customer; it
/// always has an owner, so there is no pool to browse.
fn deal_expected(role: &str, kind: &str) -> (bool, bool) {
    match (role, kind) {
        ("admin", _) => (true, true),
        ("sales_manager", "own" | "region") => (true, true),
        ("sales_rep" | "api_key", "own") => (true, true),
        ("marketing", _) => (true, false),
        ("partner", "our_partner") => (true, true),
        _ => (false, false),
    }
}

async fn every_role_sees_and_changes_exactly_its_share_of_deals(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let people = callers(&app, admin.clone(), &org).await;
    let (rep_id, mate_id) = (people.rep_id.clone(), people.mate_id.clone());
    let today = chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let mut ids = Vec::new();
    for kind in DEAL_KINDS {
        let partner = match kind {
            "other_partner" => json!(org.other_dealer),
            "our_partner" => json!(org.dealer),
            _ => json!(null),
        };
        let cid = create_customer(
            &admin,
            customer(&format!("矩阵商机<{kind}>")).with("partner_id", partner),
        )
        .await;
        let (owner, region, line) = match kind {
            "own" => (rep_id.clone(), json!(org.shanghai), json!(null)),
            "teammate" => (mate_id.clone(), json!(org.guangdong), json!(null)),
            "region_other_line" => (mate_id.clone(), json!(org.shanghai), json!(org.computers)),
            "region" => (mate_id.clone(), json!(org.jiangsu), json!(null)),
            _ => (mate_id.clone(), json!(org.guangdong), json!(null)),
        };
        let r = admin
            .post(
                "/api/v1/opportunities",
                json!({"name": format!("矩阵商机<{kind}>"), "customer_id": cid, "owner_id": owner,
                    "region_id": region, "product_line_id": line,
                    "amount_minor": 1, "currency": "CNY", "expected_close_on": today}),
            )
            .await;
        assert_eq!(r.status, 201, "{kind}: {}", r.text);
        ids.push((kind, r.id()));
    }
    for (role, c) in &people.all {
        let role = *role;
        let listed = c.get("/api/v1/opportunities?limit=200").await.ids();
        let board = c.get("/api/v1/opportunities/board").await;
        let on_board: Vec<String> = board.body["columns"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|col| col["items"].as_array().unwrap().iter())
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect();
        let forecast = c
            .get(&format!("/api/v1/forecast?periods=1&from={today}"))
            .await;
        let visible = ids.iter().filter(|(k, _)| deal_expected(role, k).0).count();
        assert_eq!(
            forecast.body["totals"][0]["count"], visible,
            "{role}: the forecast counts exactly what the role sees"
        );
        for (kind, id) in &ids {
            let (read, update) = deal_expected(role, kind);
            let what = format!("{role} × deal {kind}");
            let path = format!("/api/v1/opportunities/{id}");
            let get = c.get(&path).await;
            assert_eq!(
                get.status.as_u16(),
                if read { 200 } else { 404 },
                "{what}: read"
            );
            assert_eq!(listed.contains(id), read, "{what}: list");
            assert_eq!(on_board.contains(id), read, "{what}: board");
            let history = c.get(&format!("{path}/audit")).await;
            assert_eq!(
                history.status.as_u16(),
                if read { 200 } else { 404 },
                "{what}: its history"
            );
            if read {
                let entries = history.body["data"].as_array().unwrap();
                assert_eq!(
                    entries.last().unwrap()["action"],
                    "create",
                    "{what}: its history starts with its creation"
                );
            }
            let hidden = if read { 403 } else { 404 };
            let r = c.patch(&path, "*", json!({"campaign": "matrix"})).await;
            assert_eq!(
                r.status.as_u16(),
                if update { 200 } else { hidden },
                "{what}: update {}",
                r.text
            );
            let r = c
                .send(
                    Method::PUT,
                    &format!("{path}/checklist/stage-identify-2"),
                    Some(json!({"done": true})),
                    &[("if-match", "*")],
                )
                .await;
            assert_eq!(
                r.status.as_u16(),
                if update { 200 } else { hidden },
                "{what}: tick {}",
                r.text
            );
            let r = c
                .send(
                    Method::POST,
                    &format!("{path}/lose"),
                    Some(json!({})),
                    &[("if-match", "*")],
                )
                .await;
            assert_eq!(
                r.status.as_u16(),
                if update { 422 } else { hidden },
                "{what}: close without a reason {}",
                r.text
            );
            if !read {
                assert!(
                    !r.text.contains(id.as_str()),
                    "{what}: the refusal names nothing"
                );
            }
        }
    }
}
db_test!(every_role_sees_and_changes_exactly_its_share_of_deals);

const LEAD_KINDS: [&str; 10] = [
    "own",
    "teammate",
    "region_other_line",
    "region",
    "other_region",
    "other_partner",
    "our_partner",
    "queue",
    "other_queue",
    "deleted",
];

/// Leads follow the same rule as customers; unowned ones wait in a queue
/// (a team's, or the company's), which reps browse like the customer pool.
fn lead_expected(role: &str, kind: &str) -> (bool, bool, bool) {
    let all = (true, true, true);
    let none = (false, false, false);
    let read = (true, false, false);
    match (role, kind) {
        (_, "deleted") => none,
        ("admin" | "marketing", _) => all,
        ("sales_manager", "own" | "region") => all,
        // the queue of the manager's team (上海组 is below 华东销售部)
        ("sales_manager", "queue") => read,
        ("sales_manager", _) => none,
        ("sales_rep" | "api_key", "own") => (true, true, false),
        // the default queue in the rep's region, and the rep's team's queue
        ("sales_rep" | "api_key", "region_other_line" | "queue") => read,
        ("sales_rep" | "api_key", _) => none,
        // agents pass enquiries on as leads but see only their own
        ("service_agent", _) => none,
        ("partner", "our_partner") => (true, true, false),
        ("partner", _) => none,
        _ => unreachable!("{role}"),
    }
}

async fn check_leads(c: &Client, role: &str, ids: &[(&str, String)]) {
    let listed = c.get("/api/v1/leads?limit=200").await.ids();
    for (kind, id) in ids {
        let (read, update, delete) = lead_expected(role, kind);
        let what = format!("{role} × lead {kind}");
        let path = format!("/api/v1/leads/{id}");
        let get = c.get(&path).await;
        assert_eq!(
            get.status.as_u16(),
            if read { 200 } else { 404 },
            "{what}: read"
        );
        assert_eq!(listed.contains(id), read, "{what}: list");
        let history = c.get(&format!("{path}/audit")).await;
        assert_eq!(
            history.status.as_u16(),
            if read { 200 } else { 404 },
            "{what}: its history"
        );
        let hits = c
            .get(&format!(
                "/api/v1/leads?q={}",
                crate::customers_list::urlencode(&format!("线索<{kind}>"))
            ))
            .await;
        assert_eq!(hits.ids().contains(id), read, "{what}: search");
        let hidden = if read { 403 } else { 404 };
        let r = c.patch(&path, "*", json!({"notes": "matrix"})).await;
        assert_eq!(
            r.status.as_u16(),
            if update { 200 } else { hidden },
            "{what}: update {}",
            r.text
        );
        if read {
            assert_eq!(
                get.body["allowed"]["update"], update,
                "{what}: allowed.update"
            );
            assert_eq!(
                get.body["allowed"]["delete"], delete,
                "{what}: allowed.delete"
            );
        }
        if read && !update {
            // converting is changing: refused like any other change
            let r = c
                .send(
                    Method::POST,
                    &format!("{path}/convert"),
                    Some(json!({"contact": false})),
                    &[("if-match", "*")],
                )
                .await;
            assert_eq!(r.status.as_u16(), 403, "{what}: convert {}", r.text);
        }
        if !delete {
            let r = c.send(Method::DELETE, &path, None, &[]).await;
            assert_eq!(r.status.as_u16(), hidden, "{what}: delete");
        }
    }
}

async fn every_role_sees_and_changes_exactly_its_share_of_leads(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let people = callers(&app, admin.clone(), &org).await;
    let (rep_id, mate_id) = (people.rep_id.clone(), people.mate_id.clone());

    let mut ids = Vec::new();
    for kind in LEAD_KINDS {
        let mut body = json!({"name": format!("线索<{kind}>")});
        match kind {
            "own" | "deleted" => {
                body["owner_id"] = json!(rep_id);
                body["region_id"] = json!(org.shanghai);
            }
            "teammate" => {
                body["owner_id"] = json!(mate_id);
                body["region_id"] = json!(org.guangdong);
            }
            "region_other_line" => {
                body["region_id"] = json!(org.shanghai);
                body["product_line_id"] = json!(org.computers);
            }
            "region" => body["region_id"] = json!(org.jiangsu),
            "other_region" | "queue" | "other_queue" => body["region_id"] = json!(org.guangdong),
            _ => {}
        }
        let r = admin.post("/api/v1/leads", body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.id();
        match kind {
            "queue" | "other_queue" => {
                let team = if kind == "queue" {
                    &org.team_east_sub
                } else {
                    &org.team_south
                };
                let r = admin
                    .patch(
                        &format!("/api/v1/leads/{id}"),
                        "*",
                        json!({"team_id": team}),
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.text);
                assert_eq!(r.body["owner_id"], json!(null));
            }
            "other_partner" | "our_partner" => {
                let p = if kind == "our_partner" {
                    &org.dealer
                } else {
                    &org.other_dealer
                };
                app.exec(&format!(
                    "UPDATE leads SET partner_id = '{p}' WHERE id = '{id}'"
                ));
            }
            "deleted" => {
                assert_eq!(
                    admin.delete(&format!("/api/v1/leads/{id}")).await.status,
                    204
                );
            }
            _ => {}
        }
        ids.push((kind, id));
    }
    for (role, c) in &people.all {
        check_leads(c, role, &ids).await;
    }
}
db_test!(every_role_sees_and_changes_exactly_its_share_of_leads);
