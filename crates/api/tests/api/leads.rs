//! 销售线索: creating and scoring leads, qualification rules, assignment
//! rules with capacities and queues, public web forms (consent, honeypot,
//! rate limit), CSV import, and conversion with the duplicate check.

use crate::db_test;
use crate::fixtures::{Org, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

async fn lead(c: &Client, body: Value) -> Value {
    let r = c.post("/api/v1/leads", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

fn points(l: &Value, rule: &str) -> i64 {
    l["score_parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {l}"))["points"]
        .as_i64()
        .unwrap()
}

async fn leads_are_scored_qualified_and_listed(app: TestApp) {
    let admin = app.admin().await;
    let r = admin
        .send(
            Method::POST,
            "/api/v1/leads",
            Some(json!({"name": "王经理", "company": "上海某某机械", "phone": "13800138000", "email": "wang@example.com", "source": "referral", "campaign": "秋季展会"})),
            &[("idempotency-key", "lead-1")],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let l = r.body.clone();
    let id = l["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/leads/{id}").as_str())
    );
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert_eq!(l["status"], "new");
    // a referral with company, phone and e-mail: 10 + 10 + 10 + 25
    assert_eq!(points(&l, "completeness.company"), 10);
    assert_eq!(points(&l, "source"), 25);
    assert_eq!(points(&l, "completeness.region"), 0);
    assert_eq!(l["score"], 55);
    let sum: i64 = l["score_parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["points"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 55);
    // no rules, no owner asked for: the default queue
    assert_eq!(l["owner_id"], json!(null));
    assert_eq!(l["allowed"]["convert"], true);
    // a retry answers the first create
    let again = admin
        .send(
            Method::POST,
            "/api/v1/leads",
            Some(json!({"name": "王经理", "company": "上海某某机械", "phone": "13800138000", "email": "wang@example.com", "source": "referral", "campaign": "秋季展会"})),
            &[("idempotency-key", "lead-1")],
        )
        .await;
    assert_eq!(again.body["id"], l["id"]);

    // bad input names its fields, stores nothing
    let r = admin
        .post(
            "/api/v1/leads",
            json!({"name": " ", "email": "x", "source": "Web Form"}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), ["name", "email", "source"]);

    // a web-form lead scores less for its source; an import less still
    let web = lead(&admin, json!({"name": "李", "source": "web_form"})).await;
    let imp = lead(&admin, json!({"name": "赵", "source": "import"})).await;
    assert!(web["score"].as_i64() > imp["score"].as_i64());

    // status changes follow the rules, If-Match guards them
    let path = format!("/api/v1/leads/{id}");
    let r = admin
        .patch(
            &path,
            "\"1\"",
            json!({"status": "contacted", "region_id": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "contacted");
    let r = admin
        .patch(&path, "\"1\"", json!({"status": "qualified"}))
        .await;
    r.problem(412);
    let r = admin
        .patch(&path, "*", json!({"status": "converted"}))
        .await;
    r.problem(422);
    assert_eq!(r.body["errors"][0]["code"], "convert_instead");
    let r = admin
        .send(Method::PATCH, &path, Some(json!({"status": "new"})), &[])
        .await;
    r.problem(428);

    // lists: filters and paging
    let all = admin.get("/api/v1/leads?limit=2").await;
    assert_eq!(all.ids().len(), 2);
    let next = all.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = admin
        .get(&format!("/api/v1/leads?limit=2&cursor={next}"))
        .await;
    assert_eq!(rest.ids().len(), 1);
    assert_eq!(
        admin.get("/api/v1/leads?status=contacted").await.ids(),
        [id.as_str()]
    );
    assert_eq!(
        admin.get("/api/v1/leads?source=import").await.ids(),
        [imp["id"].as_str().unwrap()]
    );
    assert_eq!(
        admin.get("/api/v1/leads?q=wang@example").await.ids(),
        [id.as_str()]
    );
    assert_eq!(
        admin
            .get(&format!(
                "/api/v1/leads?campaign={}",
                crate::customers_list::urlencode("秋季展会")
            ))
            .await
            .ids(),
        [id.as_str()]
    );
    assert_eq!(admin.get("/api/v1/leads?queue=true").await.ids().len(), 3);
    assert!(admin.get("/api/v1/leads?owner=me").await.ids().is_empty());
    admin.get("/api/v1/leads?status=won").await.problem(400);
    admin.get("/api/v1/leads?queue=maybe").await.problem(400);

    // taking one from the queue
    let r = admin
        .patch(&path, "*", json!({"owner_id": "me-not-an-id"}))
        .await;
    r.problem(422);
    let me = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = admin.patch(&path, "*", json!({"owner_id": me})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        admin.get("/api/v1/leads?owner=me").await.ids(),
        [id.as_str()]
    );
    assert!(admin.get(&path).await.body["owner_name"].is_string());

    assert_eq!(admin.delete(&path).await.status, 204);
    admin.get(&path).await.problem(404);
}
db_test!(leads_are_scored_qualified_and_listed);

async fn assignment_rules_share_leads_within_capacity(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (a, _) = user("a@l.example", "sales_rep")
        .team(&org.team_east)
        .create(&app, &admin)
        .await;
    let (b, _) = user("b@l.example", "sales_rep")
        .team(&org.team_east)
        .create(&app, &admin)
        .await;
    let (s, rep_s) = user("s@l.example", "sales_rep")
        .team(&org.team_south)
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;

    // 制造业 in 上海: a and b in turn, at most two each, then the east team's queue
    let r = admin
        .post(
            "/api/v1/lead-assignment-rules",
            json!({"position": 1, "region_id": org.shanghai, "industry": "制造业", "user_ids": [a, b], "capacity": 2, "fallback_team_id": org.team_east}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["method"], "round_robin");
    // everything in 广东: the south team, least loaded
    let r = admin
        .post(
            "/api/v1/lead-assignment-rules",
            json!({"position": 2, "region_id": org.guangdong, "method": "least_loaded", "team_id": org.team_south}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let south_rule = r.id();
    let bad = admin
        .post(
            "/api/v1/lead-assignment-rules",
            json!({"method": "random", "user_ids": [], "capacity": 0}),
        )
        .await;
    bad.problem(422);
    assert_eq!(bad.error_fields(), ["method", "user_ids", "capacity"]);
    let bad = admin
        .post(
            "/api/v1/lead-assignment-rules",
            json!({"user_ids": ["nobody"]}),
        )
        .await;
    assert_eq!(bad.error_fields(), ["user_ids[0]"]);

    let mut owners = Vec::new();
    for i in 0..5 {
        let l = lead(
            &admin,
            json!({"name": format!("线索{i}"), "industry": "制造业", "region_id": org.shanghai}),
        )
        .await;
        owners.push((l["owner_id"].clone(), l["team_id"].clone()));
    }
    assert_eq!(owners[0].0, json!(a));
    assert_eq!(owners[1].0, json!(b));
    assert_eq!(owners[2].0, json!(a));
    assert_eq!(owners[3].0, json!(b));
    // both full: the rule's queue
    assert_eq!(owners[4], (json!(null), json!(org.team_east)));
    // a lead that no rule matches waits in the default queue
    let l = lead(&admin, json!({"name": "无规则", "region_id": org.jiangsu})).await;
    assert_eq!(
        (l["owner_id"].clone(), l["team_id"].clone()),
        (json!(null), json!(null))
    );
    // the team rule offers the team's members
    let l = lead(
        &admin,
        json!({"name": "广东线索", "region_id": org.guangdong}),
    )
    .await;
    assert_eq!(l["owner_id"], json!(s));
    assert_eq!(l["rule_id"], json!(south_rule));
    // a rep creating a lead the rules would give away keeps it
    let l = lead(
        &rep_s,
        json!({"name": "自己的", "region_id": org.shanghai, "industry": "制造业"}),
    )
    .await;
    assert_eq!(l["owner_id"], json!(s));

    let rules = admin.get("/api/v1/lead-assignment-rules").await;
    assert_eq!(rules.body.as_array().unwrap().len(), 2);
    let r = admin
        .send(
            Method::PUT,
            &format!("/api/v1/lead-assignment-rules/{south_rule}"),
            Some(json!({"team_id": org.team_south, "active": false})),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], false);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/lead-assignment-rules/{south_rule}"))
            .await
            .status,
        204
    );
    admin
        .delete(&format!("/api/v1/lead-assignment-rules/{south_rule}"))
        .await
        .problem(404);
    // reps read the setup but do not change it
    assert_eq!(rep_s.get("/api/v1/lead-assignment-rules").await.status, 200);
    rep_s
        .post("/api/v1/lead-assignment-rules", json!({"user_ids": [s]}))
        .await
        .problem(403);
}
db_test!(assignment_rules_share_leads_within_capacity);

async fn web_forms_take_leads_from_the_public(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("q@l.example", "sales_rep")
        .team(&org.team_east)
        .create(&app, &admin)
        .await;
    let r = admin
        .post(
            "/api/v1/lead-forms",
            json!({"name": "官网咨询", "campaign": "官网 2026", "team_id": org.team_east}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let form = r.id();
    let token = r.body["token"].as_str().unwrap().to_owned();
    assert!(
        r.body["submit_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1/forms/{token}/leads"))
    );
    // shown once only
    let forms = admin.get("/api/v1/lead-forms").await;
    assert!(!forms.text.contains(&token));
    assert_eq!(forms.body[0]["source"], "web_form");

    let anon = app.anon();
    let url = format!("/api/v1/forms/{token}/leads");
    // consent is required
    let r = anon
        .post(&url, json!({"name": "访客", "email": "v@example.com"}))
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), ["consent"]);
    // JSON
    let r = anon
        .post(
            &url,
            json!({"name": "访客", "email": "v@example.com", "message": "请报价", "consent": true}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    // form-urlencoded, as an HTML form posts it
    let r = anon
        .raw(
            Method::POST,
            &url,
            "application/x-www-form-urlencoded",
            "name=%E5%BC%A0&phone=13700137000&consent=on".into(),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    // a robot fills the honeypot: accepted, nothing stored
    let r = anon
        .post(
            &url,
            json!({"name": "bot", "consent": true, "website": "http://spam.example"}),
        )
        .await;
    assert_eq!(r.status, 202);
    // the same visitor again adds to their lead
    let r = anon
        .post(
            &url,
            json!({"name": "访客", "email": "v@example.com", "consent": true}),
        )
        .await;
    assert_eq!(r.status, 202);

    // both landed in the team's queue, from the form, with its campaign
    let q = rep
        .get(&format!("/api/v1/leads?queue=true&team={}", org.team_east))
        .await;
    assert_eq!(q.ids().len(), 2, "{}", q.text);
    let visitor = q.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "访客")
        .unwrap()
        .clone();
    assert_eq!(visitor["source"], "web_form");
    assert_eq!(visitor["campaign"], "官网 2026");
    assert_eq!(visitor["form_id"], json!(form));
    assert_eq!(visitor["form_submissions"], 2);
    assert_eq!(visitor["notes"], "请报价");
    let one = rep
        .get(&format!(
            "/api/v1/leads/{}",
            visitor["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(points(&one.body, "engagement.form_submissions"), 8);
    assert!(
        !admin
            .get("/api/v1/leads?limit=200")
            .await
            .text
            .contains("spam")
    );

    // ten an hour from one address, then 429 with Retry-After
    let mut last = None;
    for i in 0..10 {
        let r = anon
            .post(&url, json!({"name": format!("刷{i}"), "consent": true}))
            .await;
        last = Some(r);
    }
    let r = last.unwrap();
    r.problem(429);
    let wait: i64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(wait > 3000 && wait <= 3600, "{wait}");

    // unknown or switched off: 404
    anon.post(
        "/api/v1/forms/nope/leads",
        json!({"name": "x", "consent": true}),
    )
    .await
    .problem(404);
    let r = admin
        .patch(
            &format!("/api/v1/lead-forms/{form}"),
            "*",
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    anon.post(&url, json!({"name": "x", "consent": true}))
        .await
        .problem(404);
    rep.post("/api/v1/lead-forms", json!({"name": "mine"}))
        .await
        .problem(403);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/lead-forms/{form}"))
            .await
            .status,
        204
    );
}
db_test!(web_forms_take_leads_from_the_public);

async fn a_csv_import_is_all_or_nothing(app: TestApp) {
    let admin = app.admin().await;
    let bad = "name,company,email,source\n王一,甲公司,w1@example.com,event\n,乙公司,bad,web form\n";
    let r = admin
        .raw(Method::POST, "/api/v1/leads/import", "text/csv", bad.into())
        .await;
    r.problem(422);
    assert_eq!(
        r.error_fields(),
        ["rows[3].name", "rows[3].email", "rows[3].source"]
    );
    assert!(admin.get("/api/v1/leads").await.ids().is_empty());
    let r = admin
        .raw(
            Method::POST,
            "/api/v1/leads/import",
            "text/csv",
            "name,fax\nx,1\n".into(),
        )
        .await;
    assert_eq!(r.error_fields(), ["columns[1]"]);
    let good = "name,company,phone,email,industry,source,campaign,notes\n王一,甲公司,13800000001,w1@example.com,制造业,event,展会,\n王二,,,,,,,\"多行\n备注\"\n";
    let r = admin
        .raw(
            Method::POST,
            "/api/v1/leads/import",
            "text/csv",
            good.into(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["created"], 2);
    let two = admin.get("/api/v1/leads?source=import").await;
    assert_eq!(two.ids().len(), 1);
    assert_eq!(two.body["data"][0]["notes"], "多行\n备注");
    let r = admin
        .raw(
            Method::POST,
            "/api/v1/leads/import",
            "application/json",
            b"{}".to_vec(),
        )
        .await;
    r.problem(415);
}
db_test!(a_csv_import_is_all_or_nothing);

async fn conversion_makes_a_customer_and_contact_or_attaches_to_a_duplicate(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("c@l.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let l = lead(&rep, json!({"name": "王经理", "company": "上海新客户", "phone": "13800138111", "email": "wang@new.example", "region_id": org.shanghai})).await;
    let id = l["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/leads/{id}/convert");
    let conv = |c: &Client, body: Value| {
        let c = c.clone();
        let path = path.clone();
        async move {
            c.send(Method::POST, &path, Some(body), &[("if-match", "*")])
                .await
        }
    };
    // a bad opportunity stops the whole conversion
    let r = conv(
        &rep,
        json!({"opportunity": {"name": "首单", "amount_minor": 1200000, "currency": "yuan", "expected_close_on": "2027-03-31"}}),
    )
    .await;
    r.problem(422);
    assert_eq!(r.error_fields(), ["opportunity.currency"]);
    assert!(rep.get("/api/v1/customers").await.ids().is_empty());
    let r = conv(
        &rep,
        json!({"opportunity": {"name": "首单", "amount_minor": 1200000, "currency": "CNY", "expected_close_on": "2027-03-31"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let deal = rep
        .get(&format!(
            "/api/v1/opportunities/{}",
            r.body["opportunity_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(deal.status, 200, "{}", deal.text);
    assert_eq!(deal.body["source_lead_id"], json!(id));
    assert_eq!(deal.body["customer_id"], r.body["customer_id"]);
    assert_eq!(deal.body["owner_id"], json!(rep_id));
    assert_eq!(deal.body["amount_minor"], 1200000);
    assert_eq!(deal.body["status"], "open");
    assert_eq!(deal.body["contact_ids"], json!([r.body["contact_id"]]));
    assert_eq!(
        r.body["lead"]["converted_opportunity_id"],
        r.body["opportunity_id"]
    );
    assert_eq!(r.body["customer_created"], true);
    assert_eq!(r.body["lead"]["status"], "converted");
    assert_eq!(r.body["lead"]["allowed"]["convert"], false);
    let cid = r.body["customer_id"].as_str().unwrap().to_owned();
    let c = rep.get(&format!("/api/v1/customers/{cid}")).await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.body["name"], "上海新客户");
    assert_eq!(c.body["owner_id"], json!(rep_id));
    let contacts = rep.get(&format!("/api/v1/customers/{cid}/contacts")).await;
    assert_eq!(
        contacts.body["data"][0]["name"], "王经理",
        "{}",
        contacts.text
    );
    assert_eq!(contacts.body["data"][0]["id"], r.body["contact_id"]);
    // converted is final
    conv(&rep, json!({})).await.problem(422);
    let r = rep
        .patch(
            &format!("/api/v1/leads/{id}"),
            "*",
            json!({"status": "new"}),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "converted_final");

    // a lead that looks like an existing customer: 409 with the candidates
    let existing = create_customer(&admin, customer("上海老客户").with_phone("13900139000")).await;
    let l = lead(
        &admin,
        json!({"name": "李", "company": "上海老客户", "phone": "13900139000"}),
    )
    .await;
    let path2 = format!("/api/v1/leads/{}/convert", l["id"].as_str().unwrap());
    let r = admin
        .send(
            Method::POST,
            &path2,
            Some(json!({"contact": true})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(409);
    assert_eq!(r.body["duplicates"]["visible"][0]["id"], json!(existing));
    // nothing was stored
    assert_eq!(
        admin
            .get("/api/v1/customers?q=上海老客户")
            .await
            .ids()
            .len(),
        1
    );
    // attach to the existing one
    let r = admin
        .send(
            Method::POST,
            &path2,
            Some(json!({"customer": {"existing_customer_id": existing}})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["customer_created"], false);
    assert_eq!(r.body["customer_id"], json!(existing));
    // taken from the queue by converting it
    assert!(r.body["lead"]["owner_id"].is_string(), "{}", r.text);

    // or force a new one with a reason
    let l = lead(&admin, json!({"name": "周", "company": "上海老客户"})).await;
    let path3 = format!("/api/v1/leads/{}/convert", l["id"].as_str().unwrap());
    let r = admin
        .send(Method::POST, &path3, Some(json!({"customer": {"name": "上海老客户", "duplicate_reason": "不同分公司"}, "contact": false})), &[("if-match", "*")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["contact_id"], json!(null));

    // unqualified leads are not converted
    let l = lead(&admin, json!({"name": "不合格"})).await;
    let p = format!("/api/v1/leads/{}", l["id"].as_str().unwrap());
    admin.patch(&p, "*", json!({"status": "unqualified"})).await;
    let r = admin
        .send(
            Method::POST,
            &format!("{p}/convert"),
            Some(json!({})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "not_convertible", "{}", r.text);
}
db_test!(conversion_makes_a_customer_and_contact_or_attaches_to_a_duplicate);

trait Phone {
    fn with_phone(self, p: &str) -> Self;
}

impl Phone for Value {
    fn with_phone(mut self, p: &str) -> Self {
        self["phones"] = json!([p]);
        self
    }
}

async fn score_weights_are_configurable(app: TestApp) {
    let admin = app.admin().await;
    let (_, rep) = user("w@l.example", "sales_rep").create(&app, &admin).await;
    let l = lead(
        &admin,
        json!({"name": "展会客户", "industry": "制造业", "source": "event"}),
    )
    .await;
    // industry 5 + event 18
    assert_eq!(l["score"], 23);
    let r = admin.get("/api/v1/lead-score-rules").await;
    assert_eq!(r.body["sources"]["referral"], 25);
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/lead-score-rules",
            Some(json!({"sources": {"event": 20}, "industries": {"制造业": 15}})),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // left out: back to the defaults
    assert_eq!(r.body["sources"]["referral"], json!(null));
    assert_eq!(r.body["company"], 10);
    // every lead is scored again, lists and the explanation agree
    let id = l["id"].as_str().unwrap();
    let again = admin.get(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(again.body["score"], 5 + 20 + 15);
    assert_eq!(points(&again.body, "industry"), 15);
    assert_eq!(
        admin.get("/api/v1/leads").await.body["data"][0]["score"],
        40
    );

    let bad = admin
        .send(
            Method::PUT,
            "/api/v1/lead-score-rules",
            Some(json!({"company": 41, "sources": {"Web Form": 5}, "industries": {"IT": 16}})),
            &[],
        )
        .await;
    bad.problem(422);
    assert_eq!(
        bad.error_fields(),
        ["company", "sources.Web Form", "industries.IT"]
    );
    let bad = admin
        .send(
            Method::PUT,
            "/api/v1/lead-score-rules",
            Some(json!({"bonus": 1})),
            &[],
        )
        .await;
    bad.problem(422);
    rep.send(
        Method::PUT,
        "/api/v1/lead-score-rules",
        Some(json!({})),
        &[],
    )
    .await
    .problem(403);
}
db_test!(score_weights_are_configurable);

/// Leads created at the same moment take their turns one after the other:
/// nobody is given more than the capacity, and the turns stay fair.
async fn concurrent_creates_respect_capacity(app: TestApp) {
    let admin = app.admin().await;
    let (a, _) = user("ca@l.example", "sales_rep").create(&app, &admin).await;
    let (b, _) = user("cb@l.example", "sales_rep").create(&app, &admin).await;
    let r = admin
        .post(
            "/api/v1/lead-assignment-rules",
            json!({"user_ids": [a, b], "capacity": 3}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let writes = (0..8).map(|i| {
        let c = admin.clone();
        async move {
            c.post("/api/v1/leads", json!({"name": format!("并发{i}")}))
                .await
        }
    });
    let done = futures_util::future::join_all(writes).await;
    let mut owners: Vec<Value> = done
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["owner_id"].clone()
        })
        .collect();
    owners.sort_by_key(|v| v.to_string());
    let count = |u: &str| owners.iter().filter(|o| **o == json!(u)).count();
    assert_eq!((count(&a), count(&b)), (3, 3), "{owners:?}");
    assert_eq!(owners.iter().filter(|o| o.is_null()).count(), 2);
}
db_test!(concurrent_creates_respect_capacity);
