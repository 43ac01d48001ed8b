//! Correcting a recorded visit: every field edited (the rules hold for what
//! the correction sets), voided with a reason (it then leaves every report
//! and stays on record), and restored. One transaction each, the visit's row
//! locked, one audit row naming the fields that changed.

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::{Value, json};

use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors, Msg};
use crate::families::model::{Family, FamilyStatus};
use crate::ids::{ReferralId, VisitId};
use crate::mothers::model::{Mother, MotherStatus};
use crate::programmes::model::Programme;
use crate::visits::input::{VisitInput, VoidInput};
use crate::visits::model::{ListKind, ReferralStatus, Topic, Visit, VisitData};

use super::visit::{field_error, resolve_family_code};

/// What the audit log keeps of a visit: its fields without the note's
/// words (it may hold personal details; the log says only that it changed).
fn audit_view(d: &VisitData) -> Value {
    let mut v = json!(d);
    if let Some(o) = v.as_object_mut() {
        o.remove("family_code");
        o.remove("note");
    }
    v
}

/// The visit's fields as recorded, in the form's terms.
pub fn as_input(v: &Visit) -> VisitInput {
    VisitInput {
        mother_id: v.mother_id.to_string(),
        family_id: v.family_id.map(|f| f.to_string()),
        family_code: None,
        visited_on: v.visited_on.to_string(),
        duration_minutes: v.duration_minutes.to_string(),
        kind: v.kind.to_string(),
        interpreter_used: Some(v.interpreter_used.to_string()),
        topic_ids: v.topic_ids.iter().map(ToString::to_string).collect(),
        referrals: v.referrals.iter().map(|r| r.service.to_string()).collect(),
        next_step: Some(v.next_step.clone()),
        note: v.note.clone(),
        contact_origin: v.contact_origin.clone(),
        ..VisitInput::default()
    }
}

fn data_of(v: &Visit) -> VisitData {
    VisitData {
        mother_id: v.mother_id,
        family_id: v.family_id,
        family_code: None,
        visited_on: v.visited_on,
        duration_minutes: v.duration_minutes,
        kind: v.kind,
        interpreter_used: v.interpreter_used,
        topic_ids: v.topic_ids.clone(),
        referrals: v.referrals.iter().map(|r| r.service.clone()).collect(),
        next_step: v.next_step.clone(),
        note: v.note.clone().unwrap_or_default(),
        contact_origin: v.contact_origin.clone(),
        confirm_duplicate: false,
    }
}

