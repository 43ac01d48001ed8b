//! What every page shares: the page context for the layout, translations,
//! flash messages, extractors, the stylesheet and error rendering.

pub mod bulk;
pub mod catalogue;
pub mod export;
pub mod extract;
pub mod flash;
pub mod history;
pub mod i18n;
pub mod idempotency;
pub mod input;
pub mod lenient;
pub mod openapi;
pub mod pagination;
pub mod patch;
pub mod qr;
pub mod reads;
pub mod respond;
pub mod routes;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::authz::{Caller, Permission, Role};
use crate::error::{ErrorInfo, FieldErrors, Msg};
pub use i18n::Tr;
pub use respond::respond;
pub use routes::Routes;

/// The CSRF token of the request's session (or of the sign-in form), for
/// forms (`csrf_token`) and the session API; put there by the auth middleware.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The layout's context: language, flash message, active navigation
/// entry, the signed-in user and the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    /// The flash message, translated.
    pub flash: Option<String>,
    /// Which navigation entry is current (`programmes`, ...).
    pub nav: &'static str,
    pub user: Option<Caller>,
    /// Goes into every form as the hidden field `csrf_token`.
    pub csrf: String,
}

impl Page {
    fn may(&self, p: Permission) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can(p))
    }

    /// A mother on her own pages (her navigation is hers alone).
    pub fn is_mother(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Mother)
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    pub fn may_create_programmes(&self) -> bool {
        self.may(Permission::CreateProgramme)
    }

    pub fn may_edit_programmes(&self) -> bool {
        self.may(Permission::EditProgramme)
    }

    pub fn may_read_reports(&self) -> bool {
        self.may(Permission::ReadReports)
    }

    pub fn may_read_funding(&self) -> bool {
        self.may(Permission::ReadFunding)
    }

    pub fn may_manage_topics(&self) -> bool {
        self.may(Permission::ManageTopics)
    }

    pub fn may_delete_programmes(&self) -> bool {
        self.may(Permission::DeleteProgramme)
    }

    /// The label of an enumerated value (a string, or an enum declared
    /// with `text_enum!`): the message `<prefix>-<value>`.
    pub fn label(&self, prefix: &str, value: impl AsRef<str>) -> String {
        self.t(&format!("{prefix}-{}", value.as_ref().replace('_', "-")))
    }

    pub fn may_see_personal(&self) -> bool {
        self.may(Permission::SeePersonal)
    }

    /// Families, visits and referrals (not trainers: need to know).
    /// Families' timelines: visits and referrals (not managers).
    pub fn may_read_visits(&self) -> bool {
        self.may(Permission::ReadVisits)
    }

    pub fn may_read_families(&self) -> bool {
        self.may(Permission::ReadFamilies)
    }

    pub fn may_edit_mothers(&self) -> bool {
        self.may(Permission::EditMothers)
    }

    pub fn may_manage_training(&self) -> bool {
        self.may(Permission::ManageTraining)
    }

    pub fn may_manage_curriculum(&self) -> bool {
        self.may(Permission::ManageCurriculum)
    }

    /// The role's name in the page's language.
    pub fn role_name(&self, role: &Role) -> String {
        self.t(&format!("role-{}", role.as_str()))
    }

    /// The message `key` in the page's language (shorthand for templates).
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The separator of a list's items in the reader's language.
    pub fn list_sep(&self) -> &'static str {
        self.tr.list_sep()
    }

    /// A count grouped as the reader groups thousands (`1.560`).
    pub fn number(&self, n: &i64) -> String {
        self.tr.number(*n)
    }

    /// A day in the reader's format (`29.11.2026`, `29 Nov 2026`).
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        self.tr.date(*d)
    }

    /// An interface language's name in itself ("Deutsch", "العربية").
    pub fn native_name(&self, tag: &str) -> &'static str {
        i18n::native_name(tag)
    }

    /// `rtl` or `ltr`: the direction of text in the language `tag`.
    pub fn dir_of(&self, tag: &str) -> &'static str {
        if i18n::is_rtl(tag) { "rtl" } else { "ltr" }
    }

    /// A language's, country's or currency's name (`kind`: `language`,
    /// `country`, `currency`) in the reader's language; the code itself
    /// where there is no name for it. A currency is named with its code
    /// ("Danish krone (DKK)").
    pub fn code_name(&self, kind: &str, code: &str) -> String {
        let kind = catalogue::Kind::parse(kind);
        let code = code.trim();
        match (self.try_t(&kind.key(code)), kind) {
            (Some(name), catalogue::Kind::Currency) => {
                format!("{name} ({})", code.to_ascii_uppercase())
            }
            (Some(name), _) => name,
            (None, _) => code.to_owned(),
        }
    }

    /// Several languages' names, as a list in words.
    pub fn language_names(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.code_name("language", c))
            .collect::<Vec<_>>()
            .join(self.list_sep())
    }

    /// A list's choices as (code, name), by name; codes in `current` that
    /// the list lacks (stored before) come too, so nothing is lost.
    pub fn choices(&self, kind: &str, current: &[String]) -> Vec<(String, String)> {
        let k = catalogue::Kind::parse(kind);
        let upper = matches!(k, catalogue::Kind::Currency);
        let mut codes: Vec<String> = k.codes().iter().map(|c| (*c).to_owned()).collect();
        for c in current {
            let c = if upper {
                c.trim().to_ascii_uppercase()
            } else {
                c.trim().to_ascii_lowercase()
            };
            if !c.is_empty() && !codes.contains(&c) {
                codes.push(c);
            }
        }
        let mut out: Vec<(String, String)> = codes
            .into_iter()
            .map(|c| {
                let name = self.code_name(kind, &c);
                (c, name)
            })
            .collect();
        out.sort_by_key(|(_, name)| name.to_lowercase());
        out
    }

    /// The languages to tick: those ticked first, then the rest by name.
    pub fn language_choices(&self, chosen: &[String]) -> Vec<(String, String)> {
        let mut all = self.choices("language", chosen);
        all.sort_by_key(|(code, _)| !chosen.contains(code));
        all
    }

    /// Whether `code` is `value` (codes compare without case).
    pub fn is_code(&self, code: &str, value: &str) -> bool {
        code.eq_ignore_ascii_case(value.trim())
    }

    /// A form's errors for the summary at its top: the field's id (the
    /// link's target), its name in words, and the message.
    pub fn error_summary(&self, errors: &FormErrors) -> Vec<(String, String, String)> {
        errors
            .0
            .iter()
            .map(|(f, m)| ((*f).to_owned(), history::field_name(self, f), self.msg(m)))
            .collect()
    }

    /// The message `key`, if there is one.
    pub fn try_t(&self, key: &str) -> Option<String> {
        self.tr.try_t(key)
    }

    /// A message with its arguments (validation messages).
    pub fn msg(&self, msg: &Msg) -> String {
        self.tr.msg(msg)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.tr.t1(key, name, value)
    }

    pub fn with_nav(mut self, nav: &'static str) -> Self {
        self.nav = nav;
        self
    }

    /// A page inside one programme: its default language where the user
    /// chose none, and its own words for its workers.
    pub fn for_programme(mut self, default_language: &str, words: i18n::WorkerWords) -> Self {
        self.tr = self.tr.for_programme(default_language, words);
        self
    }

    /// A page with a programme's words for its workers.
    pub fn with_words(mut self, words: i18n::WorkerWords) -> Self {
        self.tr = self.tr.with_words(words);
        self
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = parts.extensions.get::<Caller>().cloned();
        let mut tr = i18n::for_user(parts, user.as_ref().and_then(|u| u.language.as_deref()));
        // Staff of one programme read its words for its workers everywhere.
        if let Some(words) = parts.extensions.get::<i18n::WorkerWords>() {
            tr = tr.with_words(words.clone());
        }
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let flash = parts
            .extensions
            .get::<flash::Flash>()
            .and_then(|f| tr.try_t1(&f.key, "name", &f.arg));
        Ok(Page {
            tr,
            flash,
            nav: "",
            user,
            csrf,
        })
    }
}

