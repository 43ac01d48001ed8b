//! Questionnaires and their responses, as stored: a questionnaire's
//! title and items are one JSON document (texts per language), a
//! response is one person's answers at one point of the work.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{ProgrammeId, QuestionnaireId};
use crate::schema::{questionnaire_responses as responses, questionnaires};

/// A text in several languages: language code (ISO 639-1) -> text.
pub type Texts = BTreeMap<String, String>;

/// The text in `lang`, else in English, else in the first language given.
pub fn text_in<'a>(texts: &'a Texts, lang: &str) -> &'a str {
    texts
        .get(lang)
        .or_else(|| texts.get("en"))
        .or_else(|| texts.values().next())
        .map_or("", String::as_str)
}

crate::text_enum! {
    /// Whom a questionnaire asks.
    pub enum Subject {
        /// The mothers in training (intake and evaluation).
        Mother = "mother",
        /// The families visited (first and tenth visit).
        Family = "family",
    }
}

crate::text_enum! {
    /// When a questionnaire is given.
    pub enum Point {
        /// A mother's, at the introduction module.
        Intake = "intake",
        /// A mother's, at the last module.
        Evaluation = "evaluation",
        /// A family's, at the first visit.
        FirstVisit = "first_visit",
        /// A family's, at the tenth visit.
        TenthVisit = "tenth_visit",
    }
}

impl Subject {
    /// The points it is given at: before, then after.
    pub fn points(self) -> [Point; 2] {
        match self {
            Subject::Mother => [Point::Intake, Point::Evaluation],
            Subject::Family => [Point::FirstVisit, Point::TenthVisit],
        }
    }
}

crate::text_enum! {
    /// How an item is answered.
    pub enum ItemKind {
        /// 1 (not at all) to 5 (completely).
        Scale = "scale",
        /// One of the item's options.
        Choice = "choice",
    }
}

/// One option of a multiple-choice item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChoiceOption {
    /// Defaults to `o1`, `o2`, ... in order.
    #[serde(default)]
    pub key: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: Texts,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Item {
    /// Stable within the questionnaire; answers are keyed by it.
    pub key: String,
    /// The goal it measures (texts per language; empty: none).
    #[schema(value_type = BTreeMap<String, String>)]
    #[serde(default)]
    pub goal: Texts,
    pub kind: ItemKind,
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: Texts,
    /// For `choice` items: at least two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
}

/// A programme's questionnaire.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Questionnaire {
    #[schema(value_type = i64)]
    pub id: QuestionnaireId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: Texts,
    pub subject: Subject,
    pub items: Vec<Item>,
    /// The ready-made questionnaire it was made from (`dk-goals`), if any.
    pub template: Option<String>,
    /// Retired: no longer offered for new answers; its answers stay.
    pub retired: bool,
}

type Row = (
    QuestionnaireId,
    ProgrammeId,
    serde_json::Value,
    Subject,
    serde_json::Value,
    Option<String>,
    Option<chrono::DateTime<chrono::Utc>>,
);

fn of_row(r: Row) -> QueryResult<Questionnaire> {
    let bad = |e: serde_json::Error| diesel::result::Error::DeserializationError(Box::new(e));
    Ok(Questionnaire {
        id: r.0,
        programme_id: r.1,
        title: serde_json::from_value(r.2).map_err(bad)?,
        subject: r.3,
        items: serde_json::from_value(r.4).map_err(bad)?,
        template: r.5,
        retired: r.6.is_some(),
    })
}

impl Questionnaire {
    /// The programme's questionnaires, oldest first.
    pub async fn of_programme(
        conn: &mut AsyncPgConnection,
        programme: ProgrammeId,
    ) -> QueryResult<Vec<Questionnaire>> {
        Questionnaire::of_programmes(conn, &[programme.0]).await
    }

    pub async fn of_programmes(
        conn: &mut AsyncPgConnection,
        programmes: &[i64],
    ) -> QueryResult<Vec<Questionnaire>> {
        let rows: Vec<Row> = questionnaires::table
            .filter(questionnaires::programme_id.eq_any(programmes))
            .order(questionnaires::id)
            .select(COLUMNS)
            .load(conn)
            .await?;
        rows.into_iter().map(of_row).collect()
    }

    /// One questionnaire, if the scope reaches it.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: QuestionnaireId,
    ) -> QueryResult<Questionnaire> {
        let row: Row = questionnaires::table
            .find(id)
            .select(COLUMNS)
            .first(conn)
            .await?;
        let q = of_row(row)?;
        scope.visible(q.programme_id, q)
    }

    /// Locks the questionnaire's row for the transaction (answers and
    /// changes to it one after the other), if the scope reaches it.
    pub async fn lock(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: QuestionnaireId,
    ) -> QueryResult<Questionnaire> {
        questionnaires::table
            .find(id)
            .select(questionnaires::id)
            .for_update()
            .first::<QuestionnaireId>(conn)
            .await?;
        Questionnaire::find(conn, scope, id).await
    }

    pub fn title_in(&self, lang: &str) -> &str {
        text_in(&self.title, lang)
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }
}

