//! The list's search and filters, kept in the URL's query so that reload and
//! Back restore them; and the panel that sets them (a bottom sheet on phones).

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::encode;
use crate::components::customers::form::{focus_first, region_options, stage_options};
use crate::components::customers::model::Lookups;
use crate::components::customers::t;
use crate::i18n::I18n;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub q: String,
    pub stage: String,
    pub region: String,
    pub owner: String,
    pub tag: String,
    pub industry: String,
    pub sort: String,
}

impl Filters {
    fn pairs(&self) -> [(&'static str, &String); 7] {
        [
            ("q", &self.q),
            ("stage", &self.stage),
            ("region", &self.region),
            ("owner", &self.owner),
            ("tag", &self.tag),
            ("industry", &self.industry),
            ("sort", &self.sort),
        ]
    }

    /// From the address's query parameters, as `param` reads them.
    pub fn from_query(param: impl Fn(&str) -> Option<String>) -> Self {
        let g = |k: &str| param(k).unwrap_or_default().trim().to_owned();
        Self {
            q: g("q"),
            stage: g("stage"),
            region: g("region"),
            owner: g("owner"),
            tag: g("tag"),
            industry: g("industry"),
            sort: g("sort"),
        }
    }

    /// `?q=…&stage=…` with the set values only.
    pub fn to_query(&self) -> String {
        let parts: Vec<String> = self
            .pairs()
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The API path for one page.
    pub fn api_path(&self, cursor: Option<&str>) -> String {
        let mut p = String::from("/customers?limit=30&include_total=true");
        for (k, v) in self.pairs() {
            if v.is_empty() {
                continue;
            }
            let k = if k == "region" { "region_id" } else { k };
            p.push_str(&format!("&{k}={}", encode(v)));
        }
        if let Some(c) = cursor {
            p.push_str(&format!("&cursor={}", encode(c)));
        }
        p
    }

    /// The API path exporting what this list shows (all pages), as CSV or
    /// as an Excel workbook.
    pub fn export_path(&self, xlsx: bool) -> String {
        let format = if xlsx { "xlsx" } else { "csv" };
        let mut p = format!("/customers/export?what=customers&format={format}");
        for (k, v) in self.pairs() {
            if v.is_empty() || k == "sort" {
                continue;
            }
            let k = if k == "region" { "region_id" } else { k };
            p.push_str(&format!("&{k}={}", encode(v)));
        }
        p
    }

    /// How many filters (not search, not sort) are set.
    pub fn count(&self) -> usize {
        [
            &self.stage,
            &self.region,
            &self.owner,
            &self.tag,
            &self.industry,
        ]
        .iter()
        .filter(|v| !v.is_empty())
        .count()
    }

    pub fn cleared(&self) -> Self {
        Self {
            sort: self.sort.clone(),
            ..Self::default()
        }
    }
}

fn select(
    id: &'static str,
    label_key: &'static str,
    options: Signal<Vec<(String, String)>>,
    current: Signal<String>,
    pick: Callback<String>,
) -> AnyView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{t(label_key)}</label>
            <select id=id data-testid=id on:change=move |ev| pick.run(event_target_value(&ev))>
                {move || options.get().into_iter().map(|(v, l)| {
                    let s = v.clone();
                    view! { <option value=v prop:selected=Signal::derive(move || current.with(|c| *c == s))>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

fn text(
    id: &'static str,
    label_key: &'static str,
    current: Signal<String>,
    pick: Callback<String>,
) -> AnyView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{t(label_key)}</label>
            <input class="field__input" id=id data-testid=id type="text" enterkeyhint="done"
                prop:value=Signal::derive(move || current.get())
                on:change=move |ev| pick.run(event_target_value(&ev).trim().to_owned()) />
        </div>
    }
    .into_any()
}

/// The filter fields. Each change applies at once; on a phone they sit in a
/// bottom sheet (`open`), on a desktop beside the list.
#[component]
pub fn FilterPanel(
    filters: Memo<Filters>,
    set: Callback<Filters>,
    lookups: RwSignal<Arc<Lookups>>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = I18n::get();
    let field = move |f: fn(&Filters) -> String| Signal::derive(move || filters.with(f));
    let change = move |apply: fn(&mut Filters, String)| {
        Callback::new(move |v: String| {
            let mut f = filters.get_untracked();
            apply(&mut f, v);
            set.run(f);
        })
    };
    let stages = Signal::derive(move || stage_options(i18n, Some("customers-any")));
    let regions =
        Signal::derive(move || lookups.with(|l| region_options(l, i18n.t("customers-any"))));
    let owners = Signal::derive(move || {
        let fixed = [
            ("", "customers-any"),
            ("me", "customers-owner-mine"),
            ("none", "customers-owner-pool"),
        ]
        .map(|(v, k)| (v.to_owned(), i18n.t(k)));
        lookups.with(|l| {
            fixed
                .into_iter()
                .chain(
                    l.users
                        .iter()
                        .map(|u| (u.id.clone(), u.display_name.clone())),
                )
                .collect()
        })
    });
    let sorts = Signal::derive(move || {
        [
            ("", "customers-sort-updated"),
            ("name", "customers-sort-name"),
            ("-created_at", "customers-sort-created"),
        ]
        .map(|(v, k)| (v.to_owned(), i18n.t(k)))
        .to_vec()
    });
    let close = move |_| {
        open.set(false);
        focus_first("[data-testid='open-filters']".into());
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if !open.get_untracked() {
            return;
        }
        if ev.key() == "Escape" {
            open.set(false);
            focus_first("[data-testid='open-filters']".into());
        }
        crate::components::focus::trap_tab(&ev);
    };
    view! {
            {move || open.get().then(|| view! {
                <div class="sheet-backdrop cust-backdrop" on:click=close></div>
    })}
            <section
                class="cust-filters"
                class:sheet=Signal::derive(move || open.get())
                class:cust-filters--open=Signal::derive(move || open.get())
                role=Signal::derive(move || open.get().then_some("dialog"))
                aria-modal=Signal::derive(move || open.get().then_some("true"))
                aria-labelledby="cust-filters-title"
                data-testid="filter-panel"
                on:keydown=on_key
            >
                <div class="cust-filters__head">
                    <h2 id="cust-filters-title">{t("customers-filters")}</h2>
                    <button type="button" class="button button--ghost cust-filters__clear" data-testid="filters-clear"
                        on:click=move |_| set.run(filters.get_untracked().cleared())>
                        {t("action-clear")}
                    </button>
                </div>
                {select("filter-stage", "customers-field-stage", stages, field(|f| f.stage.clone()), change(|f, v| f.stage = v))}
                {select("filter-owner", "customers-field-owner", owners, field(|f| f.owner.clone()), change(|f, v| f.owner = v))}
                {select("filter-region", "customers-field-region", regions, field(|f| f.region.clone()), change(|f, v| f.region = v))}
                {text("filter-tag", "customers-field-tag", field(|f| f.tag.clone()), change(|f, v| f.tag = v))}
                {text("filter-industry", "customers-field-industry", field(|f| f.industry.clone()), change(|f, v| f.industry = v))}
                {select("filter-sort", "customers-sort", sorts, field(|f| f.sort.clone()), change(|f, v| f.sort = v))}
                <button type="button" class="button button--primary cust-filters__done" data-testid="filters-done" on:click=close>
                    {t("customers-show-results")}
                </button>
            </section>
        }
}
