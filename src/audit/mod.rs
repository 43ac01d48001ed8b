//! The audit log: one `audit_events` row per change, written by the `ops`
//! function (the use case) that makes the change, inside its transaction. (Reading it
//! is an administrator's page: `auth::audit_log`.)

pub mod access;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::schema::audit_events;

/// Who made a change. `None` is the system (a CLI command, or any request
/// until accounts exist).
pub type Actor = Option<crate::ids::UserId>;

// `None` is bound as NULL rather than written as DEFAULT: the statement
// then has one shape and stays prepared on the connection.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct NewAuditEvent<'a> {
    pub actor_id: Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub programme_id: Option<i64>,
    pub changes: Value,
}

impl NewAuditEvent<'_> {
    pub async fn insert(&self, conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::insert_into(audit_events::table)
            .values(self)
            .execute(conn)
            .await
            .map(drop)
    }
}

/// The record a change is about.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    /// The kind of record: `programme`, `district`, ...
    pub entity: &'static str,
    /// `None` where there is no record (a sign-in with an unknown email).
    pub id: Option<i64>,
    /// The programme it belongs to (for scoping the log).
    pub programme_id: Option<i64>,
}

impl Subject {
    /// A record of `entity` with its id, in a programme.
    pub fn of(entity: &'static str, id: i64, programme_id: Option<i64>) -> Self {
        Self {
            entity,
            id: Some(id),
            programme_id,
        }
    }
}

/// The audit row for `action` on `subject`, personal values left out;
/// `None` for an update that changed nothing (it writes no row). For a
/// change that writes its row in its own statement (a new visit).
pub fn row<'a>(
    actor: Actor,
    action: &'a str,
    subject: Subject,
    changes: Value,
) -> Option<NewAuditEvent<'a>> {
    if action == "update" && changes.as_object().is_some_and(Map::is_empty) {
        return None;
    }
    Some(NewAuditEvent {
        actor_id: actor,
        action,
        entity: subject.entity,
        entity_id: subject.id,
        programme_id: subject.programme_id,
        changes: without_personal(subject.entity, changes),
    })
}

/// Writes the audit row for `action` on `subject`. An update that changed
/// nothing writes no row.
pub async fn record(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    action: &str,
    subject: Subject,
    changes: Value,
) -> QueryResult<()> {
    match row(actor, action, subject, changes) {
        Some(event) => event.insert(conn).await,
        None => Ok(()),
    }
}

/// Writes the audit rows of many records of one kind at once (an import):
/// `(id, programme, changes)` each, without personal values.
pub async fn record_many(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    action: &str,
    entity: &'static str,
    rows: Vec<(i64, Option<i64>, Value)>,
) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let events: Vec<NewAuditEvent<'_>> = rows
        .into_iter()
        .map(|(id, programme_id, changes)| NewAuditEvent {
            actor_id: actor,
            action,
            entity,
            entity_id: Some(id),
            programme_id,
            changes: without_personal(entity, changes),
        })
        .collect();
    diesel::insert_into(audit_events::table)
        .values(&events)
        .execute(conn)
        .await
        .map(drop)
}

/// The fields that hold a person's details or free text that may name
/// someone, by kind of record. The log keeps that they changed, never
/// their values (a name in the log could not be erased with the person);
/// `migrations/2026-11-29-000009_audit_without_personal` redacted the
/// rows written before. Keep the two lists the same.
pub const PERSONAL: &[(&str, &[&str])] = &[
    ("mother", &["full_name", "phone", "email", "note", "reason"]),
    (
        "family",
        &["name", "address", "phone", "email", "note", "reason"],
    ),
    ("visit", &["note", "next_step", "void_reason"]),
    ("referral", &["outcome_note"]),
    ("event", &["note"]),
    ("user", &["email", "display_name"]),
];

/// The personal fields of `entity`'s audit rows (none for most).
pub fn personal_fields(entity: &str) -> &'static [&'static str] {
    PERSONAL
        .iter()
        .find(|(e, _)| *e == entity)
        .map_or(&[], |(_, f)| *f)
}

/// `changes` with the values of personal fields replaced by
/// `{"changed": true}`.
pub fn without_personal(entity: &str, mut changes: Value) -> Value {
    let fields = personal_fields(entity);
    if let Value::Object(m) = &mut changes {
        for field in fields {
            if let Some(v) = m.get_mut(*field) {
                *v = json!({"changed": true});
            }
        }
    }
    changes
}

