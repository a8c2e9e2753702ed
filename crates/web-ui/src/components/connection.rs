//! Whether the browser can reach the network, and screens that load again by
//! themselves once it can.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The browser's view of the connection, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Connection {
    /// As the browser reports it (`navigator.onLine` and its events).
    pub online: ReadSignal<bool>,
    /// How often the connection has come back since the page loaded.
    back: ReadSignal<u32>,
}

impl Connection {
    pub fn provide() {
        let (online, set_online) = signal(window().navigator().on_line());
        let (back, set_back) = signal(0u32);
        let went_online = Closure::<dyn Fn()>::new(move || {
            set_online.set(true);
            set_back.update(|n| *n += 1);
        });
        let went_offline = Closure::<dyn Fn()>::new(move || set_online.set(false));
        for (event, cb) in [("online", went_online), ("offline", went_offline)] {
            let _ = window().add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
            // lives as long as the page
            cb.forget();
        }
        provide_context(Connection { online, back });
    }

    pub fn get() -> Self {
        expect_context()
    }
}

/// Runs `retry` each time the connection comes back while the calling view
/// is on screen: an error state shown because the network was gone clears
/// itself instead of waiting for the user to notice and press Retry.
pub fn retry_when_back(retry: impl Fn() + 'static) {
    let back = Connection::get().back;
    let seen = back.get_untracked();
    Effect::new(move |_| {
        if back.get() != seen {
            retry();
        }
    });
}
