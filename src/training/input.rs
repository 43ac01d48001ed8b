//! Input for courses, modules, enrolments, attendance, completion and the
//! curriculum, as typed into a form or sent as JSON, and its validation
//! into the model's types. HTML forms and the JSON API share these types,
//! so the rules are written once; the rules that need the database are in
//! `ops`.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Course, CourseData, Module, ModuleData, TemplateModule};
use crate::error::FieldErrors;
use crate::ids::{CurriculumTopicId, EnrolmentId, MotherId, ProgrammeId, UserId};
use crate::mothers::input::Languages;
use crate::web::input::{date, text};

fn id(value: &str, field: &'static str, key: &'static str, errors: &mut FieldErrors) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            errors.insert(field, key);
            0
        }
    }
}

/// A course as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CourseInput {
    /// Only when creating.
    #[schema(value_type = Option<i64>, format = Int64)]
    pub programme_id: Option<String>,
    #[schema(required = true, min_length = 1)]
    pub name: String,
    /// A user with the trainer role in the programme.
    #[schema(required = true, value_type = i64, format = Int64)]
    pub trainer_id: String,
    pub location: String,
    #[schema(format = Date, required = true)]
    pub starts_on: String,
    #[schema(format = Date, required = true)]
    pub ends_on: String,
    /// When creating: start with the programme's curriculum template.
    pub from_template: Option<String>,
}

impl CourseInput {
    pub fn from_course(c: &Course) -> Self {
        Self {
            programme_id: Some(c.programme_id.to_string()),
            name: c.name.clone(),
            trainer_id: c.trainer_id.to_string(),
            location: c.location.clone(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            from_template: None,
        }
    }

    /// The programme a new course is for; `None` when missing or not a number.
    pub fn programme(&self) -> Option<ProgrammeId> {
        self.programme_id
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .map(ProgrammeId)
    }

    pub fn wants_template(&self) -> bool {
        matches!(
            self.from_template.as_deref().map(str::trim),
            Some("true" | "on" | "1" | "yes")
        )
    }

    pub fn validate(&self) -> Result<CourseData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(&self.name, "name", 200, true, &mut errors);
        let trainer_id = id(
            &self.trainer_id,
            "trainer_id",
            "error-trainer-not-in-programme",
            &mut errors,
        );
        let location = text(&self.location, "location", 200, false, &mut errors);
        let starts_on = date(&self.starts_on, "starts_on", true, &mut errors);
        let ends_on = date(&self.ends_on, "ends_on", true, &mut errors);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.insert("ends_on", "error-end-before-start");
        }
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(CourseData {
                name,
                trainer_id: UserId(trainer_id),
                location,
                starts_on,
                ends_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A module (of a course or of the template) as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ModuleInput {
    #[schema(required = true, min_length = 1)]
    pub title: String,
    #[schema(required = true, value_type = i64, format = Int64)]
    pub topic_id: String,
    /// `YYYY-MM-DD`; empty: not scheduled yet.
    #[schema(format = Date, required = true)]
    pub held_on: String,
    /// Hours, a decimal (`"2.5"`).
    pub hours: String,
    pub interpreter_languages: Languages,
}

impl ModuleInput {
    pub fn from_module(m: &Module) -> Self {
        Self {
            title: m.title.clone(),
            topic_id: m.topic_id.to_string(),
            held_on: m.held_on.map(|d| d.to_string()).unwrap_or_default(),
            // Exact, not the one decimal shown: read back, it gives the
            // same minutes (a PATCH of the title keeps 105 minutes).
            hours: (f64::from(m.minutes) / 60.0).to_string(),
            interpreter_languages: Languages::List(m.languages()),
        }
    }

    pub fn from_template(m: &TemplateModule) -> Self {
        Self {
            title: m.title.clone(),
            topic_id: m.topic_id.to_string(),
            held_on: String::new(),
            hours: super::model::hours(i64::from(m.minutes)),
            interpreter_languages: Languages::default(),
        }
    }

    pub fn validate(&self) -> Result<ModuleData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = text(&self.title, "title", 200, true, &mut errors);
        let topic_id = CurriculumTopicId(id(
            &self.topic_id,
            "topic_id",
            "error-topic-unknown",
            &mut errors,
        ));
        let held_on = date(&self.held_on, "held_on", false, &mut errors);
        let minutes = match self.hours.trim().replace(',', ".").parse::<f64>() {
            Ok(h) if h > 0.0 && h <= 24.0 => (h * 60.0).round() as i32,
            _ => {
                errors.insert("hours", "error-hours-invalid");
                0
            }
        };
        let interpreter_languages = self.interpreter_languages.codes();
        if interpreter_languages.iter().any(|l| {
            isolang::Language::from_639_1(l).is_none() && isolang::Language::from_639_3(l).is_none()
        }) {
            errors.insert("interpreter_languages", "error-languages-unknown");
        }
        if errors.is_empty() {
            Ok(ModuleData {
                title,
                topic_id,
                held_on,
                minutes,
                interpreter_languages,
            })
        } else {
            Err(errors)
        }
    }
}

/// Enrolling a mother.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EnrolmentInput {
    #[schema(required = true, value_type = i64, format = Int64)]
    pub mother_id: String,
    /// `YYYY-MM-DD`; empty: today.
    #[schema(format = Date)]
    pub enrolled_on: String,
}

impl EnrolmentInput {
    /// The mother and the enrolment date (`today` when empty).
    pub fn validate(&self, today: NaiveDate) -> Result<(MotherId, NaiveDate), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mother_id = MotherId(id(
            &self.mother_id,
            "mother_id",
            "error-mother-unknown",
            &mut errors,
        ));
        let on = date(&self.enrolled_on, "enrolled_on", false, &mut errors).unwrap_or(today);
        if errors.is_empty() {
            Ok((mother_id, on))
        } else {
            Err(errors)
        }
    }
}

