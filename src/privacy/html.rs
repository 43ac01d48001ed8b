//! Pages of privacy: the access log (all, or one record's), the printable
//! exports, a family's and a mother's privacy page (consent, withdrawal,
//! erasure) and the retention list. Thin, over `erase`, `export`,
//! `retention` and `access`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::access::{AccessEntry, AccessQuery, PER_PAGE};
use super::erase::{self, ConsentScope, EraseInput, ErasureReason, WithdrawInput};
use super::export::{self, FamilyExport, MotherExport};
use super::retention::{self, Due};
use crate::audit::access::{Channel, FAMILY_FIELDS_NOTES, MOTHER_FIELDS};
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::families::model::Family;
use crate::ids::{FamilyId, MotherId, TopicId};
use crate::mothers::model::Mother;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::visits::model::Topic;
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, pagination, render, respond};

/// A read, as the page shows it.
pub struct Line {
    pub at: String,
    pub when: String,
    pub who: String,
    pub subject: String,
    pub href: String,
    pub fields: String,
    pub channel: String,
}

fn lines(
    page: &Page,
    entries: &[AccessEntry],
    labels: &std::collections::HashMap<(String, i64), String>,
) -> Vec<Line> {
    entries
        .iter()
        .map(|e| Line {
            at: e.occurred_at.to_rfc3339(),
            when: page
                .tr
                .date_time(e.occurred_at.with_timezone(&chrono::Local).naive_local()),
            who: e
                .user_name
                .clone()
                .unwrap_or_else(|| page.t("history-system")),
            subject: format!(
                "{} {}",
                page.t(&format!("entity-{}", e.subject)),
                labels
                    .get(&(e.subject.clone(), e.subject_id))
                    .cloned()
                    .unwrap_or_else(|| e.subject_id.to_string())
            ),
            href: format!(
                "/{}/{}",
                if e.subject == "family" {
                    "families"
                } else {
                    "mothers"
                },
                e.subject_id
            ),
            fields: e
                .fields
                .iter()
                .map(|f| page.t(&format!("access-field-{}", f.replace('_', "-"))))
                .collect::<Vec<_>>()
                .join(page.list_sep()),
            channel: page.t(&format!("access-channel-{}", e.channel)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "privacy/access_log.html")]
struct AccessLogPage {
    page: Page,
    /// The record's name when the page is about one record.
    record: Option<(String, String)>,
    query: AccessQuery,
    lines: Vec<Line>,
    total: i64,
    page_no: i64,
    per_page: i64,
    base: String,
    error: Option<String>,
}

impl AccessLogPage {
    fn pages(&self) -> i64 {
        pagination::pages(self.total, self.per_page)
    }

    fn page_link(&self, n: i64) -> String {
        let q = AccessQuery {
            page: Some(n.to_string()),
            ..self.query.clone()
        };
        format!(
            "{}?{}",
            self.base,
            serde_html_form::to_string(&q).unwrap_or_default()
        )
    }

    fn value(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn log_page(
    state: &AppState,
    access: &Access,
    page: Page,
    query: AccessQuery,
    record: Option<(&'static str, i64, String, String)>,
) -> AppResult<Response> {
    let (filter, error) = pagination::read_filter(&page, query.filter())?;
    let base = match &record {
        Some((_, _, _, href)) => format!("{href}/access-log"),
        None => "/access-log".to_owned(),
    };
    let (lines_, total, page_no, per_page) = match filter {
        Some(mut f) => {
            if let Some((s, id, _, _)) = &record {
                f.subject = Some(s);
                f.subject_id = Some(*id);
            }
            state.access_log().flush().await;
            let mut conn = state.db().await?;
            let (items, total) = AccessEntry::page(&mut conn, &access.scope, &f).await?;
            let labels = AccessEntry::labels(&mut conn, &items).await?;
            (lines(&page, &items, &labels), total, f.page, f.per_page)
        }
        None => (Vec::new(), 0, 1, PER_PAGE),
    };
    Ok(render(
        pagination::status(&error),
        &AccessLogPage {
            page: page.with_nav("admin"),
            record: record.map(|(_, _, name, href)| (name, href)),
            query,
            lines: lines_,
            total,
            page_no,
            per_page,
            base,
            error,
        },
    ))
}

pub async fn access_log(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<AccessQuery>,
) -> AppResult<Response> {
    log_page(&state, &access, page, query, None).await
}

pub async fn family_access_log(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
    Query(query): Query<AccessQuery>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let f = Family::find(&mut conn, &access.scope, id, false).await?;
    drop(conn);
    let record = ("family", id.0, f.reference_code, format!("/families/{id}"));
    log_page(&state, &access, page, query, Some(record)).await
}

pub async fn mother_access_log(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
    Query(query): Query<AccessQuery>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let m = Mother::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    let record = ("mother", id.0, m.full_name, format!("/mothers/{id}"));
    log_page(&state, &access, page, query, Some(record)).await
}

#[derive(Template)]
#[template(path = "privacy/family_export.html")]
struct FamilyExportPage {
    page: Page,
    e: FamilyExport,
    log: Vec<Line>,
    topics: Vec<Topic>,
    /// The services of its programme(s), to name referrals.
    services: Vec<Topic>,
}

impl FamilyExportPage {
    fn text<'a>(&self, t: &'a crate::outcomes::model::Texts) -> &'a str {
        crate::outcomes::model::text_in(t, &self.page.tr.lang())
    }

    fn topic(&self, id: &TopicId) -> String {
        crate::visits::html::topic_label(&self.page, &self.topics, *id)
    }

    fn service(&self, code: &str) -> String {
        crate::visits::html::service_label(&self.page, &self.services, code)
    }

    /// The scopes consented to, or "–".
    fn consents(&self) -> String {
        let f = &self.e.family;
        given(
            &self.page,
            &[
                (f.consent_contact, "consent-contact"),
                (f.consent_visits, "consent-visits"),
                (f.consent_referrals, "consent-referrals"),
            ],
        )
    }
}

/// The consents given, in words, or "–".
fn given(page: &Page, consents: &[(bool, &str)]) -> String {
    let names: Vec<String> = consents
        .iter()
        .filter(|(yes, _)| *yes)
        .map(|(_, key)| page.t(key))
        .collect();
    if names.is_empty() {
        "–".to_owned()
    } else {
        names.join(page.list_sep())
    }
}

pub async fn family_export(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
) -> AppResult<Response> {
    state.access_log().flush().await;
    let mut conn = state.db().await?;
    let e = export::family(&mut conn, &access, id).await?;
    crate::families::log_reads(
        &state,
        &access,
        [&e.family],
        FAMILY_FIELDS_NOTES,
        Channel::Export,
    );
    let log = lines(&page, &e.access_log, &Default::default());
    let topics = Topic::for_programme(&mut conn, e.family.programme_id).await?;
    let services = Topic::of_list(
        &mut conn,
        crate::visits::model::ListKind::Service,
        e.family.programme_id,
    )
    .await?;
    Ok(render(
        StatusCode::OK,
        &FamilyExportPage {
            page: page.with_nav("families"),
            e,
            log,
            topics,
            services,
        },
    ))
}

#[derive(Template)]
#[template(path = "privacy/mother_export.html")]
struct MotherExportPage {
    page: Page,
    e: MotherExport,
    log: Vec<Line>,
}

impl MotherExportPage {
    fn text<'a>(&self, t: &'a crate::outcomes::model::Texts) -> &'a str {
        crate::outcomes::model::text_in(t, &self.page.tr.lang())
    }

    fn consents(&self) -> String {
        let m = &self.e.mother;
        given(
            &self.page,
            &[
                (m.consent_phone_contact, "field-consent-phone-contact"),
                (m.consent_photos, "field-consent-photos"),
            ],
        )
    }

    fn training_hours(&self) -> String {
        crate::training::model::hours(self.e.training_minutes)
    }

    fn money(&self, minor: &i64, currency: &str) -> String {
        crate::funding::html::amount(&self.page, *minor, currency)
    }
}

pub async fn mother_export(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
) -> AppResult<Response> {
    state.access_log().flush().await;
    let mut conn = state.db().await?;
    let e = export::mother(&mut conn, &access, id).await?;
    crate::mothers::log_reads(&state, &access, [&e.mother], MOTHER_FIELDS, Channel::Export);
    let page =
        crate::programmes::html::within(&mut conn, &access, page, e.mother.programme_id).await?;
    let log = lines(&page, &e.access_log, &Default::default());
    Ok(render(
        StatusCode::OK,
        &MotherExportPage {
            page: page.with_nav("mothers"),
            e,
            log,
        },
    ))
}

#[derive(Template)]
#[template(path = "privacy/family.html")]
struct FamilyPrivacyPage {
    page: Page,
    family: Family,
    erase: EraseInput,
    withdraw: WithdrawInput,
    errors: FormErrors,
    reasons: [ErasureReason; 3],
    scopes: [ConsentScope; 3],
}

impl FamilyPrivacyPage {
    fn withdrawing(&self, s: &ConsentScope) -> bool {
        self.withdraw.scopes.iter().any(|x| x == s.as_str())
    }

    fn consented(&self, s: &ConsentScope) -> bool {
        match s {
            ConsentScope::Contact => self.family.consent_contact,
            ConsentScope::Visits => self.family.consent_visits,
            ConsentScope::Referrals => self.family.consent_referrals,
        }
    }

    fn reason_chosen(&self, r: &ErasureReason) -> bool {
        self.erase.reason.as_deref() == Some(r.as_str())
    }

    fn erase_action(&self) -> String {
        format!("/families/{}/erase", self.family.id)
    }

    fn erase_hint(&self) -> &'static str {
        "privacy-erase-family-hint"
    }
}