/// The fields of a new record, as `{"field": {"new": value}}`.
pub fn created(new: &impl Serialize) -> Value {
    diff(&Value::Null, &json!(new))
}

/// The fields of a deleted record, as `{"field": {"old": value}}`.
pub fn deleted(old: &impl Serialize) -> Value {
    let mut out = Map::new();
    if let Value::Object(fields) = json!(old) {
        for (k, v) in fields {
            if !SKIP.contains(&k.as_str()) {
                out.insert(k, json!({ "old": v }));
            }
        }
    }
    Value::Object(out)
}

/// The fields that differ between `old` and `new`, as
/// `{"field": {"old": ..., "new": ...}}`. Bookkeeping columns are left out.
pub fn changed(old: &impl Serialize, new: &impl Serialize) -> Value {
    diff(&json!(old), &json!(new))
}

/// Bookkeeping columns, left out of the recorded changes.
const SKIP: [&str; 3] = ["id", "created_at", "updated_at"];

fn diff(old: &Value, new: &Value) -> Value {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for (k, v) in new {
        if SKIP.contains(&k.as_str()) {
            continue;
        }
        match old.get(k) {
            Some(o) if o == v => {}
            Some(o) => {
                out.insert(k.clone(), json!({"old": o, "new": v}));
            }
            None => {
                out.insert(k.clone(), json!({ "new": v }));
            }
        }
    }
    Value::Object(out)
}

/// One change in a record's history, as the audit log has it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The user who made it (`None`: the system).
    pub actor: Option<String>,
    pub action: String,
    /// `referral` where the change was to a part of the record.
    pub entity: String,
    pub entity_id: Option<i64>,
    /// Each changed field: its name, and its old and new value if kept.
    pub fields: Vec<(String, Option<Value>, Option<Value>)>,
}

/// How many entries a record's history shows at most.
pub const HISTORY_LIMIT: i64 = 100;

/// The change history of a record and its parts, e.g. a visit
/// (`("visit", &[id])`) and its referrals (`("referral", &ids)`): newest
/// first, at most [`HISTORY_LIMIT`] entries.
pub async fn history(
    conn: &mut AsyncPgConnection,
    parts: &[(&str, &[i64])],
) -> QueryResult<Vec<HistoryEntry>> {
    let mut entries = Vec::new();
    for (entity, ids) in parts.iter().filter(|(_, ids)| !ids.is_empty()) {
        entries.extend(read(conn, Some((entity, ids)), HISTORY_LIMIT).await?);
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
    entries.truncate(HISTORY_LIMIT as usize);
    Ok(entries)
}

/// The latest changes to anything, newest first (the administrator's
/// home page); sign-ins and sign-outs are not changes.
pub async fn latest(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<HistoryEntry>> {
    read(conn, None, limit).await
}

/// What happened to an account's sign-in: signing in, a failed attempt,
/// a lockout, a password changed or reset, a second factor turned on or
/// off. The account page lists them ("recent security events").
pub const SECURITY_ACTIONS: [&str; 7] = [
    "login",
    "login_failed",
    "lockout",
    "change_password",
    "reset_password",
    "totp_on",
    "totp_off",
];

/// One security event of an account.
#[derive(Debug, Clone)]
pub struct SecurityEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    /// One of [`SECURITY_ACTIONS`].
    pub action: String,
    /// The address the request came from, where it was recorded.
    pub client_ip: Option<String>,
}

/// The latest security events of a user's account, newest first.
pub async fn security_events(
    conn: &mut AsyncPgConnection,
    user: crate::ids::UserId,
    limit: i64,
) -> QueryResult<Vec<SecurityEvent>> {
    use diesel::sql_types::{Nullable, Text};
    let rows: Vec<(chrono::DateTime<chrono::Utc>, String, Option<String>)> = audit_events::table
        .filter(audit_events::entity.eq("user"))
        .filter(audit_events::entity_id.eq(i64::from(user)))
        .filter(audit_events::action.eq_any(SECURITY_ACTIONS))
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .select((
            audit_events::occurred_at,
            audit_events::action,
            diesel::dsl::sql::<Nullable<Text>>("changes->>'client_ip'"),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(at, action, client_ip)| SecurityEvent {
            at,
            action,
            client_ip,
        })
        .collect())
}

/// Actions that change nothing, left out of `latest`.
const NOT_CHANGES: [&str; 3] = ["login", "logout", "login_failed"];

async fn read(
    conn: &mut AsyncPgConnection,
    of: Option<(&str, &[i64])>,
    limit: i64,
) -> QueryResult<Vec<HistoryEntry>> {
    use crate::schema::users;
    let mut q = audit_events::table
        .left_join(users::table.on(users::id.nullable().eq(audit_events::actor_id)))
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .select((
            audit_events::occurred_at,
            users::display_name.nullable(),
            audit_events::action,
            audit_events::entity,
            audit_events::entity_id,
            audit_events::changes,
        ))
        .into_boxed();
    match of {
        Some((entity, ids)) => {
            q = q
                .filter(audit_events::entity.eq(entity.to_owned()))
                .filter(audit_events::entity_id.eq_any(ids.to_vec()));
        }
        None => q = q.filter(audit_events::action.ne_all(NOT_CHANGES)),
    }
    let rows: Vec<HistoryRow> = q.load(conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(at, actor, action, entity, entity_id, changes)| HistoryEntry {
                at,
                actor,
                action,
                entity,
                entity_id,
                fields: fields(&changes),
            },
        )
        .collect())
}

