//! A customer: a company or a person the company does business with.

use crate::date::Date;
use crate::error::{Collector, FieldError, Invalid};
use crate::text::{self, Email, Phone, Tag};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    Company,
    Person,
}

impl CustomerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Company => "company",
            CustomerKind::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [CustomerKind::Company, CustomerKind::Person]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// 客户生命周期; the moves between stages are in [`crate::lifecycle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    /// 潜在
    Prospect,
    /// 意向
    Interested,
    /// 成交
    Customer,
    /// 升级
    Vip,
    /// 流失
    Churned,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 5] = [
        LifecycleStage::Prospect,
        LifecycleStage::Interested,
        LifecycleStage::Customer,
        LifecycleStage::Vip,
        LifecycleStage::Churned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleStage::Prospect => "prospect",
            LifecycleStage::Interested => "interested",
            LifecycleStage::Customer => "customer",
            LifecycleStage::Vip => "vip",
            LifecycleStage::Churned => "churned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

pub const MAX_TAGS: usize = 20;
pub const MAX_PHONES: usize = 10;
pub const MAX_EMAILS: usize = 10;
pub const MAX_PRODUCT_LINES: usize = 20;

/// A customer as a client sends it, before any checks. `None` means the field
/// was not sent; for patches, `Some(None)` means "clear it".
#[derive(Debug, Clone, Default)]
pub struct RawCustomer {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub industry: Option<Option<String>>,
    pub source: Option<Option<String>>,
    pub region_id: Option<Option<String>>,
    pub product_line_ids: Option<Vec<String>>,
    pub owner_id: Option<Option<String>>,
    pub team_id: Option<Option<String>>,
    pub partner_id: Option<Option<String>>,
    pub lifecycle_stage: Option<String>,
    pub tags: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    pub address: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    /// `YYYY-MM-DD`; the day the contract is up for renewal.
    pub renewal_on: Option<Option<String>>,
    /// `YYYY-MM-DD`; the day the next maintenance is due.
    pub maintenance_on: Option<Option<String>>,
}

/// A customer's own fields, all known to be valid. References (region,
/// owner, ...) are checked for existence by the API, which has the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub name: String,
    pub kind: CustomerKind,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub region_id: Option<String>,
    pub product_line_ids: Vec<String>,
    pub owner_id: Option<String>,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub lifecycle_stage: LifecycleStage,
    pub tags: Vec<Tag>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub renewal_on: Option<Date>,
    pub maintenance_on: Option<Date>,
}

/// Who is creating a customer, for the defaults a new record gets.
#[derive(Debug, Clone, Default)]
pub struct Creator {
    pub user_id: String,
    pub team_id: Option<String>,
    /// The creator's first region, where their new customers land by default.
    pub home_region_id: Option<String>,
    pub partner_id: Option<String>,
}

fn id_ref(c: &mut Collector, field: &str, v: Option<String>) -> Option<String> {
    match v {
        None => None,
        Some(s) if s.trim().is_empty() => {
            c.push(FieldError::new(
                field,
                "invalid_id",
                "must be an id or null",
            ));
            None
        }
        Some(s) => c.take(text::required(field, &s, 64)),
    }
}

fn ids(c: &mut Collector, field: &str, raw: &[String], max: usize) -> Vec<String> {
    c.take(text::list(
        field,
        raw,
        max,
        |f, s| text::required(f, s, 64),
        |s: &String| s.clone(),
    ))
    .unwrap_or_default()
}

