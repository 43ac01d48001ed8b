//! Input for visits, topics and referrals, as typed into a form or sent as
//! JSON.

use super::model::{
    REFERRALS_PER_PAGE, ReferralFilter, ReferralStatus, VISITS_PER_PAGE, VisitFilter,
};
use crate::error::AppError;
use crate::web::input::{param, param_date};
use crate::web::pagination;
use utoipa::IntoParams;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Service, VisitData, VisitKind};
use crate::error::FieldErrors;
use crate::ids::{FamilyId, MotherId, TopicId};
use crate::web::input::{date, long_text, opt};

/// A visit as typed. Topics and referrals are lists (checkboxes in the form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct VisitInput {
    #[schema(required = true, value_type = i64, format = Int64)]
    pub mother_id: String,
    /// The family visited. Left out (or `null`) for an anonymous or group
    /// contact, unless `anonymous` is sent as `"false"`.
    #[schema(value_type = Option<i64>, format = Int64)]
    pub family_id: Option<String>,
    /// `"true"`: an anonymous or group contact, no family (an error with a
    /// family). `"false"`: a family must be given. The form asks for it
    /// explicitly: no family and no tick is an error, not a silent
    /// anonymous contact.
    pub anonymous: Option<String>,
    /// Instead of `family_id`: the family's reference code (e.g. `BK-0042`),
    /// looked up in the mother's programme; it wins over `family_id`.
    pub family_code: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(format = Date, required = true)]
    pub visited_on: String,
    #[schema(required = true, value_type = i32, minimum = 1, maximum = 1440)]
    pub duration_minutes: String,
    /// `home_visit`, `phone`, `accompaniment` or `group_meeting`.
    #[schema(required = true, value_type = crate::visits::model::VisitKind)]
    pub kind: String,
    /// `"true"`/`"on"` when an interpreter was used.
    pub interpreter_used: Option<String>,
    /// At least one topic id.
    #[schema(required = true, value_type = Vec<i64>, min_items = 1)]
    pub topic_ids: Vec<String>,
    /// Services referred to, by the `code` of the programme's services
    /// (`GET /api/v1/programmes/{id}/services`): a default's key
    /// (`youth_welfare`, `school`, `day_care`, `health`, `job_centre`,
    /// `housing`, `legal_advice`, `language_course`, `other`) or an own
    /// service's id.
    pub referrals: Vec<String>,
    pub next_step: Option<String>,
    pub note: Option<String>,
    /// How the contact arose: one of the programme's own list
    /// (`contact_origins`), or empty.
    pub contact_origin: Option<String>,
    /// `"true"` to save although the same mother, family, date and kind exist.
    pub confirm_duplicate: Option<String>,
    /// The HTML form's button: `another` to log another visit after saving,
    /// `search` to find a family (nothing is saved).
    #[schema(ignore)]
    #[serde(skip_serializing)]
    pub then: Option<String>,
    /// The HTML form says so: a family must be chosen or "anonymous
    /// contact" ticked (the form cannot tell an empty choice from none).
    #[schema(ignore)]
    #[serde(skip_serializing)]
    pub ask_family: Option<String>,
    /// The HTML form's family search: a code, or for coordinators a name.
    #[schema(ignore)]
    #[serde(skip_serializing)]
    pub family_search: Option<String>,
}

fn yes(v: &Option<String>) -> bool {
    matches!(opt(v), Some("true" | "on" | "1" | "yes"))
}

impl VisitInput {
    pub fn has_topic(&self, id: &TopicId) -> bool {
        self.topic_ids.iter().any(|t| t.trim() == id.to_string())
    }

    /// Whether the service was ticked (as typed, to show the form again).
    pub fn has_referral(&self, s: &str) -> bool {
        self.referrals.iter().any(|r| r.trim() == s)
    }

    /// The form asks for a family search, not a save: its Find button, or
    /// text in the search box (Enter there submits the form; the box is
    /// emptied once a search has run, so text in it is a search to run).
    pub fn wants_search(&self) -> bool {
        self.then.as_deref() == Some("search") || opt(&self.family_search).is_some()
    }

    /// Whether "anonymous contact" was ticked.
    pub fn is_anonymous(&self) -> bool {
        yes(&self.anonymous)
    }

    /// Fields sent in a PATCH replace the recorded ones; the rest stay.
    pub fn merge(&self, patch: serde_json::Value) -> Result<VisitInput, AppError> {
        crate::web::input::merge(self, patch)
    }

    pub fn interpreter(&self) -> bool {
        yes(&self.interpreter_used)
    }

