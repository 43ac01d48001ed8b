//! Programmes and districts: rows and queries. Every query takes a
//! [`ProgrammeScope`] (see `authz`), the programmes the caller may see, so that no record
//! of another programme can leak; a record outside the scope is "not found".
//! The changes, with their rules and audit rows, are in `ops.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{DistrictId, ProgrammeId};
use crate::schema::{districts, programme_worker_words, programmes};

/// One local project, e.g. "Stadtteilmütter Neukölln".
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = programmes, check_for_backend(diesel::pg::Pg))]
pub struct Programme {
    #[schema(value_type = i64)]
    pub id: ProgrammeId,
    pub name: String,
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "DE")]
    pub country: String,
    /// ISO 4217 currency code: every amount of the programme is in it.
    #[schema(example = "EUR")]
    pub currency: String,
    /// ISO 639 language code.
    #[schema(example = "de")]
    pub default_language: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub description: String,
    /// Set when the programme was archived.
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The share of a course's modules (percent) a mother must attend to complete it.
    pub completion_threshold_percent: i16,
    /// Whether mothers still in training may make (practice) visits.
    pub practice_visits_allowed: bool,
    /// How contacts arise, the programme's own list for the conversation
    /// form (empty: the form does not ask).
    pub contact_origins: Vec<String>,
    /// Whether the conversation form starts with an anonymous contact.
    pub anonymous_by_default: bool,
    /// Months the personal details of closed families and of mothers who
    /// left are kept before the retention job erases them (none: until
    /// erased by hand).
    pub retention_months: Option<i32>,
}

/// The editable fields of a programme, validated (see `input.rs`).
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = programmes, treat_none_as_null = true)]
pub struct ProgrammeData {
    pub name: String,
    pub city: String,
    pub country: String,
    pub currency: String,
    pub default_language: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub description: String,
    pub completion_threshold_percent: i16,
    pub practice_visits_allowed: bool,
    pub contact_origins: Vec<String>,
    pub anonymous_by_default: bool,
    pub retention_months: Option<i32>,
}

/// The unique index on programme names (case-insensitive).
pub const PROGRAMME_NAME_KEY: &str = "programmes_name_key";
/// The unique index on district names within a programme (case-insensitive).
pub const DISTRICT_NAME_KEY: &str = "districts_programme_name_key";

impl Programme {
    pub(crate) fn subject(id: i64) -> Subject {
        Subject {
            entity: "programme",
            id: Some(id),
            programme_id: Some(id),
        }
    }

    /// The programmes in `scope`, by name; archived ones only when asked.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        include_archived: bool,
    ) -> QueryResult<Vec<Programme>> {
        let mut q = programmes::table
            .select(Programme::as_select())
            .order((
                programmes::archived_at.is_not_null(),
                diesel::dsl::sql::<diesel::sql_types::Text>("lower(programmes.name)"),
            ))
            .into_boxed();
        if !include_archived {
            q = q.filter(programmes::archived_at.is_null());
        }
        if let ProgrammeScope::Only(ids) = scope {
            q = q.filter(programmes::id.eq_any(ids));
        }
        q.load(conn).await
    }

    /// One programme, if in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: ProgrammeId,
    ) -> QueryResult<Programme> {
        scope.check(id)?;
        programmes::table
            .find(id)
            .select(Programme::as_select())
            .first(conn)
            .await
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        data: &ProgrammeData,
    ) -> QueryResult<Programme> {
        diesel::insert_into(programmes::table)
            .values(data)
            .returning(Programme::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: ProgrammeId,
        data: &ProgrammeData,
    ) -> QueryResult<Programme> {
        diesel::update(programmes::table.find(id))
            .set(data)
            .returning(Programme::as_returning())
            .get_result(conn)
            .await
    }

    /// Sets or clears the archive mark.
    pub async fn set_archived_at(
        conn: &mut AsyncPgConnection,
        id: ProgrammeId,
        at: Option<DateTime<Utc>>,
    ) -> QueryResult<Programme> {
        diesel::update(programmes::table.find(id))
            .set(programmes::archived_at.eq(at))
            .returning(Programme::as_returning())
            .get_result(conn)
            .await
    }

    /// Deletes the row; a foreign-key violation means data refers to it.
    pub async fn delete(conn: &mut AsyncPgConnection, id: ProgrammeId) -> QueryResult<usize> {
        diesel::delete(programmes::table.find(id))
            .execute(conn)
            .await
    }

    /// Whether mothers still in training may make (practice) visits.
    pub async fn practice_visits_allowed(
        conn: &mut AsyncPgConnection,
        id: ProgrammeId,
    ) -> QueryResult<bool> {
        programmes::table
            .find(id)
            .select(programmes::practice_visits_allowed)
            .first(conn)
            .await
    }

    /// A programme's list of how contacts arise.
    pub async fn contact_origins(
        conn: &mut AsyncPgConnection,
        id: ProgrammeId,
    ) -> QueryResult<Vec<String>> {
        programmes::table
            .find(id)
            .select(programmes::contact_origins)
            .first(conn)
            .await
    }

    /// One programme, if in `scope`, locked for the rest of the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: ProgrammeId,
    ) -> QueryResult<Programme> {
        scope.check(id)?;
        programmes::table
            .find(id)
            .select(Programme::as_select())
            .for_update()
            .first(conn)
            .await
    }
}

