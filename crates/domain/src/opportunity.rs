//! 商机: a deal with a customer, its amount and chances, and the rules for
//! closing it as won or lost and for reopening it.

use crate::date::Date;
use crate::error::{Collector, FieldError, Invalid};
use crate::pipeline::{ForecastCategory, Probability, StageKind};
use crate::text;
use serde::{Deserialize, Serialize};

/// An ISO 4217 code: three capital letters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Currency(s.to_owned()))
        } else {
            Err(Invalid::one(
                field,
                "invalid_currency",
                "must be an ISO 4217 code of three capital letters, like CNY",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Currency::parse("currency", &s).map_err(|e| e.0[0].message.clone())
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.0
    }
}

/// The largest amount a deal may have, in minor units: ten trillion in
/// the major unit, far above any real deal and far from overflowing sums
/// over millions of them.
pub const AMOUNT_MAX: i64 = 1_000_000_000_000_000;

pub fn amount(field: &str, minor: i64) -> Result<i64, Invalid> {
    if (0..=AMOUNT_MAX).contains(&minor) {
        Ok(minor)
    } else {
        Err(Invalid::one(
            field,
            "out_of_range",
            format!("must be a whole number of minor units from 0 to {AMOUNT_MAX}"),
        ))
    }
}

/// Where a deal is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Won,
    Lost,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Won, Status::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Won => "won",
            Status::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The stage kind a deal of this status sits in.
    pub fn stage_kind(self) -> StageKind {
        match self {
            Status::Open => StageKind::Open,
            Status::Won => StageKind::Won,
            Status::Lost => StageKind::Lost,
        }
    }
}

pub const NAME_MAX: usize = 200;
pub const CAMPAIGN_MAX: usize = 120;
pub const NOTES_MAX: usize = 2000;

/// The fields of a deal a client sets; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawOpportunity {
    pub name: Option<String>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub expected_close_on: Option<String>,
    /// `Some(None)` goes back to the stage's default.
    pub probability: Option<Option<i64>>,
    pub campaign: Option<Option<String>>,
}

/// A deal's own values, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub name: String,
    pub amount_minor: i64,
    pub currency: Currency,
    pub expected_close_on: Date,
    /// A rep's own judgement; `None` follows the stage.
    pub probability_override: Option<Probability>,
    pub campaign: Option<String>,
}

impl Terms {
    /// A new deal: name, amount, currency and close date are required.
    pub fn create(raw: RawOpportunity) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        for (field, missing) in [
            ("name", raw.name.is_none()),
            ("amount_minor", raw.amount_minor.is_none()),
            ("currency", raw.currency.is_none()),
            ("expected_close_on", raw.expected_close_on.is_none()),
        ] {
            if missing {
                c.push(FieldError::new(field, "required", "is required"));
            }
        }
        let blank = Terms {
            name: String::new(),
            amount_minor: 0,
            currency: Currency("XXX".into()),
            expected_close_on: Date::from_days_since_epoch(0),
            probability_override: None,
            campaign: None,
        };
        blank.patch_into(raw, c)
    }

    pub fn patch(&self, raw: RawOpportunity) -> Result<Self, Invalid> {
        self.patch_into(raw, Collector::new())
    }

    fn patch_into(&self, raw: RawOpportunity, mut c: Collector) -> Result<Self, Invalid> {
        let mut next = self.clone();
        if let Some(n) = &raw.name
            && let Some(n) = c.take(text::required("name", n, NAME_MAX))
        {
            next.name = n;
        }
        if let Some(a) = raw.amount_minor
            && let Some(a) = c.take(amount("amount_minor", a))
        {
            next.amount_minor = a;
        }
        if let Some(cur) = &raw.currency
            && let Some(cur) = c.take(Currency::parse("currency", cur))
        {
            next.currency = cur;
        }
        if let Some(d) = &raw.expected_close_on
            && let Some(d) = c.take(Date::parse("expected_close_on", d))
        {
            next.expected_close_on = d;
        }
        match raw.probability {
            None => {}
            Some(None) => next.probability_override = None,
            Some(Some(p)) => {
                if let Some(p) = c.take(Probability::parse("probability", p)) {
                    next.probability_override = Some(p);
                }
            }
        }
        if let Some(cm) = &raw.campaign {
            next.campaign = c
                .take(text::optional("campaign", cm.as_deref(), CAMPAIGN_MAX))
                .flatten();
        }
        c.finish()?;
        Ok(next)
    }
}

/// The probability and forecast category a deal counts with: an open deal
/// its override or its stage's default, a won deal certain and closed, a
/// lost one nothing and omitted.
pub fn effective(
    status: Status,
    stage_probability: Probability,
    stage_category: ForecastCategory,
    probability_override: Option<Probability>,
) -> (Probability, ForecastCategory) {
    match status {
        Status::Won => (Probability::CERTAIN, ForecastCategory::Closed),
        Status::Lost => (Probability::ZERO, ForecastCategory::Omitted),
        Status::Open => (
            probability_override.unwrap_or(stage_probability),
            stage_category,
        ),
    }
}

/// Why a close or reopen is refused, with a stable code for clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub message: String,
}

fn refused(code: &'static str, message: impl Into<String>) -> Refused {
    Refused {
        code,
        message: message.into(),
    }
}

fn must_be_open(status: Status) -> Result<(), Refused> {
    match status {
        Status::Open => Ok(()),
        s => Err(refused(
            "already_closed",
            format!("the deal is already {}; reopen it first", s.as_str()),
        )),
    }
}

