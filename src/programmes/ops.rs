//! The use cases of programmes and districts, called by the pages and the
//! API alike. Each takes the caller's [`Access`] and the input as it came,
//! validates it, and runs one transaction: the scoped find (locked where
//! the row changes), the rules, the change, its audit row; constraint names
//! come back as field errors.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::input::{DistrictInput, ProgrammeInput, WorkerWordInput, worker_words};
use super::model::{
    DISTRICT_NAME_KEY, District, DistrictData, PROGRAMME_NAME_KEY, Programme, ProgrammeData,
    WorkerWord,
};
use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult, constraint_name, is_foreign_key_violation};
use crate::ids::{DistrictId, ProgrammeId};

/// What deleting a programme found.
#[derive(Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    /// Data refers to it: archive it instead.
    HasData,
}

/// A taken name, or a currency change under existing amounts, as field errors.
fn programme_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(PROGRAMME_NAME_KEY) => AppError::field("name", "error-programme-name-taken"),
        Some("grants_programme_currency_fkey" | "expenses_programme_currency_fkey") => {
            AppError::field("currency", "error-currency-in-use")
        }
        _ => e.into(),
    }
}

/// A district name taken in the programme, as a field error.
fn district_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(DISTRICT_NAME_KEY) => AppError::field("name", "error-district-name-taken"),
        _ => e.into(),
    }
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &ProgrammeInput,
) -> AppResult<Programme> {
    let data = ProgrammeData::try_from(input).map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        let p = Programme::insert(conn, &data)
            .await
            .map_err(programme_error)?;
        audit::record(
            conn,
            access.actor,
            "create",
            Programme::subject(p.id.0),
            audit::created(&data),
        )
        .await?;
        Ok(p)
    })
    .await
}

/// Replaces a programme's fields. Not found (or not visible) comes before
/// invalid.
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ProgrammeId,
    input: &ProgrammeInput,
) -> AppResult<Programme> {
    conn.transaction(async |conn| {
        let old = Programme::find_for_update(conn, &access.scope, id).await?;
        let data = ProgrammeData::try_from(input).map_err(AppError::Validation)?;
        let p = Programme::update(conn, id, &data)
            .await
            .map_err(programme_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            Programme::subject(id.0),
            audit::changed(&old, &p),
        )
        .await?;
        Ok(p)
    })
    .await
}

/// Sets what a programme calls its workers, in each language (the entries
/// sent replace all before). Not found comes before invalid; the audit
/// row keeps the words before and after as one field.
pub async fn set_worker_words(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ProgrammeId,
    input: &[WorkerWordInput],
) -> AppResult<Vec<WorkerWord>> {
    conn.transaction(async |conn| {
        Programme::find_for_update(conn, &access.scope, id).await?;
        let words = worker_words(input).map_err(AppError::Validation)?;
        let old = WorkerWord::of(conn, id).await?;
        if old == words {
            return Ok(words);
        }
        WorkerWord::replace(conn, id, &words).await?;
        audit::record(
            conn,
            access.actor,
            "update",
            Programme::subject(id.0),
            audit::changed(
                &serde_json::json!({ "worker_words": WorkerWord::audit_text(&old) }),
                &serde_json::json!({ "worker_words": WorkerWord::audit_text(&words) }),
            ),
        )
        .await?;
        Ok(words)
    })
    .await
}

/// Archives (`true`) or restores (`false`) a programme. Doing it twice
/// changes nothing and writes no audit row.
pub async fn set_archived(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ProgrammeId,
    archived: bool,
    now: DateTime<Utc>,
) -> AppResult<Programme> {
    conn.transaction(async |conn| {
        let old = Programme::find_for_update(conn, &access.scope, id).await?;
        if old.archived_at.is_some() == archived {
            return Ok(old);
        }
        let p = Programme::set_archived_at(conn, id, archived.then_some(now)).await?;
        audit::record(
            conn,
            access.actor,
            if archived { "archive" } else { "restore" },
            Programme::subject(id.0),
            audit::changed(&old, &p),
        )
        .await?;
        Ok(p)
    })
    .await
}

/// Deletes a programme that holds no data. One with districts or any
/// other record (every table refers to programmes with ON DELETE
/// RESTRICT) is left as it is: archive it instead.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ProgrammeId,
) -> AppResult<(Programme, DeleteOutcome)> {
    let result = conn
        .transaction(async |conn| {
            let old = Programme::find_for_update(conn, &access.scope, id).await?;
            Programme::delete(conn, id).await?;
            audit::record(
                conn,
                access.actor,
                "delete",
                Programme::subject(id.0),
                audit::deleted(&old),
            )
            .await?;
            Ok::<_, diesel::result::Error>(old)
        })
        .await;
    match result {
        Ok(p) => Ok((p, DeleteOutcome::Deleted)),
        Err(e) if is_foreign_key_violation(&e) => {
            let p = Programme::find(conn, &access.scope, id).await?;
            Ok((p, DeleteOutcome::HasData))
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds a district to a programme; its name is unique within the programme.
pub async fn create_district(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    input: &DistrictInput,
) -> AppResult<District> {
    conn.transaction(async |conn| {
        Programme::find_for_update(conn, &access.scope, programme_id).await?;
        let data = DistrictData::try_from(input).map_err(AppError::Validation)?;
        let d = District::insert(conn, programme_id, &data)
            .await
            .map_err(district_error)?;
        audit::record(
            conn,
            access.actor,
            "create",
            District::subject(d.id.0, programme_id.0),
            audit::created(&data),
        )
        .await?;
        Ok(d)
    })
    .await
}

/// Renames a district.
pub async fn update_district(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: DistrictId,
    input: &DistrictInput,
) -> AppResult<District> {
    conn.transaction(async |conn| {
        let old = District::find_for_update(conn, &access.scope, id).await?;
        let data = DistrictData::try_from(input).map_err(AppError::Validation)?;
        let d = District::update(conn, id, &data)
            .await
            .map_err(district_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            District::subject(id.0, d.programme_id.0),
            audit::changed(&old, &d),
        )
        .await?;
        Ok(d)
    })
    .await
}

/// Archives (`true`) or restores (`false`) a district.
pub async fn set_district_archived(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: DistrictId,
    archived: bool,
    now: DateTime<Utc>,
) -> AppResult<District> {
    conn.transaction(async |conn| {
        let old = District::find_for_update(conn, &access.scope, id).await?;
        if old.archived_at.is_some() == archived {
            return Ok(old);
        }
        let d = District::set_archived_at(conn, id, archived.then_some(now)).await?;
        audit::record(
            conn,
            access.actor,
            if archived { "archive" } else { "restore" },
            District::subject(id.0, d.programme_id.0),
            audit::changed(&old, &d),
        )
        .await?;
        Ok(d)
    })
    .await
}
