//! A tower-sessions store in PostgreSQL through diesel-async, so that any
//! app instance can serve any session. No published store fits
//! tower-sessions 0.15 with diesel (architecture.md), hence this one.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::clock::Clock;
use crate::db::{DbConn, DbPool};
use crate::schema::sessions;

#[derive(Clone)]
pub struct DieselStore {
    pool: DbPool,
    clock: Clock,
}

impl std::fmt::Debug for DieselStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DieselStore")
    }
}

impl DieselStore {
    pub fn new(pool: DbPool, clock: Clock) -> Self {
        Self { pool, clock }
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> anyhow::Result<usize> {
        let mut conn = DbConn::get(&self.pool).await?;
        Ok(
            diesel::delete(sessions::table.filter(sessions::expiry_date.lt(self.clock.now())))
                .execute(&mut conn)
                .await?,
        )
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn to_chrono(t: OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_default()
}

fn to_time(t: DateTime<Utc>) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.timestamp())
        .map(|d| d + time::Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos())))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[async_trait]
impl SessionStore for DieselStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut conn = DbConn::get(&self.pool).await.map_err(backend)?;
        let data = serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // A new id on the (astronomically rare) collision.
        for _ in 0..8 {
            let inserted = diesel::insert_into(sessions::table)
                .values((
                    sessions::id.eq(record.id.to_string()),
                    sessions::data.eq(&data),
                    sessions::expiry_date.eq(to_chrono(record.expiry_date)),
                ))
                .on_conflict_do_nothing()
                .execute(&mut conn)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(backend("could not find a free session id"))
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut conn = DbConn::get(&self.pool).await.map_err(backend)?;
        let data = serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(record.id.to_string()),
                sessions::data.eq(&data),
                sessions::expiry_date.eq(to_chrono(record.expiry_date)),
            ))
            .on_conflict(sessions::id)
            .do_update()
            .set((
                sessions::data.eq(excluded(sessions::data)),
                sessions::expiry_date.eq(excluded(sessions::expiry_date)),
            ))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let mut conn = DbConn::get(&self.pool).await.map_err(backend)?;
        let row: Option<(serde_json::Value, DateTime<Utc>)> = sessions::table
            .find(id.to_string())
            .filter(sessions::expiry_date.gt(self.clock.now()))
            .select((sessions::data, sessions::expiry_date))
            .first(&mut conn)
            .await
            .optional()
            .map_err(backend)?;
        row.map(|(data, expiry)| {
            Ok(Record {
                id: *id,
                data: serde_json::from_value(data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))?,
                expiry_date: to_time(expiry),
            })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let mut conn = DbConn::get(&self.pool).await.map_err(backend)?;
        diesel::delete(sessions::table.find(id.to_string()))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_convert_both_ways() {
        let t = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time")
            + time::Duration::nanoseconds(123_456_000);
        assert_eq!(to_time(to_chrono(t)), t);
    }
}
