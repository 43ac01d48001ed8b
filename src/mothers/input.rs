//! Input for mothers, as typed into a form or sent as JSON (or put in a
//! list's query string), and its validation into the model's types. HTML
//! forms and the JSON API share these types, so the rules are written once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Engagement, Gender, Mother, MotherData, MotherFilter, MotherStatus, PER_PAGE};
use crate::error::{AppError, FieldErrors};
use crate::ids::{DistrictId, ProgrammeId};
use crate::money;
use crate::web::pagination;

/// Filters of the list (all optional), as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct MotherQuery {
    pub programme: Option<String>,
    /// Part of the name, any case.
    pub q: Option<String>,
    pub district: Option<String>,
    /// `applicant`, `in_training`, `certified`, `active`, `paused`, `left`.
    pub status: Option<String>,
    /// ISO 639 code.
    pub language: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 25).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl MotherQuery {
    pub fn filter(&self) -> Result<MotherFilter, AppError> {
        fn opt(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let number = |v: &Option<String>, field: &'static str| {
            opt(v)
                .map(|s| {
                    s.parse::<i64>()
                        .map_err(|_| AppError::field(field, "error-number"))
                })
                .transpose()
        };
        let per_page = pagination::parse_per_page(self.per_page.as_deref(), PER_PAGE)?;
        Ok(MotherFilter {
            programme_id: number(&self.programme, "programme")?.map(ProgrammeId),
            name: opt(&self.q).map(str::to_owned),
            district_id: number(&self.district, "district")?.map(DistrictId),
            status: opt(&self.status)
                .map(|s| {
                    MotherStatus::parse(s).ok_or(AppError::field(
                        "status",
                        crate::error::Msg::choice_of("error-choose-one", &MotherStatus::ALL),
                    ))
                })
                .transpose()?,
            language: opt(&self.language).map(str::to_ascii_lowercase),
            page: pagination::parse_page(self.page.as_deref(), per_page)?,
            per_page,
        })
    }
}

/// ISO 639 codes: a list in JSON, or one text field ("ar, tr, de") in a form.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Languages {
    List(Vec<String>),
    Text(String),
}

impl Default for Languages {
    fn default() -> Self {
        Languages::Text(String::new())
    }
}

impl Languages {
    pub fn codes(&self) -> Vec<String> {
        let raw: Vec<String> = match self {
            Languages::List(v) => v.clone(),
            Languages::Text(s) => s.split([',', ' ', ';']).map(str::to_owned).collect(),
        };
        let mut out: Vec<String> = raw
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        out.dedup();
        out
    }

    /// As typed in the form.
    pub fn text(&self) -> String {
        match self {
            Languages::List(v) => v.join(", "),
            Languages::Text(s) => s.clone(),
        }
    }
}

/// A mother as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MotherInput {
    /// The programme (only when creating; a mother stays in her programme).
    #[schema(value_type = Option<i64>, format = Int64)]
    pub programme_id: Option<String>,
    #[schema(value_type = Option<i64>, format = Int64)]
    pub district_id: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 200)]
    pub full_name: String,
    #[schema(required = true)]
    pub phone: String,
    pub email: Option<String>,
    pub languages: Languages,
    /// ISO 3166-1 alpha-2.
    pub country_of_origin: Option<String>,
    /// `female`, `male`, `diverse` or `undisclosed`.
    #[schema(required = true, value_type = crate::mothers::model::Gender)]
    pub gender: String,
    /// `volunteer`, `allowance` or `employed`.
    #[schema(required = true, value_type = crate::mothers::model::Engagement)]
    pub engagement: String,
    /// In the programme's currency, as a decimal (`"250.00"`).
    pub monthly_allowance: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub joined_on: String,
    pub note: Option<String>,
    /// She agreed to be contacted by phone (`true`, or a ticked box);
    /// absent keeps what was recorded.
    #[schema(value_type = Option<bool>)]
    pub consent_phone_contact: Option<crate::programmes::input::Flag>,
    /// She agreed to photos of her being taken and used.
    #[schema(value_type = Option<bool>)]
    pub consent_photos: Option<crate::programmes::input::Flag>,
    /// The form's marker that the consent boxes were shown (an unticked
    /// box sends nothing).
    #[serde(skip_serializing)]
    #[schema(ignore)]
    pub consent_shown: Option<String>,
}