impl Customer {
    /// Checks a new customer. Unsent owner, team, region and partner take the
    /// creator's: a rep's new customer is the rep's, in the rep's region, and
    /// a dealer's is the dealer's. Sending `null` for the owner puts it in the company pool.
    pub fn create(raw: RawCustomer, creator: &Creator) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let name = match raw.name.as_deref() {
            None => {
                c.push(FieldError::new("name", "required", "is required"));
                None
            }
            Some(n) => c.take(text::required("name", n, text::NAME_MAX)),
        };
        let kind = parse_kind(&mut c, raw.kind.as_deref().unwrap_or("company"));
        let stage = parse_stage(&mut c, raw.lifecycle_stage.as_deref().unwrap_or("prospect"));
        let owner_id = match raw.owner_id.clone() {
            None => Some(creator.user_id.clone()),
            Some(o) => id_ref(&mut c, "owner_id", o),
        };
        let team_id = match raw.team_id.clone() {
            None if owner_id.as_deref() == Some(creator.user_id.as_str()) => {
                creator.team_id.clone()
            }
            None => None,
            Some(t) => id_ref(&mut c, "team_id", t),
        };
        let region_id = match raw.region_id.clone() {
            None => creator.home_region_id.clone(),
            Some(r) => id_ref(&mut c, "region_id", r),
        };
        let partner_id = match raw.partner_id.clone() {
            None => creator.partner_id.clone(),
            Some(p) => id_ref(&mut c, "partner_id", p),
        };
        let rest = Rest::parse(&mut c, &raw, None);
        c.finish()?;
        Ok(Customer {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(CustomerKind::Company),
            lifecycle_stage: stage.unwrap_or(LifecycleStage::Prospect),
            owner_id,
            team_id,
            region_id,
            partner_id,
            industry: rest.industry,
            source: rest.source,
            product_line_ids: rest.product_line_ids,
            tags: rest.tags,
            phones: rest.phones,
            emails: rest.emails,
            address: rest.address,
            notes: rest.notes,
            renewal_on: rest.renewal_on,
            maintenance_on: rest.maintenance_on,
        })
    }

    /// Applies a partial update: fields not sent keep their value.
    pub fn patch(&self, raw: RawCustomer) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let mut next = self.clone();
        if let Some(n) = raw.name.as_deref()
            && let Some(n) = c.take(text::required("name", n, text::NAME_MAX))
        {
            next.name = n;
        }
        if let Some(k) = raw.kind.as_deref() {
            next.kind = parse_kind(&mut c, k).unwrap_or(next.kind);
        }
        if let Some(s) = raw.lifecycle_stage.as_deref() {
            next.lifecycle_stage = parse_stage(&mut c, s).unwrap_or(next.lifecycle_stage);
        }
        if let Some(o) = raw.owner_id.clone() {
            next.owner_id = id_ref(&mut c, "owner_id", o);
        }
        if let Some(t) = raw.team_id.clone() {
            next.team_id = id_ref(&mut c, "team_id", t);
        }
        if let Some(r) = raw.region_id.clone() {
            next.region_id = id_ref(&mut c, "region_id", r);
        }
        if let Some(p) = raw.partner_id.clone() {
            next.partner_id = id_ref(&mut c, "partner_id", p);
        }
        let rest = Rest::parse(&mut c, &raw, Some(self));
        c.finish()?;
        next.industry = rest.industry;
        next.source = rest.source;
        next.product_line_ids = rest.product_line_ids;
        next.tags = rest.tags;
        next.phones = rest.phones;
        next.emails = rest.emails;
        next.address = rest.address;
        next.notes = rest.notes;
        next.renewal_on = rest.renewal_on;
        next.maintenance_on = rest.maintenance_on;
        Ok(next)
    }

    /// Text a search for this customer matches: name, phones (as typed and as
    /// digits) and e-mails.
    pub fn search_text(&self) -> String {
        text::search_text(&self.name, &self.phones, &self.emails)
    }

    /// The fields its history shows.
    pub fn audit_fields(&self) -> crate::audit::Fields {
        use crate::audit::list;
        vec![
            ("name", Some(self.name.clone())),
            ("kind", Some(self.kind.as_str().to_owned())),
            (
                "lifecycle_stage",
                Some(self.lifecycle_stage.as_str().to_owned()),
            ),
            ("industry", self.industry.clone()),
            ("source", self.source.clone()),
            ("region_id", self.region_id.clone()),
            ("product_line_ids", list(&self.product_line_ids)),
            ("owner_id", self.owner_id.clone()),
            ("team_id", self.team_id.clone()),
            ("partner_id", self.partner_id.clone()),
            (
                "tags",
                list(&self.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
            ),
            (
                "phones",
                list(&self.phones.iter().map(|p| p.as_str()).collect::<Vec<_>>()),
            ),
            (
                "emails",
                list(&self.emails.iter().map(|e| e.as_str()).collect::<Vec<_>>()),
            ),
            ("address", self.address.clone()),
            ("notes", self.notes.clone()),
            ("renewal_on", self.renewal_on.map(|d| d.to_string())),
            ("maintenance_on", self.maintenance_on.map(|d| d.to_string())),
        ]
    }

    /// What this customer is compared by when looking for duplicates.
    pub fn dedup_keys(&self) -> crate::dedup::Keys {
        let phones: Vec<&str> = self.phones.iter().map(|p| p.as_str()).collect();
        let emails: Vec<&str> = self.emails.iter().map(|e| e.as_str()).collect();
        crate::dedup::Keys::of(&self.name, &phones, &emails)
    }
}

