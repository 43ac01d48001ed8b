//! Small parsers for what a form or a JSON body brings as text: each
//! returns the value or records a field error, so that one pass over the
//! input gathers every message.

use chrono::NaiveDate;

use crate::error::{AppError, FieldErrors};

/// A trimmed value, `None` when empty.
pub fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A date `YYYY-MM-DD`; empty is `None` (an error when `required`).
pub fn date(
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
    // Years the database and the work can hold (PostgreSQL refuses dates
    // before 4713 BC, which chrono reads).
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
        .or_else(|| {
            errors.insert(field, "error-date-invalid");
            None
        })
}

/// A number; empty is `None`.
pub fn number<T: std::str::FromStr>(
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

/// A text of at most `max` characters, trimmed; empty is an error when
/// `required`.
pub fn text(
    v: &str,
    field: &'static str,
    max: usize,
    required: bool,
    errors: &mut FieldErrors,
) -> String {
    let t = v.trim().to_owned();
    if required && t.is_empty() {
        errors.insert(field, "error-required");
    } else if t.chars().count() > max {
        errors.insert(field, "error-too-long");
    }
    t
}

/// A free text of at most `max` characters, trimmed.
pub fn long_text(
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

/// A query parameter as a number or an id: `None` when absent or empty, a
/// field error naming the parameter when it does not read.
pub fn param<T: std::str::FromStr>(
    v: &Option<String>,
    field: &'static str,
) -> Result<Option<T>, AppError> {
    opt(v)
        .map(|s| {
            s.parse::<T>()
                .map_err(|_| AppError::field(field, "error-number"))
        })
        .transpose()
}

/// A query parameter as a date `YYYY-MM-DD`, like [`param`].
pub fn param_date(v: &Option<String>, field: &'static str) -> Result<Option<NaiveDate>, AppError> {
    opt(v)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::field(field, "error-date-invalid"))
        })
        .transpose()
}

/// A PATCH: the fields sent replace those of `base` (the record as the
/// form has it); the rest stay. The result is checked as a whole, as a
/// form would be.
pub fn merge<T>(base: &T, patch: serde_json::Value) -> Result<T, AppError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let mut merged = serde_json::to_value(base).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let (Some(fields), serde_json::Value::Object(patch)) = (merged.as_object_mut(), patch) else {
        return Err(AppError::BadRequest("a JSON object was expected".into()));
    };
    for (k, v) in patch {
        fields.insert(k, v);
    }
    match serde_json::from_value(merged.clone()) {
        Ok(v) => Ok(v),
        // Numbers where the input reads text, as in every JSON body.
        Err(e) => {
            super::lenient::from_value(&merged).map_err(|_| AppError::BadRequest(e.to_string()))
        }
    }
}
