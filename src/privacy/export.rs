//! The right of access: everything held about one family or one mother,
//! read in one place for the JSON export and the printable page. Reading
//! it is itself logged (channel `export`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::access::AccessEntry;
use crate::auth::User;
use crate::authz::Access;
use crate::error::AppResult;
use crate::families::model::Family;
use crate::funding::model::Expense;
use crate::ids::{FamilyId, MotherId};
use crate::mothers::model::{Mother, StatusChange};
use crate::schema::{event_mothers, events, expenses};
use crate::training::model::{Enrolment, MotherCourse, training_minutes};
use crate::visits::model::{Visit, VisitFilter, VisitKind};

/// Everything held about a family.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyExport {
    /// The record with its name, address and phone.
    pub family: Family,
    /// Every visit, with topics, referrals, next steps and notes, newest first.
    pub visits: Vec<Visit>,
    /// Its answers to questionnaires (first and tenth visit).
    pub questionnaires: Vec<AnswersGiven>,
    /// Who read its personal details, and when.
    pub access_log: Vec<AccessEntry>,
}

/// A visit she made, without what it says about the family.
#[derive(Debug, Serialize, ToSchema)]
pub struct MadeVisit {
    pub id: i64,
    pub visited_on: NaiveDate,
    pub kind: VisitKind,
    pub duration_minutes: i32,
    pub family_code: Option<String>,
}

/// An event she took part in.
#[derive(Debug, Serialize, ToSchema, Queryable)]
pub struct EventTaken {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub held_on: NaiveDate,
}

/// Her account, if she has one.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountHeld {
    pub email: String,
    pub display_name: String,
    pub active: bool,
    pub language: Option<String>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Her answers to one questionnaire at one point.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersGiven {
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub questionnaire: crate::outcomes::model::Texts,
    pub point: crate::outcomes::model::Point,
    pub answered_on: NaiveDate,
    pub answers: Vec<AnswerGiven>,
}

/// One answer: the question and what she answered (1 to 5, or the text
/// of the option chosen).
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerGiven {
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub question: crate::outcomes::model::Texts,
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub answer: crate::outcomes::model::Texts,
}

/// The answers of one person (a mother's, or a family's) to her or its
/// programme's questionnaires, newest first.
async fn answers_of(
    conn: &mut AsyncPgConnection,
    programme: crate::ids::ProgrammeId,
    subject: crate::outcomes::model::Subject,
    person: i64,
) -> AppResult<Vec<AnswersGiven>> {
    use crate::outcomes::model::{Answer, Questionnaire, Response, Subject, Texts, Whose};
    let mut out = Vec::new();
    for q in Questionnaire::of_programme(conn, programme).await? {
        if q.subject != subject {
            continue;
        }
        let whose = match subject {
            Subject::Mother => Whose::Mother(person),
            Subject::Family => Whose::Family(person),
        };
        for r in Response::of(conn, q.id, whose).await? {
            let answers = r
                .answers
                .iter()
                .filter_map(|(key, a)| {
                    let item = q.item(key)?;
                    let answer = match a {
                        Answer::Scale(n) => Texts::from([("en".to_owned(), n.to_string())]),
                        Answer::Choice(c) => {
                            item.options.iter().find(|o| o.key == *c)?.text.clone()
                        }
                    };
                    Some(AnswerGiven {
                        question: item.text.clone(),
                        answer,
                    })
                })
                .collect();
            out.push(AnswersGiven {
                questionnaire: q.title.clone(),
                point: r.point,
                answered_on: r.answered_on,
                answers,
            });
        }
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.answered_on));
    Ok(out)
}

/// Everything held about a mother.
#[derive(Debug, Serialize, ToSchema)]
pub struct MotherExport {
    pub mother: Mother,
    pub courses: Vec<MotherCourse>,
    /// Minutes of the modules she attended.
    pub training_minutes: i64,
    pub status_history: Vec<StatusChange>,
    /// Her allowance payments and other expenses in her name.
    pub payments: Vec<Expense>,
    pub events: Vec<EventTaken>,
    pub visits: Vec<MadeVisit>,
    /// Her answers to questionnaires (intake and evaluation).
    pub questionnaires: Vec<AnswersGiven>,
    pub account: Option<AccountHeld>,
    pub access_log: Vec<AccessEntry>,
}

/// Every visit matching `filter`, all pages.
async fn all_visits(
    conn: &mut AsyncPgConnection,
    access: &Access,
    mut filter: VisitFilter,
    with_note: bool,
) -> AppResult<Vec<Visit>> {
    let mut out = Vec::new();
    filter.page = 1;
    filter.per_page = crate::web::pagination::MAX_PER_PAGE;
    loop {
        let (page, _) = Visit::list(conn, &access.scope, &filter, with_note).await?;
        let done = (page.len() as i64) < filter.per_page;
        out.extend(page);
        if done {
            return Ok(out);
        }
        filter.page += 1;
    }
}

/// Everything held about a family, for a caller who sees personal details.
pub async fn family(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: FamilyId,
) -> AppResult<FamilyExport> {
    let family = Family::find(conn, &access.scope, id, true).await?;
    let filter = VisitFilter {
        family_id: Some(id),
        with_voided: true,
        ..Default::default()
    };
    let questionnaires = answers_of(
        conn,
        family.programme_id,
        crate::outcomes::model::Subject::Family,
        id.0,
    )
    .await?;
    Ok(FamilyExport {
        questionnaires,
        visits: all_visits(conn, access, filter, true).await?,
        access_log: AccessEntry::of(conn, "family", id.0).await?,
        family,
    })
}

/// Everything held about a mother.
pub async fn mother(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: MotherId,
) -> AppResult<MotherExport> {
    let mother = Mother::find(conn, &access.scope, id).await?;
    let filter = VisitFilter {
        mother_id: Some(id),
        with_voided: true,
        ..Default::default()
    };
    let visits = all_visits(conn, access, filter, false)
        .await?
        .into_iter()
        .map(|v| MadeVisit {
            id: v.id.0,
            visited_on: v.visited_on,
            kind: v.kind,
            duration_minutes: v.duration_minutes,
            family_code: v.family_code,
        })
        .collect();
    let payments = expenses::table
        .filter(expenses::mother_id.eq(id))
        .select(Expense::as_select())
        .order((expenses::spent_on.desc(), expenses::id.desc()))
        .load(conn)
        .await?;
    let events = events::table
        .inner_join(event_mothers::table.on(event_mothers::event_id.eq(events::id)))
        .filter(event_mothers::mother_id.eq(id.0))
        .select((events::id, events::title, events::kind, events::held_on))
        .order(events::held_on.desc())
        .load(conn)
        .await?;
    let account = User::of_mother(conn, id.0).await?.map(|u| AccountHeld {
        email: u.email,
        display_name: u.display_name,
        active: u.active,
        language: u.language,
        last_login_at: u.last_login_at,
        created_at: u.created_at,
    });
    let questionnaires = answers_of(
        conn,
        mother.programme_id,
        crate::outcomes::model::Subject::Mother,
        id.0,
    )
    .await?;
    Ok(MotherExport {
        questionnaires,
        courses: Enrolment::for_mother(conn, id).await?,
        training_minutes: training_minutes(conn, id.0).await?,
        status_history: Mother::history(conn, id).await?,
        payments,
        events,
        visits,
        account,
        access_log: AccessEntry::of(conn, "mother", id.0).await?,
        mother,
    })
}