/// The kind of record a field's value names (`mother_id` names a
/// mother), if it names one.
pub fn field_kind(field: &str) -> Option<&'static str> {
    Some(match field {
        "mother_id" | "primary_mother_id" | "mother_ids" => "mother",
        "family_id" => "family",
        "district_id" | "district_ids" => "district",
        // A programme's lists share one table: an own service's or kind of
        // event's code is its id (a default's key is a word, translated).
        "topic_id" | "topic_ids" | "service" | "referrals" | "kind" => "topic",
        "programme_id" | "programme_ids" => "programme",
        "user_id" | "trainer_id" | "changed_by" | "recorded_by" | "consent_recorded_by" => "user",
        "funder_id" => "funder",
        "grant_id" => "grant",
        "course_id" => "course",
        "event_id" => "event",
        _ => return None,
    })
}

/// The kind of name an audited entity has (`None`: it has none): its own,
/// but a programme's lists share one table, read as `topic`.
fn named_as(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "mother" => "mother",
        "family" => "family",
        "district" => "district",
        "topic" | "service" | "event_kind" => "topic",
        "programme" => "programme",
        "user" => "user",
        "funder" => "funder",
        "course" => "course",
        "event" => "event",
        "visit" => "visit",
        "api_token" => "api_token",
        _ => return None,
    })
}

/// The names of the records a history names (as subjects or in values):
/// a mother's or user's name, a family's code, a district's, topic's,
/// programme's, funder's, course's or event's name.
#[derive(Debug, Default)]
pub struct Names(std::collections::HashMap<(String, i64), String>);

impl Names {
    pub fn get(&self, kind: &str, id: i64) -> Option<&str> {
        let kind = named_as(kind).unwrap_or(kind);
        self.0.get(&(kind.to_owned(), id)).map(String::as_str)
    }

