//! Every string the UI shows, in each language it speaks.
//!
//! Deliberately a plain table: a later issue replaces it with a proper i18n
//! crate, and keeping all strings here makes that a mechanical change.

use leptos::prelude::*;

/// Where the chosen language is remembered across visits.
const STORAGE_KEY: &str = "kehu.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The remembered choice, else Chinese when the browser prefers it, else English.
    pub fn detect() -> Self {
        let window = window();
        let remembered = window
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|code| Self::from_code(&code));
        remembered.unwrap_or_else(|| {
            let preferred = window.navigator().language().unwrap_or_default();
            if preferred.to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            }
        })
    }

    pub fn remember(self) {
        if let Ok(Some(storage)) = window().local_storage() {
            // Private browsing may refuse; the choice then lasts for this page only.
            let _ = storage.set_item(STORAGE_KEY, self.code());
        }
    }

    /// BCP 47 tag, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Short stable id, for test ids.
    pub fn id(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the switch whatever the current language is.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "简体中文",
            Lang::En => "English",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
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
            document.set_title(lang.texts().app_name);
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

    /// The strings of the current language (tracked).
    pub fn t(self) -> &'static Texts {
        self.lang().texts()
    }

    pub fn choose(self, lang: Lang) {
        lang.remember();
        self.0.set(lang);
    }
}

pub struct Texts {
    pub app_name: &'static str,
    pub language: &'static str,
    pub loading: &'static str,
    pub sign_in_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub sign_in_failed: &'static str,
    pub wrong_credentials: &'static str,
    pub network_error: &'static str,
    pub required: &'static str,
    pub invalid_email: &'static str,
    pub unexpected: &'static str,
    pub retry_after: fn(u32) -> String,
    pub home_title: &'static str,
    pub signed_in_as: &'static str,
    pub roles: &'static str,
    pub no_roles: &'static str,
    pub sign_out: &'static str,
}

pub static ZH: Texts = Texts {
    app_name: "客户 Kehu",
    language: "语言",
    loading: "正在加载…",
    sign_in_title: "登录",
    email: "电子邮箱",
    password: "密码",
    sign_in: "登录",
    signing_in: "正在登录…",
    sign_in_failed: "登录失败",
    wrong_credentials: "邮箱或密码不正确。",
    network_error: "无法连接服务器，请检查网络后重试。",
    required: "此项为必填项。",
    invalid_email: "请输入有效的电子邮箱地址，例如 name@example.com。",
    unexpected: "服务器返回了意外的应答，请稍后重试。",
    retry_after: |secs| format!("请在 {secs} 秒后重试。"),
    home_title: "首页",
    signed_in_as: "当前登录：",
    roles: "角色",
    no_roles: "无",
    sign_out: "退出登录",
};

pub static EN: Texts = Texts {
    app_name: "Kehu CRM",
    language: "Language",
    loading: "Loading…",
    sign_in_title: "Sign in",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    sign_in_failed: "Sign-in failed",
    wrong_credentials: "Wrong email or password.",
    network_error: "Cannot reach the server. Check your connection and try again.",
    required: "This field is required.",
    invalid_email: "Enter an email address like name@example.com.",
    unexpected: "The server gave an unexpected answer. Please try again later.",
    retry_after: |secs| format!("Try again in {secs} seconds."),
    home_title: "Home",
    signed_in_as: "Signed in as ",
    roles: "Roles",
    no_roles: "none",
    sign_out: "Sign out",
};
