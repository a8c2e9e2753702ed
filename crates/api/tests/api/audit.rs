//! 审计: every change to customers and contacts, field by field, with who,
//! through which API key, and when; per record for those who may see it, and
//! the whole log for administrators.

use crate::db_test;
use crate::fixtures::{Org, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use serde_json::{Value, json};

async fn history(c: &Client, path: &str) -> Vec<Value> {
    let r = c.get(path).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

fn summary(entries: &[Value]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| {
            (
                e["entity"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn a_customers_history_shows_every_change_to_it_and_its_contacts(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let id = create_customer(&rep, customer("审计客户")).await;
    let cur = rep.get(&format!("/api/v1/customers/{id}")).await;
    let r = rep
        .patch(
            &format!("/api/v1/customers/{id}"),
            &cur.etag(),
            json!({"industry": "零售", "name": "审计客户有限公司"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // an edit that changes nothing leaves no entry
    let r = rep
        .patch(
            &format!("/api/v1/customers/{id}"),
            &r.etag(),
            json!({"industry": "零售"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let k = rep
        .post(
            &format!("/api/v1/customers/{id}/contacts"),
            json!({"name": "王小明"}),
        )
        .await;
    assert_eq!(k.status, 201, "{}", k.text);
    let kid = k.id();
    let r = rep
        .patch(
            &format!("/api/v1/contacts/{kid}"),
            &k.etag(),
            json!({"title": "采购经理"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/customers/{id}"))
            .await
            .status,
        204
    );
    assert_eq!(
        admin
            .post(&format!("/api/v1/customers/{id}/restore"), json!({}))
            .await
            .status,
        200
    );

    let h = history(&rep, &format!("/api/v1/customers/{id}/history")).await;
    assert_eq!(
        summary(&h),
        [
            ("customer", "restore"),
            ("customer", "delete"),
            ("contact", "update"),
            ("contact", "create"),
            ("customer", "update"),
            ("customer", "create"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let edit = &h[4];
    assert_eq!(edit["changed_by"]["id"], rep_id.as_str());
    assert_eq!(edit["api_key_id"], Value::Null);
    assert!(edit["at"].as_str().unwrap().ends_with('Z'));
    let changes: Vec<(String, Value, Value)> = edit["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["old"].clone(),
                c["new"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "name".to_owned(),
                json!("审计客户"),
                json!("审计客户有限公司")
            ),
            ("industry".to_owned(), Value::Null, json!("零售")),
        ]
    );
    let created = &h[5]["changes"];
    assert!(
        created
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "owner_id" && c["new"] == rep_id.as_str())
    );
    assert_eq!(h[2]["changes"][0]["field"], "title");

    let k = history(&rep, &format!("/api/v1/contacts/{kid}/history")).await;
    assert_eq!(summary(&k).len(), 2);

    // outside the caller's scope the history does not exist
    assert_eq!(
        other
            .get(&format!("/api/v1/customers/{id}/history"))
            .await
            .status,
        404
    );
    assert_eq!(
        other
            .get(&format!("/api/v1/contacts/{kid}/history"))
            .await
            .status,
        404
    );
}
db_test!(a_customers_history_shows_every_change_to_it_and_its_contacts);

async fn administrators_filter_the_whole_log(app: TestApp) {
    let admin = app.admin().await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let key = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "erp", "user_id": rep_id}),
        )
        .await;
    let mut erp = app.anon();
    erp.token = Some(key.body["key"].as_str().unwrap().to_owned());
    let key_id = key.body["api_key"]["id"].as_str().unwrap().to_owned();
    for i in 0..3 {
        create_customer(&erp, customer(&format!("接口客户{i}"))).await;
    }
    create_customer(&admin, customer("后台客户")).await;

    assert_eq!(rep.get("/api/v1/audit").await.status, 403);
    let all = history(&admin, "/api/v1/audit").await;
    // the rep and the key are records too
    let kinds: Vec<String> = summary(&all).into_iter().map(|(e, _)| e).collect();
    assert_eq!(
        kinds,
        vec![
            "customer", "customer", "customer", "customer", "api_key", "user"
        ]
    );
    let by_key = history(&admin, &format!("/api/v1/audit?api_key_id={key_id}")).await;
    assert_eq!(by_key.len(), 3);
    assert!(
        by_key
            .iter()
            .all(|e| e["changed_by"]["id"] == rep_id.as_str())
    );
    let by_rep = history(
        &admin,
        &format!("/api/v1/audit?user_id={rep_id}&entity=customer"),
    )
    .await;
    assert_eq!(by_rep.len(), 3);
    assert!(
        history(&admin, "/api/v1/audit?entity=contact")
            .await
            .is_empty()
    );
    assert!(
        history(&admin, "/api/v1/audit?since=2999-01-01T00:00:00Z")
            .await
            .is_empty()
    );

    // paging
    let p1 = admin.get("/api/v1/audit?limit=5").await;
    assert_eq!(p1.body["data"].as_array().unwrap().len(), 5);
    let cursor = p1.body["next_cursor"].as_str().unwrap();
    let p2 = admin
        .get(&format!("/api/v1/audit?limit=5&cursor={cursor}"))
        .await;
    assert_eq!(p2.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(p2.body["next_cursor"], Value::Null);
    assert_eq!(admin.get("/api/v1/audit?since=yesterday").await.status, 400);
    assert_eq!(
        admin.get("/api/v1/audit?until=").await.status,
        400,
        "empty is not \"no limit\""
    );
}
db_test!(administrators_filter_the_whole_log);

async fn claims_and_releases_are_in_the_history_too(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let id = create_customer(&admin, customer("公海审计").with_pool(&org.shanghai)).await;
    let r = rep
        .post(&format!("/api/v1/customers/{id}/claim"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let h = history(&rep, &format!("/api/v1/customers/{id}/history")).await;
    assert_eq!(h[0]["action"], "update");
    assert_eq!(
        h[0]["changes"],
        json!([{"field": "owner_id", "old": null, "new": rep_id}])
    );
}
db_test!(claims_and_releases_are_in_the_history_too);

trait Pool {
    fn with_pool(self, region: &str) -> Self;
}

impl Pool for Value {
    fn with_pool(mut self, region: &str) -> Self {
        self["owner_id"] = Value::Null;
        self["region_id"] = json!(region);
        self
    }
}

fn fields_of(entry: &Value) -> Vec<(String, Option<String>, Option<String>)> {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["old"].as_str().map(str::to_owned),
                c["new"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn changes_to_the_organisation_are_in_the_log_for_administrators(app: TestApp) {
    let admin = app.admin().await;
    // a region: created, renamed, deleted
    let r = admin.post("/api/v1/regions", json!({"name": "西北"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let region = r.id();
    let r = admin
        .patch(
            &format!("/api/v1/regions/{region}"),
            &r.etag(),
            json!({"name": "西北大区"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/regions/{region}"))
            .await
            .status,
        204
    );
    let log = history(
        &admin,
        &format!("/api/v1/audit?entity=region&entity_id={region}"),
    )
    .await;
    assert_eq!(
        summary(&log),
        vec![
            ("region".into(), "delete".into()),
            ("region".into(), "update".into()),
            ("region".into(), "create".into()),
        ]
    );
    assert_eq!(
        fields_of(&log[1]),
        vec![(
            "name".to_owned(),
            Some("西北".to_owned()),
            Some("西北大区".to_owned())
        )]
    );
    assert_eq!(log[0]["customer_id"], Value::Null);
    assert!(log[0]["changed_by"]["id"].is_string());

    // a role's rights
    let role = admin
        .post(
            "/api/v1/roles",
            json!({"name": "审计员", "grants": [{"resource": "customer", "action": "read", "scope": "team"}]}),
        )
        .await;
    assert_eq!(role.status, 201, "{}", role.text);
    let role_id = role.id();
    let r = admin
        .patch(
            &format!("/api/v1/roles/{role_id}"),
            &role.etag(),
            json!({"grants": [{"resource": "customer", "action": "read", "scope": "all"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let log = history(
        &admin,
        &format!("/api/v1/audit?entity=role&entity_id={role_id}"),
    )
    .await;
    assert_eq!(
        fields_of(&log[0]),
        vec![(
            "grants".to_owned(),
            Some("customer.read: team".to_owned()),
            Some("customer.read: all".to_owned())
        )]
    );

    // a user's password: that it changed, never the value
    let (rep_id, _) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let u = admin.get(&format!("/api/v1/users/{rep_id}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{rep_id}"),
            &u.etag(),
            json!({"password": "a-new-long-passphrase-42", "display_name": "新名字"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let log = history(
        &admin,
        &format!("/api/v1/audit?entity=user&entity_id={rep_id}"),
    )
    .await;
    assert_eq!(summary(&log)[1], ("user".into(), "create".into()));
    let changed = fields_of(&log[0]);
    assert!(changed.contains(&("password".into(), None, Some("changed".into()))));
    assert!(
        changed
            .iter()
            .any(|(f, _, new)| f == "display_name" && new.as_deref() == Some("新名字"))
    );
    let all = history(
        &admin,
        &format!("/api/v1/audit?entity=user&entity_id={rep_id}"),
    )
    .await;
    let text = serde_json::to_string(&all).unwrap();
    assert!(!text.contains("a-new-long-passphrase-42"));

    // an API key: created and revoked
    let k = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "ERP", "user_id": rep_id}),
        )
        .await;
    assert_eq!(k.status, 201, "{}", k.text);
    let key_id = k.body["api_key"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        admin
            .delete(&format!("/api/v1/api-keys/{key_id}"))
            .await
            .status,
        204
    );
    let log = history(
        &admin,
        &format!("/api/v1/audit?entity=api_key&entity_id={key_id}"),
    )
    .await;
    assert_eq!(
        summary(&log),
        vec![
            ("api_key".into(), "delete".into()),
            ("api_key".into(), "create".into())
        ]
    );
    assert!(
        !serde_json::to_string(&log)
            .unwrap()
            .contains(k.body["key"].as_str().unwrap())
    );
}
db_test!(changes_to_the_organisation_are_in_the_log_for_administrators);
