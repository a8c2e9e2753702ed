//! Moving keyboard focus to what a state change just showed.

use leptos::prelude::*;

/// Moves keyboard focus to the first element matching `selector`, once it is on screen.
pub fn focus_first(selector: String) {
    focus_within_frames(selector, 6);
}

/// The element may appear a frame or two after the state change that shows
/// it, and a list may re-render once more and replace the element that just
/// got focus. So keep the focus on the first match for a few frames (about a
/// tenth of a second, before anyone can type), then let go.
fn focus_within_frames(selector: String, frames_left: u32) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let doc = document();
        if let Ok(Some(el)) = doc.query_selector(&selector)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
            && doc.active_element().is_none_or(|a| a != *el)
        {
            let _ = el.focus();
        }
        if frames_left > 0 {
            focus_within_frames(selector, frames_left - 1);
        }
    });
}
