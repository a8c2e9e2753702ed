//! A customer's timeline (`/customers/{id}/timeline`): activities, stage and
//! owner changes, merges, imports and edits, newest first, filtered by kind
//! and person, paged with the API's cursor; with the quick buttons to log or
//! plan an activity and "remind me".

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::item::ActivityItem;
use super::model::{Activity, CustomerName, Ref, TimelineEntry};
use super::remind::RemindMe;
use super::{customer_not_found, load_failed, skeleton};
use crate::api::{ApiError, Page, encode};
use crate::components::customers::t;
use crate::components::quick_log::QuickLog;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

const ENTRY_KINDS: [&str; 7] = [
    "activity",
    "stage_change",
    "owner_change",
    "merge",
    "import",
    "change",
    "deal",
];

#[component]
pub fn TimelinePage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let id = StoredValue::new(router.segment(1));
    let customer = RwSignal::new(None::<Result<CustomerName, ApiError>>);
    let load = move || {
        customer.set(None);
        spawn_local(async move {
            let r = session
                .get_json::<CustomerName>(&format!("/customers/{}", encode(&id.get_value())))
                .await;
            let _ = customer.try_set(Some(r));
        });
    };
    load();
    move || match customer.get() {
        None => skeleton(),
        Some(Err(e)) if matches!(e.status(), Some(404 | 400)) => customer_not_found(i18n),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(c)) => view! { <Timeline customer=c /> }.into_any(),
    }
}