    /// Reads the names the entries need, one query per kind of record.
    pub async fn of(conn: &mut AsyncPgConnection, entries: &[HistoryEntry]) -> QueryResult<Names> {
        use crate::schema::{
            api_tokens, courses, districts, events, families, funders, mothers, programmes, topics,
            users, visits,
        };
        let mut wanted: std::collections::BTreeMap<&'static str, Vec<i64>> = Default::default();
        let mut want = |kind: &'static str, v: &Value| match v {
            Value::Number(n) => wanted.entry(kind).or_default().extend(n.as_i64()),
            Value::String(s) => wanted
                .entry(kind)
                .or_default()
                .extend(s.parse::<i64>().ok()),
            Value::Array(items) => {
                for i in items {
                    if let Some(n) = i
                        .as_i64()
                        .or_else(|| i.as_str().and_then(|s| s.parse().ok()))
                    {
                        wanted.entry(kind).or_default().push(n);
                    }
                }
            }
            _ => {}
        };
        for e in entries {
            let subject = named_as(&e.entity);
            if let (Some(k), Some(id)) = (subject, e.entity_id) {
                want(k, &Value::from(id));
            }
            for (f, old, new) in &e.fields {
                if let Some(k) = field_kind(f) {
                    for v in [old, new].into_iter().flatten() {
                        want(k, v);
                    }
                }
            }
        }
        let mut out = std::collections::HashMap::new();
        for (kind, mut ids) in wanted {
            ids.sort_unstable();
            ids.dedup();
            let rows: Vec<(i64, String)> = match kind {
                "mother" => {
                    mothers::table
                        .filter(mothers::id.eq_any(&ids))
                        .select((mothers::id, mothers::full_name))
                        .load(conn)
                        .await?
                }
                "family" => {
                    families::table
                        .filter(families::id.eq_any(&ids))
                        .select((families::id, families::reference_code))
                        .load(conn)
                        .await?
                }
                "district" => {
                    districts::table
                        .filter(districts::id.eq_any(&ids))
                        .select((districts::id, districts::name))
                        .load(conn)
                        .await?
                }
                "topic" => {
                    topics::table
                        .filter(topics::id.eq_any(&ids))
                        .select((topics::id, topics::label))
                        .load(conn)
                        .await?
                }
                "programme" => {
                    programmes::table
                        .filter(programmes::id.eq_any(&ids))
                        .select((programmes::id, programmes::name))
                        .load(conn)
                        .await?
                }
                "user" => {
                    users::table
                        .filter(users::id.eq_any(&ids))
                        .select((users::id, users::display_name))
                        .load(conn)
                        .await?
                }
                "funder" => {
                    funders::table
                        .filter(funders::id.eq_any(&ids))
                        .select((funders::id, funders::name))
                        .load(conn)
                        .await?
                }
                "course" => {
                    courses::table
                        .filter(courses::id.eq_any(&ids))
                        .select((courses::id, courses::name))
                        .load(conn)
                        .await?
                }
                "event" => {
                    events::table
                        .filter(events::id.eq_any(&ids))
                        .select((events::id, events::title))
                        .load(conn)
                        .await?
                }
                // A visit by its day and its mother.
                "visit" => {
                    let rows: Vec<(i64, chrono::NaiveDate, String)> = visits::table
                        .inner_join(mothers::table.on(mothers::id.eq(visits::mother_id)))
                        .filter(visits::id.eq_any(&ids))
                        .select((visits::id, visits::visited_on, mothers::full_name))
                        .load(conn)
                        .await?;
                    rows.into_iter()
                        .map(|(id, on, mother)| (id, format!("{on}, {mother}")))
                        .collect()
                }
                "api_token" => {
                    api_tokens::table
                        .filter(api_tokens::id.eq_any(&ids))
                        .select((api_tokens::id, api_tokens::label))
                        .load(conn)
                        .await?
                }
                _ => Vec::new(),
            };
            for (id, name) in rows {
                out.insert((kind.to_owned(), id), name);
            }
        }
        Ok(Names(out))
    }
}

/// When, who, what, on which kind of record, and the changes.
type HistoryRow = (
    chrono::DateTime<chrono::Utc>,
    Option<String>,
    String,
    String,
    Option<i64>,
    Value,
);

/// A row's `changes` as (field, old, new). A field recorded as
/// `{"changed": true}` (a note: that it changed, not its words) comes with
/// that object as its new value.
pub fn fields(changes: &Value) -> Vec<(String, Option<Value>, Option<Value>)> {
    let Value::Object(m) = changes else {
        return Vec::new();
    };
    m.iter()
        .map(|(k, v)| {
            let old = v.get("old").cloned();
            let new = v
                .get("new")
                .cloned()
                .or_else(|| old.is_none().then(|| v.clone()));
            (k.clone(), old, new)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_never_reach_the_log() {
        let c = without_personal(
            "mother",
            json!({"full_name": {"old": "Hodan Ali", "new": "Hodan Warsame"},
                   "phone": {"new": "0170 123"}, "status": {"new": "active"}}),
        );
        assert_eq!(c["full_name"], json!({"changed": true}));
        assert_eq!(c["phone"], json!({"changed": true}));
        assert_eq!(c["status"], json!({"new": "active"}), "not personal");
        let p = without_personal("programme", json!({"name": {"new": "Bydelsmødre"}}));
        assert_eq!(
            p["name"],
            json!({"new": "Bydelsmødre"}),
            "a programme's name stays"
        );
    }

    #[test]
    fn diff_lists_only_changed_fields() {
        let d = changed(
            &json!({"id": 1, "name": "a", "city": "b", "updated_at": "x"}),
            &json!({"id": 1, "name": "a2", "city": "b", "updated_at": "y"}),
        );
        assert_eq!(d, json!({"name": {"old": "a", "new": "a2"}}));
    }
}
