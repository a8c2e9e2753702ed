use crate::db_test;
use crate::fixtures::{Org, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use reqwest::Method;
use serde_json::json;

/// The administrator and two sales reps of the same region.
async fn two_reps(app: &TestApp) -> (Client, Client, Client) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(app, &admin)
        .await;
    let (_, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(app, &admin)
        .await;
    (admin, rep, other)
}

async fn contacts_live_and_die_with_their_customer_scope(app: TestApp) {
    let (admin, rep, other) = two_reps(&app).await;
    let (_, service) = user("svc@test.example", "service_agent")
        .create(&app, &admin)
        .await;
    let cid = create_customer(&rep, customer("联系人客户")).await;
    let base = format!("/api/v1/customers/{cid}/contacts");

    let c = rep
        .post(&base, json!({"name": "王小明", "title": "采购经理", "phones": ["13800138000"], "emails": ["wang@example.com"]}))
        .await;
    assert_eq!(c.status, 201, "{}", c.text);
    let kid = c.id();
    assert_eq!(c.body["customer_id"], cid.as_str());
    rep.post(&base, json!({"name": "Alice Chen"})).await;
    let list = rep.get(&base).await;
    let names: Vec<&str> = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alice Chen", "王小明"]);
    let bad = rep
        .post(&base, json!({"title": "no name", "emails": ["x"]}))
        .await;
    assert_eq!(
        bad.error_fields(),
        ["name"],
        "serde reports the missing name first: {}",
        bad.text
    );

    let path = format!("/api/v1/contacts/{kid}");
    // another rep cannot see it at all; a service agent can read but not change it
    other.get(&path).await.problem(404);
    other.get(&base).await.problem(404);
    let seen = service.get(&path).await;
    assert_eq!(seen.status, 200);
    service
        .patch(&path, &seen.etag(), json!({"title": "x"}))
        .await
        .problem(403);
    service.post(&base, json!({"name": "x"})).await.problem(403);

    let upd = rep
        .patch(
            &path,
            &seen.etag(),
            json!({"title": null, "phones": ["+86 139 0000 0000"]}),
        )
        .await;
    assert_eq!(upd.status, 200, "{}", upd.text);
    assert_eq!(upd.body["title"], json!(null));
    rep.patch(&path, &seen.etag(), json!({"name": "late"}))
        .await
        .problem(412);

    assert_eq!(rep.delete(&path).await.status, 204);
    rep.get(&path).await.problem(404);
    assert_eq!(
        rep.get(&base).await.body["data"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        rep.get(&format!("{base}?deleted=true")).await.ids(),
        vec![kid.clone()]
    );
    let back = rep
        .send(Method::POST, &format!("{path}/restore"), None, &[])
        .await;
    assert_eq!(back.status, 200, "{}", back.text);
    rep.send(Method::POST, &format!("{path}/restore"), None, &[])
        .await
        .problem(409);
    other
        .send(Method::POST, &format!("{path}/restore"), None, &[])
        .await
        .problem(404);

    // when the customer goes to the trash its contacts go out of reach too
    admin.delete(&format!("/api/v1/customers/{cid}")).await;
    rep.get(&path).await.problem(404);
}
db_test!(contacts_live_and_die_with_their_customer_scope);

/// `GET /contacts` lists the contacts of every customer the caller may see,
/// newest first, and nothing of a customer out of scope or in the trash.
async fn all_contacts_follow_the_customer_scope(app: TestApp) {
    let (admin, rep, other) = two_reps(&app).await;
    let mine = create_customer(&rep, customer("我的客户")).await;
    let theirs = create_customer(&other, customer("别人的客户")).await;
    let add = |c: &Client, cid: &str, name: &str| {
        let (c, path, name) = (
            c.clone(),
            format!("/api/v1/customers/{cid}/contacts"),
            name.to_owned(),
        );
        async move { c.post(&path, json!({"name": name})).await.id() }
    };
    let a = add(&rep, &mine, "甲").await;
    let b = add(&rep, &mine, "乙").await;
    let c = add(&other, &theirs, "丙").await;
    assert_eq!(
        rep.get("/api/v1/contacts").await.ids(),
        [b.clone(), a.clone()]
    );
    assert_eq!(
        admin.get("/api/v1/contacts").await.ids(),
        [c.clone(), b.clone(), a.clone()]
    );
    let page = admin.get("/api/v1/contacts?limit=2").await;
    assert_eq!(page.ids(), [c.clone(), b]);
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = admin
        .get(&format!("/api/v1/contacts?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(rest.ids(), [a]);
    assert!(rest.body["next_cursor"].is_null());
    admin
        .get("/api/v1/contacts?cursor=nonsense")
        .await
        .problem(400);
    admin.delete(&format!("/api/v1/customers/{theirs}")).await;
    assert!(
        !admin.get("/api/v1/contacts").await.ids().contains(&c),
        "a deleted customer's contacts are not listed"
    );
}
db_test!(all_contacts_follow_the_customer_scope);

/// A dealer's customers are a small share of many: their contact list still
/// comes in full pages, and the pages hold every one of their contacts once.
async fn a_narrow_scope_gets_full_pages_of_contacts(app: TestApp) {
    kehu_api::seed::run(&mut app.db.pool().get().unwrap(), 3_000).unwrap();
    let theirs: std::collections::BTreeSet<String> = app
        .query_strings(
            "SELECT k.id FROM contacts k JOIN customers c ON c.id = k.customer_id \
             JOIN users u ON u.partner_id = c.partner_id WHERE u.email = ?",
            "dealer0@seed.example",
        )
        .into_iter()
        .collect();
    assert!(theirs.len() > 200, "{} contacts", theirs.len());
    let dealer = app.login("dealer0@seed.example", "kehu-demo").await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/contacts?limit=200".to_owned();
    loop {
        let page = dealer.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let ids = page.ids();
        let Some(cursor) = page.body["next_cursor"].as_str() else {
            seen.extend(ids);
            break;
        };
        assert_eq!(ids.len(), 200, "a page with more to come is full");
        seen.extend(ids);
        path = format!("/api/v1/contacts?limit=200&cursor={cursor}");
    }
    let mut newest_first = seen.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, newest_first);
    assert_eq!(
        seen.into_iter().collect::<std::collections::BTreeSet<_>>(),
        theirs
    );
}
db_test!(a_narrow_scope_gets_full_pages_of_contacts);

async fn do_not_contact_marks_say_who_set_them_and_when(app: TestApp) {
    let (admin, rep, _) = two_reps(&app).await;
    let cid = create_customer(&rep, customer("勿扰客户")).await;
    let r = rep
        .post(
            &format!("/api/v1/customers/{cid}/contacts"),
            json!({"name": "王小明", "do_not_contact": ["sms", "call", "sms"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let kid = r.id();
    let marks = &r.body["do_not_contact"];
    assert_eq!(marks.as_array().unwrap().len(), 2);
    assert_eq!(marks[0]["channel"], "call");
    assert_eq!(marks[1]["channel"], "sms");
    assert_eq!(marks[0]["set_by"]["display_name"], "rep");
    assert!(marks[0]["set_at"].as_str().unwrap().ends_with('Z'));

    // the administrator adds e-mail and lifts SMS; the call mark stays the rep's
    let r = admin
        .patch(
            &format!("/api/v1/contacts/{kid}"),
            &r.etag(),
            json!({"do_not_contact": ["email", "call"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got: Vec<(String, String)> = r.body["do_not_contact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["channel"].as_str().unwrap().to_owned(),
                m["set_by"]["display_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let admin_name = admin.get("/api/v1/me").await.body["display_name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        got,
        [
            ("call".to_owned(), "rep".to_owned()),
            ("email".to_owned(), admin_name)
        ]
    );
    // every read carries the marks: the list too
    let list = rep.get(&format!("/api/v1/customers/{cid}/contacts")).await;
    assert_eq!(
        list.body["data"][0]["do_not_contact"][1]["channel"],
        "email"
    );

    let r = rep
        .patch(
            &format!("/api/v1/contacts/{kid}"),
            &format!("\"{}\"", list.body["data"][0]["version"]),
            json!({"do_not_contact": ["fax"]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
}
db_test!(do_not_contact_marks_say_who_set_them_and_when);
