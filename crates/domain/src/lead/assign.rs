//! Who gets a new lead: assignment rules, tried in order. The first rule
//! whose conditions the lead meets names candidates (users, or a team's
//! members); among those with room left (open leads below the capacity)
//! one is picked by round robin or by least load. When no candidate has
//! room the lead waits in the rule's fallback queue (a team's, or the
//! default queue without a team); when no rule matches, in the queue the
//! lead came in for (a web form's team) or the default queue.

use crate::error::{Collector, FieldError, Invalid};
use std::collections::BTreeMap;

/// How a rule picks among its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// In turn, starting after the last one given a lead.
    RoundRobin,
    /// The one with the fewest open leads (ties: in list order).
    LeastLoaded,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::RoundRobin => "round_robin",
            Method::LeastLoaded => "least_loaded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "round_robin" => Some(Method::RoundRobin),
            "least_loaded" => Some(Method::LeastLoaded),
            _ => None,
        }
    }
}

/// What a lead must be for a rule to apply; `None` matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    pub region_id: Option<String>,
    pub industry: Option<String>,
    pub product_line_id: Option<String>,
}

/// One assignment rule with its candidates resolved (a team rule lists the
/// team's active members).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub matches: Match,
    pub method: Method,
    /// Candidates in a stable order (round robin follows it).
    pub candidates: Vec<String>,
    /// Most open leads a candidate may hold; `None` = no limit.
    pub capacity: Option<u32>,
    /// The queue a lead waits in when no candidate has room; `None` = the default queue.
    pub fallback_team_id: Option<String>,
    /// The last candidate given a lead by this rule (round robin).
    pub last_user_id: Option<String>,
}

/// What a lead is matched on.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeadFacts<'a> {
    pub region_id: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub product_line_id: Option<&'a str>,
}

/// The outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// A user owns the lead; `rule_id` is the rule that picked them.
    User { user_id: String, rule_id: String },
    /// The lead waits unowned in a team's queue, or the default queue (`team_id` None).
    Queue {
        team_id: Option<String>,
        rule_id: Option<String>,
    },
}

impl Match {
    pub fn accepts(&self, l: &LeadFacts<'_>) -> bool {
        let same = |want: &Option<String>, got: Option<&str>| match want {
            None => true,
            Some(w) => got == Some(w.as_str()),
        };
        let industry = match &self.industry {
            None => true,
            Some(w) => l
                .industry
                .is_some_and(|i| i.trim().to_lowercase() == w.trim().to_lowercase()),
        };
        same(&self.region_id, l.region_id)
            && same(&self.product_line_id, l.product_line_id)
            && industry
    }
}

/// Picks among a rule's candidates those with room; `None` when none has.
/// `open` holds each user's open leads (absent = none).
pub fn pick(rule: &Rule, open: &BTreeMap<String, u32>) -> Option<String> {
    let load = |u: &String| open.get(u).copied().unwrap_or(0);
    let has_room = |u: &String| rule.capacity.is_none_or(|cap| load(u) < cap);
    let n = rule.candidates.len();
    match rule.method {
        Method::RoundRobin => {
            let start = rule
                .last_user_id
                .as_ref()
                .and_then(|last| rule.candidates.iter().position(|c| c == last))
                .map_or(0, |i| i + 1);
            (0..n)
                .map(|k| &rule.candidates[(start + k) % n])
                .find(|u| has_room(u))
                .cloned()
        }
        Method::LeastLoaded => rule
            .candidates
            .iter()
            .filter(|u| has_room(u))
            .enumerate()
            .min_by_key(|(i, u)| (load(u), *i))
            .map(|(_, u)| u.clone()),
    }
}

