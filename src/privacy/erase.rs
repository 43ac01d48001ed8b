//! Erasure that keeps published figures: a family's or a mother's personal
//! details are removed everywhere they are held, while the pseudonymous
//! record and everything that is counted (visits, dates, topics, durations,
//! districts, statuses, payments) stays, so every report already published
//! reads the same, byte for byte. Also the withdrawal of a family's consent,
//! which erases what that consent covered. One transaction each, with the
//! record locked, and one audit row that names what was erased, never its
//! values.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Text};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::families::model::{Family, Personal};
use crate::ids::{FamilyId, MotherId};
use crate::mothers::model::Mother;
use crate::web::input::{date, opt};

crate::text_enum! {
    /// Why a person's details are erased.
    pub enum ErasureReason {
        /// The person asked (GDPR art. 17).
        Request = "request",
        /// The consent that covered them was withdrawn.
        ConsentWithdrawn = "consent_withdrawn",
        /// No longer needed for the work.
        NoLongerNeeded = "no_longer_needed",
        /// The programme's retention period ended (the retention job).
        Retention = "retention",
    }
}

/// An erasure request: why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EraseInput {
    /// `request`, `consent_withdrawn`, `no_longer_needed` or `retention`.
    pub reason: Option<String>,
}

impl EraseInput {
    pub fn validate(&self) -> Result<ErasureReason, FieldErrors> {
        opt(&self.reason)
            .and_then(ErasureReason::parse)
            .ok_or_else(|| {
                let mut e = FieldErrors::new();
                e.insert("reason", "error-choose-one");
                e
            })
    }
}

/// What a family's erasure removes, as the audit row and the answer name it.
pub const FAMILY_ERASED: &[&str] = &[
    "name",
    "address",
    "phone",
    "closed_reason",
    "consent_scope",
    "visit_notes",
    "visit_next_steps",
    "void_reasons",
    "referral_notes",
];

/// What a mother's erasure removes.
pub const MOTHER_ERASED: &[&str] = &[
    "full_name",
    "phone",
    "email",
    "note",
    "status_reasons",
    "drop_out_reasons",
    "payment_notes",
    "account",
];

/// The name an erased mother keeps in lists: her number, nothing else.
pub fn erased_name(id: MotherId) -> String {
    format!("#{id}")
}