impl MotherInput {
    /// A consent as sent: `None` when neither the box nor the form's marker
    /// came (an API call that leaves it as it is).
    pub fn consent(&self, v: &Option<crate::programmes::input::Flag>) -> Option<bool> {
        match v {
            Some(f) => Some(f.is_set()),
            None => self.consent_shown.is_some().then_some(false),
        }
    }

    pub fn from_mother(m: &Mother, currency_exponent: u32) -> Self {
        Self {
            programme_id: Some(m.programme_id.to_string()),
            district_id: m.district_id.map(|d| d.to_string()),
            full_name: m.full_name.clone(),
            phone: m.phone.clone(),
            email: m.email.clone(),
            languages: Languages::Text(m.languages.join(", ")),
            country_of_origin: m.country_of_origin.clone(),
            gender: m.gender.to_string(),
            engagement: m.engagement.to_string(),
            monthly_allowance: m
                .monthly_allowance_minor
                .map(|a| money::format(a, currency_exponent)),
            joined_on: m.joined_on.to_string(),
            note: Some(m.note.clone()),
            consent_phone_contact: Some(crate::programmes::input::Flag::Bool(
                m.consent_phone_contact,
            )),
            consent_photos: Some(crate::programmes::input::Flag::Bool(m.consent_photos)),
            consent_shown: None,
        }
    }

    /// The programme chosen for a new mother.
    pub fn programme(&self) -> Result<ProgrammeId, FieldErrors> {
        self.programme_id
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .map(ProgrammeId)
            .ok_or_else(|| FieldErrors::from([("programme_id", "error-programme-unknown")]))
    }

