//! Reminder e-mails over SMTP. Each is claimed with a lease before it is
//! sent, so of several nodes one sends it; a failed send is retried later,
//! a few times.

use crate::config::{Smtp, SmtpTls};
use crate::db::{self, DbConnection};
use crate::repo::notifications as store;
use crate::repo::preferences;
use chrono::{Duration, NaiveDateTime};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

/// How long a node may take to send one batch before others may retry it.
const LEASE: Duration = Duration::minutes(5);
const BATCH: i64 = 50;
const MAX_ATTEMPTS: i32 = 5;

pub struct Mailer {
    transport: SmtpTransport,
    from: lettre::message::Mailbox,
    public_url: Option<String>,
}

impl Mailer {
    pub fn new(s: &Smtp, public_url: Option<String>) -> Result<Self, String> {
        let b = match s.tls {
            SmtpTls::None => SmtpTransport::builder_dangerous(&s.host),
            SmtpTls::StartTls => {
                SmtpTransport::starttls_relay(&s.host).map_err(|e| e.to_string())?
            }
            SmtpTls::Tls => SmtpTransport::relay(&s.host).map_err(|e| e.to_string())?,
        };
        let mut b = b
            .port(s.port)
            .timeout(Some(std::time::Duration::from_secs(20)));
        if let (Some(u), Some(p)) = (&s.username, &s.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Self {
            transport: b.build(),
            from: s
                .from
                .parse()
                .map_err(|e| format!("KEHU_SMTP_FROM is not an address: {e}"))?,
            public_url,
        })
    }

    /// Sends the e-mails due at `now`; returns how many went out.
    pub fn send_due(&self, c: &mut DbConnection, now: NaiveDateTime) -> diesel::QueryResult<usize> {
        let mut sent = 0;
        loop {
            let batch = store::claim_mail(c, now, now + LEASE, BATCH)?;
            if batch.is_empty() {
                return Ok(sent);
            }
            let ids: Vec<String> = batch.iter().map(|m| m.user_id.clone()).collect();
            let people = preferences::recipients(c, &ids)?;
            for m in &batch {
                let Some(p) = people.get(&m.user_id).filter(|p| p.prefs.email) else {
                    store::mail_dropped(c, &m.id)?;
                    continue;
                };
                match self.send(&p.email, &p.display_name, m) {
                    Ok(()) => {
                        store::mail_sent(c, &m.id, db::now())?;
                        sent += 1;
                    }
                    Err(e) => {
                        let attempts = m.attempts + 1;
                        tracing::warn!(error = %e, notification = %m.id, attempts, "reminder e-mail not sent");
                        let retry = (attempts < MAX_ATTEMPTS)
                            .then(|| now + Duration::minutes(5 * i64::from(attempts)));
                        store::mail_failed(c, &m.id, attempts, retry)?;
                    }
                }
            }
            if (batch.len() as i64) < BATCH {
                return Ok(sent);
            }
        }
    }

    fn send(&self, to: &str, name: &str, m: &store::Mail) -> Result<(), String> {
        let mut text = m.title.clone();
        if let Some(b) = &m.body {
            text.push_str("\n\n");
            text.push_str(b);
        }
        if let (Some(base), Some(cid)) = (&self.public_url, &m.customer_id) {
            text.push_str(&format!("\n\n{base}/customers/{cid}"));
        }
        text.push('\n');
        let to = lettre::message::Mailbox::new(
            Some(name.to_owned()),
            to.parse()
                .map_err(|e| format!("bad recipient address: {e}"))?,
        );
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&m.title)
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(&msg)
            .map(drop)
            .map_err(|e| e.to_string())
    }
}
