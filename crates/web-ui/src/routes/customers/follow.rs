//! What the side cards of a customer's page share: a list read from the API
//! that reloads whenever the customer changes, and its error state.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::detail::Record;
use crate::api::ApiError;
use crate::components::problem::summary;
use crate::i18n::I18n;
use crate::session::Session;

#[derive(Deserialize)]
struct Data<T> {
    data: Vec<T>,
}

/// The list at `path(customer id)`, read again whenever the customer's
/// version changes, so that a change made on the page shows up at once.
pub fn follow<T>(
    record: Record,
    path: impl Fn(&str) -> String + Send + Sync + 'static,
) -> RwSignal<Option<Result<Vec<T>, ApiError>>>
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let session = Session::get();
    let out = RwSignal::new(None);
    let version = Memo::new(move |_| {
        record.with(|r| r.as_ref().map(|v| (v.data.id.clone(), v.etag.clone())))
    });
    Effect::new(move |_| {
        let Some((id, _)) = version.get() else { return };
        let path = path(&id);
        spawn_local(async move {
            let r = session.get_json::<Data<T>>(&path).await;
            out.set(Some(r.map(|d| d.data)));
        });
    });
    out
}

/// Like [`follow`], for a list read in pages: the first page, read again
/// whenever the customer changes, and what [`more`] appends after it.
pub struct Paged<T: Send + Sync + 'static> {
    pub first: RwSignal<Option<Result<Vec<T>, ApiError>>>,
    pub older: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Paged<T> {}

pub fn follow_paged<T>(
    record: Record,
    path: impl Fn(&str) -> String + Send + Sync + 'static,
) -> Paged<T>
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let session = Session::get();
    let p = Paged {
        first: RwSignal::new(None),
        older: RwSignal::new(Vec::new()),
        next: RwSignal::new(None),
        loading: RwSignal::new(false),
    };
    let version = Memo::new(move |_| {
        record.with(|r| r.as_ref().map(|v| (v.data.id.clone(), v.etag.clone())))
    });
    Effect::new(move |_| {
        let Some((id, _)) = version.get() else { return };
        let path = path(&id);
        spawn_local(async move {
            let r = session.get_json::<crate::api::Page<T>>(&path).await;
            let _ = p.older.try_set(Vec::new());
            let _ = p
                .next
                .try_set(r.as_ref().ok().and_then(|d| d.next_cursor.clone()));
            let _ = p.first.try_set(Some(r.map(|d| d.data)));
        });
    });
    p
}

/// Appends the page after the last one read; `path(cursor)` addresses it.
pub fn more<T>(p: Paged<T>, path: String)
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let session = Session::get();
    p.loading.set(true);
    spawn_local(async move {
        if let Ok(d) = session.get_json::<crate::api::Page<T>>(&path).await {
            let _ = p.older.try_update(|o| o.extend(d.data));
            let _ = p.next.try_set(d.next_cursor);
        }
        let _ = p.loading.try_set(false);
    });
}

/// A card's list could not be read: what happened.
pub fn failed(i18n: I18n, e: &ApiError) -> AnyView {
    let lines = summary(i18n, e)
        .into_iter()
        .map(|l| view! { <p>{l}</p> })
        .collect_view();
    view! { <div class="alert" role="alert">{lines}</div> }.into_any()
}
