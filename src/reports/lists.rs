//! Figures by an entry of a programme's lists (referrals by service,
//! events by kind): every default, and the programmes' own entries that
//! are offered or were used in the period, in the order of the list.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::ReferralFigure;
use crate::schema::topics;
use crate::visits::model::ListKind;

/// Events of one kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindFigure {
    /// The kind's code: a default's key, or a programme's own kind's id.
    pub kind: String,
    /// Its label as recorded (a default's is translated in the pages).
    pub label: String,
    pub count: i64,
}

/// An entry as a report names it: its code and label.
struct Entry {
    code: String,
    label: String,
    /// An own entry that is retired: listed only when used.
    hidden_unless_used: bool,
}

async fn entries(
    conn: &mut AsyncPgConnection,
    list: ListKind,
    programmes: &[i64],
) -> QueryResult<Vec<Entry>> {
    let rows: Vec<(Option<String>, i64, String, bool)> = topics::table
        .filter(topics::list.eq(list))
        .filter(
            topics::programme_id
                .is_null()
                .or(topics::programme_id.eq_any(programmes)),
        )
        .order((topics::programme_id.is_not_null(), topics::id))
        .select((
            topics::key,
            topics::id,
            topics::label,
            topics::retired_at.is_not_null(),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(key, id, label, retired)| Entry {
            hidden_unless_used: key.is_none() && retired,
            code: key.unwrap_or_else(|| id.to_string()),
            label,
        })
        .collect())
}

/// Referrals by service from `(code, made, done)` counts.
pub async fn by_service(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    counts: &[(String, i64, i64)],
) -> QueryResult<Vec<ReferralFigure>> {
    Ok(entries(conn, ListKind::Service, programmes)
        .await?
        .into_iter()
        .filter_map(|e| {
            let c = counts.iter().find(|(code, _, _)| *code == e.code);
            (!e.hidden_unless_used || c.is_some()).then(|| ReferralFigure {
                count: c.map_or(0, |c| c.1),
                done: c.map_or(0, |c| c.2),
                service: e.code,
                label: e.label,
            })
        })
        .collect())
}

/// Events by kind from `(code, events)` counts.
pub async fn by_kind(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    counts: &[(String, i64)],
) -> QueryResult<Vec<KindFigure>> {
    Ok(entries(conn, ListKind::EventKind, programmes)
        .await?
        .into_iter()
        .filter_map(|e| {
            let c = counts.iter().find(|(code, _)| *code == e.code);
            (!e.hidden_unless_used || c.is_some()).then(|| KindFigure {
                count: c.map_or(0, |c| c.1),
                kind: e.code,
                label: e.label,
            })
        })
        .collect())
}
