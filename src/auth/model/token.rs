//! API tokens: stored hashed, shown once, ended by revocation, their user's password change or their last day.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{Actor, Subject};
use crate::ids::{ApiTokenId, UserId};
use crate::schema::{api_tokens, users};

use super::*;

/// A live token's id and last use, its user, and one of the user's
/// programmes (none: `None`), as `authenticate` reads them.
type TokenRow = (i64, Option<DateTime<Utc>>, UserRow, Option<i64>);

/// An API token as listed (never the token itself).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    #[schema(value_type = i64)]
    pub id: ApiTokenId,
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub label: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The token stops working at this instant (none: when revoked).
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// The last day the token works (it ends at the start of the next).
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        self.expires_at
            .map(|e| (e - Duration::seconds(1)).date_naive())
    }

    pub(crate) fn subject(id: ApiTokenId) -> Subject {
        Subject {
            entity: "api_token",
            id: Some(id.0),
            programme_id: None,
        }
    }

    /// Stores a token's hash for `user_id`.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        user_id: UserId,
        label: &str,
        token_hash: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> QueryResult<ApiToken> {
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::user_id.eq(user_id),
                api_tokens::label.eq(label),
                api_tokens::token_hash.eq(token_hash),
                api_tokens::created_by.eq(actor),
                api_tokens::expires_at.eq(expires_at),
            ))
            .returning(ApiToken::as_returning())
            .get_result(conn)
            .await
    }

    /// The active user a live token acts as, with their programmes, in one
    /// statement (a row per programme: the user joined to their
    /// memberships). Marks the token used (at most once a minute, so that
    /// reads do not write).
    pub async fn authenticate(
        conn: &mut AsyncPgConnection,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<User>> {
        use crate::schema::user_programmes;
        let rows: Vec<TokenRow> = api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
            .left_join(user_programmes::table.on(user_programmes::user_id.eq(users::id)))
            .filter(api_tokens::token_hash.eq(token_hash))
            .filter(api_tokens::revoked_at.is_null())
            .filter(
                api_tokens::expires_at
                    .is_null()
                    .or(api_tokens::expires_at.gt(diesel::dsl::now)),
            )
            .filter(users::active.eq(true))
            .select((
                api_tokens::id,
                api_tokens::last_used_at,
                UserRow::as_select(),
                user_programmes::programme_id.nullable(),
            ))
            .order(user_programmes::programme_id)
            .load(conn)
            .await?;
        let programmes: Vec<i64> = rows.iter().filter_map(|r| r.3).collect();
        let Some((id, last_used, row, _)) = rows.into_iter().next() else {
            return Ok(None);
        };
        if last_used.is_none_or(|t| now - t > Duration::minutes(1)) {
            diesel::update(api_tokens::table.find(id))
                .set(api_tokens::last_used_at.eq(now))
                .execute(conn)
                .await?;
        }
        Ok(Some(User::from_row(row, programmes)))
    }

    /// Every token with its user's name and email, newest first.
    pub async fn list(
        conn: &mut AsyncPgConnection,
    ) -> QueryResult<Vec<(ApiToken, String, String)>> {
        api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
            .select((ApiToken::as_select(), users::display_name, users::email))
            .order(api_tokens::created_at.desc())
            .load(conn)
            .await
    }

    /// One token, locked for the rest of the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        id: ApiTokenId,
    ) -> QueryResult<ApiToken> {
        api_tokens::table
            .find(id)
            .select(ApiToken::as_select())
            .for_update()
            .first(conn)
            .await
    }

    pub async fn set_revoked(
        conn: &mut AsyncPgConnection,
        id: ApiTokenId,
    ) -> QueryResult<ApiToken> {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::revoked_at.eq(diesel::dsl::now))
            .returning(ApiToken::as_returning())
            .get_result(conn)
            .await
    }

    /// Ends every live token of a user; their ids.
    pub async fn revoke_all_of(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
    ) -> QueryResult<Vec<ApiTokenId>> {
        diesel::update(
            api_tokens::table
                .filter(api_tokens::user_id.eq(user_id))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(diesel::dsl::now))
        .returning(api_tokens::id)
        .get_results(conn)
        .await
    }
}
