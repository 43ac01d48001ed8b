//! Input for families, visits, topics, referrals and events, as typed into
//! a form or sent as JSON.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{
    ContactOrigin, EventData, EventKind, Family, FamilyData, Personal, Service, VisitData,
    VisitKind,
};
use crate::error::FieldErrors;
use crate::mothers::input::Languages;

fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn date(
    v: &str,
    field: &'static str,
    required: bool,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        if required {
            errors.insert(field, "error-required");
        }
        return None;
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| errors.insert(field, "error-date-invalid"))
        .ok()
}

fn number<T: std::str::FromStr>(
    v: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<T> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    v.parse()
        .map_err(|_| errors.insert(field, "error-number"))
        .ok()
}

fn long_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
    errors: &mut FieldErrors,
) -> String {
    let t = v.as_deref().unwrap_or("").trim().to_owned();
    if t.chars().count() > max {
        errors.insert(field, "error-too-long");
    }
    t
}

/// A family as typed. The personal fields are taken only from coordinators
/// and admins.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FamilyInput {
    /// Only when creating.
    pub programme_id: Option<String>,
    pub district_id: Option<String>,
    pub languages: Languages,
    pub children_count: String,
    /// e.g. `"2015, 2019"`.
    pub children_birth_years: String,
    /// `own_network`, `authority`, `school_daycare`, `event` or `other`.
    pub contact_origin: String,
    #[schema(format = Date)]
    pub first_contact_on: String,
    #[schema(format = Date)]
    pub consent_on: Option<String>,
    pub consent_scope: Option<String>,
    pub primary_mother_id: Option<String>,
    /// Optional; coordinators and admins only.
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

impl FamilyInput {
    pub fn from_family(f: &Family) -> Self {
        let p = f.personal.clone().unwrap_or_default();
        Self {
            programme_id: Some(f.programme_id.to_string()),
            district_id: f.district_id.map(|d| d.to_string()),
            languages: Languages::List(f.languages.clone()),
            children_count: f.children_count.to_string(),
            children_birth_years: f
                .children_birth_years
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            contact_origin: f.contact_origin.to_string(),
            first_contact_on: f.first_contact_on.to_string(),
            consent_on: f.consent_on.map(|d| d.to_string()),
            consent_scope: Some(f.consent_scope.clone()),
            primary_mother_id: f.primary_mother_id.map(|m| m.to_string()),
            name: Some(p.name),
            address: Some(p.address),
            phone: Some(p.phone),
        }
    }

    pub fn programme(&self) -> Option<i64> {
        opt(&self.programme_id).and_then(|p| p.parse().ok())
    }

    /// The validated fields and, when `with_personal`, the personal fields.
    pub fn validate(
        &self,
        with_personal: bool,
        today: NaiveDate,
    ) -> Result<(FamilyData, Option<Personal>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let district_id =
            opt(&self.district_id).and_then(|d| number(d, "district_id", &mut errors));
        let languages = self.languages.codes();
        if languages.iter().any(|l| {
            isolang::Language::from_639_1(l).is_none() && isolang::Language::from_639_3(l).is_none()
        }) {
            errors.insert("languages", "error-languages-unknown");
        }
        let children_count: i16 = match self.children_count.trim() {
            "" => 0,
            v => match v.parse::<i16>() {
                Ok(n) if (0..=30).contains(&n) => n,
                _ => {
                    errors.insert("children_count", "error-children-count");
                    0
                }
            },
        };
        let mut children_birth_years = Vec::new();
        let this_year = chrono::Datelike::year(&today);
        for y in self
            .children_birth_years
            .split([',', ' ', ';'])
            .filter(|y| !y.trim().is_empty())
        {
            match y.trim().parse::<i16>() {
                Ok(v) if (1990..=this_year as i16).contains(&v) => children_birth_years.push(v),
                _ => {
                    errors.insert("children_birth_years", "error-birth-years");
                }
            }
        }
        let contact_origin = ContactOrigin::parse(self.contact_origin.trim());
        if contact_origin.is_none() {
            errors.insert("contact_origin", "error-choose-one");
        }
        let first_contact_on = date(
            &self.first_contact_on,
            "first_contact_on",
            true,
            &mut errors,
        );
        let consent_on =
            opt(&self.consent_on).and_then(|d| date(d, "consent_on", false, &mut errors));
        let consent_scope = long_text(&self.consent_scope, "consent_scope", 500, &mut errors);
        let primary_mother_id =
            opt(&self.primary_mother_id).and_then(|m| number(m, "primary_mother_id", &mut errors));
        let personal = with_personal.then(|| Personal {
            name: long_text(&self.name, "name", 200, &mut errors),
            address: long_text(&self.address, "address", 500, &mut errors),
            phone: long_text(&self.phone, "phone", 50, &mut errors),
        });
        match (first_contact_on, contact_origin) {
            (Some(first_contact_on), Some(contact_origin)) if errors.is_empty() => Ok((
                FamilyData {
                    district_id,
                    languages,
                    children_count,
                    children_birth_years,
                    contact_origin,
                    first_contact_on,
                    consent_on,
                    consent_scope,
                    primary_mother_id,
                },
                personal,
            )),
            _ => Err(errors),
        }
    }
}

