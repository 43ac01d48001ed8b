//! A programme's lists: its visit topics, the services it refers
//! families to and the kinds of its events. Each list has defaults (with a
//! key, translated) and each programme's own entries (with a label).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{ProgrammeId, TopicId};
use crate::schema::topics;

crate::text_enum! {
    /// Which of a programme's lists an entry belongs to.
    pub enum ListKind {
        Topic = "topic",
        Service = "service",
        EventKind = "event_kind",
    }
}

impl ListKind {
    /// The entity of its entries in the audit log.
    pub fn entity(self) -> &'static str {
        self.as_str()
    }

    /// The prefix of the messages naming its defaults (`vtopic-health`,
    /// `service-housing`, `event-kind-workshop`).
    pub fn label_prefix(self) -> &'static str {
        match self {
            ListKind::Topic => "vtopic",
            ListKind::Service => "service",
            ListKind::EventKind => "event-kind",
        }
    }

    /// The message for a label the programme has already.
    pub fn taken_key(self) -> &'static str {
        match self {
            ListKind::Topic => "error-topic-taken",
            ListKind::Service => "error-service-taken",
            ListKind::EventKind => "error-event-kind-taken",
        }
    }

    /// The conflict of changing a default.
    pub fn default_key(self) -> &'static str {
        match self {
            ListKind::Topic => "error-topic-default",
            ListKind::Service => "error-service-default",
            ListKind::EventKind => "error-event-kind-default",
        }
    }

    /// The message for a code the programme's list does not offer.
    pub fn unknown_key(self) -> &'static str {
        match self {
            ListKind::Topic => "error-topic-unknown",
            ListKind::Service => "error-service-unknown",
            ListKind::EventKind => "error-event-kind-unknown",
        }
    }
}

/// An entry of a programme's list (a visit topic, a service, an event
/// kind): a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    #[schema(value_type = i64)]
    pub id: TopicId,
    #[schema(value_type = Option<i64>)]
    pub programme_id: Option<ProgrammeId>,
    /// A default's key (`null` for a programme's own entry).
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub list: ListKind,
}

impl Topic {
    /// What a referral or an event stores for this entry: a default's key,
    /// or an own entry's id in decimal.
    pub fn code(&self) -> String {
        match &self.key {
            Some(k) => k.clone(),
            None => self.id.to_string(),
        }
    }

    /// Whether it may be chosen for new records.
    pub fn is_usable(&self) -> bool {
        self.retired_at.is_none()
    }
}

/// The entry of `entries` stored as `code`.
pub fn entry_of<'a>(entries: &'a [Topic], code: &str) -> Option<&'a Topic> {
    entries.iter().find(|t| match &t.key {
        Some(k) => k == code,
        None => code.parse::<i64>().is_ok_and(|id| id == t.id.0),
    })
}

pub const TOPIC_LABEL_KEY: &str = "topics_label_key";

impl Topic {
    /// The defaults and the programme's own topics (retired ones too).
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<Topic>> {
        Topic::of_list(conn, ListKind::Topic, programme_id).await
    }

    /// A list's defaults and the programme's own entries (retired ones
    /// too), defaults first.
    pub async fn of_list(
        conn: &mut AsyncPgConnection,
        list: ListKind,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<Topic>> {
        topics::table
            .filter(topics::list.eq(list))
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
            .filter(topics::list.eq(ListKind::Topic))
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
        Topic::of_list_in(conn, ListKind::Topic, scope).await
    }

    /// A list's entries for several programmes (for lists across
    /// programmes): the defaults and each programme's own, retired too.
    pub async fn of_list_in(
        conn: &mut AsyncPgConnection,
        list: ListKind,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<Topic>> {
        let mut q = topics::table
            .filter(topics::list.eq(list))
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

    /// The codes a programme's new records may use from a list (its own
    /// entries and the defaults, not retired).
    pub async fn usable_codes(
        conn: &mut AsyncPgConnection,
        list: ListKind,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<String>> {
        Ok(Topic::of_list(conn, list, programme_id)
            .await?
            .iter()
            .filter(|t| t.is_usable())
            .map(Topic::code)
            .collect())
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        list: ListKind,
        programme_id: ProgrammeId,
        label: &str,
    ) -> QueryResult<Topic> {
        diesel::insert_into(topics::table)
            .values((
                topics::list.eq(list),
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