/// What a programme calls its workers in one interface language
/// (Stadtteilmutter / Stadtteilmütter), as written in the middle of a
/// sentence. Without one the language's own word applies.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = programme_worker_words, check_for_backend(diesel::pg::Pg))]
pub struct WorkerWord {
    /// An interface language (`de`, `da`, `tr`, `ar`, `en`).
    pub language: String,
    /// The singular.
    pub one: String,
    /// The plural.
    pub other: String,
}

impl WorkerWord {
    /// A programme's words, by language.
    pub async fn of(conn: &mut AsyncPgConnection, id: ProgrammeId) -> QueryResult<Vec<WorkerWord>> {
        programme_worker_words::table
            .filter(programme_worker_words::programme_id.eq(id.0))
            .select(WorkerWord::as_select())
            .order(programme_worker_words::language)
            .load(conn)
            .await
    }

    /// Replaces a programme's words.
    pub async fn replace(
        conn: &mut AsyncPgConnection,
        id: ProgrammeId,
        words: &[WorkerWord],
    ) -> QueryResult<()> {
        diesel::delete(
            programme_worker_words::table.filter(programme_worker_words::programme_id.eq(id.0)),
        )
        .execute(conn)
        .await?;
        let rows: Vec<_> = words
            .iter()
            .map(|w| {
                (
                    programme_worker_words::programme_id.eq(id.0),
                    programme_worker_words::language.eq(&w.language),
                    programme_worker_words::one.eq(&w.one),
                    programme_worker_words::other.eq(&w.other),
                )
            })
            .collect();
        diesel::insert_into(programme_worker_words::table)
            .values(rows)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The words for the translation layer.
    pub fn for_tr(words: &[WorkerWord]) -> crate::web::i18n::WorkerWords {
        crate::web::i18n::WorkerWords(
            words
                .iter()
                .map(|w| (w.language.clone(), w.one.clone(), w.other.clone()))
                .collect(),
        )
    }

    /// The words as the audit log records them: `de: Stadtteilmutter /
    /// Stadtteilmütter; …` (one field, shown as a sentence in the history).
    pub fn audit_text(words: &[WorkerWord]) -> String {
        words
            .iter()
            .map(|w| format!("{}: {} / {}", w.language, w.one, w.other))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An area a programme works in (e.g. a Neighbourhood Management area).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = districts, check_for_backend(diesel::pg::Pg))]
pub struct District {
    #[schema(value_type = i64)]
    pub id: DistrictId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    pub name: String,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The editable fields of a district, validated.
#[derive(Debug, Clone, PartialEq, AsChangeset, Serialize)]
#[diesel(table_name = districts)]
pub struct DistrictData {
    pub name: String,
}

#[derive(Insertable)]
#[diesel(table_name = districts)]
struct NewDistrict<'a> {
    programme_id: ProgrammeId,
    name: &'a str,
}

impl District {
    pub(crate) fn subject(id: i64, programme_id: i64) -> Subject {
        Subject {
            entity: "district",
            id: Some(id),
            programme_id: Some(programme_id),
        }
    }

    /// The districts of a programme (in `scope`), by name.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: ProgrammeId,
        include_archived: bool,
    ) -> QueryResult<Vec<District>> {
        // A programme outside the scope, or missing, is "not found".
        Programme::find(conn, scope, programme_id).await?;
        let mut q = districts::table
            .filter(districts::programme_id.eq(programme_id))
            .select(District::as_select())
            .order((
                districts::archived_at.is_not_null(),
                diesel::dsl::sql::<diesel::sql_types::Text>("lower(districts.name)"),
            ))
            .into_boxed();
        if !include_archived {
            q = q.filter(districts::archived_at.is_null());
        }
        q.load(conn).await
    }

    /// The active districts of every active programme in `scope` (the
    /// choices of a form), by programme and name.
    pub async fn all(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<District>> {
        let mut out = Vec::new();
        for p in Programme::list(conn, scope, false).await? {
            out.extend(District::list(conn, scope, p.id, false).await?);
        }
        Ok(out)
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: DistrictId,
    ) -> QueryResult<District> {
        let d: District = districts::table
            .find(id)
            .select(District::as_select())
            .first(conn)
            .await?;
        scope.visible(d.programme_id, d)
    }

    /// One district, if in `scope`, locked for the rest of the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: DistrictId,
    ) -> QueryResult<District> {
        let d: District = districts::table
            .find(id)
            .select(District::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(d.programme_id, d)
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &DistrictData,
    ) -> QueryResult<District> {
        diesel::insert_into(districts::table)
            .values(NewDistrict {
                programme_id,
                name: &data.name,
            })
            .returning(District::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: DistrictId,
        data: &DistrictData,
    ) -> QueryResult<District> {
        diesel::update(districts::table.find(id))
            .set(data)
            .returning(District::as_returning())
            .get_result(conn)
            .await
    }

    /// Sets or clears the archive mark.
    pub async fn set_archived_at(
        conn: &mut AsyncPgConnection,
        id: DistrictId,
        at: Option<DateTime<Utc>>,
    ) -> QueryResult<District> {
        diesel::update(districts::table.find(id))
            .set(districts::archived_at.eq(at))
            .returning(District::as_returning())
            .get_result(conn)
            .await
    }
}
