//! A questionnaire and a response as sent (JSON, or the pages' forms
//! turned into the same shape), and their checks: every message gathered
//! in one pass.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Answer, ChoiceOption, Item, ItemKind, Point, Questionnaire, Subject, Texts};
use crate::error::{FieldErrors, Msg};
use crate::web::input::date;

/// The most items a questionnaire holds, and options an item offers.
pub const MAX_ITEMS: usize = 50;
pub const MAX_OPTIONS: usize = 12;

/// The ready-made questionnaires, by name.
pub const TEMPLATES: [&str; 1] = ["dk-goals"];

/// A ready-made questionnaire's definition.
pub fn template(name: &str) -> Option<QuestionnaireInput> {
    let text = match name {
        "dk-goals" => include_str!("dk_goals.json"),
        _ => return None,
    };
    serde_json::from_str(text).ok()
}

/// A questionnaire as sent. `{"template": "dk-goals"}` alone makes the
/// ready-made one.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct QuestionnaireInput {
    /// A ready-made questionnaire to start from (`dk-goals`: the Danish
    /// goals); its title and items are taken when none are sent.
    pub template: Option<String>,
    /// Language code -> title.
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: Texts,
    /// `mother` (intake and evaluation) or `family` (first and tenth visit).
    #[schema(value_type = Subject)]
    pub subject: String,
    pub items: Vec<ItemInput>,
    /// Retired: not offered for new answers.
    pub retired: bool,
}

/// An item as sent; `key` defaults to `q1`, `q2`, ... in order.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ItemInput {
    pub key: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub goal: Texts,
    #[schema(value_type = ItemKind)]
    pub kind: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: Texts,
    pub options: Vec<ChoiceOption>,
}

/// A questionnaire's checked fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionnaireData {
    pub title: Texts,
    pub subject: Subject,
    pub items: Vec<Item>,
    pub template: Option<String>,
    pub retired: bool,
}

impl QuestionnaireInput {
    pub fn of(q: &Questionnaire) -> QuestionnaireInput {
        QuestionnaireInput {
            template: q.template.clone(),
            title: q.title.clone(),
            subject: q.subject.to_string(),
            items: q
                .items
                .iter()
                .map(|i| ItemInput {
                    key: i.key.clone(),
                    goal: i.goal.clone(),
                    kind: i.kind.to_string(),
                    text: i.text.clone(),
                    options: i.options.clone(),
                })
                .collect(),
            retired: q.retired,
        }
    }

    /// The input with a ready-made questionnaire's title, subject and
    /// items where none were sent.
    pub fn with_template(mut self, errors: &mut FieldErrors) -> QuestionnaireInput {
        let Some(name) = self.template.clone() else {
            return self;
        };
        match template(name.trim()) {
            Some(t) => {
                if self.title.is_empty() {
                    self.title = t.title;
                }
                if self.subject.trim().is_empty() {
                    self.subject = t.subject;
                }
                if self.items.is_empty() {
                    self.items = t.items;
                }
                self.template = Some(name.trim().to_owned());
            }
            None => errors.insert("template", Msg::choice_of("error-choose-one", &TEMPLATES)),
        }
        self
    }

    pub fn validate(self) -> Result<QuestionnaireData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let input = self.with_template(&mut errors);
        let title = texts(&input.title, "title", 200, true, &mut errors);
        let subject = Subject::parse(input.subject.trim());
        if subject.is_none() {
            errors.insert("subject", Msg::choice_of("error-choose-one", &Subject::ALL));
        }
        if input.items.is_empty() || input.items.len() > MAX_ITEMS {
            errors.insert(
                "items",
                Msg::new("error-questionnaire-items").arg("max", MAX_ITEMS),
            );
            // Nothing more to check in a list that long (and no time spent on it).
            return Err(errors);
        }
        let mut items: Vec<Item> = Vec::new();
        for (n, i) in input.items.iter().enumerate() {
            let number = n + 1;
            let key = match i.key.trim() {
                "" => format!("q{number}"),
                k => k.to_owned(),
            };
            let bad_item = |errors: &mut FieldErrors| {
                errors.insert(
                    "items",
                    Msg::new("error-questionnaire-item").arg("number", number),
                );
            };
            if !is_key(&key) || items.iter().any(|x| x.key == key) {
                bad_item(&mut errors);
            }
            let kind = ItemKind::parse(i.kind.trim());
            let text = texts(&i.text, "items", 500, true, &mut errors);
            let goal = texts(&i.goal, "items", 200, false, &mut errors);
            let mut options: Vec<ChoiceOption> = Vec::new();
            if i.options.len() > MAX_OPTIONS {
                bad_item(&mut errors);
                continue;
            }
            for (m, o) in i.options.iter().enumerate() {
                let key = match o.key.trim() {
                    "" => format!("o{}", m + 1),
                    k => k.to_owned(),
                };
                if !is_key(&key) || options.iter().any(|x| x.key == key) {
                    bad_item(&mut errors);
                }
                let text = texts(&o.text, "items", 200, true, &mut errors);
                options.push(ChoiceOption { key, text });
            }
            match kind {
                Some(ItemKind::Choice) if !(2..=MAX_OPTIONS).contains(&options.len()) => {
                    bad_item(&mut errors)
                }
                Some(ItemKind::Scale) if !options.is_empty() => bad_item(&mut errors),
                None => bad_item(&mut errors),
                _ => {}
            }
            items.push(Item {
                key,
                goal,
                kind: kind.unwrap_or(ItemKind::Scale),
                text,
                options,
            });
        }
        match subject {
            Some(subject) if errors.is_empty() => Ok(QuestionnaireData {
                title,
                subject,
                items,
                template: input.template,
                retired: input.retired,
            }),
            _ => Err(errors),
        }
    }
}