/// A win as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Win {
    pub amount_minor: i64,
    pub closed_on: Date,
}

/// A win may not be dated in the future: it is a fact, not a plan. The
/// amount defaults to the deal's, the date to today (the closer's day).
pub fn win(
    status: Status,
    deal_amount: i64,
    amount_minor: Option<i64>,
    closed_on: Option<&str>,
    today: Date,
) -> Result<Result<Win, Invalid>, Refused> {
    must_be_open(status)?;
    let mut c = Collector::new();
    let amount_minor = match amount_minor {
        None => Some(deal_amount),
        Some(a) => c.take(amount("amount_minor", a)),
    };
    let closed_on = match closed_on {
        None => Some(today),
        Some(d) => c.take(Date::parse("closed_on", d)),
    };
    if let Some(d) = closed_on
        && d > today
    {
        c.push(FieldError::new(
            "closed_on",
            "in_future",
            "a deal is won on a day that has come; use today or earlier",
        ));
    }
    Ok(match (c.finish(), amount_minor, closed_on) {
        (Ok(()), Some(amount_minor), Some(closed_on)) => Ok(Win {
            amount_minor,
            closed_on,
        }),
        (Err(e), ..) => Err(e),
        _ => unreachable!("a missing value always leaves an error"),
    })
}

/// A loss as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    pub reason_id: String,
    pub competitor_id: Option<String>,
    pub notes: Option<String>,
}

/// A loss needs a reason, so the company learns why it loses; the
/// competitor who won and notes are optional.
pub fn lose(
    status: Status,
    reason_id: Option<&str>,
    competitor_id: Option<&str>,
    notes: Option<&str>,
) -> Result<Result<Loss, Invalid>, Refused> {
    must_be_open(status)?;
    let mut c = Collector::new();
    let reason_id = reason_id.map(str::trim).filter(|s| !s.is_empty());
    if reason_id.is_none() {
        c.push(FieldError::new(
            "reason_id",
            "required",
            "say why the deal was lost: pick a loss reason",
        ));
    }
    let notes = c
        .take(text::optional_multiline("notes", notes, NOTES_MAX))
        .flatten();
    Ok(match (c.finish(), reason_id) {
        (Ok(()), Some(r)) => Ok(Loss {
            reason_id: r.to_owned(),
            competitor_id: competitor_id
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            notes,
        }),
        (Err(e), _) => Err(e),
        _ => unreachable!("a missing reason always leaves an error"),
    })
}

/// Days after which a win is in the books: reopening it would rewrite a
/// closed month's figures, so only a lost deal may be reopened after that.
pub const REOPEN_WON_WITHIN_DAYS: i64 = 30;

/// Whether a closed deal may be reopened today. A lost deal may always come
/// back (the customer returns); a won one only within
/// [`REOPEN_WON_WITHIN_DAYS`] of its close, for a win recorded by mistake.
pub fn may_reopen(status: Status, closed_on: Option<Date>, today: Date) -> Result<(), Refused> {
    match status {
        Status::Open => Err(refused(
            "not_closed",
            "the deal is open; only a closed deal is reopened",
        )),
        Status::Lost => Ok(()),
        Status::Won => match closed_on {
            Some(d) if d.days_until(today) > REOPEN_WON_WITHIN_DAYS => Err(refused(
                "won_in_the_books",
                format!(
                    "this deal was won more than {REOPEN_WON_WITHIN_DAYS} days ago and is in the books; open a new deal instead"
                ),
            )),
            _ => Ok(()),
        },
    }
}

/// Whether a customer may go to the trash, given how many open deals it
/// has. An open deal is work in progress — on the board, in lists and the
/// forecast — and would be left with a customer nobody sees; so the deals
/// are closed (won or lost) first, or the customer is merged into the
/// record that keeps them. Won and lost deals stay in the books with a
/// customer in the trash.
pub fn may_trash_customer(open_deals: u64) -> Result<(), Refused> {
    match open_deals {
        0 => Ok(()),
        n => Err(refused(
            "open_deals",
            format!(
                "the customer has {n} open deal{}; close {} (win or lose) or merge the customer into the record that should keep {} before deleting it",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" },
                if n == 1 { "it" } else { "them" },
            ),
        )),
    }
}

/// A closed deal of a customer in the trash stays closed: reopening it
/// would put open work on a customer nobody sees (see
/// [`may_trash_customer`]). Restore the customer first.
pub fn may_reopen_for(customer_in_trash: bool) -> Result<(), Refused> {
    if customer_in_trash {
        Err(refused(
            "customer_deleted",
            "the deal's customer is in the trash; restore the customer before reopening its deal",
        ))
    } else {
        Ok(())
    }
}

/// The stage a reopened deal returns to: the last open stage it was in
/// (from its history, newest last) that still exists, else the first.
pub fn reopen_stage<'a>(history: &[&'a str], open_stages: &[&'a str]) -> Option<&'a str> {
    history
        .iter()
        .rev()
        .find(|s| open_stages.contains(s))
        .copied()
        .or_else(|| open_stages.first().copied())
}

/// Whole seconds a deal spent in a stage it entered at `entered` (µs) and
/// left at `left` (µs; still there: `now`).
pub fn seconds_in_stage(entered: i64, left: Option<i64>, now: i64) -> i64 {
    (left.unwrap_or(now) - entered).max(0) / 1_000_000
}

#[cfg(test)]
mod tests;
