//! Input for programmes and districts, as typed into a form or sent as JSON,
//! and its validation into the model's types. HTML forms and the JSON API
//! share these types, so the rules are written once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use std::collections::HashMap;

use super::model::{DistrictData, Programme, ProgrammeData, WorkerWord};
use crate::error::FieldErrors;
use crate::web::input::{date, text};

/// A programme as typed: every field a string, so that a form with errors
/// can be shown again exactly as the user typed it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeInput {
    #[schema(example = "Stadtteilmütter Neukölln", required = true, min_length = 1)]
    pub name: String,
    #[schema(example = "Berlin", required = true)]
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "DE", required = true)]
    pub country: String,
    /// ISO 4217 currency code.
    #[schema(example = "EUR", required = true)]
    pub currency: String,
    /// ISO 639-1 language code.
    #[schema(example = "de", required = true)]
    pub default_language: String,
    /// `YYYY-MM-DD`.
    #[schema(example = "2004-09-01", format = Date, required = true)]
    pub start_date: String,
    /// `YYYY-MM-DD`; empty or absent when the programme runs on.
    #[schema(example = "", format = Date)]
    pub end_date: Option<String>,
    pub description: Option<String>,
    /// Percent of a course's modules a mother must attend to complete it
    /// (1 to 100; default 80).
    #[schema(example = 80, value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub completion_threshold_percent: Option<String>,
    /// `"true"` (or a ticked checkbox) when mothers in training may make
    /// practice visits.
    pub practice_visits_allowed: Option<String>,
    /// How contacts arise, the programme's own list for the conversation
    /// form: one per line (or a list), at most 20 of at most 100 characters.
    #[schema(value_type = Option<String>, example = "through her own network\nat an event")]
    pub contact_origins: Option<Lines>,
    /// `true` (or `"true"`, a ticked checkbox): the conversation form starts
    /// with an anonymous contact.
    #[schema(value_type = Option<bool>)]
    pub anonymous_by_default: Option<Flag>,
    /// Months the personal details of closed families and of mothers who
    /// left are kept (1 to 240); empty keeps them until erased by hand.
    #[schema(example = 24, value_type = Option<i32>, minimum = 1, maximum = 240)]
    pub retention_months: Option<String>,
}

/// Yes or no, as JSON (`true`) or as a form sends it (`"true"`, `"on"`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

impl Flag {
    pub fn is_set(&self) -> bool {
        match self {
            Flag::Bool(b) => *b,
            Flag::Text(t) => matches!(t.trim(), "true" | "on" | "1" | "yes"),
        }
    }
}

/// Text lines: one string with a line each (a form's text area) or a list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Lines {
    Text(String),
    List(Vec<String>),
}

impl Lines {
    fn items(&self) -> Vec<String> {
        match self {
            Lines::Text(t) => t.lines().map(str::to_owned).collect(),
            Lines::List(l) => l.clone(),
        }
    }

    /// As the text area shows them.
    pub fn text(&self) -> String {
        self.items().join("\n")
    }
}

impl From<&Programme> for ProgrammeInput {
    fn from(p: &Programme) -> Self {
        Self {
            name: p.name.clone(),
            city: p.city.clone(),
            country: p.country.clone(),
            currency: p.currency.clone(),
            default_language: p.default_language.clone(),
            start_date: p.start_date.to_string(),
            end_date: p.end_date.map(|d| d.to_string()),
            description: Some(p.description.clone()),
            completion_threshold_percent: Some(p.completion_threshold_percent.to_string()),
            practice_visits_allowed: p.practice_visits_allowed.then(|| "true".to_owned()),
            contact_origins: Some(Lines::Text(p.contact_origins.join("\n"))),
            anonymous_by_default: Some(Flag::Bool(p.anonymous_by_default)),
            retention_months: p.retention_months.map(|m| m.to_string()),
        }
    }
}

impl ProgrammeInput {
    pub fn anonymous_default(&self) -> bool {
        self.anonymous_by_default.as_ref().is_some_and(Flag::is_set)
    }

    /// The list of how contacts arise, as the text area shows it.
    pub fn origins_text(&self) -> String {
        self.contact_origins
            .as_ref()
            .map(Lines::text)
            .unwrap_or_default()
    }

    pub fn practice_visits(&self) -> bool {
        matches!(
            self.practice_visits_allowed.as_deref().map(str::trim),
            Some("true" | "on" | "1" | "yes")
        )
    }
}

const MAX_NAME: usize = 200;
const MAX_DESCRIPTION: usize = 10_000;

