//! Input for funders, grants, expenses and allowance runs, as typed into a
//! form or sent as JSON, and its validation into the model's types. HTML
//! forms and the JSON API share these types, so the rules are written once.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{
    ExpenseCategory, ExpenseData, FunderData, FunderKind, GrantData, GrantStatus, Owner,
};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::ids::{DistrictId, ExpenseId, FunderId, GrantId, ProgrammeId};
use crate::money;
use crate::web::input::{date, text};

/// The currency of an amount: the programme's when not given; upper case.
fn currency(v: &Option<String>, programme_currency: &str, errors: &mut FieldErrors) -> String {
    let c = v
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| programme_currency.to_owned());
    if iso_currency::Currency::from_code(&c).is_none() {
        errors.insert("currency", "error-currency-unknown");
    }
    c
}

fn amount(v: &str, currency: &str, errors: &mut FieldErrors) -> i64 {
    if v.trim().is_empty() {
        errors.insert("amount", "error-required");
        return 0;
    }
    money::parse(v, money::exponent(currency)).unwrap_or_else(|e| {
        errors.insert("amount", e.msg());
        0
    })
}

/// A funder as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FunderInput {
    /// The programme the funder belongs to. When creating, it defaults to
    /// the caller's only programme (an administrator's funder: shared);
    /// when changing, leave it out to keep the owner. `""` makes the funder
    /// shared with every programme (administrators only).
    #[schema(value_type = Option<i64>, format = Int64)]
    pub programme_id: Option<String>,
    #[schema(required = true, min_length = 1)]
    pub name: String,
    /// `government`, `municipality`, `foundation`, `eu_fund`,
    /// `private_donor` or `own_capital`.
    #[schema(required = true, value_type = crate::funding::model::FunderKind)]
    pub kind: String,
    /// ISO 3166-1 alpha-2, optional.
    pub country: Option<String>,
    pub contact: Option<String>,
}

impl FunderInput {
    /// A funder as its form shows it (its owner left out: kept).
    pub fn from_funder(f: &super::model::Funder) -> Self {
        FunderInput {
            programme_id: None,
            name: f.name.clone(),
            kind: f.kind.to_string(),
            country: f.country.clone(),
            contact: Some(f.contact.clone()),
        }
    }

    pub fn is_owner(&self, id: &ProgrammeId) -> bool {
        self.programme_id.as_deref().map(str::trim) == Some(id.to_string().as_str())
    }

    pub fn validate(&self) -> Result<(Owner, FunderData), FieldErrors> {
        let mut errors = FieldErrors::new();
        let owner = match self.programme_id.as_deref().map(str::trim) {
            None => Owner::Default,
            Some("") => Owner::Shared,
            Some(p) => p
                .parse()
                .map(|p| Owner::Programme(ProgrammeId(p)))
                .unwrap_or_else(|_| {
                    errors.insert("programme_id", "error-programme-unknown");
                    Owner::Default
                }),
        };
        let name = text(&self.name, "name", 200, true, &mut errors);
        let kind = FunderKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.insert(
                "kind",
                crate::error::Msg::choice_of("error-choose-one", &FunderKind::ALL),
            );
        }
        let country = self
            .country
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty());
        if let Some(c) = &country
            && rust_iso3166::from_alpha2(c).is_none()
        {
            errors.insert("country", "error-country-unknown");
        }
        let contact = text(
            self.contact.as_deref().unwrap_or(""),
            "contact",
            500,
            false,
            &mut errors,
        );
        match kind {
            Some(kind) if errors.is_empty() => Ok((
                owner,
                FunderData {
                    name,
                    kind,
                    country,
                    contact,
                },
            )),
            _ => Err(errors),
        }
    }
}

/// A grant as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct GrantInput {
    /// Only when creating.
    #[schema(value_type = Option<i64>, format = Int64)]
    pub programme_id: Option<String>,
    #[schema(required = true, value_type = i64, format = Int64)]
    pub funder_id: String,
    pub reference: Option<String>,
    /// A decimal amount (`"126000"`, `"27500.50"`).
    #[schema(required = true)]
    pub amount: String,
    /// ISO 4217; must be the programme's currency (default).
    pub currency: Option<String>,
    #[schema(format = Date, required = true)]
    pub starts_on: String,
    #[schema(format = Date, required = true)]
    pub ends_on: String,
    pub purpose: Option<String>,
    /// `applied`, `granted`, `rejected` or `closed`.
    #[schema(required = true, value_type = crate::funding::model::GrantStatus)]
    pub status: String,
    /// Restricted to these districts (none: the whole programme).
    #[schema(value_type = Vec<i64>)]
    pub district_ids: Vec<String>,
}

