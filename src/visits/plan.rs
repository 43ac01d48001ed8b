//! A programme's visit plan: numbered visits that build on each other,
//! each with its planned topics (Berlin: ten). A family's progress is the
//! count of its visits (not voided) against the plan. The plan is one
//! document, replaced whole (`PUT`), in one transaction with its audit row.

use axum::extract::State;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::Topic;
use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse, FieldErrors, Msg};
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::schema::visit_plan_steps as steps;
use crate::state::AppState;
use crate::web::extract::{Json, Path};

/// The most visits a plan holds.
pub const MAX_VISITS: usize = 50;

/// One planned visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Queryable)]
pub struct PlannedVisit {
    /// From 1, in order.
    #[serde(default)]
    pub number: i32,
    /// Visit topics of the programme planned for it.
    #[schema(value_type = Vec<i64>)]
    #[serde(default)]
    pub topic_ids: Vec<i64>,
    /// What the visit is for, in a few words.
    #[serde(default)]
    pub note: String,
}

/// A programme's plan (no visits: the programme has none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VisitPlan {
    #[serde(default)]
    pub visits: Vec<PlannedVisit>,
}

impl VisitPlan {
    pub async fn of(
        conn: &mut AsyncPgConnection,
        programme: ProgrammeId,
    ) -> QueryResult<VisitPlan> {
        let visits = steps::table
            .filter(steps::programme_id.eq(programme))
            .order(steps::number)
            .select((steps::number, steps::topic_ids, steps::note))
            .load(conn)
            .await?;
        Ok(VisitPlan { visits })
    }

    /// Where a family with `visits` visits stands.
    pub fn progress(&self, visits: i64) -> Option<Progress<'_>> {
        let of = self.visits.len() as i64;
        (of > 0).then(|| Progress {
            done: visits.min(of),
            of,
            next: self
                .visits
                .get(usize::try_from(visits).unwrap_or(usize::MAX)),
        })
    }
}

/// The visits (not voided) of each of these families.
pub async fn visits_by_family(
    conn: &mut AsyncPgConnection,
    families: &[crate::ids::FamilyId],
) -> QueryResult<Vec<(crate::ids::FamilyId, i64)>> {
    use crate::schema::visits;
    let rows: Vec<(Option<crate::ids::FamilyId>, i64)> = visits::table
        .filter(visits::family_id.eq_any(families.iter().map(|f| Some(*f))))
        .filter(visits::voided_at.is_null())
        .group_by(visits::family_id)
        .select((visits::family_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(f, n)| f.map(|f| (f, n)))
        .collect())
}

/// A family's progress through the plan: visit `done` of `of`, and the
/// next planned visit (none once the plan is complete).
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    pub done: i64,
    pub of: i64,
    pub next: Option<&'a PlannedVisit>,
}

impl Progress<'_> {
    /// "Visit plan: visit 4 of 10", or that none of its visits was made.
    pub fn msg(&self) -> Msg {
        let key = if self.done == 0 {
            "plan-not-started"
        } else {
            "plan-progress"
        };
        Msg::new(key).arg("done", self.done).arg("of", self.of)
    }
}

/// The plan, checked: numbered in order, topics of the programme's list,
/// notes short. Field errors name the visit by its index.
fn checked(input: VisitPlan, topics: &[Topic]) -> Result<VisitPlan, FieldErrors> {
    let mut errors = FieldErrors::new();
    if input.visits.len() > MAX_VISITS {
        errors.insert(
            "visits",
            Msg::new("error-plan-too-long").arg("max", MAX_VISITS),
        );
    }
    let mut visits = Vec::new();
    for (i, v) in input.visits.into_iter().enumerate() {
        let known = |t: &i64| topics.iter().any(|x| x.id == TopicId(*t));
        if v.topic_ids.is_empty() || !v.topic_ids.iter().all(known) {
            errors.insert("visits", Msg::new("error-plan-topics").arg("number", i + 1));
        }
        if v.note.chars().count() > 500 {
            errors.insert("visits", Msg::new("error-too-long"));
        }
        // Each topic once, in the order given.
        let mut topic_ids: Vec<i64> = Vec::new();
        for t in v.topic_ids {
            if !topic_ids.contains(&t) {
                topic_ids.push(t);
            }
        }
        visits.push(PlannedVisit {
            number: i as i32 + 1,
            topic_ids,
            note: v.note.trim().to_owned(),
        });
    }
    if errors.is_empty() {
        Ok(VisitPlan { visits })
    } else {
        Err(errors)
    }
}

/// Replaces a programme's plan (an empty list removes it).
pub async fn replace(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme: ProgrammeId,
    input: VisitPlan,
) -> AppResult<VisitPlan> {
    Programme::find(conn, &access.scope, programme).await?;
    // Topics offered now, and those the plan has already (retired since).
    let current = VisitPlan::of(conn, programme).await?;
    let topics: Vec<Topic> = Topic::for_programme(conn, programme)
        .await?
        .into_iter()
        .filter(|t| t.is_usable() || current.visits.iter().any(|v| v.topic_ids.contains(&t.id.0)))
        .collect();
    let plan = checked(input, &topics).map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        // The programme's row locked: two plans saved at once, one after the other.
        Programme::find_for_update(conn, &access.scope, programme).await?;
        let old = VisitPlan::of(conn, programme).await?;
        diesel::delete(steps::table.filter(steps::programme_id.eq(programme)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = plan
            .visits
            .iter()
            .map(|v| {
                (
                    steps::programme_id.eq(programme),
                    steps::number.eq(v.number),
                    steps::topic_ids.eq(&v.topic_ids),
                    steps::note.eq(&v.note),
                )
            })
            .collect();
        diesel::insert_into(steps::table)
            .values(rows)
            .execute(conn)
            .await?;
        if old != plan {
            audit::record(
                conn,
                access.actor,
                "update",
                Subject::of("visit_plan", programme.0, Some(programme.0)),
                audit::changed(&old, &plan),
            )
            .await?;
        }
        Ok(plan)
    })
    .await
}

/// A programme's visit plan: numbered visits, each with its planned
/// topics (`visits` empty: no plan).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/visit-plan", tag = "visits",
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = VisitPlan), (status = 404, body = ErrorResponse)))]
pub async fn get_plan(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Json<VisitPlan>> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(VisitPlan::of(&mut conn, id).await?))
}

/// Replaces the plan: `{"visits": [{"topic_ids": [1, 2], "note": "..."}]}`,
/// numbered in the order sent (at most 50; each with at least one of the
/// programme's visit topics). An empty list removes the plan.
#[utoipa::path(put, path = "/api/v1/programmes/{id}/visit-plan", tag = "visits",
    request_body = VisitPlan,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = VisitPlan), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn put_plan(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<VisitPlan>,
) -> AppResult<Json<VisitPlan>> {
    let mut conn = state.db().await?;
    Ok(Json(replace(&mut conn, &access, id, input).await?))
}
