//! Importing customers from files: CSV in the encodings Excel writes,
//! vCards, mapping and templates, dry run, duplicate policies against
//! existing records and within the file, scope, the report, and undo.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use kehu_domain::import::decode::{Encoding, encode};
use reqwest::Method;
use serde_json::{Value, json};

async fn upload(
    c: &Client,
    content_type: &str,
    body: Vec<u8>,
    query: &str,
) -> crate::helpers::Resp {
    c.raw(
        Method::POST,
        &format!("/api/v1/imports{query}"),
        content_type,
        body,
    )
    .await
}

pub(crate) async fn uploaded(c: &Client, content_type: &str, body: Vec<u8>) -> Value {
    let r = upload(c, content_type, body, "").await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

/// Polls until the import has finished, checking on the way that progress
/// never runs past the total.
pub(crate) async fn finished(c: &Client, id: &str) -> Value {
    for _ in 0..600 {
        let r = c.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let b = r.body;
        assert!(b["done_rows"].as_i64().unwrap() <= b["total_rows"].as_i64().unwrap());
        if b["status"] == "done" || b["status"] == "failed" {
            return b;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish");
}

pub(crate) async fn run(c: &Client, id: &str) -> Value {
    let r = c
        .post(&format!("/api/v1/imports/{id}/run"), json!({}))
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert!(matches!(
        r.body["status"].as_str(),
        Some("running" | "done")
    ));
    let done = finished(c, id).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["done_rows"], done["total_rows"]);
    done
}

async fn settings(c: &Client, id: &str, mapping: Value, policy: &str) {
    let r = c
        .send(
            Method::PUT,
            &format!("/api/v1/imports/{id}/settings"),
            Some(json!({"mapping": mapping, "policy": policy})),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

pub(crate) async fn names(c: &Client) -> Vec<String> {
    let mut v: Vec<String> = c.get("/api/v1/customers?limit=200").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

pub(crate) fn counts(b: &Value) -> (i64, i64, i64, i64) {
    let c = &b["counts"];
    (
        c["created"].as_i64().unwrap(),
        c["updated"].as_i64().unwrap(),
        c["skipped"].as_i64().unwrap(),
        c["failed"].as_i64().unwrap(),
    )
}

const SHEET: &str = "公司名称,联系人,职位,手机,邮箱,备注\r\n\
上海华联超市有限公司,张三,采购经理,13800138000,zhang@hualian.example,展会\r\n\
深圳明达电子有限公司,李四,,12,li@mingda.example,\r\n\
\"北京宏远贸易有限公司\",王五,总经理,010-6888 8888,,\"说\"\"好\"\"\"\r\n";

async fn a_gbk_sheet_from_excel_is_previewed_dry_run_and_imported(app: TestApp) {
    let admin = app.admin().await;
    let b = uploaded(&admin, "text/csv", encode(SHEET, Encoding::Gb18030)).await;
    assert_eq!(b["encoding"], "gb18030");
    assert_eq!(b["kind"], "csv");
    assert_eq!(b["status"], "ready");
    assert_eq!(b["total_rows"], 3);
    assert_eq!(b["columns"][0], "公司名称");
    assert_eq!(b["preview"][2]["cells"][5], "说\"好\"");
    assert_eq!(b["preview"][0]["line"], 2);
    let mapped: Vec<(String, String)> = b["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["column"].as_str().unwrap().into(),
                m["field"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(mapped.contains(&("公司名称".into(), "name".into())));
    assert!(mapped.contains(&("联系人".into(), "contact_name".into())));
    assert!(mapped.contains(&("手机".into(), "phones".into())));
    let id = b["id"].as_str().unwrap();

    let dry = admin
        .post(&format!("/api/v1/imports/{id}/dry-run"), json!({}))
        .await;
    assert_eq!(dry.status, 200, "{}", dry.text);
    assert_eq!(counts(&dry.body), (2, 0, 0, 1));
    let bad = &dry.body["rows"][0];
    assert_eq!(bad["line"], 3);
    assert_eq!(bad["outcome"], "failed");
    assert_eq!(bad["code"], "invalid_phone");
    assert_eq!(bad["column"], "手机");
    assert!(names(&admin).await.is_empty(), "a dry run writes nothing");

    let done = run(&admin, id).await;
    assert_eq!(counts(&done), (2, 0, 0, 1));
    assert_eq!(
        names(&admin).await,
        vec!["上海华联超市有限公司", "北京宏远贸易有限公司"],
        "the bad row is reported, the good ones land"
    );
    let failed = admin
        .get(&format!("/api/v1/imports/{id}/rows?outcome=failed"))
        .await;
    assert_eq!(failed.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(failed.body["data"][0]["column"], "手机");
    let all = admin
        .get(&format!("/api/v1/imports/{id}/rows?limit=2"))
        .await;
    assert_eq!(all.body["data"][0]["outcome"], "created");
    let next = all.body["next_cursor"].as_str().unwrap();
    let rest = admin
        .get(&format!("/api/v1/imports/{id}/rows?limit=2&cursor={next}"))
        .await;
    assert_eq!(rest.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest.body["next_cursor"], Value::Null);

    // the customer has its contact, and the history says which import made both
    let cid = all.body["data"][0]["customer_id"].as_str().unwrap();
    let contacts = admin
        .get(&format!("/api/v1/customers/{cid}/contacts"))
        .await;
    assert_eq!(contacts.body["data"][0]["name"], "张三");
    assert_eq!(contacts.body["data"][0]["title"], "采购经理");
    let audit = admin.get(&format!("/api/v1/customers/{cid}/history")).await;
    let entries = audit.body["data"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{}", audit.text);
    assert!(
        entries
            .iter()
            .all(|e| e["import_id"] == id && e["action"] == "create")
    );

    // it cannot run twice, nor be re-mapped after running
    let again = admin
        .post(&format!("/api/v1/imports/{id}/run"), json!({}))
        .await;
    again.problem(409);
}
db_test!(a_gbk_sheet_from_excel_is_previewed_dry_run_and_imported);

async fn utf8_with_a_bom_and_vcards_3_and_4_are_read(app: TestApp) {
    let admin = app.admin().await;
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        "Company,Phone,Contact\nAcme Trading Ltd,+86 21 6888 8888,Jane Doe\n".as_bytes(),
    );
    let b = uploaded(&admin, "text/csv; charset=utf-8", bom).await;
    assert_eq!(b["encoding"], "utf8");
    assert_eq!(
        b["columns"][0], "Company",
        "the byte-order mark is not part of the header"
    );
    run(&admin, b["id"].as_str().unwrap()).await;

    let v3 = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:赵;六;;;\r\nFN:赵六\r\nORG:杭州西湖茶业有限公司\r\nTITLE:销售总监\r\nTEL;TYPE=CELL:139 0013 9000\r\nEMAIL:zhao@xihu.example\r\nEND:VCARD\r\n";
    let v4 =
        "BEGIN:VCARD\nVERSION:4.0\nFN:Li\n  Lei\nTEL;VALUE=uri:tel:+86-150-0015-0000\nEND:VCARD\n";
    for (ct, body) in [("text/vcard", v3), ("text/x-vcard", v4)] {
        let b = uploaded(&admin, ct, body.as_bytes().to_vec()).await;
        assert_eq!(b["kind"], "vcard");
        assert_eq!(b["columns"][0], "FN");
        run(&admin, b["id"].as_str().unwrap()).await;
    }
    assert_eq!(
        names(&admin).await,
        vec!["Acme Trading Ltd", "Li Lei", "杭州西湖茶业有限公司"]
    );
    let list = admin.get("/api/v1/customers?limit=200").await;
    let person = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Li Lei")
        .unwrap()
        .clone();
    assert_eq!(
        person["kind"], "person",
        "a card without a company is the person"
    );
    assert_eq!(person["phones"][0], "+86-150-0015-0000");
    let tea = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "杭州西湖茶业有限公司")
        .unwrap()
        .clone();
    let contacts = admin
        .get(&format!(
            "/api/v1/customers/{}/contacts",
            tea["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(contacts.body["data"][0]["name"], "赵六");
    assert_eq!(contacts.body["data"][0]["phones"][0], "139 0013 9000");
}
db_test!(utf8_with_a_bom_and_vcards_3_and_4_are_read);

async fn unreadable_files_are_refused_naming_what_is_wrong(app: TestApp) {
    let admin = app.admin().await;
    let r = upload(&admin, "application/json", b"{}".to_vec(), "").await;
    r.problem(415);
    let r = upload(
        &admin,
        "text/csv",
        b"a,b\n\xff\xfe\xfd\n".to_vec(),
        "?encoding=utf8",
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "encoding");
    let r = upload(&admin, "text/csv", b"a\n1".to_vec(), "?encoding=latin9").await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "encoding");
    let r = upload(&admin, "text/csv", b"a,b\n\"open,1\n".to_vec(), "").await;
    assert_eq!(r.problem(422)["errors"][0]["code"], "unclosed_quote");
    let r = upload(&admin, "text/vcard", b"not a card".to_vec(), "?kind=vcard").await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "file");
    let big = vec![b'a'; 20 * 1024 * 1024 + 1];
    upload(&admin, "text/csv", big, "").await.problem(413);

    // a mapping naming a column the file lacks, or no name at all
    let b = uploaded(&admin, "text/csv", b"x,y\n1,2\n".to_vec()).await;
    let id = b["id"].as_str().unwrap();
    let r = admin
        .send(
            Method::PUT,
            &format!("/api/v1/imports/{id}/settings"),
            Some(json!({"mapping": [{"column": "z", "field": "name"}], "policy": "skip"})),
            &[],
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "mapping[0].column");
    let r = admin
        .post(&format!("/api/v1/imports/{id}/run"), json!({}))
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "mapping");
}
db_test!(unreadable_files_are_refused_naming_what_is_wrong);

const DUPES: &str = "名称,电话,行业\n\
上海华联超市,021-68888888,零售\n\
明达电子,13900139000,\n\
明达电子有限公司,,电子\n\
新客户,13700137000,\n";

async fn duplicates_are_skipped_updated_or_created_as_chosen(app: TestApp) {
    let admin = app.admin().await;
    let existing = create_customer(
        &admin,
        customer("上海华联超市有限公司").with("phones", json!(["13800138000"])),
    )
    .await;
    let mapping = json!([
        {"column": "名称", "field": "name"},
        {"column": "电话", "field": "phones"},
        {"column": "行业", "field": "industry"}
    ]);

    // skip: the existing one and the file's second 明达 are left alone
    let b = uploaded(&admin, "text/csv", DUPES.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    settings(&admin, id, mapping.clone(), "skip").await;
    let dry = admin
        .post(&format!("/api/v1/imports/{id}/dry-run"), json!({}))
        .await;
    assert_eq!(counts(&dry.body), (2, 0, 2, 0));
    let rows = dry.body["rows"].as_array().unwrap();
    assert_eq!(rows[0]["code"], "duplicate_existing");
    assert_eq!(rows[0]["customer_id"], existing.as_str());
    assert_eq!(rows[1]["code"], "duplicate_in_file");
    assert!(rows[1]["message"].as_str().unwrap().contains("line 3"));
    assert_eq!(counts(&run(&admin, id).await), (2, 0, 2, 0));
    let undo = admin
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await;
    assert_eq!(undo.status, 200, "{}", undo.text);

    // update: the existing one gains the phone and industry; the second
    // 明达 adds to the first
    let b = uploaded(&admin, "text/csv", DUPES.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    settings(&admin, id, mapping.clone(), "update").await;
    assert_eq!(counts(&run(&admin, id).await), (2, 2, 0, 0));
    let r = admin.get(&format!("/api/v1/customers/{existing}")).await;
    assert_eq!(
        r.body["name"], "上海华联超市有限公司",
        "an update never renames"
    );
    assert_eq!(r.body["phones"], json!(["13800138000", "021-68888888"]));
    assert_eq!(r.body["industry"], "零售");
    assert_eq!(
        names(&admin).await,
        vec!["上海华联超市有限公司", "新客户", "明达电子"]
    );
    let list = admin.get("/api/v1/customers?limit=200").await;
    let mingda = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "明达电子")
        .unwrap()
        .clone();
    assert_eq!(
        mingda["industry"], "电子",
        "the later row added to the earlier one"
    );

    // create: everything is created, the overrides recorded
    let b = uploaded(&admin, "text/csv", DUPES.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    settings(&admin, id, mapping, "create").await;
    assert_eq!(counts(&run(&admin, id).await), (4, 0, 0, 0));
    assert_eq!(names(&admin).await.len(), 7);
}
db_test!(duplicates_are_skipped_updated_or_created_as_chosen);

async fn a_rep_cannot_touch_or_learn_about_customers_outside_their_scope(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, east) = user("east@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, south) = user("south@test.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let hidden = create_customer(
        &south,
        customer("深圳秘密客户有限公司").with("phones", json!(["13800138000"])),
    )
    .await;
    let file = "名称,电话,行业\n另一个名字,138 0013 8000,零售\n";
    let b = uploaded(&east, "text/csv", file.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    settings(
        &east,
        id,
        json!([{"column": "名称", "field": "name"}, {"column": "电话", "field": "phones"}, {"column": "行业", "field": "industry"}]),
        "update",
    )
    .await;
    let dry = east
        .post(&format!("/api/v1/imports/{id}/dry-run"), json!({}))
        .await;
    assert_eq!(counts(&dry.body), (0, 0, 0, 1));
    let row = &dry.body["rows"][0];
    assert_eq!(row["code"], "duplicate_hidden");
    assert_eq!(row["customer_id"], Value::Null);
    assert!(
        !dry.text.contains(&hidden) && !dry.text.contains("秘密"),
        "{}",
        dry.text
    );
    run(&east, id).await;
    let report = east.get(&format!("/api/v1/imports/{id}/rows")).await;
    assert!(!report.text.contains(&hidden), "{}", report.text);
    let r = admin.get(&format!("/api/v1/customers/{hidden}")).await;
    assert_eq!(
        r.body["industry"],
        Value::Null,
        "the hidden customer is unchanged"
    );

    // imports are their uploader's own
    south
        .get(&format!("/api/v1/imports/{id}"))
        .await
        .problem(404);
    south
        .get(&format!("/api/v1/imports/{id}/rows"))
        .await
        .problem(404);
    south
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await
        .problem(404);

    // an owner column names users; one the rep may not hand customers to fails the row
    let file = "名称,负责人邮箱\n东方客户,east@test.example\n南方客户,south@test.example\n无人客户,nobody@test.example\n";
    let b = uploaded(&east, "text/csv", file.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    let dry = east
        .post(&format!("/api/v1/imports/{id}/dry-run"), json!({}))
        .await;
    assert_eq!(counts(&dry.body), (1, 0, 0, 2), "{}", dry.text);
    assert_eq!(dry.body["rows"][0]["code"], "out_of_reach");
    assert_eq!(dry.body["rows"][1]["code"], "owner_unknown");
    assert_eq!(dry.body["rows"][1]["column"], "负责人邮箱");

    // a rep may not delete customers, but may take back their own import
    assert_eq!(counts(&run(&east, id).await), (1, 0, 0, 2));
    let r = east
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(names(&east).await.iter().all(|n| n != "东方客户"));
}
db_test!(a_rep_cannot_touch_or_learn_about_customers_outside_their_scope);

async fn an_import_is_undone_whole_or_not_at_all(app: TestApp) {
    let admin = app.admin().await;
    let existing = create_customer(
        &admin,
        customer("华联超市").with("phones", json!(["13800138000"])),
    )
    .await;
    let file = "名称,电话,联系人\n华联超市,021-68888888,张三\n明达电子,13900139000,李四\n";
    let b = uploaded(&admin, "text/csv", file.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    settings(
        &admin,
        id,
        json!([{"column": "名称", "field": "name"}, {"column": "电话", "field": "phones"}, {"column": "联系人", "field": "contact_name"}]),
        "update",
    )
    .await;
    assert_eq!(counts(&run(&admin, id).await), (1, 1, 0, 0));
    let before_undo = admin
        .get(&format!("/api/v1/customers/{existing}/contacts"))
        .await;
    assert_eq!(before_undo.body["data"][0]["name"], "张三");

    let r = admin
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "undone");
    assert_eq!(names(&admin).await, vec!["华联超市"]);
    let r = admin.get(&format!("/api/v1/customers/{existing}")).await;
    assert_eq!(
        r.body["phones"],
        json!(["13800138000"]),
        "the update is taken back"
    );
    let contacts = admin
        .get(&format!("/api/v1/customers/{existing}/contacts"))
        .await;
    assert_eq!(
        contacts.body["data"],
        json!([]),
        "so is the contact it added"
    );
    admin
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await
        .problem(409);

    // someone edits an imported customer: undo refuses and changes nothing
    let b = uploaded(
        &admin,
        "text/csv",
        "名称\n宏远贸易\n新发公司\n".as_bytes().to_vec(),
    )
    .await;
    let id = b["id"].as_str().unwrap();
    run(&admin, id).await;
    let list = admin.get("/api/v1/customers?limit=200").await;
    let hongyuan = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "宏远贸易")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = admin
        .patch(
            &format!("/api/v1/customers/{hongyuan}"),
            "*",
            json!({"industry": "贸易"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = admin
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await;
    let p = r.problem(409);
    assert!(p["detail"].as_str().unwrap().contains("line 2"), "{p}");
    assert_eq!(
        names(&admin).await,
        vec!["华联超市", "宏远贸易", "新发公司"]
    );
}
db_test!(an_import_is_undone_whole_or_not_at_all);

async fn mappings_are_saved_as_templates_of_their_owner(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let body = json!({"name": "展会名片", "mapping": [{"column": "ORG", "field": "name"}, {"column": "TEL", "field": "contact_phones"}], "policy": "update"});
    let r = rep.post("/api/v1/import-templates", body.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let tid = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["policy"], "update");
    let r = rep.post("/api/v1/import-templates", body).await;
    assert_eq!(r.problem(409)["errors"][0]["field"], "name");
    let r = rep
        .post(
            "/api/v1/import-templates",
            json!({"name": "x", "mapping": [{"column": "a", "field": "phones"}], "policy": "skip"}),
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "mapping");
    let list = rep.get("/api/v1/import-templates").await;
    assert_eq!(list.body["data"][0]["name"], "展会名片");
    assert_eq!(
        admin.get("/api/v1/import-templates").await.body["data"],
        json!([])
    );
    admin
        .delete(&format!("/api/v1/import-templates/{tid}"))
        .await
        .problem(404);
    assert_eq!(
        rep.delete(&format!("/api/v1/import-templates/{tid}"))
            .await
            .status,
        204
    );
}
db_test!(mappings_are_saved_as_templates_of_their_owner);

/// A one-sheet workbook as Excel writes it, cut to what readers need: the
/// phone is a number cell, as it is when typed into Excel.
fn workbook(rows: &[(&str, Option<u64>)]) -> Vec<u8> {
    use std::io::Write;
    let cell = |r: usize, c: char, v: &str| {
        format!(r#"<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#)
    };
    let mut sheet = String::new();
    for (i, (name, phone)) in rows.iter().enumerate() {
        let r = i + 1;
        let second = match phone {
            Some(p) => format!(r#"<c r="B{r}"><v>{p}</v></c>"#),
            None => cell(r, 'B', "手机"),
        };
        sheet.push_str(&format!(
            r#"<row r="{r}">{}{second}</row>"#,
            cell(r, 'A', name)
        ));
    }
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#)),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, body) in files {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

async fn an_excel_workbook_is_read_from_its_first_sheet(app: TestApp) {
    let admin = app.admin().await;
    let book = workbook(&[("公司名称", None), ("华东电子有限公司", Some(13800138000))]);
    let b = uploaded(
        &admin,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        book,
    )
    .await;
    assert_eq!(b["kind"], "xlsx");
    assert_eq!(b["columns"], json!(["公司名称", "手机"]));
    assert_eq!(
        b["preview"][0]["cells"][1], "13800138000",
        "a number cell reads as typed"
    );
    run(&admin, b["id"].as_str().unwrap()).await;
    let list = admin.get("/api/v1/customers").await;
    assert_eq!(list.body["data"][0]["phones"], json!(["13800138000"]));
    let r = upload(
        &admin,
        "application/octet-stream",
        b"PK\x03\x04broken".to_vec(),
        "",
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "file");
}
db_test!(an_excel_workbook_is_read_from_its_first_sheet);