const REASONS: [ErasureReason; 3] = [
    ErasureReason::Request,
    ErasureReason::ConsentWithdrawn,
    ErasureReason::NoLongerNeeded,
];

async fn family_privacy_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: FamilyId,
    erase: EraseInput,
    withdraw: WithdrawInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, false).await?;
    let withdraw = WithdrawInput {
        withdrawn_on: if withdraw.withdrawn_on.is_empty() {
            state.clock().today().to_string()
        } else {
            withdraw.withdrawn_on
        },
        ..withdraw
    };
    Ok(render(
        errors.status(),
        &FamilyPrivacyPage {
            page: page.with_nav("families"),
            family,
            erase,
            withdraw,
            errors,
            reasons: REASONS,
            scopes: [
                ConsentScope::Contact,
                ConsentScope::Visits,
                ConsentScope::Referrals,
            ],
        },
    ))
}

pub async fn family_privacy(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
) -> AppResult<Response> {
    family_privacy_page(
        &state,
        &access,
        page,
        id,
        EraseInput::default(),
        WithdrawInput::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn erase_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
    Form(input): Form<EraseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = erase::erase_family(&mut conn, &access, id, &input).await;
    drop(conn);
    if let Err(AppError::Conflict(_)) = result {
        return Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-already-erased",
            "",
        ));
    }
    respond(
        result,
        |f| {
            flash::redirect(
                &format!("/families/{id}"),
                "flash-family-erased",
                &f.reference_code,
            )
        },
        async |errors| {
            family_privacy_page(
                &state,
                &access,
                page,
                id,
                input,
                WithdrawInput::default(),
                errors,
            )
            .await
        },
    )
    .await
}

