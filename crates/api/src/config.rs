//! Settings from environment variables (documented in the README).

use crate::db::DbUrl;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DbUrl,
    pub addr: SocketAddr,
    /// HMAC secret for access tokens. When unset, one is generated once and
    /// kept in the database, so every API node behind a load balancer shares it.
    pub jwt_secret: Option<String>,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    pub ui_dir: PathBuf,
    pub pool_size: u32,
    pub bootstrap_admin: Option<(String, String)>,
    pub log_json: bool,
    /// How many argon2 hashes may run at once; they are the most expensive work we do.
    pub max_concurrent_hashes: usize,
    /// Requests per second one client address may sustain (0: no limit), and its burst.
    pub rate_limit_per_sec: f64,
    pub rate_limit_burst: f64,
    /// Open connections per worker beyond which new ones wait.
    pub max_connections: usize,
    /// How often the reminder scheduler looks for what is due (0: never, for tests).
    pub remind_every_secs: u64,
    /// Where reminder e-mails go out; none: e-mail is off.
    pub smtp: Option<Smtp>,
    /// The address users reach Kehu at (`https://crm.example.com`), for links
    /// in e-mails and calendar subscriptions; unset: taken from each request.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (the
    /// public lead form's per-client limit); empty: every peer is a client.
    pub trusted_proxies: kehu_domain::net::TrustedProxies,
}

/// How Kehu's e-mail leaves: an SMTP server (a relay or a provider's submission port).
#[derive(Debug, Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `Kehu <crm@example.com>`.
    pub from: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP: only to a relay on a trusted network.
    None,
    /// Upgrade with STARTTLS (port 587); refuse servers that cannot.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

fn smtp_from_env() -> Result<Option<Smtp>, String> {
    let Some(host) = var("KEHU_SMTP_HOST") else {
        return Ok(None);
    };
    let tls = match var("KEHU_SMTP_TLS").as_deref().unwrap_or("starttls") {
        "none" => SmtpTls::None,
        "starttls" => SmtpTls::StartTls,
        "tls" => SmtpTls::Tls,
        other => {
            return Err(format!(
                "KEHU_SMTP_TLS must be none, starttls or tls, got {other:?}"
            ));
        }
    };
    let default_port = match tls {
        SmtpTls::None => 25,
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
    };
    let from = var("KEHU_SMTP_FROM").ok_or("KEHU_SMTP_FROM is required with KEHU_SMTP_HOST")?;
    Ok(Some(Smtp {
        host,
        port: num("KEHU_SMTP_PORT", default_port)?,
        tls,
        username: var("KEHU_SMTP_USERNAME"),
        password: var("KEHU_SMTP_PASSWORD"),
        from,
    }))
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn num<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("{name} must be a number, got {v:?}")),
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let database_url =
            DbUrl::parse(&var("DATABASE_URL").unwrap_or_else(|| "sqlite://./data/kehu.db".into()))?;
        let addr = var("KEHU_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .map_err(|e| format!("KEHU_ADDR must be host:port: {e}"))?;
        let bootstrap_admin = match (
            var("KEHU_BOOTSTRAP_ADMIN_EMAIL"),
            var("KEHU_BOOTSTRAP_ADMIN_PASSWORD"),
        ) {
            (Some(e), Some(p)) => Some((e, p)),
            (None, None) => None,
            _ => {
                return Err(
                    "set both KEHU_BOOTSTRAP_ADMIN_EMAIL and KEHU_BOOTSTRAP_ADMIN_PASSWORD, or neither".into(),
                );
            }
        };
        let jwt_secret = var("KEHU_JWT_SECRET");
        if jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err("KEHU_JWT_SECRET must be at least 32 characters".into());
        }
        Ok(Self {
            database_url,
            addr,
            jwt_secret,
            access_token_ttl_secs: num("KEHU_ACCESS_TOKEN_TTL_SECS", 900)?,
            refresh_token_ttl_days: num("KEHU_REFRESH_TOKEN_TTL_DAYS", 30)?,
            ui_dir: var("KEHU_UI_DIR")
                .map_or_else(|| PathBuf::from("crates/web-ui/dist"), PathBuf::from),
            pool_size: num("KEHU_DB_POOL_SIZE", 8)?,
            bootstrap_admin,
            log_json: var("KEHU_LOG_FORMAT").is_some_and(|f| f == "json"),
            max_concurrent_hashes: num("KEHU_MAX_CONCURRENT_HASHES", 4)?,
            rate_limit_per_sec: num("KEHU_RATE_LIMIT_PER_SEC", 100.0)?,
            rate_limit_burst: num("KEHU_RATE_LIMIT_BURST", 200.0)?,
            max_connections: num("KEHU_MAX_CONNECTIONS", 1024)?,
            remind_every_secs: num("KEHU_REMIND_EVERY_SECS", 60)?,
            smtp: smtp_from_env()?,
            public_url: var("KEHU_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            trusted_proxies: kehu_domain::net::TrustedProxies::parse(
                &var("KEHU_TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|bad| {
                format!(
                    "KEHU_TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas; {bad:?} is neither"
                )
            })?,
        })
    }
}
