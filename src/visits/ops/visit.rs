//! Recording visits: the rules for a new visit (the mother may visit, the
//! family is open and hers, the topics are offered, no unconfirmed double),
//! one at a time or a bulk array (all or none), with topics, referrals and
//! the audit row, in one transaction each.

use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::audit::{self, Subject};
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult, FieldErrors, Msg, constraint_name};
use crate::families::model::{Family, FamilyStatus};
use crate::ids::VisitId;
use crate::mothers::model::{Mother, MotherStatus};
use crate::programmes::model::Programme;
use crate::visits::input::VisitInput;
use crate::visits::model::{ListKind, Topic, Visit, VisitData};

/// The field errors of one item of a bulk request.
#[derive(Debug, Clone)]
pub struct ItemErrors {
    pub index: usize,
    pub errors: FieldErrors,
}

/// What a new visit is checked against: its mother (if found), whether her
/// programme allows practice visits, its family (`Some(None)`: given but
/// not found), and the topics the programme may use.
pub(crate) struct Facts<'a> {
    pub mother: Option<&'a Mother>,
    pub practice_allowed: bool,
    pub family: Option<Option<&'a Family>>,
    pub usable_topic: &'a dyn Fn(crate::ids::TopicId) -> bool,
    pub usable_service: &'a dyn Fn(&str) -> bool,
}

/// The rules of a new visit, the first failing rule winning per field.
/// One place for the form, the API and imports alike; the loading is the
/// caller's (one visit: `check`; many: `batch`).
pub(crate) fn rules(data: &VisitData, today: NaiveDate, facts: &Facts<'_>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if data.visited_on > today {
        errors.insert("visited_on", "error-visit-in-future");
    }
    match facts.mother {
        None => errors.insert("mother_id", "error-mother-unknown"),
        Some(m) => {
            // Whether practice visits are allowed matters only in training.
            let practice = m.status == MotherStatus::InTraining && facts.practice_allowed;
            if !m.status.may_visit(practice) {
                errors.insert(
                    "mother_id",
                    Msg::new("error-mother-may-not-visit").arg("status", m.status.as_str()),
                );
            }
        }
    }
    match facts.family {
        None => {}
        Some(None) => errors.insert("family_id", "error-family-unknown"),
        Some(Some(f)) => {
            if facts
                .mother
                .is_some_and(|m| m.programme_id != f.programme_id)
            {
                errors.insert("family_id", "error-family-other-programme");
            } else if f.status == FamilyStatus::Closed {
                errors.insert("family_id", "error-family-closed");
            }
        }
    }
    if data.topic_ids.is_empty() {
        errors.insert("topic_ids", "error-topics-required");
    } else if facts.mother.is_some() && data.topic_ids.iter().any(|t| !(facts.usable_topic)(*t)) {
        errors.insert("topic_ids", "error-topic-unknown");
    }
    if facts.mother.is_some() && data.referrals.iter().any(|s| !(facts.usable_service)(s)) {
        errors.insert("referrals", "error-service-unknown");
    }
    errors
}

