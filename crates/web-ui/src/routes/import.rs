//! Importing customers from a file: choose it, map its columns (or apply a
//! saved template), dry-run, run with a progress bar, read the report, undo.
//! It lives in the tools module (see `tool_pages`), which carries screens
//! that work on many records at once, and is for everyone who may create
//! customers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::api::{ApiError, Call, encode};
use crate::components::admin::ConfirmButton;
use crate::components::problem::ProblemAlert;
use crate::i18n::I18n;
use crate::session::Session;

/// The fields a column can fill, in the order the menu lists them.
const FIELDS: [&str; 18] = [
    "name",
    "contact_name",
    "contact_title",
    "contact_birthday",
    "phones",
    "emails",
    "contact_phones",
    "contact_emails",
    "address",
    "notes",
    "industry",
    "source",
    "tags",
    "lifecycle_stage",
    "kind",
    "owner_email",
    "renewal_on",
    "maintenance_on",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ColumnField {
    column: String,
    field: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
struct Counts {
    created: i64,
    updated: i64,
    skipped: i64,
    failed: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct PreviewRow {
    cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Import {
    id: String,
    status: String,
    encoding: String,
    columns: Vec<String>,
    mapping: Vec<ColumnField>,
    policy: String,
    total_rows: i64,
    done_rows: i64,
    counts: Counts,
    preview: Vec<PreviewRow>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RowOut {
    line: i64,
    outcome: String,
    code: Option<String>,
    /// The file's column at fault, if one is.
    column: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct DryRun {
    counts: Counts,
    rows: Vec<RowOut>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RowPage {
    data: Vec<RowOut>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Template {
    name: String,
    mapping: Vec<ColumnField>,
    policy: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Templates {
    data: Vec<Template>,
}

#[derive(Serialize)]
struct Settings<'a> {
    mapping: &'a [ColumnField],
    policy: &'a str,
}

#[derive(Serialize)]
struct NewTemplate<'a> {
    name: &'a str,
    mapping: &'a [ColumnField],
    policy: &'a str,
}

#[derive(Serialize)]
struct Empty {}

/// What to do once the mapping is saved, with the screen's state.
type AfterSave = fn(
    Session,
    String,
    RwSignal<Option<DryRun>>,
    RwSignal<Option<Import>>,
    RwSignal<Vec<RowOut>>,
    RwSignal<Option<ApiError>>,
    RwSignal<bool>,
);

fn counts_text(i18n: I18n, c: &Counts) -> String {
    format!(
        "{} {} · {} {} · {} {} · {} {}",
        i18n.t("import-created"),
        c.created,
        i18n.t("import-updated"),
        c.updated,
        i18n.t("import-skipped"),
        c.skipped,
        i18n.t("import-failed"),
        c.failed
    )
}

/// Why a row was skipped or failed, in the user's language: the reason for
/// its code, after the column at fault; the API's own (English) words only
/// for a code this screen does not know.
fn reason(i18n: I18n, r: &RowOut) -> String {
    match r
        .code
        .as_deref()
        .and_then(|c| i18n.try_t(&format!("import-why-{c}")))
    {
        Some(why) => match &r.column {
            Some(col) => format!("{col}: {why}"),
            None => why,
        },
        None => r.message.clone().unwrap_or_default(),
    }
}

fn row_lines(i18n: I18n, rows: &[RowOut]) -> impl IntoView + use<> {
    rows.iter()
        .map(|r| {
            let why = reason(i18n, r);
            view! {
                <li data-testid="import-row">
                    <strong>{format!("{} · {}", i18n.t_args("import-line", &[("line", r.line.into())]), i18n.t(&format!("import-{}", r.outcome)))}</strong>
                    <span data-testid="import-row-reason">{format!(" {why}")}</span>
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let imp = RwSignal::new(None::<Import>);
    let fields = RwSignal::new(Vec::<String>::new());
    let policy = RwSignal::new("skip".to_owned());
    let encoding = RwSignal::new(String::new());
    let dry = RwSignal::new(None::<DryRun>);
    let report = RwSignal::new(Vec::<RowOut>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let templates = RwSignal::new(Vec::<Template>::new());
    let template_name = RwSignal::new(String::new());

    spawn_local(async move {
        if let Ok(t) = session.get_json::<Templates>("/import-templates").await {
            let _ = templates.try_set(t.data);
        }
    });

    let show = move |i: Import| {
        fields.set(
            i.columns
                .iter()
                .map(|c| {
                    i.mapping
                        .iter()
                        .find(|m| &m.column == c)
                        .map(|m| m.field.clone())
                        .unwrap_or_default()
                })
                .collect(),
        );
        policy.set(i.policy.clone());
        imp.set(Some(i));
    };
    let mapping = move || -> Vec<ColumnField> {
        let cols =
            imp.with_untracked(|i| i.as_ref().map(|i| i.columns.clone()).unwrap_or_default());
        cols.into_iter()
            .zip(fields.get_untracked())
            .filter(|(_, f)| !f.is_empty())
            .map(|(column, field)| ColumnField { column, field })
            .collect()
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        let name = file.name();
        let lower = name.to_lowercase();
        let kind = if lower.ends_with(".vcf") {
            "text/vcard"
        } else if lower.ends_with(".xlsx") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "text/csv"
        };
        let enc = encoding.get_untracked();
        let mut path = format!("/imports?file_name={}", encode(&name));
        if !enc.is_empty() {
            path.push_str(&format!("&encoding={enc}"));
        }
        let call = Call::upload(path, file.into(), kind);
        busy.set(true);
        error.set(None);
        dry.set(None);
        report.set(Vec::new());
        spawn_local(async move {
            let r = session
                .text(&call)
                .await
                .and_then(|(_, t)| crate::api::parse::<Import>(&t));
            // `Some`: the page was left meanwhile
            if busy.try_set(false).is_some() {
                return;
            }
            match r {
                Ok(i) => show(i),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    // saves mapping and policy, then calls `next` with the import's id
    let save_then = move |next: AfterSave| {
        let Some(id) = imp.with_untracked(|i| i.as_ref().map(|i| i.id.clone())) else {
            return;
        };
        let m = mapping();
        let p = policy.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let call = Call::put(
                format!("/imports/{id}/settings"),
                &Settings {
                    mapping: &m,
                    policy: &p,
                },
            );
            match session.send(&call).await {
                Ok(()) => next(session, id, dry, imp, report, error, busy),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    };

    let on_dry_run = move |_| {
        save_then(|session, id, dry, _, _, error, busy| {
            spawn_local(async move {
                let r = session
                    .text(&Call::post(format!("/imports/{id}/dry-run"), &Empty {}))
                    .await
                    .and_then(|(_, t)| crate::api::parse::<DryRun>(&t));
                let _ = busy.try_set(false);
                match r {
                    Ok(d) => {
                        let _ = dry.try_set(Some(d));
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
            });
        })
    };

    let on_run = move |_| {
        save_then(|session, id, _, imp, report, error, busy| {
            spawn_local(async move {
                if let Err(e) = session
                    .send(&Call::post(format!("/imports/{id}/run"), &Empty {}))
                    .await
                {
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                    return;
                }
                poll(session, id, imp, report, error, busy);
            });
        })
    };

    let on_save_template = move |_| {
        let name = template_name.get_untracked();
        let m = mapping();
        let p = policy.get_untracked();
        spawn_local(async move {
            let call = Call::post(
                "/import-templates",
                &NewTemplate {
                    name: &name,
                    mapping: &m,
                    policy: &p,
                },
            );
            match session
                .text(&call)
                .await
                .and_then(|(_, t)| crate::api::parse::<Template>(&t))
            {
                Ok(t) => {
                    let _ = templates.try_update(|ts| ts.push(t));
                    let _ = template_name.try_set(String::new());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let apply_template = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        let Some(t) = templates.with_untracked(|ts| ts.iter().find(|t| t.name == name).cloned())
        else {
            return;
        };
        let cols =
            imp.with_untracked(|i| i.as_ref().map(|i| i.columns.clone()).unwrap_or_default());
        fields.set(
            cols.iter()
                .map(|c| {
                    t.mapping
                        .iter()
                        .find(|m| &m.column == c)
                        .map(|m| m.field.clone())
                        .unwrap_or_default()
                })
                .collect(),
        );
        policy.set(t.policy);
    };

    let on_undo = Callback::new(move |()| {
        let Some(id) = imp.with_untracked(|i| i.as_ref().map(|i| i.id.clone())) else {
            return;
        };
        spawn_local(async move {
            let r = session
                .text(&Call::post(format!("/imports/{id}/undo"), &Empty {}))
                .await
                .and_then(|(_, t)| crate::api::parse::<Import>(&t));
            match r {
                Ok(i) => {
                    let _ = imp.try_set(Some(i));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    });

    let on_failed_download = move |_| {
        let Some(id) = imp.with_untracked(|i| i.as_ref().map(|i| i.id.clone())) else {
            return;
        };
        spawn_local(async move {
            match session
                .text(&Call::get(format!("/imports/{id}/failed")))
                .await
            {
                Ok((_, csv)) => {
                    crate::components::download::save_file(&csv, "kehu-import-failed-rows.csv")
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let mapping_table = move || {
        let Some(i) = imp.get() else {
            return ().into_any();
        };
        if i.status != "ready" {
            return ().into_any();
        }
        let options = move |current: String| {
            std::iter::once(String::new())
                .chain(FIELDS.iter().map(|f| (*f).to_owned()))
                .map(|f| {
                    let label = if f.is_empty() {
                        i18n.t("import-ignore")
                    } else {
                        i18n.t(&format!("import-field-{f}"))
                    };
                    let selected = f == current;
                    view! { <option value=f selected=selected>{label}</option> }
                })
                .collect_view()
        };
        let rows = i
            .columns
            .iter()
            .enumerate()
            .map(|(n, c)| {
                let sample = i.preview.first().and_then(|p| p.cells.get(n)).cloned().unwrap_or_default();
                let current = fields.with_untracked(|f| f.get(n).cloned().unwrap_or_default());
                view! {
                    <li class="import-map__row">
                        <span class="import-map__col">{c.clone()}</span>
                        <span class="import-map__sample muted">{sample}</span>
                        <select class="field__input" data-testid=format!("import-field-{n}") aria-label=c.clone()
                            on:change=move |ev| { let v = event_target_value(&ev); fields.update(|f| if let Some(x) = f.get_mut(n) { *x = v; }); }>
                            {options(current)}
                        </select>
                    </li>
                }
            })
            .collect_view();
        let template_options = templates
            .get()
            .into_iter()
            .map(|t| {
                let value = t.name.clone();
                view! { <option value=value>{t.name}</option> }
            })
            .collect_view();
        view! {
            <section class="card import-step" data-testid="import-mapping">
                <h2>{i18n.t("import-map-title")}</h2>
                <p class="muted" data-testid="import-summary">{format!("{} {} · {}", i.total_rows, i18n.t("import-rows"), i.encoding)}</p>
                <label class="field">
                    <span class="field__label">{i18n.t("import-template-apply")}</span>
                    <select class="field__input" data-testid="import-template-select" on:change=apply_template>
                        <option value="">"—"</option>
                        {template_options}
                    </select>
                </label>
                <ul class="import-map">{rows}</ul>
                <label class="field">
                    <span class="field__label">{i18n.t("import-policy")}</span>
                    <select class="field__input" data-testid="import-policy" on:change=move |ev| policy.set(event_target_value(&ev))>
                        {["skip", "update", "create"].into_iter().map(|p| view! {
                            <option value=p selected=move || policy.get() == p>{i18n.t(&format!("import-policy-{p}"))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="import-template-save">
                    <input class="field__input" data-testid="import-template-name" aria-label=i18n.t("import-template-name")
                        placeholder=i18n.t("import-template-name")
                        prop:value=move || template_name.get() on:input=move |ev| template_name.set(event_target_value(&ev)) />
                    <button type="button" class="button" data-testid="import-template-save" on:click=on_save_template>{i18n.t("import-template-save")}</button>
                </div>
                <div class="form__actions">
                    <button type="button" class="button" data-testid="import-dry-run" disabled=move || busy.get() on:click=on_dry_run>{i18n.t("import-dry-run")}</button>
                    <button type="button" class="button button--primary" data-testid="import-run" disabled=move || busy.get() on:click=on_run>{i18n.t("import-run")}</button>
                </div>
            </section>
        }
        .into_any()
    };

    let dry_view = move || {
        dry.get().map(|d| {
            view! {
                <section class="card import-step" data-testid="import-dry-result">
                    <h2>{i18n.t("import-dry-title")}</h2>
                    <p data-testid="import-dry-counts">{counts_text(i18n, &d.counts)}</p>
                    <ul class="import-rows">{row_lines(i18n, &d.rows)}</ul>
                </section>
            }
        })
    };

    let progress_view = move || {
        let i = imp.get()?;
        if i.status == "ready" {
            return None;
        }
        let done = matches!(i.status.as_str(), "done" | "failed");
        let any_failed = i.counts.failed > 0;
        Some(view! {
            <section class="card import-step" data-testid="import-progress-card">
                <h2>{i18n.t(&format!("import-status-{}", i.status))}</h2>
                <progress data-testid="import-progress" max=i.total_rows.max(1) value=i.done_rows></progress>
                <p>{format!("{} / {}", i.done_rows, i.total_rows)}</p>
                <p data-testid="import-counts">{counts_text(i18n, &i.counts)}</p>
                {done.then(|| view! {
                    <ul class="import-rows" data-testid="import-report">{move || row_lines(i18n, &report.get())}</ul>
                    {any_failed.then(|| view! {
                        <button type="button" class="button import-failed-download" data-testid="import-failed-download"
                            on:click=on_failed_download>{i18n.t("import-failed-download")}</button>
                    })}
                    <ConfirmButton label=i18n.t("import-undo") question=i18n.t("import-undo-question")
                        testid="import-undo".to_owned() on_confirm=on_undo danger=true />
                })}
                {(i.status == "undone").then(|| view! { <p data-testid="import-undone">{i18n.t("import-undone")}</p> })}
                <a href="/customers" class="button">{i18n.t("back-to-customers")}</a>
            </section>
        })
    };

    view! {
        <div class="import-page">
            <h1>{i18n.t("import-title")}</h1>
            <section class="card import-step">
                <p class="muted">{i18n.t("import-hint")}</p>
                <label class="field">
                    <span class="field__label">{i18n.t("import-encoding")}</span>
                    <select class="field__input" data-testid="import-encoding" on:change=move |ev| encoding.set(event_target_value(&ev))>
                        <option value="">{i18n.t("import-encoding-auto")}</option>
                        <option value="utf8">"UTF-8"</option>
                        <option value="gbk">"GBK / GB18030"</option>
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("import-file")}</span>
                    <input type="file" class="field__input" data-testid="import-file" accept=".csv,.txt,.xlsx,.vcf,text/csv,text/vcard" on:change=on_file />
                </label>
                {move || busy.get().then(|| view! { <p role="status" data-testid="loading">{i18n.t("loading")}</p> })}
            </section>
            <ProblemAlert error=error />
            {mapping_table}
            {dry_view}
            {progress_view}
        </div>
    }
}

/// Reads the import every half second while it runs; then its report.
fn poll(
    session: Session,
    id: String,
    imp: RwSignal<Option<Import>>,
    report: RwSignal<Vec<RowOut>>,
    error: RwSignal<Option<ApiError>>,
    busy: RwSignal<bool>,
) {
    spawn_local(async move {
        match session.get_json::<Import>(&format!("/imports/{id}")).await {
            Ok(i) => {
                let running = i.status == "running";
                if imp.try_set(Some(i)).is_some() {
                    return;
                }
                if running {
                    set_timeout(
                        move || poll(session, id, imp, report, error, busy),
                        std::time::Duration::from_millis(500),
                    );
                    return;
                }
                let _ = busy.try_set(false);
                let mut rows = Vec::new();
                for outcome in ["failed", "skipped"] {
                    if let Ok(p) = session
                        .get_json::<RowPage>(&format!(
                            "/imports/{id}/rows?outcome={outcome}&limit=200"
                        ))
                        .await
                    {
                        rows.extend(p.data);
                    }
                }
                rows.sort_by_key(|r| r.line);
                let _ = report.try_set(rows);
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
                let _ = busy.try_set(false);
            }
        }
    });
}
