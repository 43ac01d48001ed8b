//! Referrals made at a visit, and their follow-up.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{ReferralId, VisitId};
use crate::schema::{families, mothers, referrals, visits};

use super::*;

crate::text_enum! {
    /// A service a family is referred to.
    pub enum Service {
        YouthWelfare = "youth_welfare",
        School = "school",
        DayCare = "day_care",
        Health = "health",
        JobCentre = "job_centre",
        Housing = "housing",
        LegalAdvice = "legal_advice",
        LanguageCourse = "language_course",
        Other = "other",
    }
}

crate::text_enum! {
    /// Whether a referral has been followed up.
    pub enum ReferralStatus {
        Open = "open",
        Done = "done",
    }
}

/// An open referral with its visit's context, for the worklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralItem {
    #[serde(flatten)]
    pub referral: Referral,
    pub visited_on: NaiveDate,
    pub mother_id: i64,
    pub mother_name: String,
    pub family_code: Option<String>,
}

impl Referral {
    /// Open referrals, oldest visit first.
    pub async fn open(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<ReferralItem>> {
        let mut q = referrals::table
            .inner_join(visits::table.on(visits::id.eq(referrals::visit_id)))
            .inner_join(mothers::table.on(mothers::id.eq(visits::mother_id)))
            .left_join(families::table.on(families::id.nullable().eq(visits::family_id)))
            .filter(referrals::status.eq(ReferralStatus::Open))
            .select((
                Referral::as_select(),
                visits::visited_on,
                mothers::id,
                mothers::full_name,
                families::reference_code.nullable(),
            ))
            .order((visits::visited_on, referrals::id))
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(referrals::programme_id.eq_any(ids));
        }
        let rows: Vec<(Referral, NaiveDate, i64, String, Option<String>)> = q.load(conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(referral, visited_on, mother_id, mother_name, family_code)| ReferralItem {
                    referral,
                    visited_on,
                    mother_id,
                    mother_name,
                    family_code,
                },
            )
            .collect())
    }

    /// One referral, locked for the rest of the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        id: ReferralId,
    ) -> QueryResult<Referral> {
        referrals::table
            .find(id)
            .select(Referral::as_select())
            .for_update()
            .first(conn)
            .await
    }

    /// The day of the visit a referral was made at.
    pub async fn visited_on(
        conn: &mut AsyncPgConnection,
        visit_id: VisitId,
    ) -> QueryResult<NaiveDate> {
        visits::table
            .find(visit_id)
            .select(visits::visited_on)
            .first(conn)
            .await
    }

    pub async fn set_done(
        conn: &mut AsyncPgConnection,
        id: ReferralId,
        on: NaiveDate,
    ) -> QueryResult<Referral> {
        diesel::update(referrals::table.find(id))
            .set((
                referrals::status.eq(ReferralStatus::Done),
                referrals::done_on.eq(on),
            ))
            .returning(Referral::as_returning())
            .get_result(conn)
            .await
    }
}