/// Validation messages of a form, translated where they are shown.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub FieldErrors);

impl FormErrors {
    /// The message for `field`, if any (show it with `page.msg(e)`).
    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// 200 for a form shown fresh, 422 for one shown again with errors.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}

/// The values of the cookie `name` in a request's `Cookie` headers, in order.
pub fn cookie_values<'h>(
    headers: &'h axum::http::HeaderMap,
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(move |c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// Runs CPU-heavy work (charts, spreadsheets, large exports) on tokio's
/// blocking threads, so that the async workers keep answering other
/// requests, health checks and signals meanwhile.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> crate::error::AppResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        crate::error::AppError::Internal(anyhow::anyhow!("background work failed: {e}"))
    })
}

/// Renders an askama template as a response with `status`.
pub fn render(status: StatusCode, tpl: &impl Template) -> Response {
    match tpl.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => crate::error::AppError::Internal(e.into()).into_response(),
    }
}

/// The stylesheet, compiled into the binary so it runs from any directory.
pub async fn stylesheet() -> Response {
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
    request_id: String,
}

/// The request's id (set by the server's request-id layer), for an error
/// answer a handler builds itself.
pub fn request_id(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// A 201 with the record and its `Location`.
pub fn created<T: serde::Serialize>(location: String, record: T) -> Response {
    let mut res = (StatusCode::CREATED, extract::Json(record)).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&location) {
        res.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    res
}

/// Turns responses marked with an [`ErrorInfo`] into the client's format:
/// JSON under `/api/`, an HTML page elsewhere, in the request's language.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let (parts, body) = req.into_parts();
    let tr = i18n::from_parts(&parts);
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let res = next.run(Request::from_parts(parts, body)).await;
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        // axum's own answer to a known path with another method
        None if res.status() == StatusCode::METHOD_NOT_ALLOWED => ErrorInfo {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "method_not_allowed",
            message_key: "error-method-not-allowed",
            detail: None,
            fields: FieldErrors::new(),
        },
        None => return res,
    };
    let mut message = tr.t(info.message_key);
    if let Some(detail) = &info.detail {
        message = format!("{message} {detail}");
    }
    let mut out = if is_api {
        let fields: BTreeMap<&str, String> =
            info.fields.iter().map(|(f, m)| (*f, tr.msg(m))).collect();
        let mut error = json!({"code": info.code, "message": message, "request_id": request_id});
        if !fields.is_empty() {
            error["fields"] = json!(fields);
            let details: Vec<_> = info
                .fields
                .iter()
                .map(|(f, m)| m.detail(f, tr.msg(m)))
                .collect();
            error["field_errors"] = json!(details);
        }
        (info.status, axum::Json(json!({ "error": error }))).into_response()
    } else {
        let page = ErrorPage {
            page: Page {
                tr,
                flash: None,
                nav: "",
                user: None,
                csrf: String::new(),
            },
            status: info.status.as_u16(),
            message,
            request_id,
        };
        render(info.status, &page)
    };
    // Keep headers the handler set deliberately (e.g. Allow on a 405).
    for (name, value) in res.headers() {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().insert(name, value.clone());
        }
    }
    out
}
