//! The conversation form (`/my/contact`): after a contact, the mother
//! records on her phone who it was with (one of her families, or an
//! anonymous woman), when, how long, what kind, what was talked about,
//! where she referred them and what happens next. Taps, not typing: every
//! common answer is a choice; only the next step is text, and optional.
//! Saved through the same use case as every visit (`visits::ops`), which
//! keeps her to her own contacts and marks them for her coordinator's
//! review.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::home::her;
use crate::authz::Access;
use crate::error::{AppResult, FieldErrors};
use crate::families::model::Family;
use crate::mothers::model::Mother;
use crate::state::AppState;
use crate::visits::html::topic_label;
use crate::visits::input::VisitInput;
use crate::visits::model::{ListKind, Topic, VisitKind};
use crate::visits::ops;
use crate::web::extract::Form;
use crate::web::{FormErrors, Page, flash, render, respond};

/// The minutes to tap (the common lengths of a contact).
const MINUTES: [u16; 6] = [15, 30, 45, 60, 90, 120];

/// What the form sends: every field a string, kept as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContactForm {
    /// `anonymous`, or one of her families' ids.
    pub who: String,
    pub visited_on: String,
    pub duration_minutes: String,
    pub kind: String,
    pub topic_ids: Vec<String>,
    pub referrals: Vec<String>,
    pub next_step: String,
    /// How the contact arose: one of the programme's own list.
    pub contact_origin: String,
    pub confirm_duplicate: Option<String>,
}

impl ContactForm {
    /// The visit it records, for her.
    fn visit(&self, mother: &Mother) -> VisitInput {
        let who = self.who.trim();
        let anonymous = who == "anonymous";
        VisitInput {
            // Nothing chosen: the form asks for a family or an anonymous contact.
            ask_family: who.is_empty().then(|| "true".to_owned()),
            contact_origin: Some(self.contact_origin.clone()),
            mother_id: mother.id.to_string(),
            family_id: (!anonymous && !who.is_empty()).then(|| who.to_owned()),
            anonymous: anonymous.then(|| "true".to_owned()),
            visited_on: self.visited_on.clone(),
            duration_minutes: self.duration_minutes.clone(),
            kind: self.kind.clone(),
            topic_ids: self.topic_ids.clone(),
            referrals: self.referrals.clone(),
            next_step: Some(self.next_step.clone()),
            confirm_duplicate: self.confirm_duplicate.clone(),
            ..VisitInput::default()
        }
    }

    fn has_topic(&self, id: &str) -> bool {
        self.topic_ids.iter().any(|t| t == id)
    }

    fn has_referral(&self, s: &str) -> bool {
        self.referrals.iter().any(|r| r == s)
    }
}

#[derive(Template)]
#[template(path = "my/contact.html")]
struct ContactPage {
    page: Page,
    input: ContactForm,
    errors: FormErrors,
    families: Vec<Family>,
    topics: Vec<Topic>,
    kinds: [VisitKind; 4],
    /// The programme's list of how contacts arise (empty: not asked).
    origins: Vec<String>,
    services: Vec<Topic>,
    minutes: [u16; 6],
}

impl ContactPage {
    fn topic(&self, t: &Topic) -> String {
        topic_label(&self.page, &self.topics, t.id)
    }

    fn service(&self, t: &Topic) -> String {
        crate::visits::html::entry_label(&self.page, t)
    }

    fn is(&self, value: &str, chosen: &str) -> bool {
        value == chosen
    }
}

async fn show(
    state: &AppState,
    access: &Access,
    page: Page,
    input: ContactForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let id = her(access)?;
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    let families = Family::caseload(&mut conn, &access.scope, id.0, true, true).await?;
    let origins =
        crate::programmes::model::Programme::contact_origins(&mut conn, mother.programme_id)
            .await?;
    let topics = Topic::for_programme(&mut conn, mother.programme_id)
        .await?
        .into_iter()
        .filter(|t| t.retired_at.is_none())
        .collect();
    let services = Topic::of_list(&mut conn, ListKind::Service, mother.programme_id)
        .await?
        .into_iter()
        .filter(Topic::is_usable)
        .collect();
    Ok(render(
        errors.status(),
        &ContactPage {
            page: page.with_nav("my-contact"),
            input,
            errors,
            families,
            topics,
            kinds: VisitKind::ALL,
            origins,
            services,
            minutes: MINUTES,
        },
    ))
}

/// The empty form: today, an hour, a home visit; an anonymous contact
/// where the programme starts with one, else nobody chosen yet.
pub async fn form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let id = her(&access)?;
    let anonymous = {
        let mut conn = state.db().await?;
        let mother = Mother::find(&mut conn, &access.scope, id).await?;
        crate::programmes::model::Programme::find(&mut conn, &access.scope, mother.programme_id)
            .await?
            .anonymous_by_default
    };
    let input = ContactForm {
        who: if anonymous { "anonymous" } else { "" }.to_owned(),
        visited_on: state.clock().today().to_string(),
        duration_minutes: "60".to_owned(),
        kind: VisitKind::HomeVisit.as_str().to_owned(),
        ..ContactForm::default()
    };
    show(&state, &access, page, input, FormErrors::default()).await
}

/// Records her contact (the form's and the offline app's use case), with
/// field errors under the form's names.
pub async fn save_contact(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    input: &ContactForm,
    today: chrono::NaiveDate,
) -> AppResult<crate::visits::model::Visit> {
    let id = her(access)?;
    let mother = Mother::find(conn, &access.scope, id).await?;
    let result = ops::visit::create(conn, access, &input.visit(&mother), today).await;
    result.map_err(|e| match e {
        // A field of the visit that the form shows under another name.
        crate::error::AppError::Validation(fields) => {
            let mut out = FieldErrors::new();
            for (field, msg) in fields.iter() {
                let field = match *field {
                    "family_id" | "family_code" | "anonymous" | "mother_id" => "who",
                    other => other,
                };
                out.insert(field, msg.clone());
            }
            crate::error::AppError::Validation(out)
        }
        other => other,
    })
}

pub async fn save(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<ContactForm>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = save_contact(&mut conn, &access, &input, state.clock().today()).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect("/my", "flash-contact-saved", ""),
        async |errors| show(&state, &access, page, input, errors).await,
    )
    .await
}
