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

/// A card's list could not be read: what happened.
pub fn failed(i18n: I18n, e: &ApiError) -> AnyView {
    let lines = summary(i18n, e)
        .into_iter()
        .map(|l| view! { <p>{l}</p> })
        .collect_view();
    view! { <div class="alert" role="alert">{lines}</div> }.into_any()
}