/// Checks the rules for a new visit, reading what they need; returns the
/// mother and the family's reference code.
async fn check(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    data: &VisitData,
    today: NaiveDate,
) -> AppResult<(Mother, Option<String>)> {
    // The mother, the topics her programme may use and the same visit
    // already recorded are read by one statement. The family is read
    // locked (`Family::find_for_visit`): a closing waits for this visit, or this visit for it
    // (and then sees it). The mother is not: a share lock on her row from
    // every visit she logs (MultiXacts on a hot row) cost a tenth of the
    // visit-logging throughput, and a visit logged while her status
    // changes happened while she still had it.
    let (mother, usable, same) = match Visit::facts(conn, scope, data).await? {
        Some((m, usable, same)) => (Some(m), usable, same),
        None => (None, Vec::new(), 0),
    };
    let same = if data.confirm_duplicate { 0 } else { same };
    let practice_allowed = match &mother {
        Some(m) if m.status == MotherStatus::InTraining => {
            Programme::practice_visits_allowed(conn, m.programme_id).await?
        }
        _ => false,
    };
    let family = match data.family_id {
        None => None,
        Some(fid) => match Family::find_for_visit(conn, scope, fid).await {
            Ok(f) => Some(Some(f)),
            Err(diesel::NotFound) => Some(None),
            Err(e) => return Err(e.into()),
        },
    };
    let usable_topic = |t| usable.contains(&t);
    let services = match &mother {
        Some(m) if !data.referrals.is_empty() => {
            Topic::usable_codes(conn, ListKind::Service, m.programme_id).await?
        }
        _ => Vec::new(),
    };
    let usable_service = |s: &str| services.iter().any(|c| c == s);
    let mut errors = rules(
        data,
        today,
        &Facts {
            mother: mother.as_ref(),
            practice_allowed,
            family: family.as_ref().map(Option::as_ref),
            usable_topic: &usable_topic,
            usable_service: &usable_service,
        },
    );
    if mother.is_some() && errors.is_empty() && same > 0 {
        errors.insert("confirm_duplicate", "error-visit-duplicate");
    }
    let family_code = family.flatten().map(|f| f.reference_code);
    match mother {
        Some(m) if errors.is_empty() => Ok((m, family_code)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The database's rules (its backstop to `check`) as field errors.
pub(super) fn field_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some("visits_not_in_future") => AppError::field("visited_on", "error-visit-in-future"),
        Some("visits_family_open") => AppError::field("family_id", "error-family-closed"),
        Some("visits_mother_may_visit") => {
            AppError::field("mother_id", "error-mother-may-not-visit")
        }
        Some("visits_family_fkey" | "visits_mother_fkey") => {
            AppError::field("family_id", "error-family-other-programme")
        }
        _ => e.into(),
    }
}

/// Inserts a checked visit: its row, topics and audit row in one
/// statement, then its referrals (if any). The answer is built from what
/// was written (no second read).
async fn insert(
    conn: &mut AsyncPgConnection,
    access: &Access,
    (m, family_code): &(Mother, Option<String>),
    data: &VisitData,
) -> AppResult<Visit> {
    let (actor, programme_id) = (access.actor, m.programme_id);
    // The note stays out of the log: it may hold personal details.
    let mut changes = audit::created(data);
    if let Some(o) = changes.as_object_mut() {
        o.remove("note");
        // `family_id` holds it, resolved.
        o.remove("family_code");
    }
    // The statement sets the row's record id (the new visit's).
    let subject = Subject {
        entity: "visit",
        id: None,
        programme_id: Some(programme_id.0),
    };
    let event =
        audit::row(actor, "create", subject, changes).expect("a creation always has its audit row");
    let entered_by_mother = access.mother_id.is_some();
    let (id, created_at) =
        Visit::insert(conn, programme_id, data, actor, entered_by_mother, &event)
            .await
            .map_err(field_error)?;
    let referrals = Visit::insert_referrals(conn, programme_id, id, &data.referrals).await?;
    Ok(Visit {
        id,
        programme_id,
        mother_id: m.id,
        mother_name: m.full_name.clone(),
        family_id: data.family_id,
        family_code: family_code.clone(),
        visited_on: data.visited_on,
        duration_minutes: data.duration_minutes,
        kind: data.kind,
        interpreter_used: data.interpreter_used,
        // Sorted and without repeats by `VisitInput::validate`.
        topic_ids: data.topic_ids.clone(),
        referrals,
        next_step: data.next_step.clone(),
        note: Some(data.note.clone()),
        created_at,
        voided_at: None,
        void_reason: None,
        entered_by_mother,
        reviewed_at: None,
        contact_origin: data.contact_origin.clone(),
    })
}

/// Records a visit with its topics and referrals, and returns it (with
/// the note only for those who may see it). `today` (the clock's) bounds
/// its date.
///
/// Visit logging is the busiest write, so it makes as few round trips as
/// it can: the reads its rules need go together, and the visit, its topics
/// and its audit row are one statement. A transaction around them is
/// needed only to hold the family's lock (a family given) or to
/// write referrals after the visit; without either the one statement is
/// atomic on its own, and the unlocked reads see what they would see
/// inside a transaction (the database's own checks on the visit are its
/// backstop, as in a transaction).
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &VisitInput,
    today: NaiveDate,
) -> AppResult<Visit> {
    let data = input.validate().map_err(AppError::Validation)?;
    let alone = data.family_id.is_none() && data.family_code.is_none() && data.referrals.is_empty();
    let mut v = if alone {
        record(conn, access, data, today).await?
    } else {
        conn.transaction(async |conn| record(conn, access, data, today).await)
            .await?
    };
    if !access.sees_personal() {
        v.note = None;
    }
    Ok(v)
}

