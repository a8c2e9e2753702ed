//! Dragging a card between the board's columns with pointer events, so one
//! code path serves a mouse, a pen and a finger.
//!
//! A mouse drags the whole card once it has moved a few pixels (a plain
//! click still opens the deal). A finger drags by the card's grip, which
//! has `touch-action: none`; anywhere else a swipe scrolls the board as
//! usual. While dragging, a copy of the card follows the pointer (fixed, so
//! the board's scrolling does not clip it), the column under the pointer is
//! marked, and near the screen's edge the board scrolls to the next column.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::PointerEvent;

/// Pixels a mouse must move before a press becomes a drag.
const THRESHOLD: f64 = 6.0;
/// How close to the screen's edge scrolls the board.
const EDGE: f64 = 36.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Dragging {
    pub id: String,
    pub label: String,
    pub from: String,
    pub pointer: i32,
    start: (f64, f64),
    pub at: (f64, f64),
    /// Past the threshold: the card follows the pointer.
    pub started: bool,
    /// The column (stage id) under the pointer.
    pub over: Option<String>,
}

/// The drag in progress, if any, and what to do on a drop.
#[derive(Clone, Copy)]
pub struct Drag {
    pub state: RwSignal<Option<Dragging>>,
    last_scroll: StoredValue<f64>,
    on_drop: Callback<(String, String)>,
}

impl Drag {
    /// `on_drop` is told (deal id, stage id) when a card is let go over another column.
    pub fn new(on_drop: Callback<(String, String)>) -> Self {
        Self {
            state: RwSignal::new(None),
            last_scroll: StoredValue::new(0.0),
            on_drop,
        }
    }

    /// A press on a card (`from`: its column).
    pub fn down(self, ev: &PointerEvent, id: &str, label: &str, from: &str) {
        if !ev.is_primary() || ev.button() != 0 {
            return;
        }
        let on_grip = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.closest(".deal-card__grip").ok().flatten().is_some());
        let on_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                el.closest("select, button:not(.deal-card__grip)")
                    .ok()
                    .flatten()
                    .is_some()
            });
        // a finger drags by the grip only; elsewhere it scrolls
        if on_control || (ev.pointer_type() != "mouse" && !on_grip) {
            return;
        }
        let at = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        self.state.set(Some(Dragging {
            id: id.to_owned(),
            label: label.to_owned(),
            from: from.to_owned(),
            pointer: ev.pointer_id(),
            start: at,
            at,
            started: on_grip,
            over: Some(from.to_owned()),
        }));
        if on_grip {
            ev.prevent_default();
            capture(ev, id);
        }
    }

    pub fn moved(self, ev: &PointerEvent) {
        let Some(mut d) = self.state.get_untracked() else {
            return;
        };
        if d.pointer != ev.pointer_id() {
            return;
        }
        let at = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        if !d.started {
            if (at.0 - d.start.0).hypot(at.1 - d.start.1) < THRESHOLD {
                return;
            }
            d.started = true;
            // from here on the card gets the pointer's events wherever it goes,
            // and the click at the end lands on the card, not on its link
            capture(ev, &d.id);
        }
        ev.prevent_default();
        d.at = at;
        d.over = column_at(at.0).or(d.over);
        self.edge_scroll(at.0);
        self.state.set(Some(d));
    }

    pub fn up(self, ev: &PointerEvent) {
        let Some(d) = self.state.get_untracked() else {
            return;
        };
        if d.pointer != ev.pointer_id() {
            return;
        }
        self.state.set(None);
        if !d.started {
            return;
        }
        let over = column_at(f64::from(ev.client_x())).or(d.over);
        if let Some(to) = over.filter(|to| *to != d.from) {
            self.on_drop.run((d.id, to));
        }
    }

    /// The board scrolled under a still pointer (the edge's smooth scroll
    /// ends after the last move): the column under it is another one now.
    pub fn scrolled(self) {
        let Some(mut d) = self.state.get_untracked() else {
            return;
        };
        if !d.started {
            return;
        }
        let over = column_at(d.at.0).or(d.over.clone());
        if over != d.over {
            d.over = over;
            self.state.set(Some(d));
        }
    }

    /// The browser took the pointer (a scroll began, the window lost focus).
    pub fn cancel(self) {
        self.state.set(None);
    }

    fn edge_scroll(self, x: f64) {
        let width = window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0);
        let step = if x > width - EDGE {
            1.0
        } else if x < EDGE {
            -1.0
        } else {
            return;
        };
        let now = web_sys::js_sys::Date::now();
        if now - self.last_scroll.get_value() < 500.0 {
            return;
        }
        self.last_scroll.set_value(now);
        if let Some(board) = document().query_selector(".board").ok().flatten() {
            let column = document()
                .query_selector(".board-col")
                .ok()
                .flatten()
                .map_or(300.0, |c| c.get_bounding_client_rect().width());
            let opts = web_sys::ScrollToOptions::new();
            opts.set_left(step * column);
            opts.set_behavior(web_sys::ScrollBehavior::Smooth);
            board.scroll_by_with_scroll_to_options(&opts);
        }
    }
}

/// Sends the pointer's events to the card `id` until it is let go.
fn capture(ev: &PointerEvent, id: &str) {
    if let Some(el) = document()
        .query_selector(&format!("[data-card-id=\"{id}\"]"))
        .ok()
        .flatten()
    {
        // refused for a pointer that is already gone: the drag then ends at once
        let _ = el.set_pointer_capture(ev.pointer_id());
    }
}

/// The stage of the column whose span holds `x`.
fn column_at(x: f64) -> Option<String> {
    let cols = document().query_selector_all("[data-drop-stage]").ok()?;
    (0..cols.length())
        .filter_map(|i| cols.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .find(|el| {
            let r = el.get_bounding_client_rect();
            x >= r.left() && x <= r.right()
        })
        .and_then(|el| el.get_attribute("data-drop-stage"))
}
