//! The public lead form on other sites: behind reverse proxies each visitor
//! is limited on their own, and only the sites a form lists may post to it
//! from a browser.

use crate::db_test;
use crate::helpers::{Client, Resp, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

async fn form(admin: &Client, body: Value) -> (String, String) {
    let r = admin.post("/api/v1/lead-forms", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    (r.id(), r.body["token"].as_str().unwrap().to_owned())
}

async fn post_as(anon: &Client, url: &str, headers: &[(&str, &str)], name: &str) -> Resp {
    anon.send(
        Method::POST,
        url,
        Some(json!({"name": name, "consent": true})),
        headers,
    )
    .await
}

async fn lead_names(admin: &Client) -> Vec<String> {
    admin.get("/api/v1/leads?limit=200").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn behind_a_proxy_each_visitor_has_their_own_limit(app: TestApp) {
    let admin = app.admin().await;
    let (_, token) = form(&admin, json!({"name": "官网"})).await;
    let url = format!("/api/v1/forms/{token}/leads");
    let anon = app.anon();
    // the test server trusts its own address as a proxy (tests/api/helpers.rs)
    let a = [("x-forwarded-for", "198.51.100.1")];
    for i in 0..10 {
        let r = post_as(&anon, &url, &a, &format!("访客A{i}")).await;
        assert_eq!(r.status, 202, "{i}: {}", r.text);
    }
    post_as(&anon, &url, &a, "访客A-多").await.problem(429);
    // another visitor through the same proxy is not held up
    let b = [("x-forwarded-for", "198.51.100.2, 127.0.0.1")];
    assert_eq!(post_as(&anon, &url, &b, "访客B").await.status, 202);
    // nor does making up an address left of one's own help
    let spoof = [("x-forwarded-for", "203.0.113.50, 198.51.100.1")];
    post_as(&anon, &url, &spoof, "访客A-假").await.problem(429);
    // and the proxy's own requests are its own
    assert_eq!(post_as(&anon, &url, &[], "代理").await.status, 202);
    let names = lead_names(&admin).await;
    assert!(names.contains(&"访客B".to_owned()));
    assert!(!names.iter().any(|n| n.starts_with("访客A-")));
}
db_test!(behind_a_proxy_each_visitor_has_their_own_limit);

async fn only_the_sites_a_form_lists_may_post_to_it_from_a_browser(app: TestApp) {
    let admin = app.admin().await;
    let r = admin
        .post(
            "/api/v1/lead-forms",
            json!({"name": "官网", "allowed_origins": ["https://www.example.com", "www.example.com/contact"]}),
        )
        .await;
    assert_eq!(r.error_fields(), ["allowed_origins[1]"], "{}", r.text);
    assert_eq!(r.problem(422)["errors"][0]["code"], "invalid_origin");
    let r = admin
        .post(
            "/api/v1/lead-forms",
            json!({"name": "官网", "allowed_origins": ["HTTPS://WWW.example.com/", "https://www.example.com:443"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        r.body["allowed_origins"],
        json!(["https://www.example.com"])
    );
    let (fid, token) = (r.id(), r.body["token"].as_str().unwrap().to_owned());
    let url = format!("/api/v1/forms/{token}/leads");
    let anon = app.anon();
    let ours = [("origin", "https://www.example.com")];
    let theirs = [("origin", "https://evil.example")];

    // the browser asks first
    let r = anon.send(Method::OPTIONS, &url, None, &ours).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://www.example.com")
    );
    assert_eq!(r.header("access-control-allow-methods"), Some("POST"));
    assert!(
        r.header("access-control-allow-headers")
            .unwrap()
            .to_ascii_lowercase()
            .contains("content-type")
    );
    assert_eq!(r.header("access-control-allow-credentials"), None);
    let r = anon.send(Method::OPTIONS, &url, None, &theirs).await;
    r.problem(403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    anon.send(Method::OPTIONS, "/api/v1/forms/nope/leads", None, &ours)
        .await
        .problem(404);
    // without its site a preflight is not one
    let r = anon.send(Method::OPTIONS, &url, None, &[]).await;
    assert_eq!(r.problem(400)["errors"][0]["field"], "Origin");

    // a listed site's page posts and may read the answer, refusals too
    let r = post_as(&anon, &url, &ours, "官网访客").await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://www.example.com")
    );
    assert_eq!(r.header("vary"), Some("Origin"));
    let r = anon
        .send(Method::POST, &url, Some(json!({"name": "没同意"})), &ours)
        .await;
    assert_eq!(r.error_fields(), ["consent"]);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://www.example.com")
    );
    // another site's page is refused, and nothing is stored
    let r = post_as(&anon, &url, &theirs, "别站访客").await;
    r.problem(403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    // a server posting (no Origin) is not a page of another site
    assert_eq!(post_as(&anon, &url, &[], "服务器").await.status, 202);
    let names = lead_names(&admin).await;
    assert!(names.contains(&"官网访客".to_owned()));
    assert!(names.contains(&"服务器".to_owned()));
    assert!(!names.contains(&"别站访客".to_owned()));

    // no list: any site
    let r = admin
        .patch(
            &format!("/api/v1/lead-forms/{fid}"),
            "*",
            json!({"allowed_origins": []}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["allowed_origins"], json!([]));
    let r = post_as(&anon, &url, &theirs, "任何站").await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://evil.example")
    );
}
db_test!(only_the_sites_a_form_lists_may_post_to_it_from_a_browser);