const COLUMNS: (
    questionnaires::id,
    questionnaires::programme_id,
    questionnaires::title,
    questionnaires::subject,
    questionnaires::items,
    questionnaires::template,
    questionnaires::retired_at,
) = (
    questionnaires::id,
    questionnaires::programme_id,
    questionnaires::title,
    questionnaires::subject,
    questionnaires::items,
    questionnaires::template,
    questionnaires::retired_at,
);

/// An answer: a scale's 1 to 5, or a choice's option key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    Scale(i64),
    Choice(String),
}

/// One person's answers at one point.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Response {
    pub id: i64,
    #[schema(value_type = i64)]
    pub questionnaire_id: QuestionnaireId,
    pub point: Point,
    pub mother_id: Option<i64>,
    pub family_id: Option<i64>,
    pub answered_on: NaiveDate,
    /// Item key -> answer.
    pub answers: BTreeMap<String, Answer>,
}

type ResponseRow = (
    i64,
    QuestionnaireId,
    Point,
    Option<i64>,
    Option<i64>,
    NaiveDate,
    serde_json::Value,
);

/// Which responses of a questionnaire to read.
#[derive(Debug, Clone, Copy)]
pub enum Whose {
    Everyone,
    Mother(i64),
    Family(i64),
    /// One response, by its id.
    One(i64),
}

impl Response {
    /// A questionnaire's responses, newest first.
    pub async fn of_questionnaire(
        conn: &mut AsyncPgConnection,
        id: QuestionnaireId,
    ) -> QueryResult<Vec<Response>> {
        Response::of(conn, id, Whose::Everyone).await
    }

    /// A questionnaire's responses of one person (or one by id), newest
    /// first: filtered in the query, not after loading them all.
    pub async fn of(
        conn: &mut AsyncPgConnection,
        id: QuestionnaireId,
        whose: Whose,
    ) -> QueryResult<Vec<Response>> {
        let mut q = responses::table
            .filter(responses::questionnaire_id.eq(id))
            .into_boxed();
        q = match whose {
            Whose::Everyone => q,
            Whose::Mother(m) => q.filter(responses::mother_id.eq(m)),
            Whose::Family(f) => q.filter(responses::family_id.eq(f)),
            Whose::One(r) => q.filter(responses::id.eq(r)),
        };
        let rows: Vec<ResponseRow> = q
            .order((responses::answered_on.desc(), responses::id.desc()))
            .select((
                responses::id,
                responses::questionnaire_id,
                responses::point,
                responses::mother_id,
                responses::family_id,
                responses::answered_on,
                responses::answers,
            ))
            .load(conn)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Response {
                    id: r.0,
                    questionnaire_id: r.1,
                    point: r.2,
                    mother_id: r.3,
                    family_id: r.4,
                    answered_on: r.5,
                    answers: serde_json::from_value(r.6)
                        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
                })
            })
            .collect()
    }
}

/// The people a questionnaire of `subject` is given to in a programme,
/// as (id, name): its mothers (not erased, not left) by name with their
/// district, told apart, or its families (not closed) by reference code.
pub async fn people(
    conn: &mut AsyncPgConnection,
    programme: ProgrammeId,
    subject: Subject,
) -> QueryResult<Vec<(i64, String)>> {
    use crate::schema::{districts, families, mothers};
    match subject {
        Subject::Mother => {
            let rows: Vec<(i64, String, Option<String>)> = mothers::table
                .left_join(districts::table.on(districts::id.nullable().eq(mothers::district_id)))
                .filter(mothers::programme_id.eq(programme))
                .filter(mothers::erased_at.is_null())
                .filter(mothers::status.ne("left"))
                .order((mothers::full_name, mothers::id))
                .select((mothers::id, mothers::full_name, districts::name.nullable()))
                .load(conn)
                .await?;
            Ok(rows
                .into_iter()
                .map(|(id, name, district)| match district {
                    Some(d) => (id, format!("{name} · {d}")),
                    None => (id, name),
                })
                .collect())
        }
        Subject::Family => {
            families::table
                .filter(families::programme_id.eq(programme))
                .filter(families::status.ne("closed"))
                .order(families::reference_code)
                .select((families::id, families::reference_code))
                .load(conn)
                .await
        }
    }
}
