//! Exports: what the caller may see, as CSV that Excel opens in Chinese; for
//! a campaign, without the contacts who refused its channel.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use serde_json::json;

fn lines(text: &str) -> Vec<&str> {
    text.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect()
}

/// A rep in 上海 with three customers (one with a comma and quotes in its
/// name, one that looks like a formula), and another rep's customer.
async fn a_rep_and_their_customers(app: &TestApp) -> Client {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(app, &admin)
        .await;
    let (_, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(app, &admin)
        .await;
    create_customer(
        &rep,
        customer("上海华联超市")
            .with("phones", json!(["+86 138 0013 8000"]))
            .with("tags", json!(["重点", "华东"])),
    )
    .await;
    create_customer(&rep, customer("Acme, \"the\" company")).await;
    create_customer(&rep, customer("=HYPERLINK(\"x\")")).await;
    create_customer(&other, customer("别人的客户")).await;
    rep
}

async fn a_rep_exports_their_customers_and_nothing_else(app: TestApp) {
    let rep = a_rep_and_their_customers(&app).await;

    let r = rep.get("/api/v1/customers/export").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("kehu-customers-")
    );
    assert!(
        r.text.starts_with('\u{feff}'),
        "a byte-order mark for Excel"
    );
    let l = lines(&r.text);
    assert!(l[0].starts_with("id,name,kind,lifecycle_stage"));
    assert_eq!(l.len(), 4, "a header and the rep's three: {l:?}");
    assert!(!r.text.contains("别人的客户"));
    // sorted by name; quoted where needed; never a formula
    assert!(
        l.iter()
            .any(|x| x.contains(",\"Acme, \"\"the\"\" company\",")),
        "{l:?}"
    );
    assert!(
        l.iter().any(|x| x.contains(",\"'=HYPERLINK(\"\"x\"\")\",")),
        "{l:?}"
    );
    let hualian = l.iter().find(|x| x.contains("上海华联超市")).unwrap();
    assert!(hualian.contains(",'+86 138 0013 8000,"), "{hualian}");
    assert!(hualian.contains("重点; 华东"), "{hualian}");
    assert!(
        hualian.contains(",上海,rep,"),
        "region and owner by name: {hualian}"
    );

    // the list's filters apply
    let r = rep
        .get("/api/v1/customers/export?q=%E5%8D%8E%E8%81%94")
        .await;
    assert_eq!(lines(&r.text).len(), 2);
}
db_test!(a_rep_exports_their_customers_and_nothing_else);

async fn a_marketing_export_leaves_out_who_refused_the_channel(app: TestApp) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("活动客户")).await;
    for (name, dnc) in [
        ("不要邮件", json!(["email"])),
        ("可以联系", json!([])),
        ("不要电话", json!(["call"])),
    ] {
        let r = admin
            .post(
                &format!("/api/v1/customers/{cid}/contacts"),
                json!({"name": name, "emails": [format!("{}@example.com", name.len())], "do_not_contact": dnc}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = admin
        .get("/api/v1/customers/export?what=contacts&purpose=marketing&channel=email")
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let l = lines(&r.text);
    assert!(l[0].starts_with("customer_id,customer,contact_id,name"));
    let names: Vec<&str> = l[1..]
        .iter()
        .map(|x| x.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(names, ["不要电话", "可以联系"]);

    // every contact, with what each refused, when it is not for a campaign
    let r = admin.get("/api/v1/customers/export?what=contacts").await;
    let l = lines(&r.text);
    assert_eq!(l.len(), 4);
    assert!(
        l.iter()
            .any(|x| x.contains("不要邮件") && x.contains(",email,")),
        "{l:?}"
    );

    for bad in [
        "what=contacts&purpose=marketing",
        "purpose=marketing&channel=email",
        "what=contacts&channel=email",
    ] {
        let r = admin.get(&format!("/api/v1/customers/export?{bad}")).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let r = admin.get("/api/v1/customers/export?channel=fax").await;
    assert_eq!(r.status, 400, "{}", r.text);
}
db_test!(a_marketing_export_leaves_out_who_refused_the_channel);

/// The first sheet of a workbook, each cell as text (times as `time:…`).
fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    Data::DateTime(t) => format!("time:{}", t.as_f64()),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

async fn an_excel_export_holds_the_same_rows_as_text_and_times(app: TestApp) {
    let rep = a_rep_and_their_customers(&app).await;
    let (status, headers, bytes) = rep.get_bytes("/api/v1/customers/export?format=xlsx").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains("kehu-customers-") && disposition.ends_with(".xlsx\""));
    let rows = sheet(&bytes);
    assert_eq!(rows[0][..4], ["id", "name", "kind", "lifecycle_stage"]);
    assert_eq!(rows.len(), 4, "a header and the rep's three: {rows:?}");
    let mut names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    names.sort_unstable();
    // a formula-like name is text, shown as typed
    assert_eq!(
        names,
        ["=HYPERLINK(\"x\")", "Acme, \"the\" company", "上海华联超市"]
    );
    let hualian = rows.iter().find(|r| r[1] == "上海华联超市").unwrap();
    assert_eq!(hualian[6], "上海", "region by name");
    assert_eq!(hualian[7], "rep", "owner by name");
    assert_eq!(hualian[8], "+86 138 0013 8000", "a phone keeps its +");
    assert_eq!(hualian[10], "重点; 华东");
    assert!(
        hualian[14].starts_with("time:"),
        "created_at is a date: {hualian:?}"
    );

    // the list's filters apply, as to CSV
    let (_, _, bytes) = rep
        .get_bytes("/api/v1/customers/export?format=xlsx&q=%E5%8D%8E%E8%81%94")
        .await;
    assert_eq!(sheet(&bytes).len(), 2);

    let r = rep.get("/api/v1/customers/export?format=pdf").await;
    assert_eq!(r.status, 400, "{}", r.text);
}
db_test!(an_excel_export_holds_the_same_rows_as_text_and_times);

async fn an_excel_marketing_export_leaves_out_who_refused(app: TestApp) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("活动客户")).await;
    for (name, dnc) in [("不要短信", json!(["sms"])), ("可以联系", json!([]))] {
        let r = admin
            .post(
                &format!("/api/v1/customers/{cid}/contacts"),
                json!({"name": name, "do_not_contact": dnc}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let (status, _, bytes) = admin
        .get_bytes(
            "/api/v1/customers/export?what=contacts&purpose=marketing&channel=sms&format=xlsx",
        )
        .await;
    assert_eq!(status, 200);
    let rows = sheet(&bytes);
    assert_eq!(
        rows[0][..4],
        ["customer_id", "customer", "contact_id", "name"]
    );
    let names: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(names, ["可以联系"]);
    assert_eq!(rows[1][1], "活动客户");
}
db_test!(an_excel_marketing_export_leaves_out_who_refused);