/// Closing a family.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CloseInput {
    #[schema(format = Date)]
    pub closed_on: String,
    pub reason: String,
}

impl CloseInput {
    pub fn validate(&self) -> Result<(NaiveDate, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = date(&self.closed_on, "closed_on", true, &mut errors);
        let reason = self.reason.trim().to_owned();
        if reason.is_empty() {
            errors.insert("reason", "error-required");
        }
        match on {
            Some(d) if errors.is_empty() => Ok((d, reason)),
            _ => Err(errors),
        }
    }
}

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
    pub fn has_topic(&self, id: &i64) -> bool {
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
        let mother_id = match self.mother_id.trim().parse::<i64>() {
            Ok(v) => v,
            Err(_) => {
                errors.insert("mother_id", "error-mother-unknown");
                0
            }
        };
        let family_id = opt(&self.family_id).and_then(|f| {
            f.parse::<i64>()
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
            match t.trim().parse::<i64>() {
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

/// An event as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EventInput {
    pub programme_id: String,
    pub district_id: Option<String>,
    /// `event`, `workshop`, `information_session` or `excursion`.
    pub kind: String,
    pub title: String,
    #[schema(format = Date)]
    pub held_on: String,
    pub migrant_participants: String,
    pub local_participants: String,
    pub interpreter_languages: Languages,
    pub mother_ids: Vec<String>,
    pub note: Option<String>,
}

impl EventInput {
    pub fn has_mother(&self, id: &i64) -> bool {
        self.mother_ids.iter().any(|m| m.trim() == id.to_string())
    }

    pub fn validate(&self) -> Result<(i64, EventData), FieldErrors> {
        let mut errors = FieldErrors::new();
        let programme_id = self.programme_id.trim().parse::<i64>().unwrap_or_else(|_| {
            errors.insert("programme_id", "error-programme-unknown");
            0
        });
        let district_id =
            opt(&self.district_id).and_then(|d| number(d, "district_id", &mut errors));
        let kind = EventKind::parse(self.kind.trim());
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
                programme_id,
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
        assert_eq!(v.topic_ids, vec![1, 2]);
        assert!(v.interpreter_used);
    }

    #[test]
    fn family_fields() {
        let (d, p) = FamilyInput {
            children_count: "3".into(),
            children_birth_years: "2015, 2019".into(),
            contact_origin: "school_daycare".into(),
            first_contact_on: "2024-03-01".into(),
            name: Some("Family Ali".into()),
            ..Default::default()
        }
        .validate(false, NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"))
        .expect("valid");
        assert_eq!(d.children_birth_years, vec![2015, 2019]);
        assert!(
            p.is_none(),
            "personal fields only for those who may see them"
        );
    }
}