    pub fn validate(&self) -> Result<VisitData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mother_id = match self.mother_id.trim().parse::<MotherId>() {
            Ok(v) => v,
            Err(_) => {
                errors.insert("mother_id", "error-mother-unknown");
                MotherId(0)
            }
        };
        let family_id = opt(&self.family_id).and_then(|f| {
            f.parse::<FamilyId>()
                .map_err(|_| errors.insert("family_id", "error-family-unknown"))
                .ok()
        });
        let has_family = family_id.is_some() || opt(&self.family_code).is_some();
        if has_family && yes(&self.anonymous) {
            errors.insert("family_id", "error-family-and-anonymous");
        } else if !has_family
            && (yes(&self.ask_family) || matches!(opt(&self.anonymous), Some("false")))
            && !yes(&self.anonymous)
            && errors.get("family_id").is_none()
        {
            errors.insert("family_id", "error-family-or-anonymous");
        }
        let visited_on = date(&self.visited_on, "visited_on", true, &mut errors);
        let duration_minutes = match self.duration_minutes.trim().parse::<i32>() {
            Ok(v) if (1..=1440).contains(&v) => v,
            _ => {
                errors.insert("duration_minutes", "error-duration");
                0
            }
        };
        let kind = VisitKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.insert(
                "kind",
                crate::error::Msg::choice_of("error-choose-one", &VisitKind::ALL),
            );
        }
        let mut topic_ids = Vec::new();
        for t in &self.topic_ids {
            match t.trim().parse::<TopicId>() {
                Ok(v) => topic_ids.push(v),
                Err(_) => {
                    errors.insert("topic_ids", "error-topic-unknown");
                }
            }
        }
        topic_ids.sort_unstable();
        topic_ids.dedup();
        if topic_ids.is_empty() && errors.get("topic_ids").is_none() {
            errors.insert("topic_ids", "error-topics-required");
        }
        // Codes of the programme's services; the use case checks them
        // against its list.
        let mut referrals: Vec<Service> = self
            .referrals
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        referrals.sort_unstable();
        referrals.dedup();
        if referrals.iter().any(|r| r.len() > 40) {
            errors.insert("referrals", "error-service-unknown");
        }
        let next_step = long_text(&self.next_step, "next_step", 2000, &mut errors);
        let note = long_text(&self.note, "note", 10_000, &mut errors);
        let contact_origin = opt(&self.contact_origin)
            .map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|o| !o.is_empty());
        if contact_origin
            .as_ref()
            .is_some_and(|o| o.chars().count() > 100)
        {
            errors.insert("contact_origin", "error-too-long");
        }
        match (visited_on, kind) {
            (Some(visited_on), Some(kind)) if errors.is_empty() => Ok(VisitData {
                mother_id,
                family_id,
                family_code: opt(&self.family_code).map(str::to_uppercase),
                visited_on,
                duration_minutes,
                kind,
                interpreter_used: self.interpreter(),
                topic_ids,
                referrals,
                next_step,
                note,
                contact_origin,
                confirm_duplicate: yes(&self.confirm_duplicate),
            }),
            _ => Err(errors),
        }
    }
}

/// A topic's label.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct LabelInput {
    #[schema(required = true, min_length = 1, max_length = 200)]
    pub label: String,
}

impl LabelInput {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let l = self.label.trim().to_owned();
        if l.is_empty() {
            Err(FieldErrors::from([("label", "error-required")]))
        } else if l.chars().count() > 200 {
            Err(FieldErrors::from([("label", "error-too-long")]))
        } else {
            Ok(l)
        }
    }
}

/// Why a visit is voided.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct VoidInput {
    /// Required, up to 500 characters (e.g. "entered twice").
    pub reason: String,
}

impl VoidInput {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let r = self.reason.trim();
        if r.is_empty() {
            Err(FieldErrors::from([("reason", "error-required")]))
        } else if r.chars().count() > 500 {
            Err(FieldErrors::from([("reason", "error-too-long")]))
        } else {
            Ok(r.to_owned())
        }
    }
}

/// Marking a referral done.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DoneInput {
    /// `YYYY-MM-DD`; empty: today.
    #[schema(format = Date)]
    pub done_on: String,
}

impl DoneInput {
    /// The date it was done: `today` when empty; never a guess for a date
    /// that cannot be read.
    pub fn validate(&self, today: NaiveDate) -> Result<NaiveDate, FieldErrors> {
        match self.done_on.trim() {
            "" => Ok(today),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| FieldErrors::from([("done_on", "error-date-invalid")])),
        }
    }
}