/// The checks and the writes of `create`.
async fn record(
    conn: &mut AsyncPgConnection,
    access: &Access,
    mut data: VisitData,
    today: NaiveDate,
) -> AppResult<Visit> {
    let scope = &access.scope;
    resolve_family_code(conn, scope, &mut data).await?;
    let checked = check(conn, scope, &data, today).await?;
    own_contact(conn, access, &data).await?;
    origin_allowed(conn, checked.0.programme_id, &data).await?;
    insert(conn, access, &checked, &data).await
}

/// A mother records only her own contacts, with the families of her own
/// caseload (other families are as unknown to her as other programmes').
async fn own_contact(
    conn: &mut AsyncPgConnection,
    access: &Access,
    data: &VisitData,
) -> AppResult<()> {
    let Some(mine) = access.mother_id else {
        return Ok(());
    };
    if data.mother_id != mine {
        return Err(AppError::field("mother_id", "error-mother-unknown"));
    }
    if let Some(family) = data.family_id
        && !Visit::in_caseload(conn, mine, family).await?
    {
        return Err(AppError::field("family_id", "error-family-not-in-caseload"));
    }
    Ok(())
}

/// How the contact arose must be one of the programme's own list.
pub(crate) async fn origin_allowed(
    conn: &mut AsyncPgConnection,
    programme: crate::ids::ProgrammeId,
    data: &VisitData,
) -> AppResult<()> {
    if let Some(origin) = &data.contact_origin
        && !Programme::contact_origins(conn, programme)
            .await?
            .contains(origin)
    {
        return Err(AppError::field("contact_origin", "error-origin-unknown"));
    }
    Ok(())
}

/// Records several visits: all or none. Items that failed validation
/// come in as `Err`; every item is checked, and the errors name each
/// failing one.
pub async fn create_bulk(
    conn: &mut AsyncPgConnection,
    access: &Access,
    inputs: &[VisitInput],
    today: NaiveDate,
) -> Result<Vec<VisitId>, BulkError> {
    let items: Vec<_> = inputs.iter().map(VisitInput::validate).collect();
    let scope = &access.scope;
    let result: Result<Vec<VisitId>, BulkError> = conn
        .transaction(async |conn| {
            let mut ids = Vec::new();
            let mut failed = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let mut data = match item {
                    Ok(d) => d.clone(),
                    Err(errors) => {
                        failed.push(ItemErrors {
                            index,
                            errors: errors.clone(),
                        });
                        continue;
                    }
                };
                let resolved = resolve_family_code(conn, scope, &mut data).await;
                let checked = match resolved {
                    Ok(()) => check(conn, scope, &data, today).await,
                    Err(e) => Err(e),
                };
                let checked = match checked {
                    Ok(m) => origin_allowed(conn, m.0.programme_id, &data)
                        .await
                        .map(|()| m),
                    Err(e) => Err(e),
                };
                match checked {
                    Ok(m) => {
                        if failed.is_empty() {
                            ids.push(
                                insert(conn, access, &m, &data)
                                    .await
                                    .map_err(BulkError::App)?
                                    .id,
                            );
                        }
                    }
                    Err(AppError::Validation(errors)) => failed.push(ItemErrors { index, errors }),
                    Err(e) => return Err(BulkError::App(e)),
                }
            }
            if failed.is_empty() {
                Ok(ids)
            } else {
                Err(BulkError::Items(failed))
            }
        })
        .await;
    result
}

/// Why a bulk request failed.
#[derive(Debug)]
pub enum BulkError {
    /// These items are invalid; nothing was saved.
    Items(Vec<ItemErrors>),
    App(AppError),
}

impl From<diesel::result::Error> for BulkError {
    fn from(e: diesel::result::Error) -> Self {
        BulkError::App(e.into())
    }
}

/// A visit's family given by reference code: the family of that code in
/// the mother's programme becomes the visit's family (the code wins over a
/// family chosen from the list). An unknown mother is left to the visit's
/// own checks.
pub async fn resolve_family_code(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    data: &mut VisitData,
) -> AppResult<()> {
    let Some(code) = data.family_code.as_deref() else {
        return Ok(());
    };
    let mother = match Mother::find(conn, scope, data.mother_id).await {
        Ok(m) => m,
        Err(diesel::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    match Family::id_by_code(conn, scope, mother.programme_id, code).await? {
        Some(id) => {
            data.family_id = Some(id);
            Ok(())
        }
        None => Err(AppError::field("family_code", "error-family-code-unknown")),
    }
}
