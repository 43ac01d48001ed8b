//! An event as typed into the form or sent as JSON.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::EventData;
use crate::error::FieldErrors;
use crate::ids::{DistrictId, ProgrammeId};
use crate::mothers::input::Languages;
use crate::web::input::{date, long_text, number, opt};

/// An event as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EventInput {
    #[schema(required = true, value_type = i64, format = Int64)]
    pub programme_id: String,
    #[schema(value_type = Option<i64>, format = Int64)]
    pub district_id: Option<String>,
    /// The code of one of the programme's kinds of event
    /// (`GET /api/v1/programmes/{id}/event-kinds`): a default's key
    /// (`event`, `workshop`, `information_session`, `excursion`) or an own
    /// kind's id.
    #[schema(required = true)]
    pub kind: String,
    #[schema(required = true, min_length = 1)]
    pub title: String,
    #[schema(format = Date, required = true)]
    pub held_on: String,
    #[schema(value_type = i32, minimum = 0)]
    pub migrant_participants: String,
    #[schema(value_type = i32, minimum = 0)]
    pub local_participants: String,
    pub interpreter_languages: Languages,
    #[schema(value_type = Vec<i64>)]
    pub mother_ids: Vec<String>,
    pub note: Option<String>,
}

impl EventInput {
    /// The event's fields as recorded, in the form's terms.
    pub fn of(e: &super::model::Event) -> EventInput {
        EventInput {
            programme_id: e.programme_id.to_string(),
            district_id: e.district_id.map(|d| d.to_string()),
            kind: e.kind.to_string(),
            title: e.title.clone(),
            held_on: e.held_on.to_string(),
            migrant_participants: e.migrant_participants.to_string(),
            local_participants: e.local_participants.to_string(),
            interpreter_languages: Languages::List(e.interpreter_languages.clone()),
            mother_ids: e.mother_ids.iter().map(ToString::to_string).collect(),
            note: Some(e.note.clone()),
        }
    }

    /// Fields sent in a PATCH replace the recorded ones; the rest stay.
    pub fn merge(&self, patch: serde_json::Value) -> Result<EventInput, crate::error::AppError> {
        crate::web::input::merge(self, patch)
    }

    pub fn has_mother(&self, id: &i64) -> bool {
        self.mother_ids.iter().any(|m| m.trim() == id.to_string())
    }

    pub fn validate(&self) -> Result<(ProgrammeId, EventData), FieldErrors> {
        let mut errors = FieldErrors::new();
        let programme_id = self.programme_id.trim().parse::<i64>().unwrap_or_else(|_| {
            errors.insert("programme_id", "error-programme-unknown");
            0
        });
        let district_id = opt(&self.district_id)
            .and_then(|d| number(d, "district_id", &mut errors))
            .map(DistrictId);
        // A code of the programme's kinds; the use case checks it.
        let kind = Some(self.kind.trim().to_owned()).filter(|k| !k.is_empty() && k.len() <= 40);
        if kind.is_none() {
            errors.insert("kind", "error-choose-one");
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.insert("title", "error-required");
        }
        let held_on = date(&self.held_on, "held_on", true, &mut errors);
        let count = |v: &str, field: &'static str, errors: &mut FieldErrors| match v.trim() {
            "" => 0,
            v => v
                .parse::<i32>()
                .ok()
                .filter(|n| *n >= 0)
                .unwrap_or_else(|| {
                    errors.insert(field, "error-number");
                    0
                }),
        };
        let migrant_participants = count(
            &self.migrant_participants,
            "migrant_participants",
            &mut errors,
        );
        let local_participants = count(&self.local_participants, "local_participants", &mut errors);
        let interpreter_languages = self.interpreter_languages.codes();
        let mut mother_ids = Vec::new();
        for m in &self.mother_ids {
            if let Some(v) = number(m, "mother_ids", &mut errors) {
                mother_ids.push(v);
            }
        }
        mother_ids.sort_unstable();
        mother_ids.dedup();
        let note = long_text(&self.note, "note", 10_000, &mut errors);
        match (held_on, kind) {
            (Some(held_on), Some(kind)) if errors.is_empty() => Ok((
                ProgrammeId(programme_id),
                EventData {
                    district_id,
                    kind,
                    title,
                    held_on,
                    migrant_participants,
                    local_participants,
                    interpreter_languages,
                    mother_ids,
                    note,
                },
            )),
            _ => Err(errors),
        }
    }
}