fn parse_kind(c: &mut Collector, s: &str) -> Option<CustomerKind> {
    let k = CustomerKind::parse(s);
    if k.is_none() {
        c.push(FieldError::new(
            "kind",
            "invalid_choice",
            "must be one of: company, person",
        ));
    }
    k
}

fn parse_stage(c: &mut Collector, s: &str) -> Option<LifecycleStage> {
    let k = LifecycleStage::parse(s);
    if k.is_none() {
        c.push(FieldError::new(
            "lifecycle_stage",
            "invalid_choice",
            "must be one of: prospect, interested, customer, vip, churned",
        ));
    }
    k
}

/// The plain fields shared by create and patch.
struct Rest {
    industry: Option<String>,
    source: Option<String>,
    product_line_ids: Vec<String>,
    tags: Vec<Tag>,
    phones: Vec<Phone>,
    emails: Vec<Email>,
    address: Option<String>,
    notes: Option<String>,
    renewal_on: Option<Date>,
    maintenance_on: Option<Date>,
}

/// An optional date field: unsent keeps `cur`, null or blank clears it.
fn opt_date(
    c: &mut Collector,
    field: &str,
    v: &Option<Option<String>>,
    cur: Option<Date>,
) -> Option<Date> {
    match v {
        None => cur,
        Some(None) => None,
        Some(Some(s)) if s.trim().is_empty() => None,
        Some(Some(s)) => c.take(Date::parse(field, s)),
    }
}