/// A referral's outcome, or its reopening.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OutcomeInput {
    /// `open` (reopen), `done` or `not_taken_up`.
    #[schema(required = true, value_type = crate::visits::model::ReferralStatus)]
    pub status: String,
    /// The day of the outcome, `YYYY-MM-DD`; empty: today. Not before the
    /// visit, not in the future. Ignored when reopening.
    #[schema(format = Date)]
    pub done_on: String,
    /// What came of it, up to 2,000 characters.
    pub note: Option<String>,
}

impl OutcomeInput {
    /// The status, the day (none when open) and the note.
    pub fn validate(
        &self,
        today: NaiveDate,
    ) -> Result<(ReferralStatus, Option<NaiveDate>, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = ReferralStatus::parse(self.status.trim());
        if status.is_none() {
            errors.insert(
                "status",
                crate::error::Msg::choice_of("error-choose-one", &ReferralStatus::ALL),
            );
        }
        let on = match DoneInput::validate(
            &DoneInput {
                done_on: self.done_on.clone(),
            },
            today,
        ) {
            Ok(d) if d > today => {
                errors.insert("done_on", "error-date-in-future");
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.extend(e);
                None
            }
        };
        let note = long_text(&self.note, "note", 2000, &mut errors);
        match status {
            Some(ReferralStatus::Open) if errors.get("status").is_none() => {
                Ok((ReferralStatus::Open, None, String::new()))
            }
            Some(s) if errors.is_empty() => Ok((s, on, note)),
            _ => Err(errors),
        }
    }
}

/// The referral worklist's filters, as given in the query string.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// `open` (the default), `done`, `not_taken_up` or `all`.
    pub status: Option<String>,
    /// A service's code (a default's key such as `youth_welfare`, or an
    /// own service's id).
    pub service: Option<String>,
    pub mother: Option<String>,
    pub district: Option<String>,
    pub programme: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl ReferralQuery {
    pub fn filter(&self) -> Result<ReferralFilter, AppError> {
        let status = match opt(&self.status) {
            None => Some(ReferralStatus::Open),
            Some("all") => None,
            Some(s) => Some(
                ReferralStatus::parse(s)
                    .ok_or_else(|| AppError::field("status", "error-choose-one"))?,
            ),
        };
        let service = opt(&self.service).map(str::to_owned);
        let per_page = pagination::parse_per_page(self.per_page.as_deref(), REFERRALS_PER_PAGE)?;
        Ok(ReferralFilter {
            status,
            service,
            mother_id: param(&self.mother, "mother")?,
            district_id: param(&self.district, "district")?,
            programme_id: param(&self.programme, "programme")?,
            page: pagination::parse_page(self.page.as_deref(), per_page)?,
            per_page,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    pub programme: Option<String>,
    #[param(format = Date)]
    pub from: Option<String>,
    #[param(format = Date)]
    pub to: Option<String>,
    pub mother: Option<String>,
    pub family: Option<String>,
    pub district: Option<String>,
    pub topic: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl VisitQuery {
    pub fn filter(&self) -> Result<VisitFilter, AppError> {
        let per_page = pagination::parse_per_page(self.per_page.as_deref(), VISITS_PER_PAGE)?;
        Ok(VisitFilter {
            programme_id: param(&self.programme, "programme")?,
            from: param_date(&self.from, "from")?,
            to: param_date(&self.to, "to")?,
            mother_id: param(&self.mother, "mother")?,
            family_id: param(&self.family, "family")?,
            district_id: param(&self.district, "district")?,
            topic_id: param(&self.topic, "topic")?,
            page: pagination::parse_page(self.page.as_deref(), per_page)?,
            per_page,
            with_voided: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_needs_a_topic_and_a_known_kind() {
        let e = VisitInput {
            mother_id: "1".into(),
            visited_on: "2025-01-10".into(),
            duration_minutes: "45".into(),
            kind: "coffee".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        assert_eq!(e.key("topic_ids"), Some("error-topics-required"));
        assert_eq!(e.key("kind"), Some("error-choose-one"));
        let v = VisitInput {
            mother_id: "1".into(),
            visited_on: "2025-01-10".into(),
            duration_minutes: "45".into(),
            kind: "home_visit".into(),
            topic_ids: vec!["2".into(), "1".into(), "2".into()],
            referrals: vec!["health".into()],
            interpreter_used: Some("on".into()),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(v.topic_ids, vec![TopicId(1), TopicId(2)]);
        assert!(v.interpreter_used);
    }
}
