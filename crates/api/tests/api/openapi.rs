use crate::db_test;
use crate::helpers::TestApp;

/// `make test` fails when the committed spec differs from what the code
/// generates; `make openapi` rewrites it.
#[test]
fn committed_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = kehu_api::openapi::json();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `make openapi` and commit it"
    );
}

#[test]
fn every_operation_documents_security_and_errors() {
    let doc: serde_json::Value = serde_json::from_str(&kehu_api::openapi::json()).unwrap();
    assert_eq!(
        doc["openapi"]
            .as_str()
            .unwrap()
            .split('.')
            .take(2)
            .collect::<Vec<_>>(),
        ["3", "1"]
    );
    let mut n = 0;
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            n += 1;
            let what = format!("{method} {path}");
            let op_id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{what} has no operationId"));
            assert!(
                ids.insert(op_id.to_owned()),
                "operationId {op_id} is used twice"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{what} has no success response"
            );
            for code in ["400", "422", "429", "500"] {
                assert!(responses.contains_key(code), "{what} lacks {code}");
            }
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{what} has no security"));
            let public = [
                "/api/v1/auth/login",
                "/api/v1/auth/refresh",
                "/api/v1/auth/logout",
                // the secret in the address is the key, for calendar applications
                "/api/v1/calendar/{token}.ics",
                // a public web form posts leads; its token is the key
                "/api/v1/forms/{token}/leads",
                "/healthz",
                "/readyz",
            ];
            assert_eq!(
                security.is_empty(),
                public.contains(&path.as_str()),
                "{what}"
            );
            if !security.is_empty() {
                assert!(responses.contains_key("401"), "{what} lacks 401");
            }
            assert!(
                op["summary"].is_string() || op["description"].is_string(),
                "{what} is undocumented"
            );
        }
    }
    assert!(n >= 50, "only {n} operations");
}

async fn the_running_server_serves_its_spec_and_docs(app: TestApp) {
    let r = app.anon().get("/api/openapi.json").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["info"]["title"], "Kehu CRM API");
    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}
db_test!(the_running_server_serves_its_spec_and_docs);