impl GrantInput {
    /// A grant as its form shows it.
    pub fn from_grant(g: &super::model::GrantDetail) -> Self {
        let d = &g.grant;
        GrantInput {
            programme_id: None,
            funder_id: d.funder_id.to_string(),
            reference: Some(d.reference.clone()),
            amount: money::format(d.amount_minor, money::exponent(&d.currency)),
            currency: Some(d.currency.clone()),
            starts_on: d.starts_on.to_string(),
            ends_on: d.ends_on.to_string(),
            purpose: Some(d.purpose.clone()),
            status: d.status.to_string(),
            district_ids: g.district_ids.iter().map(ToString::to_string).collect(),
        }
    }

    pub fn programme(&self) -> Option<ProgrammeId> {
        self.programme_id
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .map(ProgrammeId)
    }

    pub fn has_district(&self, id: &DistrictId) -> bool {
        self.district_ids.iter().any(|d| d.trim() == id.to_string())
    }

    pub fn validate(&self, programme_currency: &str) -> Result<GrantData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let funder_id = FunderId(self.funder_id.trim().parse::<i64>().unwrap_or_else(|_| {
            errors.insert("funder_id", "error-funder-unknown");
            0
        }));
        let reference = text(
            self.reference.as_deref().unwrap_or(""),
            "reference",
            200,
            false,
            &mut errors,
        );
        let currency = currency(&self.currency, programme_currency, &mut errors);
        let amount_minor = amount(&self.amount, &currency, &mut errors);
        let starts_on = date(&self.starts_on, "starts_on", true, &mut errors);
        let ends_on = date(&self.ends_on, "ends_on", true, &mut errors);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.insert("ends_on", "error-end-before-start");
        }
        let purpose = text(
            self.purpose.as_deref().unwrap_or(""),
            "purpose",
            2000,
            false,
            &mut errors,
        );
        let status = GrantStatus::parse(self.status.trim());
        if status.is_none() {
            errors.insert(
                "status",
                crate::error::Msg::choice_of("error-choose-one", &GrantStatus::ALL),
            );
        }
        let mut district_ids = Vec::new();
        for d in &self.district_ids {
            match d.trim().parse::<i64>() {
                Ok(v) => district_ids.push(DistrictId(v)),
                Err(_) => {
                    errors.insert("district_ids", "error-district-unknown");
                }
            }
        }
        district_ids.sort_unstable();
        district_ids.dedup();
        match (starts_on, ends_on, status) {
            (Some(starts_on), Some(ends_on), Some(status)) if errors.is_empty() => Ok(GrantData {
                funder_id,
                reference,
                amount_minor,
                currency,
                starts_on,
                ends_on,
                purpose,
                status,
                district_ids,
            }),
            _ => Err(errors),
        }
    }
}

/// An expense as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ExpenseInput {
    /// Only when creating.
    #[schema(value_type = Option<i64>, format = Int64)]
    pub programme_id: Option<String>,
    #[schema(format = Date, required = true)]
    pub spent_on: String,
    /// `allowances`, `training`, `coordination`, `interpreters`, `events`,
    /// `materials` or `other`.
    #[schema(required = true, value_type = crate::funding::model::ExpenseCategory)]
    pub category: String,
    /// A decimal amount.
    #[schema(required = true)]
    pub amount: String,
    /// ISO 4217; must be the programme's currency (default).
    pub currency: Option<String>,
    /// The grant it is charged to, optional.
    #[schema(value_type = Option<i64>, format = Int64)]
    pub grant_id: Option<String>,
    pub note: Option<String>,
}

impl ExpenseInput {
    /// An expense as its form shows it.
    pub fn from_expense(e: &super::model::Expense) -> Self {
        ExpenseInput {
            programme_id: Some(e.programme_id.to_string()),
            spent_on: e.spent_on.to_string(),
            category: e.category.to_string(),
            amount: money::format(e.amount_minor, money::exponent(&e.currency)),
            currency: Some(e.currency.clone()),
            grant_id: e.grant_id.map(|g| g.to_string()),
            note: Some(e.note.clone()),
        }
    }