impl Rest {
    fn parse(c: &mut Collector, raw: &RawCustomer, current: Option<&Customer>) -> Self {
        let opt = |c: &mut Collector,
                   field: &str,
                   v: &Option<Option<String>>,
                   cur: Option<&Option<String>>,
                   max: usize,
                   multi: bool| match v {
            None => cur.cloned().flatten(),
            Some(v) => {
                let r = if multi {
                    text::optional_multiline(field, v.as_deref(), max)
                } else {
                    text::optional(field, v.as_deref(), max)
                };
                c.take(r).flatten()
            }
        };
        // fields are checked in the order a form shows them, so errors read top to bottom
        let industry = opt(
            c,
            "industry",
            &raw.industry,
            current.map(|x| &x.industry),
            text::SHORT_MAX,
            false,
        );
        let source = opt(
            c,
            "source",
            &raw.source,
            current.map(|x| &x.source),
            text::SHORT_MAX,
            false,
        );
        let product_line_ids = match &raw.product_line_ids {
            None => current
                .map(|x| x.product_line_ids.clone())
                .unwrap_or_default(),
            Some(v) => ids(c, "product_line_ids", v, MAX_PRODUCT_LINES),
        };
        let tags = match &raw.tags {
            None => current.map(|x| x.tags.clone()).unwrap_or_default(),
            Some(v) => c
                .take(text::list("tags", v, MAX_TAGS, Tag::parse, |t: &Tag| {
                    t.as_str().to_lowercase()
                }))
                .unwrap_or_default(),
        };
        let phones = match &raw.phones {
            None => current.map(|x| x.phones.clone()).unwrap_or_default(),
            Some(v) => c
                .take(text::list(
                    "phones",
                    v,
                    MAX_PHONES,
                    Phone::parse,
                    Phone::key,
                ))
                .unwrap_or_default(),
        };
        let emails = match &raw.emails {
            None => current.map(|x| x.emails.clone()).unwrap_or_default(),
            Some(v) => c
                .take(text::list(
                    "emails",
                    v,
                    MAX_EMAILS,
                    Email::parse,
                    Email::key,
                ))
                .unwrap_or_default(),
        };
        let address = opt(
            c,
            "address",
            &raw.address,
            current.map(|x| &x.address),
            text::ADDRESS_MAX,
            true,
        );
        let notes = opt(
            c,
            "notes",
            &raw.notes,
            current.map(|x| &x.notes),
            text::NOTES_MAX,
            true,
        );
        let renewal_on = opt_date(
            c,
            "renewal_on",
            &raw.renewal_on,
            current.and_then(|x| x.renewal_on),
        );
        let maintenance_on = opt_date(
            c,
            "maintenance_on",
            &raw.maintenance_on,
            current.and_then(|x| x.maintenance_on),
        );
        Rest {
            renewal_on,
            maintenance_on,
            industry,
            source,
            product_line_ids,
            tags,
            phones,
            emails,
            address,
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_and_maintenance_dates() {
        let mut r = raw("华联");
        r.renewal_on = Some(Some("2026-12-31".into()));
        r.maintenance_on = Some(Some("2026-02-30".into()));
        let e = Customer::create(r, &rep()).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "maintenance_on");
        let mut r = raw("华联");
        r.renewal_on = Some(Some("2026-12-31".into()));
        let c = Customer::create(r, &rep()).unwrap();
        assert_eq!(
            c.renewal_on.map(|d| d.to_string()).as_deref(),
            Some("2026-12-31")
        );
        let kept = c.patch(RawCustomer::default()).unwrap();
        assert_eq!(kept.renewal_on, c.renewal_on);
        let cleared = c
            .patch(RawCustomer {
                renewal_on: Some(None),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(cleared.renewal_on, None);
    }

    fn rep() -> Creator {
        Creator {
            user_id: "u-rep".into(),
            team_id: Some("t-east".into()),
            home_region_id: Some("r-shanghai".into()),
            partner_id: None,
        }
    }

    fn raw(name: &str) -> RawCustomer {
        RawCustomer {
            name: Some(name.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_reps_new_customer_is_theirs_in_their_region() {
        let c = Customer::create(raw("上海华联超市有限公司"), &rep()).unwrap();
        assert_eq!(c.owner_id.as_deref(), Some("u-rep"));
        assert_eq!(c.team_id.as_deref(), Some("t-east"));
        assert_eq!(c.region_id.as_deref(), Some("r-shanghai"));
        assert_eq!(c.kind, CustomerKind::Company);
        assert_eq!(c.lifecycle_stage, LifecycleStage::Prospect);
    }

    #[test]
    fn null_owner_puts_the_customer_in_the_pool() {
        let mut r = raw("Acme");
        r.owner_id = Some(None);
        let c = Customer::create(r, &rep()).unwrap();
        assert_eq!(c.owner_id, None);
        assert_eq!(c.team_id, None, "the pool has no team");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let r = RawCustomer {
            name: Some(" ".into()),
            kind: Some("alien".into()),
            emails: Some(vec!["x".into()]),
            phones: Some(vec!["12".into()]),
            ..Default::default()
        };
        let e = Customer::create(r, &rep()).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "kind", "phones[0]", "emails[0]"]);
        assert!(
            Customer::create(RawCustomer::default(), &rep()).is_err(),
            "name is required"
        );
    }

    #[test]
    fn patch_keeps_unsent_fields_and_clears_nulls() {
        let mut r = raw("Acme");
        r.industry = Some(Some("Retail".into()));
        r.notes = Some(Some("call after 3pm".into()));
        let c = Customer::create(r, &rep()).unwrap();
        let p = RawCustomer {
            notes: Some(None),
            tags: Some(vec!["重点".into()]),
            ..Default::default()
        };
        let n = c.patch(p).unwrap();
        assert_eq!(n.industry.as_deref(), Some("Retail"));
        assert_eq!(n.notes, None);
        assert_eq!(n.tags.len(), 1);
        assert_eq!(n.name, "Acme");
    }

    #[test]
    fn search_text_has_name_phone_digits_and_lowercase_email() {
        let r = RawCustomer {
            name: Some("北京ABC科技".into()),
            phones: Some(vec!["+86 138-0013-8000".into()]),
            emails: Some(vec!["Sales@ABC.cn".into()]),
            ..Default::default()
        };
        let s = Customer::create(r, &rep()).unwrap().search_text();
        assert!(s.contains("北京abc科技"));
        assert!(s.contains("8613800138000"));
        assert!(s.contains("sales@abc.cn"));
    }
}
