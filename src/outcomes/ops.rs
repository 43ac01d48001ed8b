//! The use cases of questionnaires, for the pages, the API and the
//! mothers' own app alike: defining one (or taking the ready-made one),
//! changing or retiring it, and answering it. Each write is one
//! transaction with its audit row; answers to a questionnaire are taken
//! one after the other (its row locked), so answering twice at once
//! leaves one response.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::input::{QuestionnaireData, QuestionnaireInput, ResponseData, ResponseInput};
use super::model::{ItemKind, Questionnaire, Response, Subject};
use crate::audit::{self, Subject as AuditSubject};
use crate::authz::{Access, Permission};
use crate::error::{AppError, AppResult, FieldErrors, Msg};
use crate::ids::{ProgrammeId, QuestionnaireId};
use crate::programmes::model::Programme;
use crate::schema::{questionnaire_responses as responses, questionnaires};

/// Whether the caller records answers to questionnaires of `subject`: a
/// mother's are the trainer's (or her own, in her app), a family's the
/// coordinator's.
pub fn may_answer(access: &Access, subject: Subject) -> bool {
    match subject {
        Subject::Mother => {
            access.mother_id.is_some() || access.role.can(Permission::ManageTraining)
        }
        Subject::Family => access.role.can(Permission::EditFamilies),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| AppError::Internal(e.into()))
}

/// Defines a questionnaire for a programme the caller may see.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme: ProgrammeId,
    input: QuestionnaireInput,
) -> AppResult<Questionnaire> {
    Programme::find(conn, &access.scope, programme).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    let (title, items) = (to_json(&data.title)?, to_json(&data.items)?);
    conn.transaction(async |conn| {
        let id: QuestionnaireId = diesel::insert_into(questionnaires::table)
            .values((
                questionnaires::programme_id.eq(programme),
                questionnaires::title.eq(title),
                questionnaires::subject.eq(data.subject),
                questionnaires::items.eq(items),
                questionnaires::template.eq(&data.template),
            ))
            .returning(questionnaires::id)
            .get_result(conn)
            .await?;
        audit::record(
            conn,
            access.actor,
            "create",
            AuditSubject::of("questionnaire", id.0, Some(programme.0)),
            audit::created(&data),
        )
        .await?;
        Ok(Questionnaire::find(conn, &access.scope, id).await?)
    })
    .await
}

/// The item keys answered so far, each with the option keys chosen.
async fn answered(
    conn: &mut AsyncPgConnection,
    id: QuestionnaireId,
) -> QueryResult<Vec<(String, Vec<String>)>> {
    let all = Response::of_questionnaire(conn, id).await?;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for r in all {
        for (k, a) in r.answers {
            let chosen = match a {
                super::model::Answer::Choice(c) => Some(c),
                super::model::Answer::Scale(_) => None,
            };
            match out.iter_mut().find(|(x, _)| *x == k) {
                Some((_, opts)) => opts.extend(chosen.filter(|c| !opts.contains(c))),
                None => out.push((k, chosen.into_iter().collect())),
            }
        }
    }
    Ok(out)
}