/// Corrects a visit: `input` holds every field (a PATCH merges its fields
/// into the recorded ones first). A voided visit is restored before it is
/// corrected (`Conflict`). The mother stays in the visit's programme; a
/// new mother must be one who may visit, a new family one that is open;
/// topics already on the visit stay allowed though retired since. A
/// referral taken back is deleted while open; one with an outcome stays
/// (a field error). All errors are reported at once.
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: VisitId,
    input: &VisitInput,
    today: NaiveDate,
) -> AppResult<Visit> {
    let validated = input.validate();
    let scope = &access.scope;
    let mut v = conn
        .transaction(async |conn| {
            Visit::lock(conn, scope, id).await?;
            let old = Visit::find(conn, scope, id.0, true).await?;
            if old.voided_at.is_some() {
                return Err(AppError::Conflict("error-visit-voided"));
            }
            let mut data = validated.map_err(AppError::Validation)?;
            // A caller who may not read the note cannot change it.
            if !access.sees_personal() {
                data.note = old.note.clone().unwrap_or_default();
            }
            resolve_family_code(conn, scope, &mut data).await?;
            let mut errors = FieldErrors::new();
            if data.visited_on > today {
                errors.insert("visited_on", "error-visit-in-future");
            }
            match Mother::find(conn, scope, data.mother_id).await {
                Ok(m) if m.programme_id != old.programme_id => {
                    errors.insert("mother_id", "error-visit-mother-other-programme");
                }
                Ok(m) if m.id != old.mother_id => {
                    let practice = m.status == MotherStatus::InTraining
                        && Programme::practice_visits_allowed(conn, m.programme_id).await?;
                    if !m.status.may_visit(practice) {
                        errors.insert(
                            "mother_id",
                            Msg::new("error-mother-may-not-visit").arg("status", m.status.as_str()),
                        );
                    }
                }
                Ok(_) => {}
                Err(diesel::NotFound) => errors.insert("mother_id", "error-mother-unknown"),
                Err(e) => return Err(e.into()),
            }
            if let Some(fid) = data.family_id.filter(|f| Some(*f) != old.family_id) {
                match Family::find_for_visit(conn, scope, fid).await {
                    Ok(f) if f.programme_id != old.programme_id => {
                        errors.insert("family_id", "error-family-other-programme");
                    }
                    Ok(f) if f.status == FamilyStatus::Closed => {
                        errors.insert("family_id", "error-family-closed");
                    }
                    Ok(_) => {}
                    Err(diesel::NotFound) => errors.insert("family_id", "error-family-unknown"),
                    Err(e) => return Err(e.into()),
                }
            }
            let usable = Topic::usable_ids(conn, old.programme_id).await?;
            if data
                .topic_ids
                .iter()
                .any(|t| !usable.contains(t) && !old.topic_ids.contains(t))
            {
                errors.insert("topic_ids", "error-topic-unknown");
            }
            // Services as topics: those on the visit stay allowed.
            let services = Topic::usable_codes(conn, ListKind::Service, old.programme_id).await?;
            if data
                .referrals
                .iter()
                .any(|s| !services.contains(s) && !old.referrals.iter().any(|r| r.service == *s))
            {
                errors.insert("referrals", "error-service-unknown");
            }
            let dropped: Vec<_> = old
                .referrals
                .iter()
                .filter(|r| !data.referrals.contains(&r.service))
                .collect();
            if dropped.iter().any(|r| r.status != ReferralStatus::Open) {
                errors.insert("referrals", "error-referral-has-outcome");
            }
            if data.contact_origin != old.contact_origin
                && let Some(o) = &data.contact_origin
                && !Programme::contact_origins(conn, old.programme_id)
                    .await?
                    .contains(o)
            {
                errors.insert("contact_origin", "error-origin-unknown");
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            Visit::update(conn, id, &data).await.map_err(field_error)?;
            Visit::replace_topics(conn, id, &old.topic_ids, &data.topic_ids).await?;
            let dropped: Vec<ReferralId> = dropped.iter().map(|r| r.id).collect();
            if !dropped.is_empty() {
                Visit::delete_referrals(conn, &dropped).await?;
            }
            let added: Vec<_> = data
                .referrals
                .iter()
                .filter(|s| !old.referrals.iter().any(|r| r.service == **s))
                .cloned()
                .collect();
            Visit::insert_referrals(conn, old.programme_id, id, &added).await?;
            let before = data_of(&old);
            let mut changes = audit::changed(&audit_view(&before), &audit_view(&data));
            if before.note != data.note
                && let Some(o) = changes.as_object_mut()
            {
                o.insert("note".into(), json!({"changed": true}));
            }
            audit::record(
                conn,
                access.actor,
                "update",
                Subject::of("visit", id.0, Some(old.programme_id.0)),
                changes,
            )
            .await?;
            Ok(Visit::find(conn, scope, id.0, true).await?)
        })
        .await?;
    if !access.sees_personal() {
        v.note = None;
    }
    Ok(v)
}

/// Voids a visit with a reason: it leaves every report (the roll-ups of
/// its month are marked for recounting by the database) and stays on
/// record. Voiding a voided visit changes nothing.
pub async fn void(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: VisitId,
    input: &VoidInput,
    now: DateTime<Utc>,
) -> AppResult<Visit> {
    set_void(conn, access, id, Some((now, input))).await
}

/// Restores a voided visit: it counts again. Restoring a visit that is
/// not voided changes nothing.
pub async fn restore(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: VisitId,
) -> AppResult<Visit> {
    set_void(conn, access, id, None).await
}

async fn set_void(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: VisitId,
    void: Option<(DateTime<Utc>, &VoidInput)>,
) -> AppResult<Visit> {
    let scope = &access.scope;
    let mut v = conn
        .transaction(async |conn| {
            Visit::lock(conn, scope, id).await?;
            let old = Visit::find(conn, scope, id.0, true).await?;
            // Checked once the visit is found: another programme's is not.
            let void = match void {
                Some((at, input)) => Some((at, input.validate().map_err(AppError::Validation)?)),
                None => None,
            };
            if old.voided_at.is_some() == void.is_some() {
                return Ok::<Visit, AppError>(old);
            }
            let set = void.as_ref().map(|(at, r)| (*at, r.as_str(), access.actor));
            Visit::set_void(conn, id, set).await?;
            let (action, changes) = match void {
                Some((_, reason)) => ("void", json!({"void_reason": {"new": reason}})),
                None => ("restore", json!({"void_reason": {"old": old.void_reason}})),
            };
            audit::record(
                conn,
                access.actor,
                action,
                Subject::of("visit", id.0, Some(old.programme_id.0)),
                changes,
            )
            .await?;
            Ok(Visit::find(conn, scope, id.0, true).await?)
        })
        .await?;
    if !access.sees_personal() {
        v.note = None;
    }
    Ok(v)
}

/// Marks a visit a mother entered herself as reviewed by her coordinator
/// (it leaves the list awaiting review; it counted in reports from the
/// moment it was saved). A visit reviewed before, or entered by staff,
/// stays as it is.
pub async fn review(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: VisitId,
    now: DateTime<Utc>,
) -> AppResult<Visit> {
    let scope = &access.scope;
    let mut v = conn
        .transaction(async |conn| {
            Visit::lock(conn, scope, id).await?;
            let old = Visit::find(conn, scope, id.0, true).await?;
            if !old.entered_by_mother || old.reviewed_at.is_some() {
                return Ok::<Visit, AppError>(old);
            }
            Visit::mark_reviewed(conn, id, access.actor, now).await?;
            audit::record(
                conn,
                access.actor,
                "review",
                Subject::of("visit", id.0, Some(old.programme_id.0)),
                json!({"reviewed_at": {"new": now}}),
            )
            .await?;
            Ok(Visit::find(conn, scope, id.0, true).await?)
        })
        .await?;
    if !access.sees_personal() {
        v.note = None;
    }
    Ok(v)
}
