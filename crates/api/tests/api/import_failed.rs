//! The failed rows of an import, downloaded to fix and import again: the
//! file's own cells, the line and the reason in the user's language.

use crate::db_test;
use crate::fixtures::{create_customer, customer, user};
use crate::helpers::TestApp;
use crate::import::{run, uploaded};
use reqwest::Method;
use serde_json::json;

const SHEET: &str = "公司名称,联系人,手机\r\n\
上海华联超市有限公司,张三,13800138000\r\n\
深圳明达电子有限公司,李四,12\r\n\
已有客户有限公司,王五,13900139000\r\n\
\"=HYPERLINK(\"\"x\"\")\",\"赵六, 经理\",1\r\n";

fn lines(text: &str) -> Vec<&str> {
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for Excel");
    text.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect()
}

async fn the_failed_rows_come_back_with_their_cells_and_reason(app: TestApp) {
    let admin = app.admin().await;
    create_customer(&admin, customer("已有客户有限公司")).await;
    let b = uploaded(&admin, "text/csv", SHEET.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    let done = run(&admin, id).await;
    assert_eq!(done["counts"]["created"], 1, "{done}");
    assert_eq!(done["counts"]["skipped"], 1, "{done}");
    assert_eq!(done["counts"]["failed"], 2, "{done}");

    // no language chosen: English, with the API's own words
    let r = admin.get(&format!("/api/v1/imports/{id}/failed")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(r.header("content-disposition").unwrap().contains(".csv"));
    let l = lines(&r.text);
    assert_eq!(
        l.len(),
        3,
        "the header and the two failed rows, nothing else: {l:?}"
    );
    assert_eq!(l[0], "公司名称,联系人,手机,line,reason");
    assert!(
        l[1].starts_with("深圳明达电子有限公司,李四,12,3,\"手机: must be a phone number"),
        "{}",
        l[1]
    );
    // quoted as in the file, and never a formula
    assert!(
        l[2].starts_with("\"'=HYPERLINK(\"\"x\"\")\",\"赵六, 经理\",1,5,"),
        "{}",
        l[2]
    );
    assert!(!r.text.contains("上海华联") && !r.text.contains("已有客户"));

    // no language chosen: the browser's
    let r = admin
        .send(
            Method::GET,
            &format!("/api/v1/imports/{id}/failed"),
            None,
            &[("accept-language", "zh-TW,zh;q=0.9,en;q=0.5")],
        )
        .await;
    assert_eq!(lines(&r.text)[0], "公司名称,联系人,手机,列號,失敗原因");

    // the user's own choice, once they made one
    let me = admin
        .send(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "zh-CN"})),
            &[],
        )
        .await;
    assert_eq!(me.status, 200, "{}", me.text);
    let r = admin
        .send(
            Method::GET,
            &format!("/api/v1/imports/{id}/failed"),
            None,
            &[("accept-language", "en")],
        )
        .await;
    let l = lines(&r.text);
    assert_eq!(l[0], "公司名称,联系人,手机,行号,失败原因");
    assert_eq!(
        l[1],
        "深圳明达电子有限公司,李四,12,3,手机: 不是有效的电话号码"
    );

    // the import is its uploader's
    let (_, other) = user("other@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    other
        .get(&format!("/api/v1/imports/{id}/failed"))
        .await
        .problem(404);
    admin
        .get("/api/v1/imports/00000000-0000-0000-0000-000000000000/failed")
        .await
        .problem(404);
}
db_test!(the_failed_rows_come_back_with_their_cells_and_reason);
