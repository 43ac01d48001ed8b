//! Courses: two a year per programme (spring and autumn), ten modules each;
//! the mothers' enrolments and their attendance.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate};
use diesel::sql_types::{BigInt, Date, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::Rng;

use super::mothers::PlannedMother;
use super::programmes::Programme;
use super::{Ctx, Id};

/// A course as planned here, before the mothers (who join the next one).
pub(super) struct PlannedCourse {
    /// Index into the programmes.
    pub programme: usize,
    pub name: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

/// A course as inserted: its id and its modules' ids and days.
struct MadeCourse {
    id: i64,
    modules: Vec<(i64, NaiveDate)>,
}

/// The courses of every programme, from half a year before the period to
/// today: one starting in February, one in September, ten weeks each.
pub(super) fn plan_courses(ctx: &Ctx<'_>, programmes: &[Programme]) -> Vec<PlannedCourse> {
    let (start, today) = (ctx.start, ctx.today);
    let mut courses: Vec<PlannedCourse> = Vec::new();
    for (p, programme) in programmes.iter().enumerate() {
        for y in start.year()..=today.year() {
            for (season, month) in [("spring", 2), ("autumn", 9)] {
                let Some(starts) = NaiveDate::from_ymd_opt(y, month, 1) else {
                    continue;
                };
                if starts > today || starts < start - Duration::days(180) {
                    continue;
                }
                courses.push(PlannedCourse {
                    programme: p,
                    name: format!("{} {season} {y}", programme.city.prefix),
                    starts,
                    ends: starts + Duration::days(7 * 10),
                });
            }
        }
    }
    courses
}

/// Inserts the courses with their modules, then the enrolments and the
/// attendance; returns the number of enrolments.
pub(super) async fn create(
    conn: &mut AsyncPgConnection,
    ctx: &mut Ctx<'_>,
    programmes: &[Programme],
    trainers: &[crate::ids::UserId],
    courses: &[PlannedCourse],
    mothers: &[PlannedMother],
) -> Result<i64> {
    let made = insert_courses(conn, programmes, trainers, courses).await?;
    enrol(conn, ctx, programmes, courses, &made, mothers).await
}

/// Each course with its programme's trainer (with the demo, the one demo
/// trainer) and ten weekly modules over the default curriculum topics.
async fn insert_courses(
    conn: &mut AsyncPgConnection,
    programmes: &[Programme],
    trainers: &[crate::ids::UserId],
    courses: &[PlannedCourse],
) -> Result<Vec<MadeCourse>> {
    let trainer_of = |p: usize| trainers[p % trainers.len()];
    let mut made = Vec::new();
    for c in courses {
        let pid = programmes[c.programme].id;
        let row: Id = diesel::sql_query(
            "INSERT INTO courses (programme_id, name, trainer_id, location, starts_on, ends_on)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind::<BigInt, _>(pid)
        .bind::<Text, _>(&c.name)
        .bind::<BigInt, _>(trainer_of(c.programme))
        .bind::<Text, _>("Family centre")
        .bind::<Date, _>(c.starts)
        .bind::<Date, _>(c.ends)
        .get_result(conn)
        .await?;
        let rows: Vec<Id> = diesel::sql_query(
            "INSERT INTO course_modules (course_id, position, title, topic_id, held_on, minutes)
             SELECT $1, n, t.label, t.id, $2 + 7 * (n - 1), 180
             FROM generate_series(1, 10) n
             JOIN curriculum_topics t ON t.id = (SELECT min(id) FROM curriculum_topics
                 WHERE programme_id IS NULL) + (n - 1) % 8
             ORDER BY n RETURNING id",
        )
        .bind::<BigInt, _>(row.id)
        .bind::<Date, _>(c.starts)
        .load(conn)
        .await?;
        made.push(MadeCourse {
            id: row.id,
            modules: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, c.starts + Duration::days(7 * i as i64)))
                .collect(),
        });
    }
    Ok(made)
}

/// Enrols each mother who has a course (completed, dropped out or still
/// enrolled, as planned) and marks her attendance of the modules held so
/// far, 300 mothers to a statement.
async fn enrol(
    conn: &mut AsyncPgConnection,
    ctx: &mut Ctx<'_>,
    programmes: &[Programme],
    courses: &[PlannedCourse],
    made: &[MadeCourse],
    mothers: &[PlannedMother],
) -> Result<i64> {
    let today = ctx.today;
    let rng = &mut ctx.rng;
    let mut enrolled = 0i64;
    for chunk in mothers.chunks(300) {
        let mut sql = String::from(
            "INSERT INTO enrolments (programme_id, course_id, mother_id, enrolled_on, status,
               completed_on, certified_on, dropped_out_on, drop_out_reason) VALUES ",
        );
        let mut attendance = String::new();
        let mut any = false;
        for m in chunk {
            let Some(c) = m.course else { continue };
            let mid = m.id;
            let course = &courses[c];
            let pid = programmes[m.programme].id;
            let (status, completed, certified, dropped, reason) = if m.completed {
                (
                    "completed",
                    format!("'{}'", course.ends),
                    format!("'{}'", course.ends + Duration::days(7)),
                    "NULL".to_owned(),
                    "NULL".to_owned(),
                )
            } else if m.status == "left" {
                (
                    "dropped_out",
                    "NULL".into(),
                    "NULL".into(),
                    format!("'{}'", course.starts + Duration::days(21)),
                    "'moved away'".into(),
                )
            } else {
                (
                    "enrolled",
                    "NULL".into(),
                    "NULL".into(),
                    "NULL".into(),
                    "NULL".into(),
                )
            };
            let _ = write!(
                sql,
                "{}({pid}, {}, {mid}, '{}', '{status}', {completed}, {certified}, {dropped}, {reason})",
                if any { "," } else { "" },
                made[c].id,
                course.starts - Duration::days(7),
            );
            any = true;
            enrolled += 1;
            // Attendance of the modules held so far (one missed now and then).
            for (module, held) in &made[c].modules {
                if *held > today
                    || (status == "dropped_out" && *held > course.starts + Duration::days(21))
                {
                    continue;
                }
                let mark = if rng.random::<f64>() < 0.08 {
                    "absent"
                } else {
                    "present"
                };
                let _ = write!(
                    attendance,
                    "{}({mid}, {module}, '{mark}')",
                    if attendance.is_empty() { "" } else { "," }
                );
            }
        }
        if any {
            diesel::sql_query(sql).execute(conn).await?;
        }
        if !attendance.is_empty() {
            diesel::sql_query(format!(
                "INSERT INTO attendance (enrolment_id, module_id, status)
                 SELECT e.id, a.module_id, a.status
                 FROM (VALUES {attendance}) AS a(mother_id, module_id, status)
                 JOIN course_modules cm ON cm.id = a.module_id
                 JOIN enrolments e ON e.mother_id = a.mother_id AND e.course_id = cm.course_id"
            ))
            .execute(conn)
            .await?;
        }
    }
    Ok(enrolled)
}
