//! Sales leads (销售线索): an enquiry not yet a customer. A lead is
//! qualified step by step, scored by transparent rules ([`score`]), handed to
//! a rep by assignment rules ([`assign`]) or left in a queue, and finally
//! converted into a customer, a contact and perhaps an opportunity.

use crate::error::{Collector, FieldError, Invalid};
use crate::text::{self, Email, Phone};

pub mod assign;
pub mod form;
pub mod import;
pub mod score;
#[cfg(test)]
mod tests;

/// Where a lead stands in qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Unqualified,
    Converted,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 5] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Unqualified,
        LeadStatus::Converted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Unqualified => "unqualified",
            LeadStatus::Converted => "converted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still being worked: counts against its owner's capacity.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            LeadStatus::New | LeadStatus::Contacted | LeadStatus::Qualified
        )
    }

    /// Whether a lead in this status may be converted.
    pub fn may_convert(self) -> bool {
        self.is_open()
    }

    /// Checks a status change made by hand. Converted is final, and a lead
    /// becomes converted only by conversion (which creates the customer),
    /// never by setting the status.
    pub fn change_to(self, next: LeadStatus) -> Result<LeadStatus, Invalid> {
        if self == LeadStatus::Converted {
            return Err(Invalid::one(
                "status",
                "converted_final",
                "a converted lead keeps its status",
            ));
        }
        if next == LeadStatus::Converted {
            return Err(Invalid::one(
                "status",
                "convert_instead",
                "convert the lead (POST /leads/{id}/convert) to make it converted",
            ));
        }
        Ok(next)
    }

    /// Checks that a lead may be converted now.
    pub fn convert(self) -> Result<LeadStatus, Invalid> {
        if self.may_convert() {
            Ok(LeadStatus::Converted)
        } else {
            Err(Invalid::one(
                "status",
                "not_convertible",
                format!(
                    "a lead that is {} cannot be converted; only new, contacted or qualified ones",
                    self.as_str()
                ),
            ))
        }
    }
}

/// Parses a status as sent.
pub fn parse_status(field: &str, raw: &str) -> Result<LeadStatus, Invalid> {
    LeadStatus::parse(raw).ok_or_else(|| {
        Invalid::one(
            field,
            "invalid_choice",
            "must be one of new, contacted, qualified, unqualified, converted",
        )
    })
}

/// A source key: lower-case letters, digits and `_`, 1 to 40 characters,
/// e.g. `referral`, `web_form`, `import`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source(String);

