//! The lead score: 0 to 100 points from a few transparent rules, returned
//! rule by rule so a screen can say why a lead scores what it does.
//!
//! Each group of rules has a ceiling and the ceilings add up to 100
//! (completeness 40, source 25, industry 15, engagement 20), so the parts
//! always sum to the total and the total never leaves 0..=100, whatever
//! weights are configured: a weight above its group's ceiling counts as the
//! ceiling.

use crate::error::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Ceiling of the completeness rules together.
pub const COMPLETENESS_MAX: u8 = 40;
/// Ceiling of the source rule.
pub const SOURCE_MAX: u8 = 25;
/// Ceiling of the industry rule.
pub const INDUSTRY_MAX: u8 = 15;
/// Ceiling of the engagement rules together.
pub const ENGAGEMENT_MAX: u8 = 20;

/// What the score reads from a lead.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    pub has_company: bool,
    pub has_phone: bool,
    pub has_email: bool,
    pub industry: Option<&'a str>,
    pub has_region: bool,
    pub source: &'a str,
}

/// How engaged the lead has been so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Engagement {
    /// Activities logged on the lead (calls, e-mails, meetings).
    pub activities: u32,
    /// Times the lead filled in a web form.
    pub form_submissions: u32,
}

/// The weights, configurable; [`ScoreRules::default`] holds sensible ones.
/// Fields left out of a stored or sent document keep their default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreRules {
    pub company: u8,
    pub phone: u8,
    pub email: u8,
    pub industry_known: u8,
    pub region: u8,
    /// Points per source key; sources not listed get `other_source`.
    pub sources: BTreeMap<String, u8>,
    pub other_source: u8,
    /// Points per target industry (matched case-insensitively); others get none.
    pub industries: BTreeMap<String, u8>,
    /// Points per logged activity, and the most they may add up to.
    pub per_activity: u8,
    pub activities_max: u8,
    /// Points per web-form submission, and the most they may add up to.
    pub per_submission: u8,
    pub submissions_max: u8,
}

impl Default for ScoreRules {
    fn default() -> Self {
        let sources = [
            ("referral", 25),
            ("partner", 20),
            ("event", 18),
            ("web_form", 15),
            ("api", 10),
            ("manual", 10),
            ("cold_call", 8),
            ("import", 5),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Self {
            company: 10,
            phone: 10,
            email: 10,
            industry_known: 5,
            region: 5,
            sources,
            other_source: 5,
            industries: BTreeMap::new(),
            per_activity: 4,
            activities_max: 12,
            per_submission: 4,
            submissions_max: 8,
        }
    }
}

fn at_most(errs: &mut Vec<FieldError>, field: &str, v: u8, max: u8) {
    if v > max {
        errs.push(FieldError::new(
            field,
            "out_of_range",
            format!("must be 0 to {max}"),
        ));
    }
}

/// The most entries a source or industry table may hold.
pub const TABLE_MAX: usize = 100;

impl ScoreRules {
    /// Checks that every weight fits its group's ceiling and every key is
    /// usable, so that what is configured is what is applied.
    pub fn check(self) -> Result<Self, Invalid> {
        let mut errs = Vec::new();
        at_most(&mut errs, "company", self.company, COMPLETENESS_MAX);
        at_most(&mut errs, "phone", self.phone, COMPLETENESS_MAX);
        at_most(&mut errs, "email", self.email, COMPLETENESS_MAX);
        at_most(
            &mut errs,
            "industry_known",
            self.industry_known,
            COMPLETENESS_MAX,
        );
        at_most(&mut errs, "region", self.region, COMPLETENESS_MAX);
        at_most(&mut errs, "other_source", self.other_source, SOURCE_MAX);
        at_most(
            &mut errs,
            "activities_max",
            self.activities_max,
            ENGAGEMENT_MAX,
        );
        at_most(
            &mut errs,
            "submissions_max",
            self.submissions_max,
            ENGAGEMENT_MAX,
        );
        at_most(&mut errs, "per_activity", self.per_activity, ENGAGEMENT_MAX);
        at_most(
            &mut errs,
            "per_submission",
            self.per_submission,
            ENGAGEMENT_MAX,
        );
        for (k, &v) in &self.sources {
            let field = format!("sources.{k}");
            if super::Source::parse(&field, k)
                .map(|s| s.as_str() != k)
                .unwrap_or(true)
            {
                errs.push(FieldError::new(
                    field.clone(),
                    "invalid_source",
                    "must be a source key: a-z, 0-9 and _",
                ));
            }
            at_most(&mut errs, &field, v, SOURCE_MAX);
        }
        for (k, &v) in &self.industries {
            let field = format!("industries.{k}");
            if k.trim().is_empty() || k.chars().count() > crate::text::SHORT_MAX {
                errs.push(FieldError::new(
                    field.clone(),
                    "invalid_industry",
                    "must be 1 to 100 characters",
                ));
            }
            at_most(&mut errs, &field, v, INDUSTRY_MAX);
        }
        if self.sources.len() > TABLE_MAX {
            errs.push(FieldError::new(
                "sources",
                "too_many",
                format!("at most {TABLE_MAX} sources"),
            ));
        }
        if self.industries.len() > TABLE_MAX {
            errs.push(FieldError::new(
                "industries",
                "too_many",
                format!("at most {TABLE_MAX} industries"),
            ));
        }
        if errs.is_empty() {
            Ok(self)
        } else {
            Err(Invalid(errs))
        }
    }
}

/// One rule's contribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Stable key of the rule, e.g. `completeness.phone`, `source`, for translation.
    pub rule: &'static str,
    pub points: u8,
    /// The value the rule looked at (the source, the industry, a count), if any.
    pub value: Option<String>,
    /// Readable English explanation.
    pub reason: String,
}

