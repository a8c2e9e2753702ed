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