impl Source {
    pub const MANUAL: &'static str = "manual";
    pub const WEB_FORM: &'static str = "web_form";
    pub const IMPORT: &'static str = "import";

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let v = raw.trim().to_ascii_lowercase();
        if v.is_empty()
            || v.len() > 40
            || !v
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Invalid::one(
                field,
                "invalid_source",
                "must be 1 to 40 letters, digits or _, e.g. referral, web_form, import",
            ));
        }
        Ok(Self(v))
    }

    pub fn known(s: &'static str) -> Self {
        Self(s.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A lead as sent; `None` = not sent, `Some(None)` = clear.
#[derive(Debug, Clone, Default)]
pub struct RawLead {
    pub name: Option<String>,
    pub company: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub industry: Option<Option<String>>,
    pub region_id: Option<Option<String>>,
    pub product_line_id: Option<Option<String>>,
    pub source: Option<String>,
    pub campaign: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

/// A lead's own fields, all known to be valid. References (region, product
/// line) are checked for existence by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    /// The person who enquired.
    pub name: String,
    pub company: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub industry: Option<String>,
    pub region_id: Option<String>,
    pub product_line_id: Option<String>,
    pub source: Source,
    pub campaign: Option<String>,
    pub notes: Option<String>,
}

fn opt_id(c: &mut Collector, field: &str, v: Option<String>) -> Option<String> {
    match v {
        Some(s) if s.trim().is_empty() => {
            c.push(FieldError::new(field, "required", "must not be blank"));
            None
        }
        other => other,
    }
}

impl Lead {
    /// A new lead; `default_source` applies when none is sent (manual entry,
    /// a web form, an import).
    pub fn create(raw: RawLead, default_source: &Source) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        if raw.name.is_none() {
            c.push(FieldError::new("name", "required", "is required"));
        }
        let base = Lead {
            name: String::new(),
            company: None,
            phone: None,
            email: None,
            industry: None,
            region_id: None,
            product_line_id: None,
            source: default_source.clone(),
            campaign: None,
            notes: None,
        };
        let lead = base.patch_into(raw, &mut c);
        c.finish()?;
        Ok(lead)
    }

    /// Applies a partial update: fields not sent keep their value.
    pub fn patch(&self, raw: RawLead) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let next = self.clone().patch_into(raw, &mut c);
        c.finish()?;
        Ok(next)
    }

    fn patch_into(mut self, raw: RawLead, c: &mut Collector) -> Self {
        if let Some(n) = raw.name.as_deref()
            && let Some(n) = c.take(text::required("name", n, text::NAME_MAX))
        {
            self.name = n;
        }
        if let Some(v) = raw.company {
            self.company = c
                .take(text::optional("company", v.as_deref(), text::NAME_MAX))
                .flatten();
        }
        if let Some(v) = raw.phone {
            self.phone = match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(p) => c.take(Phone::parse("phone", p)),
            };
        }
        if let Some(v) = raw.email {
            self.email = match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(e) => c.take(Email::parse("email", e)),
            };
        }
        if let Some(v) = raw.industry {
            self.industry = c
                .take(text::optional("industry", v.as_deref(), text::SHORT_MAX))
                .flatten();
        }
        if let Some(v) = raw.region_id {
            self.region_id = opt_id(c, "region_id", v);
        }
        if let Some(v) = raw.product_line_id {
            self.product_line_id = opt_id(c, "product_line_id", v);
        }
        if let Some(s) = raw.source.as_deref()
            && let Some(s) = c.take(Source::parse("source", s))
        {
            self.source = s;
        }
        if let Some(v) = raw.campaign {
            self.campaign = c
                .take(text::optional("campaign", v.as_deref(), text::SHORT_MAX))
                .flatten();
        }
        if let Some(v) = raw.notes {
            self.notes = c
                .take(text::optional_multiline(
                    "notes",
                    v.as_deref(),
                    text::NOTES_MAX,
                ))
                .flatten();
        }
        self
    }

    /// The facts the score reads from the lead itself.
    pub fn score_facts(&self) -> score::Facts<'_> {
        score::Facts {
            has_company: self.company.is_some(),
            has_phone: self.phone.is_some(),
            has_email: self.email.is_some(),
            industry: self.industry.as_deref(),
            has_region: self.region_id.is_some(),
            source: self.source.as_str(),
        }
    }

    /// The facts assignment rules match on.
    pub fn assign_facts(&self) -> assign::LeadFacts<'_> {
        assign::LeadFacts {
            region_id: self.region_id.as_deref(),
            industry: self.industry.as_deref(),
            product_line_id: self.product_line_id.as_deref(),
        }
    }

    /// Audit fields, for the history of changes.
    pub fn audit_fields(&self) -> crate::audit::Fields {
        vec![
            ("name", Some(self.name.clone())),
            ("company", self.company.clone()),
            ("phone", self.phone.as_ref().map(|p| p.as_str().to_owned())),
            ("email", self.email.as_ref().map(|p| p.as_str().to_owned())),
            ("industry", self.industry.clone()),
            ("region_id", self.region_id.clone()),
            ("product_line_id", self.product_line_id.clone()),
            ("source", Some(self.source.as_str().to_owned())),
            ("campaign", self.campaign.clone()),
            ("notes", self.notes.clone()),
        ]
    }
}
