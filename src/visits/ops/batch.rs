//! Many new visits of one programme at once (an import): what the rules
//! need is read once (the programme's mothers, its usable topics, the
//! families named, locked against changes), each visit is checked by the same
//! `visit::rules` as one typed into the form, and the checked visits are
//! written in batches (visits, topics, referrals, audit rows: one INSERT
//! each per batch) inside the caller's transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;

use super::visit::{Facts, field_error, rules};
use crate::audit::{self, Actor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::families::model::Family;
use crate::ids::{MotherId, ProgrammeId, TopicId, VisitId};
use crate::mothers::model::Mother;
use crate::programmes::model::Programme;
use crate::visits::model::{ListKind, Topic, Visit, VisitData};

/// Visits per INSERT (well under PostgreSQL's 65,535 parameters).
const BATCH: usize = 1000;

/// What the rules need, read once for the programme.
pub struct Known {
    programme: ProgrammeId,
    mothers: HashMap<MotherId, Mother>,
    practice_allowed: bool,
    usable: HashSet<TopicId>,
    /// The codes of the services the programme offers.
    services: HashSet<String>,
    /// The families named, by reference code and by import reference.
    families: HashMap<String, Family>,
}

impl Known {
    /// Reads the programme's mothers and usable topics, and locks the
    /// families of these reference codes against changes.
    pub async fn load(
        conn: &mut AsyncPgConnection,
        programme: &Programme,
        family_codes: &[String],
    ) -> AppResult<Known> {
        let mothers = Mother::all_of(conn, programme.id).await?;
        let families = Family::by_codes_for_visit(conn, programme.id, family_codes).await?;
        Ok(Known {
            programme: programme.id,
            mothers: mothers.into_iter().map(|m| (m.id, m)).collect(),
            practice_allowed: programme.practice_visits_allowed,
            usable: Topic::usable_ids(conn, programme.id)
                .await?
                .into_iter()
                .collect(),
            services: Topic::usable_codes(conn, ListKind::Service, programme.id)
                .await?
                .into_iter()
                .collect(),
            // By reference code, and by the reference of its import.
            families: families
                .into_iter()
                .flat_map(|(f, external)| {
                    let by_ref = external.map(|r| (r, f.clone()));
                    std::iter::once((f.reference_code.clone(), f)).chain(by_ref)
                })
                .collect(),
        })
    }

    /// The family a file names by reference code or import reference.
    pub fn family(&self, code: &str) -> Option<crate::ids::FamilyId> {
        self.families.get(code).map(|f| f.id)
    }

    /// Checks a new visit (its family given by `family_code`, resolved
    /// here); the checked visit, or its field errors.
    pub fn check(&self, mut data: VisitData, today: NaiveDate) -> Result<VisitData, FieldErrors> {
        let family = data.family_code.as_ref().map(|c| self.families.get(c));
        data.family_id = family.flatten().map(|f| f.id);
        let usable_topic = |t| self.usable.contains(&t);
        let usable_service = |s: &str| self.services.contains(s);
        let errors = rules(
            &data,
            today,
            &Facts {
                mother: self.mothers.get(&data.mother_id),
                practice_allowed: self.practice_allowed,
                family,
                usable_topic: &usable_topic,
                usable_service: &usable_service,
            },
        );
        if errors.is_empty() {
            Ok(data)
        } else {
            Err(errors)
        }
    }

    /// Writes checked visits (each with its external reference), in
    /// batches, with their topics, referrals and audit rows; their ids by
    /// reference.
    pub async fn insert(
        &self,
        conn: &mut AsyncPgConnection,
        actor: Actor,
        rows: &[(VisitData, String)],
    ) -> AppResult<HashMap<String, VisitId>> {
        let mut ids = HashMap::new();
        for chunk in rows.chunks(BATCH) {
            let refs: Vec<(&VisitData, &str)> =
                chunk.iter().map(|(d, r)| (d, r.as_str())).collect();
            let got = Visit::insert_many(conn, self.programme, &refs, actor)
                .await
                .map_err(field_error)?;
            let mut topics = Vec::new();
            let mut referrals = Vec::new();
            let mut audits = Vec::new();
            for (data, reference) in chunk {
                let id = *got.get(reference).ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("an inserted visit without its reference"))
                })?;
                let mut own: Vec<TopicId> = data.topic_ids.clone();
                own.sort_unstable();
                own.dedup();
                topics.extend(own.into_iter().map(|t| (id, t)));
                referrals.extend(data.referrals.iter().map(|s| (id, s.clone())));
                // As a visit typed in: no note in the log, the family by id.
                let mut changes = audit::created(data);
                if let Some(o) = changes.as_object_mut() {
                    o.remove("note");
                    o.remove("family_code");
                }
                audits.push((id.0, Some(self.programme.0), changes));
            }
            Visit::link_topics_many(conn, &topics).await?;
            Visit::insert_referrals_many(conn, self.programme, &referrals).await?;
            audit::record_many(conn, actor, "create", "visit", audits).await?;
            ids.extend(got);
        }
        Ok(ids)
    }
}
