//! The topic taxonomy: the defaults and each programme's own topics.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{ProgrammeId, TopicId};
use crate::schema::topics;

/// A visit topic: a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    #[schema(value_type = i64)]
    pub id: TopicId,
    #[schema(value_type = Option<i64>)]
    pub programme_id: Option<ProgrammeId>,
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
}

pub const TOPIC_LABEL_KEY: &str = "topics_label_key";

impl Topic {
    /// The defaults and the programme's own topics (retired ones too).
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<Topic>> {
        topics::table
            .filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .order((topics::programme_id.is_not_null(), topics::id))
            .load(conn)
            .await
    }

    /// The ids of the topics a programme's visits may have now (its own
    /// and the defaults, not retired).
    pub async fn usable_ids(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<TopicId>> {
        topics::table
            .filter(topics::retired_at.is_null())
            .filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq(programme_id)),
            )
            .select(topics::id)
            .load(conn)
            .await
    }

    /// The topics of several programmes (for lists across programmes).
    pub async fn for_scope(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<Topic>> {
        let mut q = topics::table
            .select(Topic::as_select())
            .order(topics::id)
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq_any(ids)),
            );
        }
        q.load(conn).await
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        label: &str,
    ) -> QueryResult<Topic> {
        diesel::insert_into(topics::table)
            .values((
                topics::programme_id.eq(programme_id),
                topics::label.eq(label),
            ))
            .returning(Topic::as_returning())
            .get_result(conn)
            .await
    }

    /// One topic, locked for the rest of the transaction when `lock`.
    pub async fn find(conn: &mut AsyncPgConnection, id: TopicId, lock: bool) -> QueryResult<Topic> {
        let q = topics::table.find(id).select(Topic::as_select());
        if lock {
            q.for_update().first(conn).await
        } else {
            q.first(conn).await
        }
    }

    pub async fn set_label(
        conn: &mut AsyncPgConnection,
        id: TopicId,
        label: &str,
    ) -> QueryResult<Topic> {
        diesel::update(topics::table.find(id))
            .set(topics::label.eq(label))
            .returning(Topic::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn set_retired_at(
        conn: &mut AsyncPgConnection,
        id: TopicId,
        at: Option<DateTime<Utc>>,
    ) -> QueryResult<Topic> {
        diesel::update(topics::table.find(id))
            .set(topics::retired_at.eq(at))
            .returning(Topic::as_returning())
            .get_result(conn)
            .await
    }
}