/// Erases a family's personal details. Not found before invalid; an erased
/// family answers 409.
pub async fn erase_family(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: FamilyId,
    input: &EraseInput,
) -> AppResult<Family> {
    conn.transaction(async |conn| {
        let old = Family::find_for_update(conn, &access.scope, id).await?;
        let reason = input.validate().map_err(AppError::Validation)?;
        if old.erased_at.is_some() {
            return Err(AppError::Conflict("error-already-erased"));
        }
        erase_family_details(conn, id).await?;
        diesel::sql_query(
            "UPDATE families SET erased_at = now(), consent_scope = '',
                 closed_reason = CASE WHEN closed_reason IS NULL THEN NULL ELSE '' END
             WHERE id = $1",
        )
        .bind::<BigInt, _>(id.0)
        .execute(conn)
        .await?;
        redact_history(conn, "family", &[id.0]).await?;
        audit::record(
            conn,
            access.actor,
            "erase",
            Subject::of("family", id.0, Some(old.programme_id.0)),
            json!({"grounds": reason.as_str(), "erased": FAMILY_ERASED}),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(Family::find(conn, &access.scope, id, access.sees_personal()).await?)
}

/// Removes the family's name, address and phone, its visits' notes, next
/// steps and void reasons, and its referrals' notes; the rows stay.
async fn erase_family_details(conn: &mut AsyncPgConnection, id: FamilyId) -> AppResult<()> {
    Personal::erase(conn, id).await?;
    erase_visit_texts(conn, id, true, true).await
}

/// Clears the free text of a family's visits (`notes`: notes, next steps,
/// void reasons) and referrals (`referrals`: outcome notes).
async fn erase_visit_texts(
    conn: &mut AsyncPgConnection,
    id: FamilyId,
    notes: bool,
    referrals: bool,
) -> AppResult<()> {
    if notes {
        diesel::sql_query(
            "UPDATE visits SET note = '', next_step = '',
                 void_reason = CASE WHEN void_reason IS NULL THEN NULL ELSE '-' END
             WHERE family_id = $1 AND (note <> '' OR next_step <> '' OR void_reason IS NOT NULL)",
        )
        .bind::<BigInt, _>(id.0)
        .execute(conn)
        .await?;
    }
    if referrals {
        diesel::sql_query(
            "UPDATE referrals SET outcome_note = ''
             WHERE visit_id IN (SELECT id FROM visits WHERE family_id = $1) AND outcome_note <> ''",
        )
        .bind::<BigInt, _>(id.0)
        .execute(conn)
        .await?;
    }
    for entity in ["visit", "referral"] {
        let ids: Vec<i64> = match entity {
            "visit" => {
                crate::schema::visits::table
                    .filter(crate::schema::visits::family_id.eq(id))
                    .select(crate::schema::visits::id)
                    .load(conn)
                    .await?
            }
            _ => {
                crate::schema::referrals::table
                    .inner_join(crate::schema::visits::table)
                    .filter(crate::schema::visits::family_id.eq(id))
                    .select(crate::schema::referrals::id)
                    .load(conn)
                    .await?
            }
        };
        redact_history(conn, entity, &ids).await?;
    }
    Ok(())
}

/// Redacts the personal values of these records' audit rows once more:
/// rows are written without them (`audit::without_personal`), and this
/// keeps it so for any row written by an older version. Through the
/// database's `audit_redact`, the one change to the audit log the
/// application role may make (`db::roles`), with the fields of
/// `audit::PERSONAL`; a write only for a row that still held a value.
async fn redact_history(conn: &mut AsyncPgConnection, entity: &str, ids: &[i64]) -> AppResult<()> {
    use diesel::sql_types::{Array, BigInt, Text};
    if ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query("SELECT audit_redact($1, $2)")
        .bind::<Text, _>(entity)
        .bind::<Array<BigInt>, _>(ids)
        .execute(conn)
        .await?;
    Ok(())
}

/// Erases a mother's personal details: her name becomes her number, her
/// phone, email and note are emptied, the reasons in her status history and
/// enrolments and the notes of her payments cleared, and her account (if
/// she has one) closed with its email and name removed. Her visits, courses,
/// attendance, status history and payments stay, counted as before.
pub async fn erase_mother(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: MotherId,
    input: &EraseInput,
) -> AppResult<Mother> {
    conn.transaction(async |conn| {
        let old = Mother::find_for_update(conn, &access.scope, id).await?;
        let reason = input.validate().map_err(AppError::Validation)?;
        if old.erased_at.is_some() {
            return Err(AppError::Conflict("error-already-erased"));
        }
        let name = erased_name(id);
        diesel::sql_query(
            "UPDATE mothers SET full_name = $2, phone = '', email = NULL, note = '',
                 consent_phone_contact = false, consent_photos = false, erased_at = now()
             WHERE id = $1",
        )
        .bind::<BigInt, _>(id.0)
        .bind::<Text, _>(&name)
        .execute(conn)
        .await?;
        for sql in [
            "UPDATE mother_status_changes SET reason = '' WHERE mother_id = $1 AND reason <> ''",
            "UPDATE enrolments SET drop_out_reason = '' WHERE mother_id = $1 AND drop_out_reason <> ''",
            "UPDATE expenses SET note = '' WHERE mother_id = $1 AND note <> ''",
            // Her account: no sign-in, no name, no email; sessions end.
            "DELETE FROM login_attempts WHERE lower(email) IN
                 (SELECT lower(email) FROM users WHERE mother_id = $1)",
            "DELETE FROM invitations WHERE user_id IN (SELECT id FROM users WHERE mother_id = $1)",
            "UPDATE api_tokens SET revoked_at = now()
             WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE mother_id = $1)",
            "UPDATE users SET email = 'erased-' || id || '@erased.invalid', display_name = '#' || $1,
                 active = false, password_hash = '', session_epoch = session_epoch + 1
             WHERE mother_id = $1",
        ] {
            diesel::sql_query(sql)
                .bind::<BigInt, _>(id.0)
                .execute(conn)
                .await?;
        }
        redact_history(conn, "mother", &[id.0]).await?;
        let users: Vec<i64> = crate::schema::users::table
            .filter(crate::schema::users::mother_id.eq(id))
            .select(crate::schema::users::id)
            .load(conn)
            .await?;
        redact_history(conn, "user", &users).await?;
        audit::record(
            conn,
            access.actor,
            "erase",
            Subject::of("mother", id.0, Some(old.programme_id.0)),
            json!({"grounds": reason.as_str(), "erased": MOTHER_ERASED}),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(Mother::find(conn, &access.scope, id).await?)
}

crate::text_enum! {
    /// A consent scope of a family.
    pub enum ConsentScope {
        /// Name, address and phone stored.
        Contact = "contact",
        /// Visits recorded with notes and next steps.
        Visits = "visits",
        /// Referral information shared with services.
        Referrals = "referrals",
    }
}

/// Withdrawing consent: which scopes, on which day.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct WithdrawInput {
    /// Any of `contact`, `visits`, `referrals`.
    pub scopes: Vec<String>,
    #[schema(format = Date)]
    pub withdrawn_on: String,
}

impl WithdrawInput {
    pub fn validate(&self) -> Result<(Vec<ConsentScope>, NaiveDate), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut scopes = Vec::new();
        for s in &self.scopes {
            match ConsentScope::parse(s.trim()) {
                Some(c) if !scopes.contains(&c) => scopes.push(c),
                Some(_) => {}
                None => errors.insert(
                    "scopes",
                    crate::error::Msg::choice_of("error-choose-one", &ConsentScope::ALL),
                ),
            }
        }
        if scopes.is_empty() && errors.is_empty() {
            errors.insert("scopes", "error-tick-one");
        }
        let on = date(&self.withdrawn_on, "withdrawn_on", true, &mut errors);
        match on {
            Some(on) if errors.is_empty() => Ok((scopes, on)),
            _ => Err(errors),
        }
    }
}

/// Withdraws a family's consent for these scopes and erases what they
/// covered: contact details (name, address, phone), visit notes and next
/// steps, referral notes. The counts stay.
pub async fn withdraw_consent(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: FamilyId,
    input: &WithdrawInput,
) -> AppResult<Family> {
    conn.transaction(async |conn| {
        let old = Family::find_for_update(conn, &access.scope, id).await?;
        let (scopes, on) = input.validate().map_err(AppError::Validation)?;
        let contact = scopes.contains(&ConsentScope::Contact);
        let visits = scopes.contains(&ConsentScope::Visits);
        let referrals = scopes.contains(&ConsentScope::Referrals);
        if contact {
            Personal::erase(conn, id).await?;
        }
        if visits || referrals {
            erase_visit_texts(conn, id, visits, referrals).await?;
        }
        diesel::sql_query(
            "UPDATE families SET consent_withdrawn_on = $2::date,
                 consent_contact = consent_contact AND NOT $3,
                 consent_visits = consent_visits AND NOT $4,
                 consent_referrals = consent_referrals AND NOT $5
             WHERE id = $1",
        )
        .bind::<BigInt, _>(id.0)
        .bind::<diesel::sql_types::Date, _>(on)
        .bind::<diesel::sql_types::Bool, _>(contact)
        .bind::<diesel::sql_types::Bool, _>(visits)
        .bind::<diesel::sql_types::Bool, _>(referrals)
        .execute(conn)
        .await?;
        redact_history(conn, "family", &[id.0]).await?;
        let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        audit::record(
            conn,
            access.actor,
            "withdraw_consent",
            Subject::of("family", id.0, Some(old.programme_id.0)),
            json!({"scopes": names, "withdrawn_on": on}),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(Family::find(conn, &access.scope, id, access.sees_personal()).await?)
}
