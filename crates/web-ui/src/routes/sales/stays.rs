//! A deal's stage history (its stays): from, to, entered, left, how long
//! and who, newest first.

use leptos::prelude::*;

use super::deal::Deal;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::time;

/// How long, e.g. "3 d 4 h".
pub fn duration(i18n: I18n, seconds: i64) -> String {
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    if d > 0 {
        i18n.t_args(
            "sales-duration-days",
            &[("days", d.into()), ("hours", h.into())],
        )
    } else if h > 0 {
        i18n.t_args(
            "sales-duration-hours",
            &[("hours", h.into()), ("minutes", m.into())],
        )
    } else {
        i18n.t_args("sales-duration-minutes", &[("minutes", m.into())])
    }
}

#[component]
pub fn HistoryCard() -> impl IntoView {
    let i18n = I18n::get();
    let deal = Deal::get();
    let lang = i18n.lang().code();
    let rows = move || {
        // tracked: the pipeline may arrive after the deal, and its stages
        // are what names the default ones in the reader's language
        let name = |id: &str, fallback: &str| {
            deal.pipeline.with(|p| match p {
                Some(p) => p.stage_label(i18n, id, fallback),
                None => fallback.to_owned(),
            })
        };
        deal.with(|d| d.history.clone())
            .into_iter()
            .rev()
            .map(|h| {
                let from = match (&h.from_stage_id, &h.from_stage_name) {
                    (Some(id), n) => Some(name(id, n.as_deref().unwrap_or_default())),
                    (None, Some(n)) => Some(n.clone()),
                    (None, None) => None,
                };
                let to = name(&h.stage_id, &h.stage_name);
                let step = match from {
                    Some(f) => format!("{f} → {to}"),
                    None => to,
                };
                let left = h.left_at.as_ref().map(|l| time::date_time(l, lang));
                view! {
                    <li class="cust-stage" data-testid="history-entry">
                        <p class="cust-stage__move">{step}</p>
                        <p class="muted">
                            {i18n.t_args("sales-history-entered", &[("when", time::date_time(&h.entered_at, lang).into())])}
                            {left.map(|l| format!(" · {}", i18n.t_args("sales-history-left", &[("when", l.into())])))}
                        </p>
                        <p class="muted">
                            {i18n.t_args("sales-history-time", &[("time", duration(i18n, h.seconds_in_stage).into())])}
                            {h.by_name.clone().map(|b| format!(" · {b}"))}
                        </p>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card cust-section" data-testid="deal-history" aria-labelledby="h-history">
            <h2 id="h-history">{t("sales-history")}</h2>
            <ol class="cust-stages">{rows}</ol>
        </section>
    }
}