    pub fn programme(&self) -> Option<ProgrammeId> {
        self.programme_id
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .map(ProgrammeId)
    }

    pub fn validate(&self, programme_currency: &str) -> Result<ExpenseData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let spent_on = date(&self.spent_on, "spent_on", true, &mut errors);
        let category = ExpenseCategory::parse(self.category.trim());
        if category.is_none() {
            errors.insert(
                "category",
                crate::error::Msg::choice_of("error-choose-one", &ExpenseCategory::ALL),
            );
        }
        let currency = currency(&self.currency, programme_currency, &mut errors);
        let amount_minor = amount(&self.amount, &currency, &mut errors);
        let grant_id = grant(&self.grant_id, &mut errors);
        let note = text(
            self.note.as_deref().unwrap_or(""),
            "note",
            2000,
            false,
            &mut errors,
        );
        match (spent_on, category) {
            (Some(spent_on), Some(category)) if errors.is_empty() => Ok(ExpenseData {
                spent_on,
                category,
                amount_minor,
                currency,
                grant_id,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// Starting a month's allowance run.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AllowanceRunInput {
    pub programme_id: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The grant the payments are charged to, optional.
    pub grant_id: Option<String>,
}

impl AllowanceRunInput {
    pub fn validate(&self) -> Result<(ProgrammeId, NaiveDate, Option<GrantId>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let programme = ProgrammeId(self.programme_id.trim().parse::<i64>().unwrap_or_else(|_| {
            errors.insert("programme_id", "error-programme-unknown");
            0
        }));
        let month = parse_month(&self.month);
        if month.is_none() {
            errors.insert("month", "error-month-invalid");
        }
        let grant = grant(&self.grant_id, &mut errors);
        match month {
            Some(m) if errors.is_empty() => Ok((programme, m, grant)),
            _ => Err(errors),
        }
    }
}

/// An optional grant as typed: empty is none.
fn grant(v: &Option<String>, errors: &mut FieldErrors) -> Option<GrantId> {
    v.as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .and_then(|g| {
            g.parse::<i64>()
                .map(GrantId)
                .map_err(|_| errors.insert("grant_id", "error-grant-unknown"))
                .ok()
        })
}

/// `YYYY-MM` (or a full date) -> the month's first day.
pub fn parse_month(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .ok()
        .map(super::model::month_start)
}

/// A run's month as in a path (`YYYY-MM`); "not found" otherwise.
pub fn run_month(v: &str) -> AppResult<NaiveDate> {
    parse_month(v).ok_or(AppError::NotFound)
}

/// The review form of a month's run: `amount<expense id>` for each draft
/// payment, and `then` = `save` or `confirm`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct RunReviewInput(pub HashMap<String, String>);

impl RunReviewInput {
    /// The amount typed for a payment, if the form has its field.
    pub fn amount(&self, payment: ExpenseId) -> Option<&str> {
        self.0.get(&format!("amount{payment}")).map(String::as_str)
    }

    /// Whether the payments are to be confirmed after saving.
    pub fn confirm(&self) -> bool {
        self.0.get("then").map(String::as_str) == Some("confirm")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_rules() {
        let g = GrantInput {
            funder_id: "1".into(),
            amount: "126000".into(),
            starts_on: "2015-01-01".into(),
            ends_on: "2017-12-31".into(),
            status: "granted".into(),
            ..Default::default()
        }
        .validate("EUR")
        .expect("valid");
        assert_eq!(g.amount_minor, 12_600_000);
        assert_eq!(g.currency, "EUR");
        let e = GrantInput {
            amount: "12,5,0".into(),
            currency: Some("XYZ".into()),
            starts_on: "2017-01-01".into(),
            ends_on: "2016-01-01".into(),
            ..Default::default()
        }
        .validate("EUR")
        .expect_err("invalid");
        assert_eq!(e.key("currency"), Some("error-currency-unknown"));
        assert_eq!(e.key("ends_on"), Some("error-end-before-start"));
        assert_eq!(e.key("status"), Some("error-choose-one"));
        assert_eq!(parse_month("2012-05"), NaiveDate::from_ymd_opt(2012, 5, 1));
        assert_eq!(parse_month("May"), None);
    }
}
