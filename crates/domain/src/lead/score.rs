//! The lead score: 0 to 100 points from a few transparent rules, returned
//! rule by rule so a screen can say why a lead scores what it does.
//!
//! Each group of rules has a ceiling and the ceilings add up to 100
//! (completeness 40, source 25, industry 15, engagement 20), so the parts
//! always sum to the total and the total never leaves 0..=100, whatever
//! weights are configured: a weight above its group's ceiling counts as the
//! ceiling.

use serde::Serialize;
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
