//! Translations with Project Fluent: one `.ftl` file per language and area
//! under `crates/web-ui/locales/`, compiled into the app. Components ask for a
//! message by key; nothing they show is hard-coded.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;
use std::cell::RefCell;
use unic_langid::LanguageIdentifier;

/// Where the chosen language is remembered on this device (before sign-in;
/// after sign-in the user's own choice, kept by the API, wins).
const STORAGE_KEY: &str = "kehu.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    ZhTw,
    En,
}

macro_rules! sources {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../locales/", $lang, "/auth.ftl")),
            include_str!(concat!("../locales/", $lang, "/customers.ftl")),
        ]
    };
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhCn, Lang::ZhTw, Lang::En];

    /// The remembered choice, else the browser's preference (Chinese when it prefers Chinese).
    pub fn detect() -> Self {
        let w = window();
        let remembered = w
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|code| Self::from_code(&code));
        remembered.unwrap_or_else(|| {
            let preferred = w
                .navigator()
                .language()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if preferred.starts_with("zh-tw")
                || preferred.starts_with("zh-hk")
                || preferred.starts_with("zh-hant")
            {
                Lang::ZhTw
            } else if preferred.starts_with("zh") {
                Lang::ZhCn
            } else {
                Lang::En
            }
        })
    }

    /// BCP 47 tag: for `<html lang>`, storage and the API.
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::ZhTw => "zh-TW",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// Short stable id, for test ids.
    pub fn id(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh",
            Lang::ZhTw => "zh-tw",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the switch whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "简体中文",
            Lang::ZhTw => "繁體中文",
            Lang::En => "English",
        }
    }

    /// A one- or two-letter label for narrow screens.
    pub fn short_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "简",
            Lang::ZhTw => "繁",
            Lang::En => "EN",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn sources(self) -> [&'static str; 4] {
        let [a, b, c] = match self {
            Lang::ZhCn => sources!("zh-CN"),
            Lang::ZhTw => sources!("zh-TW"),
            Lang::En => sources!("en"),
        };
        [a, b, c, MODULE_MESSAGES.with(|m| m.get())(self)]
    }

    fn bundle(self) -> FluentBundle<FluentResource> {
        let id: LanguageIdentifier = self.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![id]);
        // Unicode isolation marks would end up in copied text and test assertions.
        bundle.set_use_isolating(false);
        for src in self.sources() {
            match FluentResource::try_new(src.to_owned()) {
                Ok(res) => {
                    if let Err(errs) = bundle.add_resource(res) {
                        leptos::logging::warn!("duplicate messages in {}: {errs:?}", self.code());
                    }
                }
                Err((res, errs)) => {
                    leptos::logging::warn!("bad .ftl syntax in {}: {errs:?}", self.code());
                    let _ = bundle.add_resource(res);
                }
            }
        }
        bundle
    }
}

/// A module without messages of its own.
pub fn no_messages(_: Lang) -> &'static str {
    ""
}

/// The work module's messages: only it includes them, so the other modules'
/// downloads do not carry them.
pub fn work_messages(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => include_str!("../locales/zh-CN/work.ftl"),
        Lang::ZhTw => include_str!("../locales/zh-TW/work.ftl"),
        Lang::En => include_str!("../locales/en/work.ftl"),
    }
}

/// The customer module's own screens' messages (the list, a new customer, a
/// customer's page); the customer vocabulary every module uses is in
/// `customers.ftl`.
pub fn customer_messages(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => include_str!("../locales/zh-CN/customer-pages.ftl"),
        Lang::ZhTw => include_str!("../locales/zh-TW/customer-pages.ftl"),
        Lang::En => include_str!("../locales/en/customer-pages.ftl"),
    }
}

/// The administration's messages, and the tools' (merging, importing),
/// which share much of their wording; the other modules do not carry them.
pub fn admin_messages(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => include_str!("../locales/zh-CN/admin.ftl"),
        Lang::ZhTw => include_str!("../locales/zh-TW/admin.ftl"),
        Lang::En => include_str!("../locales/en/admin.ftl"),
    }
}

/// The sales module's messages (pipeline, deals, forecast, performance).
pub fn sales_messages(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => include_str!("../locales/zh-CN/sales.ftl"),
        Lang::ZhTw => include_str!("../locales/zh-TW/sales.ftl"),
        Lang::En => include_str!("../locales/en/sales.ftl"),
    }
}

/// The leads module's messages.
pub fn leads_messages(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => include_str!("../locales/zh-CN/leads.ftl"),
        Lang::ZhTw => include_str!("../locales/zh-TW/leads.ftl"),
        Lang::En => include_str!("../locales/en/leads.ftl"),
    }
}

pub(crate) fn set_module_messages(messages: crate::Messages) {
    MODULE_MESSAGES.with(|m| m.set(messages));
}

thread_local! {
    static MODULE_MESSAGES: std::cell::Cell<crate::Messages> = const { std::cell::Cell::new(no_messages as crate::Messages) };
    static BUNDLES: RefCell<[Option<FluentBundle<FluentResource>>; 3]> = const { RefCell::new([None, None, None]) };
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    BUNDLES.with(|cell| {
        let mut bundles = cell.borrow_mut();
        let bundle = bundles[lang.index()].get_or_insert_with(|| lang.bundle());
        let msg = bundle.get_message(key)?;
        let pattern = msg.value()?;
        let mut errors = Vec::new();
        let s = bundle.format_pattern(pattern, args, &mut errors);
        Some(s.into_owned())
    })
}

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

impl I18n {
    pub fn provide() -> Self {
        let i18n = Self(RwSignal::new(Lang::detect()));
        provide_context(i18n);
        // Keep <html lang> and the tab title in step, for screen readers and fonts.
        Effect::new(move |_| {
            let lang = i18n.lang();
            let document = document();
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            document.set_title(&i18n.t("app-name"));
        });
        i18n
    }

    pub fn get() -> Self {
        expect_context()
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// Switches language on this device.
    pub fn choose(self, lang: Lang) {
        if let Ok(Some(storage)) = window().local_storage() {
            // Private browsing may refuse; the choice then lasts for this page only.
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
        self.0.set(lang);
    }

    /// The message `key` in the current language (tracked). A missing message
    /// falls back to English, then to the key itself, so a gap is visible but harmless.
    pub fn t(self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// The message `key` with named arguments, e.g. `("count", 3.into())`.
    pub fn t_args(self, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
        let lang = self.lang();
        let fa = (!args.is_empty()).then(|| {
            let mut fa = FluentArgs::new();
            for (k, v) in args {
                fa.set(*k, v.clone());
            }
            fa
        });
        format(lang, key, fa.as_ref())
            .or_else(|| format(Lang::En, key, fa.as_ref()))
            .unwrap_or_else(|| key.to_owned())
    }

    /// Like [`t`](Self::t), but `None` when no language has the message.
    pub fn try_t(self, key: &str) -> Option<String> {
        format(self.lang(), key, None).or_else(|| format(Lang::En, key, None))
    }
}