    /// Validates against the programme's currency (for the allowance).
    pub fn validate(&self, currency_exponent: u32) -> Result<MotherData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = self.full_name.trim().to_owned();
        if full_name.is_empty() {
            errors.insert("full_name", "error-required");
        } else if full_name.chars().count() > 200 {
            errors.insert("full_name", "error-too-long");
        }
        let phone = self.phone.trim().to_owned();
        if phone.is_empty() {
            errors.insert("phone", "error-required");
        } else if phone.len() > 50
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()/.".contains(c))
        {
            errors.insert("phone", "error-phone-invalid");
        }
        let email = self
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned);
        if let Some(e) = &email
            && (e.matches('@').count() != 1
                || e.starts_with('@')
                || e.ends_with('@')
                || e.chars().any(char::is_whitespace)
                || e.chars().count() > 254)
        {
            errors.insert("email", "error-email-invalid");
        }
        let district_id = match self
            .district_id
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => None,
            Some(d) => match d.parse::<i64>() {
                Ok(v) => Some(DistrictId(v)),
                Err(_) => {
                    errors.insert("district_id", "error-district-unknown");
                    None
                }
            },
        };
        let languages = self.languages.codes();
        if languages.iter().any(|l| {
            isolang::Language::from_639_1(l).is_none() && isolang::Language::from_639_3(l).is_none()
        }) {
            errors.insert("languages", "error-languages-unknown");
        }
        let country_of_origin = self
            .country_of_origin
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty());
        if let Some(c) = &country_of_origin
            && rust_iso3166::from_alpha2(c).is_none()
        {
            errors.insert("country_of_origin", "error-country-unknown");
        }
        let gender = Gender::parse(self.gender.trim());
        if gender.is_none() {
            errors.insert(
                "gender",
                crate::error::Msg::choice_of("error-choose-one", &Gender::ALL),
            );
        }
        let engagement = Engagement::parse(self.engagement.trim());
        if engagement.is_none() {
            errors.insert(
                "engagement",
                crate::error::Msg::choice_of("error-choose-one", &Engagement::ALL),
            );
        }
        let allowance_text = self
            .monthly_allowance
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
        let monthly_allowance_minor = match allowance_text {
            None => None,
            Some(a) => match money::parse(a, currency_exponent) {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.insert("monthly_allowance", e.msg());
                    None
                }
            },
        };
        match engagement {
            Some(Engagement::Allowance) if allowance_text.is_none() => {
                errors.insert("monthly_allowance", "error-allowance-required");
            }
            Some(Engagement::Volunteer) if allowance_text.is_some() => {
                errors.insert("monthly_allowance", "error-allowance-volunteer");
            }
            _ => {}
        }
        let joined_on = match NaiveDate::parse_from_str(self.joined_on.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) if self.joined_on.trim().is_empty() => {
                errors.insert("joined_on", "error-required");
                None
            }
            Err(_) => {
                errors.insert("joined_on", "error-date-invalid");
                None
            }
        };
        let note = self.note.as_deref().unwrap_or("").trim().to_owned();
        if note.chars().count() > 10_000 {
            errors.insert("note", "error-too-long");
        }
        match (joined_on, gender, engagement) {
            (Some(joined_on), Some(gender), Some(engagement)) if errors.is_empty() => {
                Ok(MotherData {
                    district_id,
                    full_name,
                    phone,
                    email,
                    languages,
                    country_of_origin,
                    gender,
                    engagement,
                    monthly_allowance_minor,
                    joined_on,
                    note,
                    consent_phone_contact: self.consent(&self.consent_phone_contact),
                    consent_photos: self.consent(&self.consent_photos),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A status change as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct StatusInput {
    /// `applicant`, `in_training`, `certified`, `active`, `paused` or `left`.
    #[schema(required = true, value_type = crate::mothers::model::MotherStatus)]
    pub status: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub changed_on: String,
    pub reason: Option<String>,
}

/// A status change, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusData {
    pub status: MotherStatus,
    pub changed_on: NaiveDate,
    pub reason: String,
}

impl StatusInput {
    pub fn validate(&self) -> Result<StatusData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = MotherStatus::parse(self.status.trim());
        if status.is_none() {
            errors.insert(
                "status",
                crate::error::Msg::choice_of("error-choose-one", &MotherStatus::ALL),
            );
        }
        let on = NaiveDate::parse_from_str(self.changed_on.trim(), "%Y-%m-%d").ok();
        if on.is_none() {
            errors.insert("changed_on", "error-date-invalid");
        }
        let reason = self.reason.as_deref().unwrap_or("").trim().to_owned();
        if reason.chars().count() > 1000 {
            errors.insert("reason", "error-too-long");
        }
        match (status, on) {
            (Some(status), Some(changed_on)) if errors.is_empty() => Ok(StatusData {
                status,
                changed_on,
                reason,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> MotherInput {
        MotherInput {
            programme_id: Some("1".into()),
            full_name: "Amina Hassan".into(),
            phone: "+49 30 1234567".into(),
            languages: Languages::Text("ar, de,  tr".into()),
            country_of_origin: Some("sy".into()),
            gender: "female".into(),
            engagement: "allowance".into(),
            monthly_allowance: Some("250,00".into()),
            joined_on: "2024-03-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_mother() {
        let d = valid().validate(2).expect("valid");
        assert_eq!(d.languages, vec!["ar", "de", "tr"]);
        assert_eq!(d.country_of_origin.as_deref(), Some("SY"));
        assert_eq!(d.monthly_allowance_minor, Some(25_000));
    }

    #[test]
    fn allowance_rules_and_codes() {
        let e = MotherInput {
            monthly_allowance: None,
            languages: Languages::List(vec!["xx".into()]),
            ..valid()
        }
        .validate(2)
        .expect_err("invalid");
        assert_eq!(e.key("monthly_allowance"), Some("error-allowance-required"));
        assert_eq!(e.key("languages"), Some("error-languages-unknown"));
        let e = MotherInput {
            engagement: "volunteer".into(),
            ..valid()
        }
        .validate(2)
        .expect_err("invalid");
        assert_eq!(
            e.key("monthly_allowance"),
            Some("error-allowance-volunteer")
        );
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn languages_come_as_ticked_boxes_or_as_text() {
        let ticked: MotherInput =
            serde_html_form::from_str("languages=ar&languages=tr").expect("form");
        assert_eq!(ticked.languages.codes(), ["ar", "tr"]);
        let one: MotherInput = serde_html_form::from_str("languages=so").expect("form");
        assert_eq!(one.languages.codes(), ["so"]);
        let none: MotherInput = serde_html_form::from_str("full_name=x").expect("form");
        assert!(none.languages.codes().is_empty());
    }
}