impl TryFrom<&ProgrammeInput> for ProgrammeData {
    type Error = FieldErrors;

    fn try_from(input: &ProgrammeInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(&input.name, "name", MAX_NAME, true, &mut errors);
        let city = text(&input.city, "city", MAX_NAME, true, &mut errors);

        let country = input.country.trim().to_ascii_uppercase();
        if country.is_empty() {
            errors.insert("country", "error-required");
        } else if rust_iso3166::from_alpha2(&country).is_none() {
            errors.insert("country", "error-country-unknown");
        }

        let currency = input.currency.trim().to_ascii_uppercase();
        if currency.is_empty() {
            errors.insert("currency", "error-required");
        } else if iso_currency::Currency::from_code(&currency).is_none() {
            errors.insert("currency", "error-currency-unknown");
        }

        let default_language = input.default_language.trim().to_ascii_lowercase();
        if default_language.is_empty() {
            errors.insert("default_language", "error-required");
        } else if isolang::Language::from_639_1(&default_language).is_none() {
            errors.insert("default_language", "error-language-unknown");
        }

        let start_date = date(&input.start_date, "start_date", false, &mut errors);
        if input.start_date.trim().is_empty() {
            errors.insert("start_date", "error-required");
        }
        let end_date = input
            .end_date
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| date(s, "end_date", false, &mut errors));
        if let (Some(start), Some(end)) = (start_date, end_date)
            && end < start
        {
            errors.insert("end_date", "error-end-before-start");
        }

        let description = input.description.as_deref().unwrap_or("").trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION {
            errors.insert("description", "error-too-long");
        }

        let threshold = match input
            .completion_threshold_percent
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => 80,
            Some(s) => match s.parse::<i16>() {
                Ok(v) if (1..=100).contains(&v) => v,
                _ => {
                    errors.insert("completion_threshold_percent", "error-percent");
                    80
                }
            },
        };

        let retention_months = match input
            .retention_months
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match s.parse::<i32>() {
                Ok(v) if (1..=240).contains(&v) => Some(v),
                _ => {
                    errors.insert("retention_months", "error-retention-months");
                    None
                }
            },
        };

        let mut contact_origins: Vec<String> = Vec::new();
        for line in input
            .contact_origins
            .as_ref()
            .map(|l| l.items())
            .unwrap_or_default()
        {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() || contact_origins.contains(&line) {
                continue;
            }
            if line.chars().count() > 100 {
                errors.insert("contact_origins", "error-too-long");
            }
            contact_origins.push(line);
        }
        if contact_origins.len() > 20 {
            errors.insert("contact_origins", "error-origins-too-many");
        }

        match (errors.is_empty(), start_date) {
            (true, Some(start_date)) => Ok(ProgrammeData {
                contact_origins,
                anonymous_by_default: input.anonymous_default(),
                retention_months,
                name,
                city,
                country,
                currency,
                default_language,
                start_date,
                end_date,
                description,
                completion_threshold_percent: threshold,
                practice_visits_allowed: input.practice_visits(),
            }),
            _ => Err(errors),
        }
    }
}

/// A district as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DistrictInput {
    #[schema(example = "Neukölln-Nord", required = true, min_length = 1)]
    pub name: String,
}

impl TryFrom<&DistrictInput> for DistrictData {
    type Error = FieldErrors;

    fn try_from(input: &DistrictInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(&input.name, "name", MAX_NAME, true, &mut errors);
        if errors.is_empty() {
            Ok(DistrictData { name })
        } else {
            Err(errors)
        }
    }
}

/// What a programme calls its workers in one language, as typed: the
/// singular and the plural, as written in the middle of a sentence. The
/// API sends and answers them by language:
/// `{"de": {"one": "Stadtteilmutter", "other": "Stadtteilmütter"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct WordPair {
    #[schema(example = "Stadtteilmutter")]
    pub one: String,
    #[schema(example = "Stadtteilmütter")]
    pub other: String,
}

/// One language's words, as typed (both empty: the language's usual word).
#[derive(Debug, Clone, Default)]
pub struct WorkerWordInput {
    /// An interface language (`de`, `da`, `tr`, `ar`, `en`).
    pub language: String,
    pub one: String,
    pub other: String,
}

impl WorkerWordInput {
    /// The API's words by language.
    pub fn from_map(words: std::collections::BTreeMap<String, WordPair>) -> Vec<Self> {
        words
            .into_iter()
            .map(|(language, w)| Self {
                language,
                one: w.one,
                other: w.other,
            })
            .collect()
    }

