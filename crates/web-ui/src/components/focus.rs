//! Moving keyboard focus to what a state change just showed.

use leptos::prelude::*;

/// Moves keyboard focus to the first element matching `selector`, once it is on screen.
pub fn focus_first(selector: String) {
    focus_within_frames(selector, 6);
}

/// The element may appear a frame or two after the state change that shows
/// it, so look again on the next frames until it is there; once it has the
/// focus, stop, so that whatever the user does next is never overridden.
fn focus_within_frames(selector: String, frames_left: u32) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let doc = document();
        if let Ok(Some(el)) = doc.query_selector(&selector)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
            if doc.active_element().is_some_and(|a| a == *el) {
                return;
            }
        }
        if frames_left > 0 {
            focus_within_frames(selector, frames_left - 1);
        }
    });
}

/// Keeps Tab and Shift+Tab inside an open dialog (`keydown` on its root):
/// from the last control Tab goes to the first, and back. Without it a
/// keyboard or screen-reader user tabs out into the page behind the sheet.
pub fn trap_tab(ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.key() != "Tab" {
        return;
    }
    let Some(root) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(found) = root.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])",
    ) else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        // hidden controls (display: none) have no layout box
        .filter(|e| e.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = document().active_element();
    let is = |e: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>())
    };
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    let wrap_to = if ev.shift_key() && (is(first) || !inside) {
        last
    } else if !ev.shift_key() && (is(last) || !inside) {
        first
    } else {
        return;
    };
    ev.prevent_default();
    let _ = wrap_to.focus();
}