/// A key: 1 to 40 of `a-z`, `0-9`, `_`.
fn is_key(k: &str) -> bool {
    (1..=40).contains(&k.len())
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Texts per language, trimmed, empty ones dropped: each language a known
/// code, each text at most `max` characters; one at least if `required`.
fn texts(
    t: &Texts,
    field: &'static str,
    max: usize,
    required: bool,
    errors: &mut FieldErrors,
) -> Texts {
    let mut out = Texts::new();
    for (lang, text) in t {
        let lang = lang.trim().to_ascii_lowercase();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if isolang::Language::from_639_1(&lang).is_none() {
            errors.insert(field, "error-languages-unknown");
        } else if text.chars().count() > max {
            errors.insert(field, "error-too-long");
        } else {
            out.insert(lang, text.to_owned());
        }
    }
    if required && out.is_empty() {
        errors.insert(field, "error-required");
    }
    out
}

/// A response as sent: the point, the person (`mother_id` for a mother's
/// questionnaire, `family_id` for a family's), the date and the answers
/// (item key -> 1 to 5, or an option's key). Items left out are not
/// answered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ResponseInput {
    #[schema(required = true, value_type = Point)]
    pub point: String,
    #[schema(value_type = Option<i64>, format = Int64)]
    pub mother_id: Option<String>,
    #[schema(value_type = Option<i64>, format = Int64)]
    pub family_id: Option<String>,
    #[schema(required = true, format = Date)]
    pub answered_on: String,
    #[schema(value_type = BTreeMap<String, Answer>)]
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// A response's checked fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseData {
    pub point: Point,
    pub mother_id: Option<i64>,
    pub family_id: Option<i64>,
    pub answered_on: chrono::NaiveDate,
    pub answers: BTreeMap<String, Answer>,
}

impl ResponseInput {
    pub fn validate(&self, q: &Questionnaire) -> Result<ResponseData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let point = Point::parse(self.point.trim()).filter(|p| q.subject.points().contains(p));
        if point.is_none() {
            errors.insert(
                "point",
                Msg::choice_of("error-choose-one", &q.subject.points()),
            );
        }
        let id = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<i64>().map_err(|_| ()))
        };
        let (mother_id, family_id) = match q.subject {
            Subject::Mother => match id(&self.mother_id) {
                Some(Ok(m)) => (Some(m), None),
                Some(Err(())) => {
                    errors.insert("mother_id", "error-mother-unknown");
                    (None, None)
                }
                None => {
                    errors.insert("mother_id", "error-required");
                    (None, None)
                }
            },
            Subject::Family => match id(&self.family_id) {
                Some(Ok(f)) => (None, Some(f)),
                Some(Err(())) => {
                    errors.insert("family_id", "error-family-unknown");
                    (None, None)
                }
                None => {
                    errors.insert("family_id", "error-required");
                    (None, None)
                }
            },
        };
        let answered_on = date(&self.answered_on, "answered_on", true, &mut errors);
        let mut answers = BTreeMap::new();
        for (key, value) in &self.answers {
            let Some(item) = q.item(key) else {
                errors.insert("answers", Msg::new("error-answer-unknown-item"));
                continue;
            };
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) if s.trim().is_empty() => continue,
                serde_json::Value::String(s) => s.trim().to_owned(),
                other => other.to_string(),
            };
            let answer = match item.kind {
                ItemKind::Scale => text
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=5).contains(n))
                    .map(Answer::Scale),
                ItemKind::Choice => item
                    .options
                    .iter()
                    .any(|o| o.key == text)
                    .then_some(Answer::Choice(text)),
            };
            match answer {
                Some(a) => {
                    answers.insert(key.clone(), a);
                }
                None => errors.insert(
                    "answers",
                    Msg::new("error-answer-invalid").arg("item", key.clone()),
                ),
            }
        }
        if answers.is_empty() && errors.get("answers").is_none() {
            errors.insert("answers", "error-answers-none");
        }
        match (point, answered_on) {
            (Some(point), Some(answered_on)) if errors.is_empty() => Ok(ResponseData {
                point,
                mother_id,
                family_id,
                answered_on,
                answers,
            }),
            _ => Err(errors),
        }
    }
}
