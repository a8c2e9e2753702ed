//! One customer: header, sections edited in place, contacts, delete with undo.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::contacts::ContactsCard;
use super::edit::SectionCard;
use super::history::History;
use super::ownership::{OwnerHistory, PoolActions};
use super::stages::StageHistory;
use crate::api::{ApiError, Call, Versioned};
use crate::components::ProblemAlert;
use crate::components::customers::draft::Section;
use crate::components::customers::model::{Customer, Lookups, hand_over_undo, lookups};
use crate::components::customers::t;
use crate::components::problem::summary;
use crate::components::quick_log::QuickLog;
use crate::i18n::I18n;
use crate::session::Session;

pub type Record = RwSignal<Option<Versioned<Customer>>>;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = crate::router::Router::get();
    let id = Memo::new(move |_| router.last_segment());
    let record: Record = RwSignal::new(None);
    let failed = RwSignal::new(None::<ApiError>);
    let names = RwSignal::new(Arc::new(Lookups::default()));
    spawn_local(async move {
        if let Ok(l) = lookups(session).await {
            names.set(l);
        }
    });
    let load = move || {
        let id = id.get_untracked();
        failed.set(None);
        spawn_local(async move {
            match session
                .get_versioned::<Customer>(&format!("/customers/{}", crate::api::encode(&id)))
                .await
            {
                // the API followed a merged record's redirect: show where it went
                Ok(v) if v.data.id != id => router.navigate(
                    &format!(
                        "/customers/{}?merged=redirect",
                        crate::api::encode(&v.data.id)
                    ),
                    true,
                    false,
                ),
                Ok(v) => {
                    let _ = record.try_set(Some(v));
                }
                Err(e) => {
                    let _ = failed.try_set(Some(e));
                }
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        record.set(None);
        load();
    });
    // a 404 stays a 404; anything else may have been the network
    crate::components::connection::retry_when_back(move || {
        if failed.with_untracked(|f| {
            f.as_ref()
                .is_some_and(|e| !matches!(e.status(), Some(400..500)))
        }) {
            load();
        }
    });

    move || {
        if let Some(e) = failed.get() {
            return if matches!(e.status(), Some(404 | 400)) {
                view! {
                    <div class="empty card" data-testid="customer-not-found">
                        <h1>{i18n.t("customers-not-found")}</h1>
                        <p>{i18n.t("customers-not-found-hint")}</p>
                        <a href="/customers" class="button button--primary">{i18n.t("back-to-customers")}</a>
                    </div>
                }
                .into_any()
            } else {
                let lines = summary(i18n, &e)
                    .into_iter()
                    .map(|l| view! { <p>{l}</p> })
                    .collect_view();
                view! {
                    <div class="alert" role="alert" data-testid="customer-error">
                        <p class="alert__title">{i18n.t("customers-load-failed")}</p>
                        {lines}
                        <button type="button" class="button" on:click=move |_| load()>{i18n.t("action-retry")}</button>
                    </div>
                }
                .into_any()
            };
        }
        if record.with(Option::is_none) {
            return view! {
                <div class="card" data-testid="customer-loading" aria-busy="true">
                    <span class="visually-hidden" role="status">{i18n.t("loading")}</span>
                    <span class="skeleton cust-skel-title"></span>
                    <span class="skeleton"></span>
                    <span class="skeleton"></span>
                </div>
            }
            .into_any();
        }
        view! { <Loaded record=record names=names /> }.into_any()
    }
}

#[component]
fn Loaded(record: Record, names: RwSignal<Arc<Lookups>>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = crate::router::Router::get();
    let field = move |f: fn(&Customer) -> String| {
        move || record.with(|r| r.as_ref().map(|v| f(&v.data)).unwrap_or_default())
    };
    let id = record.with_untracked(|r| r.as_ref().map(|v| v.data.id.clone()).unwrap_or_default());
    let stage = field(|c| c.lifecycle_stage.clone());
    let delete_error = RwSignal::new(None::<ApiError>);
    let allowed = move || record.with(|r| r.as_ref().map(|v| v.data.allowed).unwrap_or_default());
    let may_delete = move || allowed().delete;
    // merging keeps this one and retires another, which needs the right to delete that
    let may_merge =
        move || allowed().update && session.me().is_some_and(|m| m.can("customer", "delete"));
    let merge_id = id.clone();
    let merged = move || {
        router.param("merged").and_then(|m| match m.as_str() {
            "done" | "redirect" => Some(view! {
                <p class="alert alert--success" role="status" data-testid="merge-notice">{i18n.t(&format!("merge-notice-{m}"))}</p>
            }),
            _ => None,
        })
    };
    let cid = StoredValue::new(id.clone());
    let delete = move |_| {
        let (id, name) = (cid.get_value(), field(|c| c.name.clone())());
        spawn_local(async move {
            match session
                .send(&Call::delete(format!("/customers/{id}")))
                .await
            {
                Ok(()) => {
                    hand_over_undo(id, name);
                    router.navigate("/customers", false, true);
                }
                Err(e) => delete_error.set(Some(e)),
            }
        });
    };
    let owner = move || {
        record.with(|r| {
            let c = r.as_ref().map(|v| &v.data);
            match (
                c.and_then(|c| c.owner_id.clone()),
                c.and_then(|c| c.team_id.clone()),
            ) {
                (Some(o), _) => names.with(|l| l.user(&o)).unwrap_or_else(|| "—".into()),
                // a team's pool, when the team's name is known to this user
                (None, Some(t)) => names
                    .with(|l| l.team(&t))
                    .map(|team| i18n.t_args("pool-team-pool", &[("team", team.into())]))
                    .unwrap_or_else(|| i18n.t("customers-owner-pool")),
                (None, None) => i18n.t("customers-owner-pool"),
            }
        })
    };
    let region = move || {
        record
            .with(|r| r.as_ref().and_then(|v| v.data.region_id.clone()))
            .and_then(|id| names.with(|l| l.region(&id)))
            .unwrap_or_else(|| "—".into())
    };
    let lines = move || {
        let ids = record.with(|r| {
            r.as_ref()
                .map(|v| v.data.product_line_ids.clone())
                .unwrap_or_default()
        });
        if ids.is_empty() {
            return view! { <li>"—"</li> }.into_any();
        }
        ids.iter()
            .map(|id| {
                let n = names
                    .with(|l| l.product_line(id))
                    .unwrap_or_else(|| "…".into());
                view! { <li class="cust-chip">{n}</li> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="cust-page cust-detail">
            <nav class="cust-back"><a href="/customers">{Signal::derive(move || format!("← {}", i18n.t("back-to-customers")))}</a></nav>
            {merged}
            <header class="card cust-hero">
                <div class="cust-hero__top">
                    <h1 data-testid="customer-name">{field(|c| c.name.clone())}</h1>
                    <span class=Signal::derive(move || format!("badge badge--{}", stage())) data-testid="customer-stage">
                        {Signal::derive(move || i18n.t(&format!("stage-{}", stage())))}
                    </span>
                </div>
                <dl class="cust-facts">
                    <div><dt>{t("customers-field-owner")}</dt><dd data-testid="customer-owner">{owner}</dd></div>
                    <div><dt>{t("customers-field-region")}</dt><dd data-testid="customer-region">{region}</dd></div>
                    <div class="cust-facts__wide">
                        <dt>{t("customers-field-product-lines")}</dt>
                        <dd><ul class="cust-chips" data-testid="customer-product-lines">{lines}</ul></dd>
                    </div>
                </dl>
                <div class="cust-hero__actions">
                    <PoolActions record=record />
                    {move || session.me().is_some_and(|m| m.can("opportunity", "create")).then(|| view! {
                        <a class="button" data-testid="customer-new-deal"
                            href=format!("/opportunities/new?customer={}", crate::api::encode(&cid.get_value()))>
                            {t("customers-new-deal")}
                        </a>
                    })}
                    {move || may_merge().then(|| view! {
                        <a class="button" data-testid="customer-merge"
                            href=format!("/merge?into={}", crate::api::encode(&merge_id))>
                            {t("merge-action")}
                        </a>
                    })}
                    {move || may_delete().then(|| view! {
                        <button type="button" class="button button--danger" data-testid="customer-delete" on:click=delete>
                            {t("action-delete")}
                        </button>
                    })}
                </div>
                <ProblemAlert error=delete_error />
            </header>
            <section class="card cust-section cust-activities" data-testid="customer-activities" aria-labelledby="h-activities">
                <div class="cust-section__head">
                    <h2 id="h-activities">{t("activities-title")}</h2>
                    <a class="button button--ghost" data-testid="open-timeline" href=format!("/customers/{}/timeline", crate::api::encode(&id))>
                        {Signal::derive(move || format!("{} →", i18n.t("timeline-open")))}
                    </a>
                </div>
                <QuickLog customer_id=id.clone() />
            </section>
            <div class="cust-detail__grid">
                <div class="cust-detail__main">
                    <SectionCard section=Section::Profile record=record names=names />
                    <SectionCard section=Section::Reach record=record names=names />
                    <SectionCard section=Section::Notes record=record names=names />
                </div>
                <div class="cust-detail__side">
                    <ContactsCard customer_id=id />
                    <StageHistory record=record />
                    <OwnerHistory record=record />
                    <History record=record names=names />
                </div>
            </div>
        </div>
    }
}