/// Assigns a lead: the first rule that matches decides.
pub fn assign(
    rules: &[Rule],
    lead: &LeadFacts<'_>,
    open: &BTreeMap<String, u32>,
    default_team_id: Option<&str>,
) -> Assignment {
    match rules.iter().find(|r| r.matches.accepts(lead)) {
        None => Assignment::Queue {
            team_id: default_team_id.map(str::to_owned),
            rule_id: None,
        },
        Some(rule) => match pick(rule, open) {
            Some(user_id) => Assignment::User {
                user_id,
                rule_id: rule.id.clone(),
            },
            None => Assignment::Queue {
                team_id: rule.fallback_team_id.clone(),
                rule_id: Some(rule.id.clone()),
            },
        },
    }
}

/// The largest capacity a rule may set.
pub const CAPACITY_MAX: u32 = 100_000;
/// The most users a rule may list.
pub const USERS_MAX: usize = 200;

/// A rule's settings as sent.
#[derive(Debug, Clone, Default)]
pub struct RawRule {
    pub position: Option<i64>,
    pub region_id: Option<String>,
    pub industry: Option<String>,
    pub product_line_id: Option<String>,
    pub method: Option<String>,
    pub user_ids: Vec<String>,
    pub team_id: Option<String>,
    pub capacity: Option<i64>,
    pub fallback_team_id: Option<String>,
    pub active: Option<bool>,
}

/// A rule's settings, valid: candidates are either listed users or a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    pub position: i32,
    pub matches: Match,
    pub method: Method,
    pub user_ids: Vec<String>,
    pub team_id: Option<String>,
    pub capacity: Option<u32>,
    pub fallback_team_id: Option<String>,
    pub active: bool,
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl RuleSettings {
    pub fn parse(raw: RawRule) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let position = match raw.position {
            None => 0,
            Some(p) if (0..=10_000).contains(&p) => p as i32,
            Some(_) => {
                c.push(FieldError::new(
                    "position",
                    "out_of_range",
                    "must be 0 to 10000",
                ));
                0
            }
        };
        let method = match raw.method.as_deref() {
            None => Method::RoundRobin,
            Some(m) => Method::parse(m).unwrap_or_else(|| {
                c.push(FieldError::new(
                    "method",
                    "invalid_choice",
                    "must be round_robin or least_loaded",
                ));
                Method::RoundRobin
            }),
        };
        let team_id = blank_to_none(raw.team_id);
        let mut user_ids: Vec<String> = Vec::new();
        for (i, u) in raw.user_ids.into_iter().enumerate() {
            let u = u.trim().to_owned();
            if u.is_empty() {
                c.push(FieldError::new(
                    format!("user_ids[{i}]"),
                    "required",
                    "must not be blank",
                ));
            } else if !user_ids.contains(&u) {
                user_ids.push(u);
            }
        }
        if user_ids.len() > USERS_MAX {
            c.push(FieldError::new(
                "user_ids",
                "too_many",
                format!("must list at most {USERS_MAX} users"),
            ));
        }
        match (user_ids.is_empty(), team_id.is_some()) {
            (true, false) => c.push(FieldError::new(
                "user_ids",
                "required",
                "name the users to assign to, or a team_id",
            )),
            (false, true) => c.push(FieldError::new(
                "team_id",
                "conflict",
                "give either user_ids or team_id, not both",
            )),
            _ => {}
        }
        let capacity = match raw.capacity {
            None => None,
            Some(n) if (1..=i64::from(CAPACITY_MAX)).contains(&n) => Some(n as u32),
            Some(_) => {
                c.push(FieldError::new(
                    "capacity",
                    "out_of_range",
                    format!("must be 1 to {CAPACITY_MAX}, or null for no limit"),
                ));
                None
            }
        };
        let industry = blank_to_none(raw.industry);
        if industry
            .as_ref()
            .is_some_and(|i| i.chars().count() > crate::text::SHORT_MAX)
        {
            c.push(FieldError::new("industry", "too_long", "is too long"));
        }
        c.finish()?;
        Ok(Self {
            position,
            matches: Match {
                region_id: blank_to_none(raw.region_id),
                industry,
                product_line_id: blank_to_none(raw.product_line_id),
            },
            method,
            user_ids,
            team_id,
            capacity,
            fallback_team_id: blank_to_none(raw.fallback_team_id),
            active: raw.active.unwrap_or(true),
        })
    }
}
