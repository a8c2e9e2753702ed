use kehu_domain::Invalid;
use kehu_domain::text::Email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::TextField;
use crate::components::problem;
use crate::i18n::I18n;
use crate::session::Session;

/// One message for the user: either text from the server, shown as given, or one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Msg {
    Plain(String),
    Required,
    InvalidEmail,
    WrongCredentials,
    Network,
    /// A refusal other than wrong credentials, explained in the reader's language.
    Api(ApiError),
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

    fn text(&self, i18n: I18n) -> String {
        match self {
            Msg::Plain(s) => s.clone(),
            Msg::Required => i18n.t("required"),
            Msg::InvalidEmail => i18n.t("invalid-email"),
            Msg::WrongCredentials => i18n.t("wrong-credentials"),
            Msg::Network => i18n.t("error-network"),
            Msg::Api(err) => problem::summary(i18n, err).join(" "),
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
        for e in err.fields() {
            let msg = Some(Msg::from_rule(&e.code, &e.message));
            match e.field.as_str() {
                "email" if f.email.is_none() => f.email = msg,
                "password" if f.password.is_none() => f.password = msg,
                _ => {}
            }
        }
        match &err {
            ApiError::Problem(p) if p.status == 401 => f.summary.push(Msg::WrongCredentials),
            ApiError::Problem(p) if p.status == 422 => {}
            ApiError::Status(401) => f.summary.push(Msg::WrongCredentials),
            ApiError::Network => f.summary.push(Msg::Network),
            _ => f.summary.push(Msg::Api(err.clone())),
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
            // On success the session switches to the signed-in app and this page is gone.
            if let Err(err) = session.sign_in(e.trim(), &p).await {
                failure.set(Failure::from_api(err));
                pending.set(false);
            }
        });
    };

    let field_error = move |pick: fn(&Failure) -> &Option<Msg>| {
        Signal::derive(move || failure.with(|f| pick(f).as_ref().map(|m| m.text(i18n))))
    };
    let summary = move || {
        failure.with(|f| {
            (!f.summary.is_empty()).then(|| {
                let items = f
                    .summary
                    .iter()
                    .map(|m| view! { <p>{m.text(i18n)}</p> })
                    .collect_view();
                view! {
                    <div class="alert" role="alert" data-testid="form-error">
                        <p class="alert__title">{i18n.t("sign-in-failed")}</p>
                        {items}
                    </div>
                }
            })
        })
    };

    view! {
        <section class="narrow">
            <form
                class="card"
                novalidate
                aria-labelledby="sign-in-title"
                aria-busy=move || pending.get().to_string()
                data-testid="sign-in-form"
                on:submit=on_submit
            >
                <h1 id="sign-in-title">{move || i18n.t("sign-in-title")}</h1>
                <p class="muted">{move || i18n.t("sign-in-intro")}</p>
                {summary}
                <TextField
                    id="email"
                    label=Signal::derive(move || i18n.t("email"))
                    required=true
                    kind="email"
                    autocomplete="username"
                    value=email
                    error=field_error(|f| &f.email)
                />
                <TextField
                    id="password"
                    label=Signal::derive(move || i18n.t("password"))
                    required=true
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
                    {move || if pending.get() { i18n.t("signing-in") } else { i18n.t("sign-in") }}
                </button>
            </form>
        </section>
    }
}
