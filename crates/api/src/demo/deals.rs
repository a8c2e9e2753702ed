//! The demo's deals: each walked through the default funnel to its stage.

use super::{Rng, soon};
use crate::db::{self, DbConnection};
use crate::repo;

/// A deal with a customer, somewhere in the default funnel (a few won or
/// lost), closing within the next four months, so that the board, the
/// forecast and performance have something to show.
pub(super) fn demo_deal(
    c: &mut DbConnection,
    rng: &mut Rng,
    cid: &str,
    owner: &str,
    region: &str,
    partner: Option<String>,
) -> Result<(), String> {
    use crate::repo::opportunities::{self as deals, Author, NewOpportunity, OpportunityRow};
    const NAMES: [&str; 5] = [
        "设备更新",
        "年度维保合同",
        "新产线采购",
        "耗材框架协议",
        "软件升级",
    ];
    let p = repo::pipelines::get(c, repo::pipelines::DEFAULT_PIPELINE)
        .map_err(|e| e.to_string())?
        .ok_or("no default pipeline")?;
    let stage = p.stages[rng.below(p.stages.len() as u64) as usize].clone();
    let status = match stage.row.kind.as_str() {
        "won" => "won",
        "lost" => "lost",
        _ => "open",
    };
    let now = db::now();
    let close = soon(rng.below(120) as i64 - 10);
    let closed_on = (status != "open").then(|| soon(-(rng.below(25) as i64)));
    let mut row = OpportunityRow {
        id: db::new_id(),
        name: rng.pick(&NAMES).to_string(),
        customer_id: cid.to_owned(),
        pipeline_id: p.row.id.clone(),
        stage_id: stage.row.id.clone(),
        status: status.to_owned(),
        owner_id: owner.to_owned(),
        team_id: None,
        region_id: Some(region.to_owned()),
        product_line_id: None,
        partner_id: partner,
        amount_minor: (5 + rng.below(200) as i64) * 1_000_000,
        currency: "CNY".into(),
        expected_close_on: close,
        probability: 0,
        probability_override: None,
        forecast_category: String::new(),
        weighted_minor: 0,
        forecast_on: String::new(),
        source_lead_id: None,
        campaign: None,
        stage_entered_at: now,
        closed_on,
        closed_at: (status != "open").then_some(now),
        loss_reason_id: (status == "lost").then(|| "price".to_owned()),
        lost_to_competitor_id: None,
        close_notes: None,
        created_by: Some(owner.to_owned()),
        api_key_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    crate::http::opportunities::derive(&mut row, &stage);
    // the deal walked the funnel to its stage, a week or two per stage, so
    // the history and performance's conversion have moves to show
    let open: Vec<&str> = p
        .stages
        .iter()
        .filter(|s| s.row.kind == "open")
        .map(|s| s.row.id.as_str())
        .collect();
    let reached = open
        .iter()
        .position(|s| *s == stage.row.id)
        .unwrap_or(open.len());
    let path: Vec<&str> = open.iter().take(reached).copied().collect();
    let step = chrono::Duration::days(7 + rng.below(8) as i64);
    let start = now - step * (path.len() as i32 + 1);
    row.created_at = start;
    deals::insert(
        c,
        &NewOpportunity {
            row: &OpportunityRow {
                stage_id: path
                    .first()
                    .map_or(stage.row.id.clone(), |s| (*s).to_owned()),
                stage_entered_at: start,
                ..row.clone()
            },
            contact_ids: &[],
            by: Author {
                user_id: Some(owner),
                api_key_id: None,
            },
        },
    )
    .map_err(|e| e.to_string())?;
    let mut at = start;
    let mut from = path.first().map(|s| (*s).to_owned());
    for next in path
        .iter()
        .skip(1)
        .map(|s| (*s).to_owned())
        .chain((!path.is_empty()).then(|| stage.row.id.clone()))
    {
        at += step;
        let by = Author {
            user_id: Some(owner),
            api_key_id: None,
        };
        deals::enter_stage(c, &row.id, from.as_deref(), &next, at, by)
            .map_err(|e| e.to_string())?;
        from = Some(next);
    }
    row.stage_entered_at = at;
    // the row as it ends: in its stage since the last move
    if deals::save(c, &row, 1).map_err(|e| e.to_string())? {
        Ok(())
    } else {
        Err("a demo deal changed while it was made".into())
    }
}