#[component]
fn Timeline(customer: CustomerName) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let kind = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let first = RwSignal::new(None::<Result<Vec<TimelineEntry>, ApiError>>);
    let older = RwSignal::new(Vec::<TimelineEntry>::new());
    let next = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    let people = RwSignal::new(Vec::<Ref>::new());
    let cid = StoredValue::new(customer.id.clone());
    let path = move |cursor: Option<String>| {
        let mut p = format!("/customers/{}/timeline?limit=30", encode(&cid.get_value()));
        let k = kind.get_untracked();
        if !k.is_empty() {
            p.push_str(&format!("&kind={k}"));
        }
        let who = person.get_untracked();
        if !who.is_empty() {
            p.push_str(&format!("&person={}", encode(&who)));
        }
        if let Some(c) = cursor {
            p.push_str(&format!("&cursor={}", encode(&c)));
        }
        p
    };
    // the people the entries name, to filter by; kept across filter changes
    let learn = move |entries: &[TimelineEntry]| {
        people.update(|ps| {
            for r in entries.iter().filter_map(|e| e.person.clone()) {
                if !ps.iter().any(|p| p.id == r.id) {
                    ps.push(r);
                }
            }
        });
    };
    // each change of a filter asks again; only the latest question's answer
    // is shown, whichever arrives last
    let asked = StoredValue::new(0u64);
    let load = move || {
        let p = path(None);
        first.set(None);
        older.set(Vec::new());
        let this = asked.get_value() + 1;
        asked.set_value(this);
        spawn_local(async move {
            let r = session.get_json::<Page<TimelineEntry>>(&p).await;
            if asked.try_get_value() != Some(this) {
                return;
            }
            if let Ok(page) = &r {
                learn(&page.data);
            }
            let _ = next.try_set(r.as_ref().ok().and_then(|p| p.next_cursor.clone()));
            let _ = first.try_set(Some(r.map(|p| p.data)));
        });
    };
    Effect::new(move |_| {
        kind.track();
        person.track();
        load();
    });
    let more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        if loading_more.get_untracked() {
            return;
        }
        loading_more.set(true);
        let p = path(Some(cursor));
        spawn_local(async move {
            if let Ok(page) = session.get_json::<Page<TimelineEntry>>(&p).await {
                learn(&page.data);
                let _ = older.try_update(|o| o.extend(page.data));
                let _ = next.try_set(page.next_cursor);
            }
            let _ = loading_more.try_set(false);
        });
    };
    let kind_options = move || {
        let mut o = vec![(String::new(), i18n.t("timeline-all-kinds"))];
        o.extend(
            ENTRY_KINDS
                .iter()
                .map(|k| (k.to_string(), i18n.t(&format!("timeline-kind-{k}")))),
        );
        o
    };
    let me = session.me_untracked().map(|m| m.id).unwrap_or_default();
    let person_options = move || {
        let mut o = vec![
            (String::new(), i18n.t("timeline-anyone")),
            (me.clone(), i18n.t("timeline-me")),
        ];
        o.extend(
            people
                .get()
                .into_iter()
                .filter(|p| p.id != me)
                .map(|p| (p.id, p.name)),
        );
        o
    };
    let select = move |id: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       options: Signal<Vec<(String, String)>>| {
        view! {
            <div class="field">
                <label class="field__label" for=id>{t(label)}</label>
                <select id=id data-testid=id on:change=move |ev| value.set(event_target_value(&ev))>
                    {move || options.get().into_iter().map(|(v, l)| {
                        let sel = v.clone();
                        view! { <option value=v prop:selected=move || value.with(|c| *c == sel)>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let notice = move || {
        if router.param("saved").is_some() {
            Some(
                view! { <p class="alert alert--success" role="status" data-testid="activity-saved">{i18n.t("activity-saved")}</p> },
            )
        } else if router.param("deleted").is_some() {
            Some(
                view! { <p class="alert alert--success" role="status" data-testid="activity-deleted">{i18n.t("activity-deleted")}</p> },
            )
        } else {
            None
        }
    };
    let saved = router.param("saved");
    let list = move || match first.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(entries)) if entries.is_empty() => view! {
            <p class="empty" data-testid="timeline-empty">{i18n.t("timeline-empty")}</p>
        }
        .into_any(),
        Some(Ok(entries)) => {
            let saved = saved.clone();
            let items = entries
                .into_iter()
                .chain(older.get())
                .map(|e| {
                    let fresh = saved.is_some() && e.activity.as_ref().map(|a| &a.id) == saved.as_ref();
                    let kind = e.kind.clone();
                    view! { <li class=if fresh { "tl__entry tl__entry--fresh" } else { "tl__entry" } data-testid="timeline-entry" data-kind=kind>{entry(i18n, e)}</li> }
                })
                .collect_view();
            view! {
                <ol class="tl" data-testid="timeline">{items}</ol>
                {move || next.get().map(|_| view! {
                    <button type="button" class="button cust-more" data-testid="timeline-more"
                        aria-disabled=move || loading_more.get().then_some("true") on:click=more>
                        {t("action-load-more")}
                    </button>
                })}
            }
            .into_any()
        }
    };
    let back = format!("/customers/{}", customer.id);
    view! {
        <div class="cust-page work-timeline">
            <nav class="cust-back"><a href=back data-testid="back-to-customer">{format!("← {}", customer.name)}</a></nav>
            <div class="cust-head">
                <h1>{t("timeline-title")}</h1>
            </div>
            {notice}
            <QuickLog customer_id=customer.id.clone() />
            <div class="tl-layout">
                <div class="tl-main">
                    <div class="tl-filters">
                        {select("timeline-kind", "timeline-filter-kind", kind, Signal::derive(kind_options))}
                        {select("timeline-person", "timeline-filter-person", person, Signal::derive(person_options))}
                    </div>
                    {list}
                </div>
                <div class="tl-side">
                    <RemindMe customer_id=customer.id.clone() activity_id=None note=customer.name.clone() />
                </div>
            </div>
        </div>
    }
}

/// One entry: an activity as its card, anything else as what changed, who and when.
fn entry(i18n: I18n, e: TimelineEntry) -> AnyView {
    if let Some(a) = e.activity {
        return view! { <ActivityItem activity=a on_change=Callback::new(|_: Activity| ()) /> }
            .into_any();
    }
    let lang = i18n.lang().code();
    let stage = |s: &str| i18n.t(&format!("stage-{s}"));
    let name = |r: Option<Ref>| {
        r.map(|r| r.name)
            .unwrap_or_else(|| i18n.t("customers-owner-pool"))
    };
    let (what, why) = if let Some(s) = e.stage_change {
        (
            format!(
                "{}: {} → {}",
                i18n.t("timeline-kind-stage_change"),
                stage(&s.from),
                stage(&s.to)
            ),
            s.reason,
        )
    } else if let Some(o) = e.owner_change {
        let to = match o.to_team {
            Some(team) if o.to.is_none() => {
                i18n.t_args("pool-team-pool", &[("team", team.name.into())])
            }
            _ => name(o.to),
        };
        let label = i18n
            .try_t(&format!("pool-change-{}", o.kind))
            .unwrap_or_else(|| i18n.t("timeline-kind-owner_change"));
        (format!("{label}: {} → {to}", name(o.from)), o.reason)
    } else if let Some(m) = e.merge {
        (
            i18n.t_args("timeline-merged", &[("name", m.merged_name.into())]),
            None,
        )
    } else if let Some(im) = e.import {
        (
            i18n.t_args("timeline-imported", &[("file", im.file_name.into())]),
            None,
        )
    } else if let Some(d) = e.deal {
        let key = match (d.from_stage.is_some(), d.to_kind.as_str()) {
            (false, _) => "timeline-deal-created",
            (_, "won") => "timeline-deal-won",
            (_, "lost") => "timeline-deal-lost",
            _ => "timeline-deal-moved",
        };
        // a default stage by its key, like the board; a company's own (or
        // a renamed one) as stored
        let stage = |key: Option<String>, name: String| {
            kehu_domain::pipeline::label_key(key.as_deref(), &name)
                .and_then(|k| i18n.try_t(&format!("sales-stage-{k}")))
                .unwrap_or(name)
        };
        let text = i18n.t_args(
            key,
            &[
                ("name", d.name.into()),
                (
                    "from",
                    stage(d.from_stage_key, d.from_stage.unwrap_or_default()).into(),
                ),
                ("to", stage(d.to_stage_key, d.to_stage).into()),
            ],
        );
        return view! {
            <div class="cust-stage tl__event">
                <p class="cust-stage__move">
                    <a href=format!("/opportunities/{}", d.opportunity_id)>{text}</a>
                </p>
                <p class="muted">
                    {format!(
                        "{} · {}",
                        e.person.map(|p| p.name).unwrap_or_default(),
                        time::date_time(&e.at, lang),
                    )}
                </p>
            </div>
        }
        .into_any();
    } else if let Some(c) = e.change {
        let fields = c
            .fields
            .iter()
            .map(|f| {
                i18n.try_t(&format!("history-field-{f}"))
                    .unwrap_or_else(|| f.clone())
            })
            .collect::<Vec<_>>()
            .join(", ");
        let what = i18n
            .try_t(&format!("timeline-change-{}", c.action))
            .unwrap_or_else(|| e.summary.clone());
        (
            if fields.is_empty() {
                what
            } else {
                format!("{what}: {fields}")
            },
            None,
        )
    } else {
        (e.summary.clone(), None)
    };
    let who = e
        .person
        .map(|p| p.name)
        .unwrap_or_else(|| i18n.t("customers-stage-automatic"));
    view! {
        <div class="cust-stage tl__event">
            <p class="cust-stage__move">{what}</p>
            <p class="muted">{format!("{who} · {}", time::date_time(&e.at, lang))}</p>
            {why.filter(|r| !r.is_empty()).map(|r| view! { <p class="cust-stage__reason">{r}</p> })}
        </div>
    }
    .into_any()
}
