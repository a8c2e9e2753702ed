use leptos::prelude::*;

/// A labelled single-line input with its error message underneath.
///
/// The input gets `data-testid="{id}"`, the error `id`/`data-testid` `"{id}-error"`.
#[component]
pub fn TextField(
    /// Element id and form name of the input.
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    /// Marks the field as required, visibly and for screen readers.
    #[prop(optional)]
    required: bool,
    /// The input's `type`, e.g. `email` or `password`.
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    /// Message to show; its presence marks the input invalid.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let has_error = move || error.with(Option::is_some);
    let described_by = {
        let error_id = error_id.clone();
        move || has_error().then(|| error_id.clone())
    };
    view! {
        <div class="field">
            <label class="field__label" for=id>
                {move || label.get()}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                class="field__input"
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=required
                aria-required=required.then_some("true")
                data-testid=id
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field__error" id=error_id.clone() data-testid=error_id.clone()>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