    /// The form's fields `worker_one_de`, `worker_other_de`, …: one entry
    /// for each interface language.
    pub fn from_form(fields: &HashMap<String, String>) -> Vec<Self> {
        let get = |k: String| fields.get(&k).cloned().unwrap_or_default();
        crate::web::i18n::available()
            .into_iter()
            .map(|language| Self {
                one: get(format!("worker_one_{language}")),
                other: get(format!("worker_other_{language}")),
                language,
            })
            .collect()
    }

    /// The form's entries for a programme's words: one per language.
    pub fn for_form(words: &[WorkerWord]) -> Vec<Self> {
        crate::web::i18n::available()
            .into_iter()
            .map(
                |language| match words.iter().find(|w| w.language == language) {
                    Some(w) => Self {
                        language,
                        one: w.one.clone(),
                        other: w.other.clone(),
                    },
                    None => Self {
                        language,
                        ..Self::default()
                    },
                },
            )
            .collect()
    }
}

/// The longest word a programme may set (the column allows 60).
const MAX_WORKER_WORD: usize = 60;

/// Validates a programme's words for its workers. Errors name the form's
/// fields (`worker_one_de`); an unknown language is an error on `language`.
pub fn worker_words(input: &[WorkerWordInput]) -> Result<Vec<WorkerWord>, FieldErrors> {
    let languages = crate::web::i18n::available();
    let mut errors = FieldErrors::new();
    let mut out: Vec<WorkerWord> = Vec::new();
    for w in input {
        let language = w.language.trim().to_ascii_lowercase();
        if !languages.contains(&language) {
            errors.insert("language", "error-language-not-translated");
            continue;
        }
        let (one, other) = (collapse(&w.one), collapse(&w.other));
        if one.is_empty() && other.is_empty() {
            continue;
        }
        for (kind, word) in [("one", &one), ("other", &other)] {
            let key = worker_field(kind, &language);
            if word.is_empty() {
                errors.insert(key, "error-required");
            } else if word.chars().count() > MAX_WORKER_WORD {
                errors.insert(key, "error-too-long");
            }
        }
        out.push(WorkerWord {
            language,
            one,
            other,
        });
    }
    if errors.is_empty() {
        out.sort_by(|a, b| a.language.cmp(&b.language));
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Inner runs of white space as one space, none at the ends.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form field of a word (`worker_one_de`), for its error. Field names
/// are `&'static str`; the few languages' names are leaked once each.
fn worker_field(kind: &str, language: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let name = format!("worker_{kind}_{language}");
    let mut names = NAMES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(n) = names.iter().find(|n| **n == name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.into_boxed_str());
    names.push(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ProgrammeInput {
        ProgrammeInput {
            name: " Bydelsmødre København ".into(),
            city: "København".into(),
            country: "dk".into(),
            currency: "dkk".into(),
            default_language: "DA".into(),
            start_date: "2007-01-01".into(),
            end_date: Some("".into()),
            description: None,
            completion_threshold_percent: None,
            practice_visits_allowed: None,
            contact_origins: None,
            anonymous_by_default: None,
            retention_months: None,
        }
    }

    #[test]
    fn valid_input_is_normalised() {
        let d = ProgrammeData::try_from(&valid()).expect("valid");
        assert_eq!(d.name, "Bydelsmødre København");
        assert_eq!((d.country.as_str(), d.currency.as_str()), ("DK", "DKK"));
        assert_eq!(d.default_language, "da");
        assert_eq!(d.end_date, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        let input = ProgrammeInput {
            name: "  ".into(),
            country: "XX".into(),
            currency: "EUX".into(),
            default_language: "xx".into(),
            start_date: "2020-05-01".into(),
            end_date: Some("2020-04-30".into()),
            ..valid()
        };
        let e = ProgrammeData::try_from(&input).expect_err("invalid input");
        assert_eq!(e.key("name"), Some("error-required"));
        assert_eq!(e.key("country"), Some("error-country-unknown"));
        assert_eq!(e.key("currency"), Some("error-currency-unknown"));
        assert_eq!(e.key("default_language"), Some("error-language-unknown"));
        assert_eq!(e.key("end_date"), Some("error-end-before-start"));
        assert_eq!(e.key("city"), None);
    }

    #[test]
    fn malformed_dates_are_errors() {
        let input = ProgrammeInput {
            start_date: "1.1.2020".into(),
            ..valid()
        };
        let e = ProgrammeData::try_from(&input).expect_err("invalid input");
        assert_eq!(e.key("start_date"), Some("error-date-invalid"));
    }
}
