//! Builders for the records tests need.

use crate::helpers::{Client, PASSWORD, TestApp};
use serde_json::{Value, json};

/// A small organisation: 华东 > 上海 / 江苏, 华南 > 广东; two teams (one below the
/// other); two product lines; two partners.
pub struct Org {
    pub east: String,
    pub shanghai: String,
    pub jiangsu: String,
    pub south: String,
    pub guangdong: String,
    pub team_east: String,
    pub team_east_sub: String,
    pub team_south: String,
    pub printers: String,
    pub computers: String,
    pub dealer: String,
    pub other_dealer: String,
}

async fn unit(admin: &Client, path: &str, name: &str, parent: Option<&str>) -> String {
    let r = admin
        .post(path, json!({"name": name, "parent_id": parent}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.id()
}

impl Org {
    pub async fn create(admin: &Client) -> Self {
        let east = unit(admin, "/api/v1/regions", "华东", None).await;
        let shanghai = unit(admin, "/api/v1/regions", "上海", Some(&east)).await;
        let jiangsu = unit(admin, "/api/v1/regions", "江苏", Some(&east)).await;
        let south = unit(admin, "/api/v1/regions", "华南", None).await;
        let guangdong = unit(admin, "/api/v1/regions", "广东", Some(&south)).await;
        let team_east = unit(admin, "/api/v1/teams", "华东销售部", None).await;
        let team_east_sub = unit(admin, "/api/v1/teams", "上海组", Some(&team_east)).await;
        let team_south = unit(admin, "/api/v1/teams", "华南销售部", None).await;
        Self {
            printers: unit(admin, "/api/v1/product-lines", "打印机", None).await,
            computers: unit(admin, "/api/v1/product-lines", "电脑", None).await,
            dealer: unit(admin, "/api/v1/partners", "示例经销商", None).await,
            other_dealer: unit(admin, "/api/v1/partners", "另一经销商", None).await,
            east,
            shanghai,
            jiangsu,
            south,
            guangdong,
            team_east,
            team_east_sub,
            team_south,
        }
    }
}

/// A user to create through the API, then sign in as.
pub struct UserSpec {
    body: Value,
}

pub fn user(email: &str, role: &str) -> UserSpec {
    UserSpec {
        body: json!({"email": email, "display_name": email.split('@').next().unwrap(), "password": PASSWORD, "role_ids": [role]}),
    }
}

impl UserSpec {
    pub fn team(mut self, t: &str) -> Self {
        self.body["team_id"] = json!(t);
        self
    }
    pub fn regions(mut self, r: &[&str]) -> Self {
        self.body["region_ids"] = json!(r);
        self
    }
    pub fn product_lines(mut self, p: &[&str]) -> Self {
        self.body["product_line_ids"] = json!(p);
        self
    }
    pub fn partner(mut self, p: &str) -> Self {
        self.body["partner_id"] = json!(p);
        self
    }

    /// Creates the user and returns (user id, signed-in client).
    pub async fn create(self, app: &TestApp, admin: &Client) -> (String, Client) {
        let email = self.body["email"].as_str().unwrap().to_owned();
        let r = admin.post("/api/v1/users", self.body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        (r.id(), app.login(&email, PASSWORD).await)
    }
}

/// A customer body with sensible defaults; override with `with`.
pub fn customer(name: &str) -> Value {
    json!({"name": name})
}

pub trait With {
    fn with(self, key: &str, v: Value) -> Self;
}

impl With for Value {
    fn with(mut self, key: &str, v: Value) -> Self {
        self[key] = v;
        self
    }
}

/// Creates a customer and returns its id.
pub async fn create_customer(c: &Client, body: Value) -> String {
    let r = c.post("/api/v1/customers", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.id()
}
