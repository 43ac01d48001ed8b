//! The mothers: planned here (origin, name, district, the course she
//! joins and how far she got), inserted as active, and given their real
//! statuses and history once their visits are in.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::Rng;

use super::places::ORIGINS;
use super::programmes::Programme;
use super::training::PlannedCourse;
use super::{Ctx, Id, arr, lit, pick, sealed_lit};

/// One mother as planned here: her dates decide her status history and
/// the window in which she visits.
pub(super) struct PlannedMother {
    /// Her row's id, once inserted (0 before).
    pub id: i64,
    /// Index into the programmes.
    pub programme: usize,
    pub district: i64,
    pub name: String,
    /// Index into `ORIGINS`.
    pub origin: usize,
    pub joined: NaiveDate,
    pub allowance: bool,
    /// The course she is enrolled in (index into the courses), and whether
    /// she completed it.
    pub course: Option<usize>,
    pub completed: bool,
    /// Active from, and until (left or paused), if she got that far.
    pub active: Option<(NaiveDate, NaiveDate)>,
    pub status: &'static str,
}

/// `spec.mothers` mothers, spread evenly over the programmes; each joins
/// the first course of her programme that starts after she applied.
pub(super) fn plan(
    ctx: &mut Ctx<'_>,
    programmes: &[Programme],
    courses: &[PlannedCourse],
) -> Vec<PlannedMother> {
    let (start, today) = (ctx.start, ctx.today);
    let p_count = programmes.len();
    let rng = &mut ctx.rng;
    let mut mothers: Vec<PlannedMother> = Vec::new();
    for i in 0..ctx.spec.mothers as usize {
        let p = i % p_count;
        let origin = rng.random_range(0..ORIGINS.len());
        let o = &ORIGINS[origin];
        let name = format!("{} {}", pick(rng, o.first), pick(rng, o.last));
        let span = (today - start).num_days().max(1);
        // Most joined before the period or early in it; a few recently.
        let joined = start - Duration::days(120)
            + Duration::days((rng.random::<f64>().powf(1.6) * span as f64) as i64);
        let course = courses
            .iter()
            .enumerate()
            .filter(|(_, c)| c.programme == p && c.starts >= joined)
            .min_by_key(|(_, c)| c.starts)
            .map(|(i, _)| i);
        let r: f64 = rng.random();
        let (completed, active, status) = match course.map(|c| &courses[c]) {
            None => (false, None, "applicant"),
            Some(c) if c.ends + Duration::days(14) > today => (false, None, "in_training"),
            Some(_) if r < 0.06 => (false, None, "left"),
            Some(c) => {
                let from = c.ends + Duration::days(14);
                let rest = (today - from).num_days();
                let s: f64 = rng.random();
                if s < 0.12 && rest > 60 {
                    let until = from + Duration::days(rng.random_range(30..rest));
                    (true, Some((from, until)), "left")
                } else if s < 0.18 && rest > 60 {
                    let until = from + Duration::days(rng.random_range(30..rest));
                    (true, Some((from, until)), "paused")
                } else if s < 0.24 {
                    (true, Some((from, today)), "certified")
                } else {
                    (true, Some((from, today)), "active")
                }
            }
        };
        mothers.push(PlannedMother {
            id: 0,
            programme: p,
            district: *pick(rng, &programmes[p].districts),
            name,
            origin,
            joined,
            allowance: rng.random::<f64>() < 0.35,
            course,
            completed,
            active,
            status,
        });
    }
    mothers
}

/// Inserts the mothers as active (the visit trigger checks the status at
/// insert time), 500 to a statement, and sets their ids; their real
/// statuses are set after the visits (`record_statuses`).
pub(super) async fn insert(
    conn: &mut AsyncPgConnection,
    ctx: &mut Ctx<'_>,
    programmes: &[Programme],
    mothers: &mut [PlannedMother],
) -> Result<()> {
    let rng = &mut ctx.rng;
    for chunk in mothers.chunks_mut(500) {
        let mut sql = String::from(
            "INSERT INTO mothers (programme_id, district_id, full_name, phone, languages,
               country_of_origin, gender, engagement, monthly_allowance_minor, joined_on, status)
             VALUES ",
        );
        for (i, m) in chunk.iter().enumerate() {
            let o = &ORIGINS[m.origin];
            let Programme { id: pid, city, .. } = &programmes[m.programme];
            let phone = format!(
                "+{} {}",
                match city.country {
                    "DE" => "49",
                    "DK" => "45",
                    "SE" => "46",
                    "AT" => "43",
                    "NL" => "31",
                    _ => "47",
                },
                rng.random_range(10_000_000..99_999_999)
            );
            let (engagement, allowance) = if m.allowance {
                ("allowance", "15000".to_owned())
            } else {
                ("volunteer", "NULL".to_owned())
            };
            let _ = write!(
                sql,
                "{}({pid}, {}, {}, {}, {}, {}, 'female', '{engagement}', {allowance}, '{}', 'active')",
                if i > 0 { "," } else { "" },
                m.district,
                lit(&m.name),
                sealed_lit(&phone)?,
                arr(o.languages),
                lit(o.country),
                m.joined
            );
        }
        sql.push_str(" RETURNING id");
        let rows: Vec<Id> = diesel::sql_query(sql).load(conn).await?;
        for (m, row) in chunk.iter_mut().zip(rows) {
            m.id = row.id;
        }
    }
    Ok(())
}

/// Each mother's status history (applicant, in training, certified,
/// active, and left or paused, as far as she got), then her status.
pub(super) async fn record_statuses(
    conn: &mut AsyncPgConnection,
    mothers: &[PlannedMother],
    courses: &[PlannedCourse],
) -> Result<()> {
    let mut history = String::new();
    for m in mothers {
        let id = m.id;
        let mut step = |from: &str, to: &str, on: NaiveDate| {
            let _ = write!(
                history,
                "{}({id}, {}, '{to}', '{on}')",
                if history.is_empty() { "" } else { "," },
                if from.is_empty() {
                    "NULL".to_owned()
                } else {
                    lit(from)
                }
            );
        };
        step("", "applicant", m.joined);
        if let Some(c) = m.course {
            let course = &courses[c];
            step("applicant", "in_training", course.starts);
            if m.completed {
                step("in_training", "certified", course.ends + Duration::days(7));
                if m.status != "certified" {
                    step("certified", "active", course.ends + Duration::days(14));
                }
                if let (Some((_, until)), "left" | "paused") = (m.active, m.status) {
                    step("active", m.status, until);
                }
            } else if m.status == "left" {
                step("in_training", "left", course.starts + Duration::days(21));
            }
        }
        if history.len() > 200_000 {
            diesel::sql_query(format!(
                "INSERT INTO mother_status_changes (mother_id, from_status, to_status, changed_on) VALUES {history}"
            ))
            .execute(conn)
            .await?;
            history.clear();
        }
    }
    if !history.is_empty() {
        diesel::sql_query(format!(
            "INSERT INTO mother_status_changes (mother_id, from_status, to_status, changed_on) VALUES {history}"
        ))
        .execute(conn)
        .await?;
    }
    for status in ["applicant", "in_training", "certified", "paused", "left"] {
        let ids: Vec<i64> = mothers
            .iter()
            .filter(|m| m.status == status)
            .map(|m| m.id)
            .collect();
        diesel::sql_query("UPDATE mothers SET status = $1 WHERE id = ANY($2)")
            .bind::<Text, _>(status)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&ids)
            .execute(conn)
            .await?;
    }
    Ok(())
}
