//! The URL as app state: the current path and query, history navigation, and
//! in-app link clicks handled without reloading the page.
//!
//! Kehu has a handful of flat routes, so this replaces a general router (about
//! 15 % of the shipped wasm, see docs/ARCHITECTURE.md) with the three things
//! the screens need: which page, the query string, and `navigate`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The current location, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
    query: RwSignal<String>,
}

/// Where a page's address points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Customers,
    NewCustomer,
    Customer,
    Users,
    Org,
    Roles,
    ApiKeys,
    Pool,
    Transfer,
    Duplicates,
    Merge,
    Import,
    Day,
    Timeline,
    LogActivity,
    Activity,
    Notifications,
    Settings,
    Pipeline,
    Opportunities,
    NewOpportunity,
    Opportunity,
    Forecast,
    Performance,
    SalesSettings,
    Leads,
    NewLead,
    Lead,
    LeadSetup,
    LeadScoring,
    NotFound,
}

impl Page {
    /// The page for `path`, or the address it should be replaced by.
    pub fn of(path: &str) -> Result<Self, &'static str> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        Ok(match segments.as_slice() {
            [] => return Err("/day"),
            ["admin"] => return Err("/admin/users"),
            ["customers"] => Page::Customers,
            ["customers", "new"] => Page::NewCustomer,
            ["customers", _] => Page::Customer,
            ["customers", _, "timeline"] => Page::Timeline,
            ["customers", _, "log"] => Page::LogActivity,
            ["day"] => Page::Day,
            ["activities", _] => Page::Activity,
            ["notifications"] => Page::Notifications,
            ["settings"] => Page::Settings,
            ["admin", "users"] => Page::Users,
            ["admin", "org"] => Page::Org,
            ["admin", "roles"] => Page::Roles,
            ["admin", "api-keys"] => Page::ApiKeys,
            ["admin", "pool"] => Page::Pool,
            ["admin", "transfer"] => Page::Transfer,
            ["admin", "duplicates"] => Page::Duplicates,
            ["merge"] => Page::Merge,
            ["import"] => Page::Import,
            ["pipeline"] => Page::Pipeline,
            ["opportunities"] => Page::Opportunities,
            ["opportunities", "new"] => Page::NewOpportunity,
            ["opportunities", _] => Page::Opportunity,
            ["forecast"] => Page::Forecast,
            ["performance"] => Page::Performance,
            ["sales", "settings"] => Page::SalesSettings,
            ["leads"] => Page::Leads,
            ["leads", "new"] => Page::NewLead,
            ["leads", "setup"] => Page::LeadSetup,
            ["leads", "scoring"] => Page::LeadScoring,
            ["leads", _] => Page::Lead,
            _ => Page::NotFound,
        })
    }
}

impl Router {
    /// Reads the address, follows the browser's back and forward buttons, and
    /// turns clicks on in-app links (also those in HTML written as strings)
    /// into navigation without a page load.
    pub fn provide() -> Self {
        let location = window().location();
        let router = Router {
            path: RwSignal::new(location.pathname().unwrap_or_default()),
            query: RwSignal::new(location.search().unwrap_or_default()),
        };
        let on_pop = Closure::<dyn Fn()>::new(move || router.sync());
        let _ =
            window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev| router.follow(ev));
        let _ =
            document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // both live as long as the page
        on_pop.forget();
        on_click.forget();
        provide_context(router);
        router
    }

    pub fn get() -> Self {
        expect_context()
    }

    /// The page the address points at, or where to send the browser (tracked).
    pub fn page(self) -> Result<Page, &'static str> {
        self.path.with(|p| Page::of(p))
    }

    /// The path's last segment, e.g. a record's id (tracked).
    pub fn last_segment(self) -> String {
        self.path
            .with(|p| p.rsplit('/').next().map(decode).unwrap_or_default())
    }

    /// The path's segment `i` (from 0), decoded (tracked).
    pub fn segment(self, i: usize) -> String {
        self.path.with(|p| {
            p.split('/')
                .filter(|s| !s.is_empty())
                .nth(i)
                .map(decode)
                .unwrap_or_default()
        })
    }

    /// The query parameter `key`, decoded (tracked).
    pub fn param(self, key: &str) -> Option<String> {
        self.query.with(|q| param(q, key))
    }

    /// Goes to `url` (path and query), adding a history entry unless `replace`.
    pub fn navigate(self, url: &str, replace: bool, scroll_top: bool) {
        let Ok(history) = window().history() else {
            return;
        };
        let done = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        };
        if done.is_ok() {
            self.sync();
            if scroll_top {
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    }

    /// `Some("page")` while the address is `href` or below it, for `aria-current`.
    pub fn current(self, href: &'static str) -> Signal<Option<&'static str>> {
        Signal::derive(move || {
            self.path.with(|p| {
                (p == href
                    || p.strip_prefix(href)
                        .is_some_and(|rest| rest.starts_with('/')))
                .then_some("page")
            })
        })
    }

    fn sync(self) {
        let location = window().location();
        let path = location.pathname().unwrap_or_default();
        let query = location.search().unwrap_or_default();
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.query.get_untracked() != query {
            self.query.set(query);
        }
    }

    /// A plain left click on a same-origin link navigates in the app.
    fn follow(self, ev: web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let here = window().location();
        if link.origin() != here.origin().unwrap_or_default()
            || !link.target().is_empty()
            || link.has_attribute("download")
            || link.pathname().starts_with("/api/")
        {
            return;
        }
        ev.prevent_default();
        let url = format!("{}{}", link.pathname(), link.search());
        let same = url
            == format!(
                "{}{}",
                here.pathname().unwrap_or_default(),
                here.search().unwrap_or_default()
            );
        self.navigate(&url, same, true);
    }
}

/// The decoded value of `key` in a query string (`?a=1&b=x%20y`).
fn param(query: &str, key: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(k, _)| decode(k) == key)
        .map(|(_, v)| decode(v))
}

/// Percent-decoding of a URL component; `+` is a space, as in forms.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
