use kehu_domain::Invalid;
use kehu_domain::text::Email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::TextField;
use crate::session::Session;
use crate::translations::{I18n, Texts};

/// One message for the user: either text from the server, shown as given, or one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Msg {
    Plain(String),
    Required,
    InvalidEmail,
    WrongCredentials,
    Network,
    Unexpected(Option<u16>),
    RetryAfter(u32),
}

impl Msg {
    /// A field error from the shared domain rules, translated when we know its code.
    fn from_rule(code: &str, message: &str) -> Self {
        match code {
            "required" => Msg::Required,
            "invalid_email" => Msg::InvalidEmail,
            _ => Msg::Plain(message.to_owned()),
        }
    }

    fn text(&self, t: &Texts) -> String {
        match self {
            Msg::Plain(s) => s.clone(),
            Msg::Required => t.required.to_owned(),
            Msg::InvalidEmail => t.invalid_email.to_owned(),
            Msg::WrongCredentials => t.wrong_credentials.to_owned(),
            Msg::Network => t.network_error.to_owned(),
            Msg::Unexpected(None) => t.unexpected.to_owned(),
            Msg::Unexpected(Some(status)) => format!("{} (HTTP {status})", t.unexpected),
            Msg::RetryAfter(secs) => (t.retry_after)(*secs),
        }
    }
}

/// Why the last attempt failed: messages for the whole form and for each field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Failure {
    summary: Vec<Msg>,
    email: Option<Msg>,
    password: Option<Msg>,
}

impl Failure {
    fn is_empty(&self) -> bool {
        self.summary.is_empty() && self.email.is_none() && self.password.is_none()
    }

    /// Checks the form before sending it, with the same e-mail rule as the server.
    fn check(email: &str, password: &str) -> Self {
        let mut f = Failure::default();
        if let Err(Invalid(errors)) = Email::parse("email", email) {
            f.email = errors.first().map(|e| Msg::from_rule(e.code, &e.message));
        }
        if password.is_empty() {
            f.password = Some(Msg::Required);
        }
        f
    }

    fn from_api(err: ApiError) -> Self {
        let mut f = Failure::default();
        match err {
            ApiError::Problem(p) => {
                let headline = p.detail.or(p.title).filter(|s| !s.trim().is_empty());
                f.summary.push(match headline {
                    Some(text) => Msg::Plain(text),
                    None if p.status == 401 => Msg::WrongCredentials,
                    None => Msg::Unexpected(Some(p.status)),
                });
                if let Some(secs) = p.retry_after {
                    f.summary.push(Msg::RetryAfter(secs));
                }
                for e in p.errors {
                    match e.field.as_str() {
                        "email" if f.email.is_none() => f.email = Some(Msg::Plain(e.message)),
                        "password" if f.password.is_none() => {
                            f.password = Some(Msg::Plain(e.message))
                        }
                        _ => f
                            .summary
                            .push(Msg::Plain(format!("{}: {}", e.field, e.message))),
                    }
                }
            }
            ApiError::Status(401) => f.summary.push(Msg::WrongCredentials),
            ApiError::Status(status) => f.summary.push(Msg::Unexpected(Some(status))),
            ApiError::Network => f.summary.push(Msg::Network),
            ApiError::Decode => f.summary.push(Msg::Unexpected(None)),
        }
        f
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(Failure::default());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        let problems = Failure::check(&e, &p);
        let invalid = !problems.is_empty();
        failure.set(problems);
        if invalid {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            // On success the session switches to the home page and this page is gone.
            if let Err(err) = session.sign_in(e.trim(), &p).await {
                failure.set(Failure::from_api(err));
                pending.set(false);
            }
        });
    };

    let field_error = move |pick: fn(&Failure) -> &Option<Msg>| {
        Signal::derive(move || {
            let t = i18n.t();
            failure.with(|f| pick(f).as_ref().map(|m| m.text(t)))
        })
    };
    let summary = move || {
        let t = i18n.t();
        failure.with(|f| {
            (!f.summary.is_empty()).then(|| {
                let items = f
                    .summary
                    .iter()
                    .map(|m| view! { <p>{m.text(t)}</p> })
                    .collect_view();
                view! {
                    <div class="alert" role="alert" data-testid="form-error">
                        <p class="alert__title">{t.sign_in_failed}</p>
                        {items}
                    </div>
                }
            })
        })
    };

    view! {
        <main class="page page--narrow" id="main">
            <form
                class="card"
                novalidate
                aria-labelledby="sign-in-title"
                aria-busy=move || pending.get().to_string()
                data-testid="sign-in-form"
                on:submit=on_submit
            >
                <h1 id="sign-in-title">{move || i18n.t().sign_in_title}</h1>
                {summary}
                <TextField
                    id="email"
                    label=move || i18n.t().email
                    kind="email"
                    autocomplete="username"
                    value=email
                    error=field_error(|f| &f.email)
                />
                <TextField
                    id="password"
                    label=move || i18n.t().password
                    kind="password"
                    autocomplete="current-password"
                    value=password
                    error=field_error(|f| &f.password)
                />
                <button
                    type="submit"
                    class="button button--primary"
                    data-testid="sign-in-submit"
                    aria-disabled=move || pending.get().then_some("true")
                >
                    {move || {
                        let t = i18n.t();
                        if pending.get() { t.signing_in } else { t.sign_in }
                    }}
                </button>
            </form>
        </main>
    }
}