/// Whether `new` keeps what the answers given need: the subject, every
/// item answered with its kind, and every option chosen.
fn keeps_answers(
    old: &Questionnaire,
    new: &QuestionnaireData,
    answered: &[(String, Vec<String>)],
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if !answered.is_empty() && new.subject != old.subject {
        errors.insert("subject", "error-questionnaire-answered");
    }
    for (key, chosen) in answered {
        let (Some(before), after) = (old.item(key), new.items.iter().find(|i| i.key == *key))
        else {
            continue;
        };
        let kept = after.is_some_and(|a| {
            a.kind == before.kind
                && (a.kind == ItemKind::Scale
                    || chosen.iter().all(|c| a.options.iter().any(|o| o.key == *c)))
        });
        if !kept {
            errors.insert(
                "items",
                Msg::new("error-questionnaire-answered-item").arg("item", key.clone()),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Changes a questionnaire (a PATCH merges its fields in first): texts,
/// new items, retired or not. An item already answered stays, with its
/// kind and the options chosen, so that no answer loses its question.
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: QuestionnaireId,
    input: &QuestionnaireInput,
) -> AppResult<Questionnaire> {
    let validated = input.clone().validate();
    conn.transaction(async |conn| {
        let old = Questionnaire::lock(conn, &access.scope, id).await?;
        let mut data = validated.map_err(AppError::Validation)?;
        // Which ready-made questionnaire it came from does not change.
        data.template = old.template.clone();
        keeps_answers(&old, &data, &answered(conn, id).await?).map_err(AppError::Validation)?;
        let before = QuestionnaireInput::of(&old).validate().ok();
        diesel::update(questionnaires::table.find(id))
            .set((
                questionnaires::title.eq(to_json(&data.title)?),
                questionnaires::subject.eq(data.subject),
                questionnaires::items.eq(to_json(&data.items)?),
            ))
            .execute(conn)
            .await?;
        if data.retired != old.retired {
            let at = data.retired.then(chrono::Utc::now);
            diesel::update(questionnaires::table.find(id))
                .set(questionnaires::retired_at.eq(at))
                .execute(conn)
                .await?;
        }
        if before.as_ref() != Some(&data) {
            audit::record(
                conn,
                access.actor,
                "update",
                AuditSubject::of("questionnaire", id.0, Some(old.programme_id.0)),
                match &before {
                    Some(b) => audit::changed(b, &data),
                    None => audit::created(&data),
                },
            )
            .await?;
        }
        Ok(Questionnaire::find(conn, &access.scope, id).await?)
    })
    .await
}

/// Deletes a questionnaire made by mistake: only one without answers
/// (409 otherwise: retire it instead, and its answers stay).
pub async fn delete(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: QuestionnaireId,
) -> AppResult<()> {
    conn.transaction(async |conn| {
        let old = Questionnaire::lock(conn, &access.scope, id).await?;
        let n: i64 = responses::table
            .filter(responses::questionnaire_id.eq(id))
            .count()
            .get_result(conn)
            .await?;
        if n > 0 {
            return Err(AppError::Conflict("error-questionnaire-has-answers"));
        }
        diesel::delete(questionnaires::table.find(id))
            .execute(conn)
            .await?;
        let data = QuestionnaireInput::of(&old).validate().ok();
        audit::record(
            conn,
            access.actor,
            "delete",
            AuditSubject::of("questionnaire", id.0, Some(old.programme_id.0)),
            audit::deleted(&data),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Records one person's answers at one point: new (`true`), or replacing
/// those given before at that point. A mother in her own app answers for
/// herself alone; a retired questionnaire takes no answers.
pub async fn answer(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: QuestionnaireId,
    input: &ResponseInput,
) -> AppResult<(Response, bool)> {
    let mut input = input.clone();
    if let Some(me) = access.mother_id {
        input.mother_id = Some(me.0.to_string());
        input.family_id = None;
    }
    conn.transaction(async |conn| {
        let q = Questionnaire::lock(conn, &access.scope, id).await?;
        if !may_answer(access, q.subject) {
            return Err(AppError::Forbidden);
        }
        if q.retired {
            return Err(AppError::Conflict("error-questionnaire-retired"));
        }
        let data = input.validate(&q).map_err(AppError::Validation)?;
        check_person(conn, &q, &data).await?;
        let [before, after] = q.subject.points();
        if access.mother_id.is_some() && data.point == before {
            // Her baseline stays once she has answered the evaluation.
            let evaluated: i64 = responses::table
                .filter(responses::questionnaire_id.eq(id))
                .filter(responses::point.eq(after))
                .filter(responses::mother_id.eq(data.mother_id))
                .count()
                .get_result(conn)
                .await?;
            if evaluated > 0 {
                return Err(AppError::field("point", "error-answers-before-locked"));
            }
        }
        let person = responses::table
            .filter(responses::questionnaire_id.eq(id))
            .filter(responses::point.eq(data.point))
            .into_boxed();
        let person = match (data.mother_id, data.family_id) {
            (Some(m), _) => person.filter(responses::mother_id.eq(m)),
            (_, f) => person.filter(responses::family_id.eq(f)),
        };
        let existing: Option<(i64, serde_json::Value, chrono::NaiveDate)> = person
            .select((responses::id, responses::answers, responses::answered_on))
            .first(conn)
            .await
            .optional()?;
        let answers = to_json(&data.answers)?;
        let (rid, new) = match &existing {
            Some((rid, _, _)) => {
                diesel::update(responses::table.find(rid))
                    .set((
                        responses::answers.eq(&answers),
                        responses::answered_on.eq(data.answered_on),
                        responses::entered_by.eq(access.actor),
                    ))
                    .execute(conn)
                    .await?;
                (*rid, false)
            }
            None => {
                let rid: i64 = diesel::insert_into(responses::table)
                    .values((
                        responses::questionnaire_id.eq(id),
                        responses::programme_id.eq(q.programme_id),
                        responses::point.eq(data.point),
                        responses::mother_id.eq(data.mother_id),
                        responses::family_id.eq(data.family_id),
                        responses::answered_on.eq(data.answered_on),
                        responses::answers.eq(&answers),
                        responses::entered_by.eq(access.actor),
                    ))
                    .returning(responses::id)
                    .get_result(conn)
                    .await
                    .map_err(person_unknown)?;
                (rid, true)
            }
        };
        audit::record(
            conn,
            access.actor,
            if new { "create" } else { "update" },
            AuditSubject::of("questionnaire_response", rid, Some(q.programme_id.0)),
            audit_of(&data, existing.as_ref().map(|e| (&e.1, e.2))),
        )
        .await?;
        let r = Response::of(conn, id, super::model::Whose::One(rid))
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        Ok((r, new))
    })
    .await
}

/// The audit's view of a response: who, when and at which point, and
/// which items were answered or changed (never the answers themselves).
fn audit_of(
    data: &ResponseData,
    before: Option<(&serde_json::Value, chrono::NaiveDate)>,
) -> serde_json::Value {
    let old: std::collections::BTreeMap<String, serde_json::Value> = before
        .and_then(|(a, _)| serde_json::from_value(a.clone()).ok())
        .unwrap_or_default();
    let changed: Vec<&String> = data
        .answers
        .iter()
        .filter(|(k, a)| old.get(*k) != serde_json::to_value(a).ok().as_ref())
        .map(|(k, _)| k)
        .chain(old.keys().filter(|k| !data.answers.contains_key(*k)))
        .collect();
    serde_json::json!({
        "point": data.point,
        "mother_id": data.mother_id,
        "family_id": data.family_id,
        "answered_on": data.answered_on,
        "items": changed,
    })
}

/// The person answered for: of the questionnaire's programme (else the
/// insert's foreign key says so) and not erased: an erased mother's or
/// family's record takes no new answers.
async fn check_person(
    conn: &mut AsyncPgConnection,
    q: &Questionnaire,
    data: &ResponseData,
) -> AppResult<()> {
    use crate::schema::{families, mothers};
    let erased = match (data.mother_id, data.family_id) {
        (Some(m), _) => mothers::table
            .find(m)
            .filter(mothers::programme_id.eq(q.programme_id))
            .select(mothers::erased_at.is_not_null())
            .first::<bool>(conn)
            .await
            .optional()?
            .map(|e| (e, "mother_id", "error-mother-unknown")),
        (_, Some(f)) => families::table
            .find(f)
            .filter(families::programme_id.eq(q.programme_id))
            .select(families::erased_at.is_not_null())
            .first::<bool>(conn)
            .await
            .optional()?
            .map(|e| (e, "family_id", "error-family-unknown")),
        _ => None,
    };
    match erased {
        Some((true, field, key)) => Err(AppError::field(field, key)),
        _ => Ok(()),
    }
}

fn person_unknown(e: diesel::result::Error) -> AppError {
    match crate::error::constraint_name(&e) {
        Some(c) if c.contains("mother") => AppError::field("mother_id", "error-mother-unknown"),
        Some(c) if c.contains("family") => AppError::field("family_id", "error-family-unknown"),
        _ => e.into(),
    }
}

/// A questionnaire's responses, for those who record them.
pub async fn responses_of(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: QuestionnaireId,
) -> AppResult<(Questionnaire, Vec<Response>)> {
    let q = Questionnaire::find(conn, &access.scope, id).await?;
    if !may_answer(access, q.subject) || access.mother_id.is_some() {
        return Err(AppError::Forbidden);
    }
    let all = Response::of_questionnaire(conn, id).await?;
    Ok((q, all))
}