/// Recording completion and certification.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CompletionInput {
    #[schema(format = Date)]
    pub completed_on: String,
    /// Empty: the completion date.
    #[schema(format = Date)]
    pub certified_on: String,
}

impl CompletionInput {
    /// The completion and certification dates.
    pub fn validate(&self) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
        let mut errors = FieldErrors::new();
        let completed = date(&self.completed_on, "completed_on", true, &mut errors);
        let certified = date(&self.certified_on, "certified_on", false, &mut errors);
        match completed {
            Some(c) if errors.is_empty() => Ok((c, certified.unwrap_or(c))),
            _ => Err(errors),
        }
    }
}

/// Recording a drop-out.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DropOutInput {
    #[schema(format = Date)]
    pub dropped_out_on: String,
    pub reason: String,
}

impl DropOutInput {
    /// The drop-out date and the reason.
    pub fn validate(&self) -> Result<(NaiveDate, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = date(&self.dropped_out_on, "dropped_out_on", true, &mut errors);
        let reason = self.reason.trim().to_owned();
        if reason.is_empty() {
            errors.insert("reason", "error-required");
        } else if reason.chars().count() > 1000 {
            errors.insert("reason", "error-too-long");
        }
        match on {
            Some(d) if errors.is_empty() => Ok((d, reason)),
            _ => Err(errors),
        }
    }
}

/// Why a completion or drop-out is undone.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ReopenInput {
    /// Required, up to 1,000 characters.
    pub reason: String,
}

impl ReopenInput {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let reason = self.reason.trim();
        if reason.is_empty() {
            Err(FieldErrors::from([("reason", "error-required")]))
        } else if reason.chars().count() > 1000 {
            Err(FieldErrors::from([("reason", "error-too-long")]))
        } else {
            Ok(reason.to_owned())
        }
    }
}

/// One mother's attendance at a module.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct AttendanceEntry {
    #[schema(value_type = i64)]
    pub enrolment_id: EnrolmentId,
    /// `present`, `absent` or `excused`.
    pub status: String,
}

/// The attendance of a module, as sent by the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    pub entries: Vec<AttendanceEntry>,
}

impl AttendanceInput {
    /// The attendance grid's form: `a<enrolment id>=present|absent|excused`
    /// for each mother (other fields ignored), in enrolment order.
    pub fn from_form(form: &HashMap<String, String>) -> Self {
        let mut entries: Vec<(EnrolmentId, String)> = form
            .iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix('a')?.parse::<i64>().ok()?;
                Some((EnrolmentId(id), v.clone()))
            })
            .collect();
        entries.sort();
        Self {
            entries: entries
                .into_iter()
                .map(|(enrolment_id, status)| AttendanceEntry {
                    enrolment_id,
                    status,
                })
                .collect(),
        }
    }
}

/// A programme's own curriculum topic.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TopicInput {
    pub label: String,
}

impl TopicInput {
    /// The label.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let label = text(&self.label, "label", 200, true, &mut errors);
        if errors.is_empty() {
            Ok(label)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_dates_in_order() {
        let e = CourseInput {
            name: "Spring".into(),
            trainer_id: "3".into(),
            starts_on: "2025-03-01".into(),
            ends_on: "2025-02-01".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        assert_eq!(e.key("ends_on"), Some("error-end-before-start"));
    }

    #[test]
    fn module_hours_become_minutes() {
        let m = ModuleInput {
            title: "Health".into(),
            topic_id: "4".into(),
            hours: "2,5".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(m.minutes, 150);
        assert_eq!(m.held_on, None);
        let e = ModuleInput {
            hours: "0".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        assert_eq!(e.key("hours"), Some("error-hours-invalid"));
        assert_eq!(e.key("title"), Some("error-required"));
    }

    #[test]
    fn completion_and_drop_out() {
        let (c, cert) = CompletionInput {
            completed_on: "2025-06-30".into(),
            certified_on: String::new(),
        }
        .validate()
        .expect("valid");
        assert_eq!(c, cert);
        let e = DropOutInput {
            dropped_out_on: "2025-05-01".into(),
            reason: " ".into(),
        }
        .validate()
        .expect_err("reason needed");
        assert_eq!(e.key("reason"), Some("error-required"));
    }
}
