//! The organisation: teams and regions as trees, product lines and partners as lists.

use leptos::prelude::*;

use super::org_units::{Kind, UnitSection};
use crate::components::admin::AdminFrame;
use crate::i18n::I18n;

const KINDS: [Kind; 4] = [
    Kind {
        path: "/teams",
        key: "teams",
        tree: true,
    },
    Kind {
        path: "/regions",
        key: "regions",
        tree: true,
    },
    Kind {
        path: "/product-lines",
        key: "product-lines",
        tree: false,
    },
    Kind {
        path: "/partners",
        key: "partners",
        tree: false,
    },
];

#[component]
pub fn OrgPage() -> impl IntoView {
    let i18n = I18n::get();
    let current = RwSignal::new(1usize);
    view! {
        <AdminFrame title_key="admin-org-title">
            <div class="segmented" role="group" aria-label=i18n.t("admin-org-title")>
                {KINDS
                    .iter()
                    .enumerate()
                    .map(|(i, k)| {
                        let key = k.key;
                        view! {
                            <button
                                type="button"
                                class="segmented__option"
                                data-testid=format!("org-tab-{key}")
                                aria-pressed=move || (current.get() == i).to_string()
                                on:click=move |_| current.set(i)
                            >
                                {i18n.t(&format!("admin-{key}"))}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                let kind = KINDS[current.get()];
                view! { <UnitSection kind=kind /> }
            }}
        </AdminFrame>
    }
}
