//! A family as typed into the form or sent as JSON, and closing one.

use super::list::FAMILIES_PER_PAGE;
use super::model::{FamilyFilter, FamilyStatus};
use crate::error::AppError;
use crate::web::input::param;
use crate::web::pagination;
use utoipa::IntoParams;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{ContactOrigin, Family, FamilyData, Personal};
use crate::error::FieldErrors;
use crate::ids::{DistrictId, ProgrammeId};
use crate::mothers::input::Languages;
use crate::programmes::input::Flag;
use crate::web::input::{date, long_text, number, opt};

/// A family as typed. The personal fields are taken only from coordinators
/// and admins.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FamilyInput {
    /// Only when creating.
    #[schema(value_type = Option<i64>, format = Int64)]
    pub programme_id: Option<String>,
    #[schema(value_type = Option<i64>, format = Int64)]
    pub district_id: Option<String>,
    pub languages: Languages,
    #[schema(value_type = i32, minimum = 0, maximum = 30)]
    pub children_count: String,
    /// e.g. `"2015, 2019"`.
    pub children_birth_years: String,
    /// `own_network`, `authority`, `school_daycare`, `event` or `other`.
    #[schema(required = true, value_type = crate::families::model::ContactOrigin)]
    pub contact_origin: String,
    #[schema(format = Date)]
    pub first_contact_on: String,
    #[schema(format = Date)]
    pub consent_on: Option<String>,
    pub consent_scope: Option<String>,
    /// Consent to store name, address and phone (`true`, or a ticked
    /// checkbox). When none of the three is sent, a consent date means all
    /// three.
    #[schema(value_type = Option<bool>)]
    pub consent_contact: Option<Flag>,
    /// Consent to record visits with notes and next steps.
    #[schema(value_type = Option<bool>)]
    pub consent_visits: Option<Flag>,
    /// Consent to share referral information with services.
    #[schema(value_type = Option<bool>)]
    pub consent_referrals: Option<Flag>,
    /// The form's marker that the three boxes were shown (an unticked box
    /// sends nothing).
    #[serde(skip_serializing)]
    #[schema(ignore)]
    pub consent_shown: Option<String>,
    #[schema(value_type = Option<i64>, format = Int64)]
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
            consent_contact: Some(Flag::Bool(f.consent_contact)),
            consent_visits: Some(Flag::Bool(f.consent_visits)),
            consent_referrals: Some(Flag::Bool(f.consent_referrals)),
            consent_shown: None,
            primary_mother_id: f.primary_mother_id.map(|m| m.to_string()),
            name: Some(p.name),
            address: Some(p.address),
            phone: Some(p.phone),
        }
    }

    /// Whether any of the three consents was sent (or the form showed them).
    fn consents_sent(&self) -> bool {
        self.consent_shown.is_some()
            || self.consent_contact.is_some()
            || self.consent_visits.is_some()
            || self.consent_referrals.is_some()
    }

    /// Whether the consent of `scope` is ticked: the box, or (when none of
    /// the three was sent) the consent date. For the form.
    pub fn consents(&self, scope: &Option<Flag>) -> bool {
        if self.consents_sent() {
            scope.as_ref().is_some_and(Flag::is_set)
        } else {
            opt(&self.consent_on).is_some()
        }
    }

    pub fn programme(&self) -> Option<ProgrammeId> {
        opt(&self.programme_id)
            .and_then(|p| p.parse().ok())
            .map(ProgrammeId)
    }

    /// The validated fields of a new family and, when `with_personal`, the
    /// personal fields.
    pub fn validate(
        &self,
        with_personal: bool,
        today: NaiveDate,
    ) -> Result<(FamilyData, Option<Personal>), FieldErrors> {
        self.validate_change(with_personal, today, None)
    }

    /// As [`validate`](Self::validate), for a change of `old`: consents that
    /// are not sent stay as recorded (a client that does not know them
    /// never grants one again after a withdrawal).
    pub fn validate_change(
        &self,
        with_personal: bool,
        today: NaiveDate,
        old: Option<&Family>,
    ) -> Result<(FamilyData, Option<Personal>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let district_id = opt(&self.district_id)
            .and_then(|d| number(d, "district_id", &mut errors))
            .map(DistrictId);
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
            errors.insert(
                "contact_origin",
                crate::error::Msg::choice_of("error-choose-one", &ContactOrigin::ALL),
            );
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
        let (consent_contact, consent_visits, consent_referrals) = match old.filter(|f| {
            !self.consents_sent() && (f.consent_on.is_some() || f.consent_withdrawn_on.is_some())
        }) {
            Some(f) => (f.consent_contact, f.consent_visits, f.consent_referrals),
            None => (
                self.consents(&self.consent_contact),
                self.consents(&self.consent_visits),
                self.consents(&self.consent_referrals),
            ),
        };
        if (consent_contact || consent_visits || consent_referrals) && consent_on.is_none() {
            errors.insert("consent_on", "error-consent-date");
        }
        // No consent to store contact details: none are stored.
        if let Some(p) = &personal
            && !consent_contact
            && *p != Personal::default()
        {
            for (field, value) in [
                ("name", &p.name),
                ("address", &p.address),
                ("phone", &p.phone),
            ] {
                if !value.is_empty() {
                    errors.insert(field, "error-no-contact-consent");
                }
            }
        }
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
                    consent_contact,
                    consent_visits,
                    consent_referrals,
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

#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FamilyQuery {
    pub programme: Option<String>,
    /// `active` or `closed`.
    pub status: Option<String>,
    /// Families she is the primary mother of or has visited.
    pub mother: Option<String>,
    /// Active families with no visit in this many days (follow-up list).
    pub no_visit_days: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl FamilyQuery {
    /// The filter, or a field error naming the parameter that does not read.
    pub fn filter(&self) -> Result<FamilyFilter, AppError> {
        let status = opt(&self.status)
            .map(|s| {
                FamilyStatus::parse(s).ok_or(AppError::field(
                    "status",
                    crate::error::Msg::choice_of("error-choose-one", &FamilyStatus::ALL),
                ))
            })
            .transpose()?;
        let per_page = pagination::parse_per_page(self.per_page.as_deref(), FAMILIES_PER_PAGE)?;
        Ok(FamilyFilter {
            programme_id: param(&self.programme, "programme")?,
            status,
            mother_id: param(&self.mother, "mother")?,
            no_visit_days: param(&self.no_visit_days, "no_visit_days")?,
            page: pagination::parse_page(self.page.as_deref(), per_page)?,
            per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
