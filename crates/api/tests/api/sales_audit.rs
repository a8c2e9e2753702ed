//! 审计 of deals and leads: every change with who and when, served by each
//! record's own scope, and kept out of its customer's history, which
//! readers see by the customer's scope.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use crate::opportunities::{act, create, deal, tick_all};
use serde_json::{Value, json};

async fn entries(c: &Client, path: &str) -> Vec<Value> {
    let r = c.get(path).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

fn actions(e: &[Value]) -> Vec<&str> {
    e.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

/// `(old, new)` of a field in an entry's changes.
fn change(e: &Value, field: &str) -> (Value, Value) {
    let c = e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {e}"));
    (c["old"].clone(), c["new"].clone())
}

fn changed(e: &Value) -> Vec<&str> {
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect()
}

async fn a_deals_history_has_its_edits_moves_and_closes_for_its_readers_only(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@audit.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    // reads every customer, no deal
    let (_, agent) = user("agent@audit.example", "service_agent")
        .create(&app, &admin)
        .await;
    let cid = create_customer(
        &rep,
        customer("审计商机客户").with("region_id", json!(org.shanghai)),
    )
    .await;
    let k = rep
        .post(
            &format!("/api/v1/customers/{cid}/contacts"),
            json!({"name": "李采购"}),
        )
        .await;
    assert_eq!(k.status, 201, "{}", k.text);
    let kid = k.id();
    let mut body = deal(&cid, "锅炉改造", 100_000);
    body["contact_ids"] = json!([kid]);
    let r = create(&rep, body).await;
    let oid = r.id();
    let path = format!("/api/v1/opportunities/{oid}");
    let r = rep
        .patch(
            &path,
            &r.etag(),
            json!({"amount_minor": 250_000, "probability": 40, "contact_ids": []}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // an edit that changes nothing leaves no entry
    let r = rep
        .patch(&path, &r.etag(), json!({"amount_minor": 250_000}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let etag = tick_all(&rep, &oid, r.etag()).await;
    let r = act(
        &rep,
        &format!("{path}/move"),
        &etag,
        json!({"stage_id": "stage-qualify"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = act(
        &rep,
        &format!("{path}/lose"),
        &r.etag(),
        json!({"reason_id": "price", "notes": "太贵"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = act(&rep, &format!("{path}/reopen"), &r.etag(), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = act(
        &rep,
        &format!("{path}/win"),
        &r.etag(),
        json!({"amount_minor": 240_000}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let e = entries(&rep, &format!("{path}/audit")).await;
    assert_eq!(
        actions(&e),
        ["win", "reopen", "lose", "move", "update", "create"]
    );
    for x in &e {
        assert_eq!(x["entity"], "opportunity");
        assert_eq!(x["entity_id"], json!(oid));
        assert_eq!(x["changed_by"]["id"], json!(rep_id), "who: {x}");
        assert!(x["customer_id"].is_null(), "read by the deal's scope: {x}");
        assert!(x["at"].is_string());
    }
    let created = &e[5];
    assert_eq!(change(created, "name"), (json!(null), json!("锅炉改造")));
    assert_eq!(change(created, "contact_ids"), (json!(null), json!(kid)));
    assert_eq!(change(created, "owner_id"), (json!(null), json!(rep_id)));
    let edit = &e[4];
    assert_eq!(
        changed(edit),
        ["amount_minor", "probability_override", "contact_ids"]
    );
    assert_eq!(
        change(edit, "amount_minor"),
        (json!("100000"), json!("250000"))
    );
    assert_eq!(change(edit, "contact_ids"), (json!(kid), json!(null)));
    // a move drops the rep's own probability
    assert_eq!(changed(&e[3]), ["stage_id", "probability_override"]);
    assert_eq!(
        change(&e[3], "stage_id"),
        (json!("stage-identify"), json!("stage-qualify"))
    );
    assert_eq!(change(&e[2], "status"), (json!("open"), json!("lost")));
    assert_eq!(
        change(&e[2], "loss_reason_id"),
        (json!(null), json!("price"))
    );
    assert_eq!(change(&e[1], "status"), (json!("lost"), json!("open")));
    assert_eq!(
        change(&e[1], "stage_id"),
        (json!("stage-lost"), json!("stage-qualify"))
    );
    assert_eq!(change(&e[0], "status"), (json!("open"), json!("won")));
    assert_eq!(
        change(&e[0], "amount_minor"),
        (json!("250000"), json!("240000"))
    );

    // pages like every history
    let first = rep.get(&format!("{path}/audit?limit=4")).await;
    assert_eq!(first.body["data"].as_array().unwrap().len(), 4);
    let next = first.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = entries(&rep, &format!("{path}/audit?limit=4&cursor={next}")).await;
    assert_eq!(actions(&rest), ["update", "create"]);

    // whoever may not see the deal gets 404 for its history, and its
    // customer's history (which they may read) does not show the deal
    let r = agent.get(&format!("{path}/audit")).await;
    r.problem(404);
    assert!(!r.text.contains("锅炉改造"));
    let h = entries(&agent, &format!("/api/v1/customers/{cid}/history")).await;
    assert!(!h.is_empty(), "the customer's own entries are there");
    assert!(
        h.iter()
            .all(|x| x["entity"] != "opportunity" && !x.to_string().contains("锅炉改造")),
        "{h:?}"
    );
    // nor the rep's view of it: a customer's history is the customer's
    let h = entries(&rep, &format!("/api/v1/customers/{cid}/history")).await;
    assert!(h.iter().all(|x| x["entity"] != "opportunity"));
    // administrators find it in the whole log
    let all = entries(
        &admin,
        &format!("/api/v1/audit?entity=opportunity&entity_id={oid}"),
    )
    .await;
    assert_eq!(all.len(), 6);
    let r = admin.get("/api/v1/audit?entity=deal").await;
    assert_eq!(r.problem(400)["errors"][0]["field"], "entity");
}
db_test!(a_deals_history_has_its_edits_moves_and_closes_for_its_readers_only);

async fn a_leads_history_has_its_creation_assignment_status_and_conversion(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@lead-audit.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, other) = user("other@lead-audit.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let r = admin
        .post(
            "/api/v1/leads",
            json!({"name": "审计线索", "company": "审计线索公司", "region_id": org.shanghai}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let lid = r.id();
    let path = format!("/api/v1/leads/{lid}");
    // assigned to the rep, and qualified
    let r = admin
        .patch(
            &path,
            &r.etag(),
            json!({"owner_id": rep_id, "status": "contacted"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = rep
        .patch(&path, &r.etag(), json!({"notes": "约了下周见面"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = rep
        .send(
            reqwest::Method::POST,
            &format!("{path}/convert"),
            Some(json!({"contact": false})),
            &[("if-match", &r.etag())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let customer_id = r.body["customer_id"].as_str().unwrap().to_owned();

    let e = entries(&rep, &format!("{path}/audit")).await;
    assert_eq!(actions(&e), ["convert", "update", "update", "create"]);
    assert!(
        e.iter()
            .all(|x| x["entity"] == "lead" && x["customer_id"].is_null())
    );
    assert_eq!(change(&e[3], "name"), (json!(null), json!("审计线索")));
    assert_eq!(change(&e[3], "status"), (json!(null), json!("new")));
    assert!(e[3]["changed_by"]["id"].is_string());
    assert_eq!(change(&e[2], "owner_id"), (json!(null), json!(rep_id)));
    assert_eq!(change(&e[2], "status"), (json!("new"), json!("contacted")));
    assert_eq!(changed(&e[1]), ["notes"]);
    assert_eq!(e[1]["changed_by"]["id"], json!(rep_id));
    assert_eq!(
        change(&e[0], "status"),
        (json!("contacted"), json!("converted"))
    );
    assert_eq!(
        change(&e[0], "converted_customer_id"),
        (json!(null), json!(customer_id))
    );
    // a rep of another region neither sees the lead nor its history
    other.get(&format!("{path}/audit")).await.problem(404);

    // a lead from a web form was made by nobody signed in
    let f = admin
        .post(
            "/api/v1/lead-forms",
            json!({"name": "审计表单", "team_id": org.team_east}),
        )
        .await;
    assert_eq!(f.status, 201, "{}", f.text);
    let token = f.body["token"].as_str().unwrap().to_owned();
    let r = app
        .anon()
        .post(
            &format!("/api/v1/forms/{token}/leads"),
            json!({"name": "表单访客", "email": "visitor@audit.example", "consent": true}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    let found = admin
        .get(&format!(
            "/api/v1/leads?q={}",
            crate::customers_list::urlencode("表单访客")
        ))
        .await;
    let fid = found.ids()[0].clone();
    let e = entries(&admin, &format!("/api/v1/leads/{fid}/audit")).await;
    assert_eq!(actions(&e), ["create"]);
    assert!(e[0]["changed_by"].is_null());
    assert_eq!(change(&e[0], "form_id"), (json!(null), json!(f.id())));

    // a lead in the trash is gone, its history with it (administrators
    // still find the deletion in the whole log)
    let r = admin.delete(&format!("/api/v1/leads/{fid}")).await;
    assert_eq!(r.status, 204);
    admin
        .get(&format!("/api/v1/leads/{fid}/audit"))
        .await
        .problem(404);
    let all = entries(
        &admin,
        &format!("/api/v1/audit?entity=lead&entity_id={fid}"),
    )
    .await;
    assert_eq!(actions(&all), ["delete", "create"]);
}
db_test!(a_leads_history_has_its_creation_assignment_status_and_conversion);
