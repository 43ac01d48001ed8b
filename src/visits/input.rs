//! Input for visits, topics and referrals, as typed into a form or sent as
//! JSON.

use super::model::{VISITS_PER_PAGE, VisitFilter};
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
    pub mother_id: String,
    /// Empty for an anonymous or group contact.
    pub family_id: Option<String>,
    /// Instead of `family_id`: the family's reference code (e.g. `BK-0042`),
    /// looked up in the mother's programme; it wins over `family_id`.
    pub family_code: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(format = Date)]
    pub visited_on: String,
    pub duration_minutes: String,
    /// `home_visit`, `phone`, `accompaniment` or `group_meeting`.
    pub kind: String,
    /// `"true"`/`"on"` when an interpreter was used.
    pub interpreter_used: Option<String>,
    /// At least one topic id.
    pub topic_ids: Vec<String>,
    /// Services referred to: `youth_welfare`, `school`, `day_care`, `health`,
    /// `job_centre`, `housing`, `legal_advice`, `language_course`, `other`.
    pub referrals: Vec<String>,
    pub next_step: Option<String>,
    pub note: Option<String>,
    /// `"true"` to save although the same mother, family, date and kind exist.
    pub confirm_duplicate: Option<String>,
    /// The HTML form's button: `another` to log another visit after saving.
    #[schema(ignore)]
    #[serde(skip_serializing)]
    pub then: Option<String>,
}

fn yes(v: &Option<String>) -> bool {
    matches!(opt(v), Some("true" | "on" | "1" | "yes"))
}

impl VisitInput {
    pub fn has_topic(&self, id: &TopicId) -> bool {
        self.topic_ids.iter().any(|t| t.trim() == id.to_string())
    }

    /// Whether the service was ticked (as typed, to show the form again).
    pub fn has_referral(&self, s: &Service) -> bool {
        self.referrals.iter().any(|r| r == s.as_str())
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
            errors.insert("kind", "error-choose-one");
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
        let referrals: Option<Vec<Service>> = self
            .referrals
            .iter()
            .map(|r| Service::parse(r.trim()))
            .collect();
        if referrals.is_none() {
            errors.insert("referrals", "error-service-unknown");
        }
        let next_step = long_text(&self.next_step, "next_step", 2000, &mut errors);
        let note = long_text(&self.note, "note", 10_000, &mut errors);
        match (visited_on, kind, referrals) {
            (Some(visited_on), Some(kind), Some(referrals)) if errors.is_empty() => Ok(VisitData {
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
    pub page: Option<String>,
}

impl VisitQuery {
    pub fn filter(&self) -> Result<VisitFilter, AppError> {
        Ok(VisitFilter {
            programme_id: param(&self.programme, "programme")?,
            from: param_date(&self.from, "from")?,
            to: param_date(&self.to, "to")?,
            mother_id: param(&self.mother, "mother")?,
            family_id: param(&self.family, "family")?,
            district_id: param(&self.district, "district")?,
            topic_id: param(&self.topic, "topic")?,
            page: pagination::parse_page(self.page.as_deref(), VISITS_PER_PAGE)?,
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