/// A score and how it came about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: u8,
    pub parts: Vec<Part>,
}

/// Adds parts while keeping a group under its ceiling.
struct Group<'a> {
    left: u8,
    parts: &'a mut Vec<Part>,
}

impl Group<'_> {
    fn add(&mut self, rule: &'static str, want: u8, value: Option<String>, reason: String) {
        let points = want.min(self.left);
        self.left -= points;
        self.parts.push(Part {
            rule,
            points,
            value,
            reason,
        });
    }
}

fn count_points(per: u8, max: u8, n: u32) -> u8 {
    let raw = u32::from(per).saturating_mul(n);
    raw.min(u32::from(max)) as u8
}

/// Scores a lead.
pub fn score(rules: &ScoreRules, f: &Facts<'_>, e: Engagement) -> Score {
    let mut parts = Vec::new();
    let mut g = Group {
        left: COMPLETENESS_MAX,
        parts: &mut parts,
    };
    let has = |g: &mut Group<'_>, rule, yes: bool, w: u8, what: &str| {
        let (p, why) = if yes {
            (w, format!("{what} given"))
        } else {
            (0, format!("{what} missing"))
        };
        g.add(rule, p, None, why);
    };
    has(
        &mut g,
        "completeness.company",
        f.has_company,
        rules.company,
        "company",
    );
    has(
        &mut g,
        "completeness.phone",
        f.has_phone,
        rules.phone,
        "phone",
    );
    has(
        &mut g,
        "completeness.email",
        f.has_email,
        rules.email,
        "e-mail",
    );
    has(
        &mut g,
        "completeness.industry",
        f.industry.is_some(),
        rules.industry_known,
        "industry",
    );
    has(
        &mut g,
        "completeness.region",
        f.has_region,
        rules.region,
        "region",
    );

    let mut g = Group {
        left: SOURCE_MAX,
        parts: &mut parts,
    };
    let (p, why) = match rules.sources.get(f.source) {
        Some(&p) => (p, format!("source {} is worth {p}", f.source)),
        None => (
            rules.other_source,
            format!(
                "source {} is not weighted; other sources are worth {}",
                f.source, rules.other_source
            ),
        ),
    };
    g.add("source", p, Some(f.source.to_owned()), why);

    let mut g = Group {
        left: INDUSTRY_MAX,
        parts: &mut parts,
    };
    let target = f.industry.and_then(|i| {
        let low = i.trim().to_lowercase();
        rules
            .industries
            .iter()
            .find(|(k, _)| k.trim().to_lowercase() == low)
            .map(|(_, &p)| p)
    });
    match (f.industry, target) {
        (Some(i), Some(p)) => g.add(
            "industry",
            p,
            Some(i.to_owned()),
            format!("{i} is a target industry"),
        ),
        (Some(i), None) => g.add(
            "industry",
            0,
            Some(i.to_owned()),
            format!("{i} is not a target industry"),
        ),
        (None, _) => g.add("industry", 0, None, "industry unknown".to_owned()),
    }

    let mut g = Group {
        left: ENGAGEMENT_MAX,
        parts: &mut parts,
    };
    g.add(
        "engagement.activities",
        count_points(rules.per_activity, rules.activities_max, e.activities),
        Some(e.activities.to_string()),
        format!("{} activities logged", e.activities),
    );
    g.add(
        "engagement.form_submissions",
        count_points(
            rules.per_submission,
            rules.submissions_max,
            e.form_submissions,
        ),
        Some(e.form_submissions.to_string()),
        format!("{} web-form submissions", e.form_submissions),
    );

    let total = parts.iter().map(|p| p.points).sum();
    Score { total, parts }
}