/// The withdrawal form: the ticked scopes arrive as repeated `scopes`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    scopes: Vec<String>,
    withdrawn_on: String,
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
    Form(form): Form<WithdrawForm>,
) -> AppResult<Response> {
    let input = WithdrawInput {
        scopes: form.scopes,
        withdrawn_on: form.withdrawn_on,
    };
    let mut conn = state.db().await?;
    let result = erase::withdraw_consent(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |f| {
            flash::redirect(
                &format!("/families/{id}"),
                "flash-consent-withdrawn",
                &f.reference_code,
            )
        },
        async |errors| {
            family_privacy_page(
                &state,
                &access,
                page,
                id,
                EraseInput::default(),
                input,
                errors,
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "privacy/mother.html")]
struct MotherPrivacyPage {
    page: Page,
    mother: Mother,
    erase: EraseInput,
    errors: FormErrors,
    reasons: [ErasureReason; 3],
}

impl MotherPrivacyPage {
    fn reason_chosen(&self, r: &ErasureReason) -> bool {
        self.erase.reason.as_deref() == Some(r.as_str())
    }

    fn erase_action(&self) -> String {
        format!("/mothers/{}/erase", self.mother.id)
    }

    fn erase_hint(&self) -> &'static str {
        "privacy-erase-mother-hint"
    }
}

async fn mother_privacy_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: MotherId,
    erase: EraseInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    let page =
        crate::programmes::html::within(&mut conn, access, page, mother.programme_id).await?;
    Ok(render(
        errors.status(),
        &MotherPrivacyPage {
            page: page.with_nav("mothers"),
            mother,
            erase,
            errors,
            reasons: REASONS,
        },
    ))
}

pub async fn mother_privacy(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
) -> AppResult<Response> {
    mother_privacy_page(
        &state,
        &access,
        page,
        id,
        EraseInput::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn erase_mother(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
    Form(input): Form<EraseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = erase::erase_mother(&mut conn, &access, id, &input).await;
    drop(conn);
    if let Err(AppError::Conflict(_)) = result {
        return Ok(flash::redirect(
            &format!("/mothers/{id}"),
            "flash-already-erased",
            "",
        ));
    }
    respond(
        result,
        |m| {
            flash::redirect(
                &format!("/mothers/{id}"),
                "flash-mother-erased",
                &m.full_name,
            )
        },
        async |errors| mother_privacy_page(&state, &access, page, id, input, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "privacy/retention.html")]
struct RetentionPage {
    page: Page,
    today: chrono::NaiveDate,
    due: Vec<Due>,
    programmes: Vec<Programme>,
}

impl RetentionPage {
    fn is_due(&self, d: &Due) -> bool {
        d.due_on <= self.today
    }

    fn href(&self, d: &Due) -> String {
        match d.subject.as_str() {
            "family" => format!("/families/{}", d.id),
            _ => format!("/mothers/{}", d.id),
        }
    }
}

pub async fn retention(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let today = state.clock().today();
    let mut conn = state.db().await?;
    let due = retention::due(&mut conn, &access.scope, today + chrono::Days::new(30)).await?;
    let programmes = Programme::list(&mut conn, &access.scope, false).await?;
    Ok(render(
        StatusCode::OK,
        &RetentionPage {
            page: page.with_nav("admin"),
            today,
            due,
            programmes,
        },
    ))
}
