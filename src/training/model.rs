//! Training: curriculum topics and template, courses and their modules,
//! enrolments, attendance, completion and certification, and the derived
//! figures the reports use. Every rule is checked inside the transaction
//! that writes, so nothing is half-saved; every change writes an audit row.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::authz::Role;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ProgrammeId;
use crate::mothers::model::{Mother, MotherStatus, set_status};
use crate::programmes::model::Programme;
use crate::schema::{
    attendance, course_modules, courses, curriculum_template_modules, curriculum_topics,
    enrolments, mothers, user_programmes, users,
};

// ---------------------------------------------------------------- topics

/// A curriculum topic: a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = curriculum_topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    pub id: i64,
    pub programme_id: Option<i64>,
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
}

pub const TOPIC_LABEL_KEY: &str = "curriculum_topics_label_key";

impl Topic {
    /// The defaults and the programme's own topics, defaults first.
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<Topic>> {
        curriculum_topics::table
            .filter(
                curriculum_topics::programme_id
                    .is_null()
                    .or(curriculum_topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .order((
                curriculum_topics::programme_id.is_not_null(),
                curriculum_topics::id,
            ))
            .load(conn)
            .await
    }

    /// Adds a programme's own topic.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        programme_id: i64,
        label: &str,
    ) -> QueryResult<Topic> {
        conn.transaction(async |conn| {
            let t: Topic = diesel::insert_into(curriculum_topics::table)
                .values((
                    curriculum_topics::programme_id.eq(programme_id),
                    curriculum_topics::label.eq(label),
                ))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("curriculum_topic", t.id, Some(programme_id)),
                json!({"label": {"new": label}}),
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// A topic the programme may use: a default or its own, not retired.
    async fn usable(conn: &mut AsyncPgConnection, id: i64, programme_id: i64) -> AppResult<()> {
        let ok: Option<Topic> = curriculum_topics::table
            .find(id)
            .filter(curriculum_topics::retired_at.is_null())
            .filter(
                curriculum_topics::programme_id
                    .is_null()
                    .or(curriculum_topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .first(conn)
            .await
            .optional()?;
        match ok {
            Some(_) => Ok(()),
            None => Err(AppError::field("topic_id", "error-topic-unknown")),
        }
    }
}

// ------------------------------------------------------------- template

/// One module of a programme's curriculum template.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = curriculum_template_modules, check_for_backend(diesel::pg::Pg))]
pub struct TemplateModule {
    pub id: i64,
    pub programme_id: i64,
    pub position: i32,
    pub title: String,
    pub topic_id: i64,
    pub minutes: i32,
}

/// A module's validated fields (template or course).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleData {
    pub title: String,
    pub topic_id: i64,
    /// `None`: not scheduled yet.
    pub held_on: Option<NaiveDate>,
    pub minutes: i32,
    pub interpreter_languages: Vec<String>,
}

impl TemplateModule {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<TemplateModule>> {
        curriculum_template_modules::table
            .filter(curriculum_template_modules::programme_id.eq(programme_id))
            .select(TemplateModule::as_select())
            .order((
                curriculum_template_modules::position,
                curriculum_template_modules::id,
            ))
            .load(conn)
            .await
    }

    /// Appends a module to the template.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        programme_id: i64,
        data: &ModuleData,
    ) -> AppResult<TemplateModule> {
        conn.transaction(async |conn| {
            Topic::usable(conn, data.topic_id, programme_id).await?;
            let next: Option<i32> = curriculum_template_modules::table
                .filter(curriculum_template_modules::programme_id.eq(programme_id))
                .select(diesel::dsl::max(curriculum_template_modules::position))
                .first(conn)
                .await?;
            let m: TemplateModule = diesel::insert_into(curriculum_template_modules::table)
                .values((
                    curriculum_template_modules::programme_id.eq(programme_id),
                    curriculum_template_modules::position.eq(next.unwrap_or(0) + 1),
                    curriculum_template_modules::title.eq(&data.title),
                    curriculum_template_modules::topic_id.eq(data.topic_id),
                    curriculum_template_modules::minutes.eq(data.minutes),
                ))
                .returning(TemplateModule::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("template_module", m.id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(m)
        })
        .await
    }

    pub async fn delete(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
    ) -> AppResult<TemplateModule> {
        conn.transaction(async |conn| {
            let m: TemplateModule = curriculum_template_modules::table
                .find(id)
                .select(TemplateModule::as_select())
                .first(conn)
                .await?;
            scope.check(ProgrammeId(m.programme_id))?;
            diesel::delete(curriculum_template_modules::table.find(id))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "delete",
                Subject::of("template_module", id, Some(m.programme_id)),
                audit::deleted(&m),
            )
            .await?;
            Ok(m)
        })
        .await
    }
}

// --------------------------------------------------------------- courses

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = courses, check_for_backend(diesel::pg::Pg))]
pub struct Course {
    pub id: i64,
    pub programme_id: i64,
    pub name: String,
    pub trainer_id: i64,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A course's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseData {
    pub name: String,
    pub trainer_id: i64,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A course in a list, with its trainer and counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseSummary {
    #[serde(flatten)]
    pub course: Course,
    pub trainer_name: String,
    pub modules: i64,
    pub enrolled: i64,
    pub completed: i64,
}

pub const COURSE_NAME_KEY: &str = "courses_name_key";

impl Course {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<i64>,
    ) -> QueryResult<Vec<CourseSummary>> {
        let mut q = courses::table
            .inner_join(users::table.on(users::id.eq(courses::trainer_id)))
            .select((Course::as_select(), users::display_name))
            .order((courses::starts_on.desc(), courses::id.desc()))
            .into_boxed();
        if let Some(v) = scope.ids() {
            q = q.filter(courses::programme_id.eq_any(v));
        }
        if let Some(p) = programme_id {
            q = q.filter(courses::programme_id.eq(p));
        }
        let rows: Vec<(Course, String)> = q.load(conn).await?;
        let course_ids: Vec<i64> = rows.iter().map(|(c, _)| c.id).collect();
        let module_counts: Vec<(i64, i64)> = course_modules::table
            .filter(course_modules::course_id.eq_any(&course_ids))
            .group_by(course_modules::course_id)
            .select((course_modules::course_id, diesel::dsl::count_star()))
            .load(conn)
            .await?;
        let enrol_counts: Vec<(i64, String, i64)> = enrolments::table
            .filter(enrolments::course_id.eq_any(&course_ids))
            .group_by((enrolments::course_id, enrolments::status))
            .select((
                enrolments::course_id,
                enrolments::status,
                diesel::dsl::count_star(),
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(course, trainer_name)| {
                let id = course.id;
                let count = |status: Option<&str>| {
                    enrol_counts
                        .iter()
                        .filter(|(c, s, _)| *c == id && status.is_none_or(|x| x == s))
                        .map(|(_, _, n)| n)
                        .sum()
                };
                CourseSummary {
                    modules: module_counts
                        .iter()
                        .find(|(c, _)| *c == id)
                        .map_or(0, |(_, n)| *n),
                    enrolled: count(None),
                    completed: count(Some("completed")),
                    course,
                    trainer_name,
                }
            })
            .collect())
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Course> {
        let c: Course = courses::table
            .find(id)
            .select(Course::as_select())
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(c.programme_id), c)
    }

    /// Users who may train courses of a programme: its trainers.
    pub async fn trainers(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<(i64, String)>> {
        users::table
            .inner_join(user_programmes::table.on(user_programmes::user_id.eq(users::id)))
            .filter(user_programmes::programme_id.eq(programme_id))
            .filter(users::role.eq(Role::Trainer.as_str()))
            .filter(users::active.eq(true))
            .select((users::id, users::display_name))
            .order(users::display_name)
            .load(conn)
            .await
    }

    async fn check_trainer(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
        trainer_id: i64,
    ) -> AppResult<()> {
        if Course::trainers(conn, programme_id)
            .await?
            .iter()
            .any(|(id, _)| *id == trainer_id)
        {
            Ok(())
        } else {
            Err(AppError::field(
                "trainer_id",
                "error-trainer-not-in-programme",
            ))
        }
    }

    /// Creates a course; with `from_template`, its modules are copied from
    /// the programme's curriculum template (not yet scheduled).
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &CourseData,
        from_template: bool,
    ) -> AppResult<Course> {
        Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        conn.transaction(async |conn| {
            Course::check_trainer(conn, programme_id, data.trainer_id).await?;
            let c: Course = diesel::insert_into(courses::table)
                .values((
                    courses::programme_id.eq(programme_id),
                    courses::name.eq(&data.name),
                    courses::trainer_id.eq(data.trainer_id),
                    courses::location.eq(&data.location),
                    courses::starts_on.eq(data.starts_on),
                    courses::ends_on.eq(data.ends_on),
                ))
                .returning(Course::as_returning())
                .get_result(conn)
                .await
                .map_err(course_error)?;
            let mut copied = 0;
            if from_template {
                let template = TemplateModule::list(conn, programme_id).await?;
                copied = template.len();
                let rows: Vec<_> = template
                    .iter()
                    .map(|t| {
                        (
                            course_modules::course_id.eq(c.id),
                            course_modules::position.eq(t.position),
                            course_modules::title.eq(t.title.clone()),
                            course_modules::topic_id.eq(t.topic_id),
                            course_modules::minutes.eq(t.minutes),
                        )
                    })
                    .collect();
                diesel::insert_into(course_modules::table)
                    .values(rows)
                    .execute(conn)
                    .await?;
            }
            let mut changes = audit::created(data);
            changes["modules_from_template"] = json!({ "new": copied });
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("course", c.id, Some(programme_id)),
                changes,
            )
            .await?;
            Ok(c)
        })
        .await
    }

    /// Changes a course; its scheduled modules must stay within the new dates.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &CourseData,
    ) -> AppResult<Course> {
        conn.transaction(async |conn| {
            let old = Course::find(conn, scope, id).await?;
            Course::check_trainer(conn, old.programme_id, data.trainer_id).await?;
            let outside: i64 = course_modules::table
                .filter(course_modules::course_id.eq(id))
                .filter(
                    course_modules::held_on
                        .lt(data.starts_on)
                        .or(course_modules::held_on.gt(data.ends_on)),
                )
                .count()
                .get_result(conn)
                .await?;
            if outside > 0 {
                return Err(AppError::field(
                    "ends_on",
                    Msg::new("error-course-modules-outside").arg("count", outside),
                ));
            }
            let c: Course = diesel::update(courses::table.find(id))
                .set((
                    courses::name.eq(&data.name),
                    courses::trainer_id.eq(data.trainer_id),
                    courses::location.eq(&data.location),
                    courses::starts_on.eq(data.starts_on),
                    courses::ends_on.eq(data.ends_on),
                ))
                .returning(Course::as_returning())
                .get_result(conn)
                .await
                .map_err(course_error)?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("course", id, Some(old.programme_id)),
                audit::changed(&old, &c),
            )
            .await?;
            Ok(c)
        })
        .await
    }
}

fn course_error(e: diesel::result::Error) -> AppError {
    match crate::error::constraint_name(&e) {
        Some(COURSE_NAME_KEY) => AppError::field("name", "error-course-name-taken"),
        _ => e.into(),
    }
}

// --------------------------------------------------------------- modules

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = course_modules, check_for_backend(diesel::pg::Pg))]
pub struct ModuleRow {
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub title: String,
    pub topic_id: i64,
    pub held_on: Option<NaiveDate>,
    pub minutes: i32,
    #[schema(value_type = Vec<String>)]
    pub interpreter_languages: Vec<Option<String>>,
}

/// A course module.
pub type Module = ModuleRow;

impl ModuleRow {
    pub fn languages(&self) -> Vec<String> {
        self.interpreter_languages
            .iter()
            .flatten()
            .cloned()
            .collect()
    }

    pub fn hours(&self) -> String {
        hours(i64::from(self.minutes))
    }

    pub async fn for_course(
        conn: &mut AsyncPgConnection,
        course_id: i64,
    ) -> QueryResult<Vec<Module>> {
        course_modules::table
            .filter(course_modules::course_id.eq(course_id))
            .select(ModuleRow::as_select())
            .order((course_modules::position, course_modules::id))
            .load(conn)
            .await
    }

    /// A module and its course, if the course is in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<(Module, Course)> {
        let m: ModuleRow = course_modules::table
            .find(id)
            .select(ModuleRow::as_select())
            .first(conn)
            .await?;
        let c = Course::find(conn, scope, m.course_id).await?;
        Ok((m, c))
    }

    fn check_date(course: &Course, held_on: Option<NaiveDate>) -> AppResult<()> {
        match held_on {
            Some(d) if d < course.starts_on || d > course.ends_on => Err(AppError::field(
                "held_on",
                Msg::new("error-module-outside-course")
                    .arg("start", course.starts_on)
                    .arg("end", course.ends_on),
            )),
            _ => Ok(()),
        }
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        course_id: i64,
        data: &ModuleData,
    ) -> AppResult<Module> {
        conn.transaction(async |conn| {
            let course = Course::find(conn, scope, course_id).await?;
            Self::check_date(&course, data.held_on)?;
            Topic::usable(conn, data.topic_id, course.programme_id).await?;
            let next: Option<i32> = course_modules::table
                .filter(course_modules::course_id.eq(course_id))
                .select(diesel::dsl::max(course_modules::position))
                .first(conn)
                .await?;
            let m: ModuleRow = diesel::insert_into(course_modules::table)
                .values((
                    course_modules::course_id.eq(course_id),
                    course_modules::position.eq(next.unwrap_or(0) + 1),
                    course_modules::title.eq(&data.title),
                    course_modules::topic_id.eq(data.topic_id),
                    course_modules::held_on.eq(data.held_on),
                    course_modules::minutes.eq(data.minutes),
                    course_modules::interpreter_languages.eq(data
                        .interpreter_languages
                        .iter()
                        .cloned()
                        .map(Some)
                        .collect::<Vec<_>>()),
                ))
                .returning(ModuleRow::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("course_module", m.id, Some(course.programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(m)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &ModuleData,
    ) -> AppResult<Module> {
        conn.transaction(async |conn| {
            let (old, course) = ModuleRow::find(conn, scope, id).await?;
            Self::check_date(&course, data.held_on)?;
            Topic::usable(conn, data.topic_id, course.programme_id).await?;
            if data.held_on.is_none() {
                let recorded: i64 = attendance::table
                    .filter(attendance::module_id.eq(id))
                    .count()
                    .get_result(conn)
                    .await?;
                if recorded > 0 {
                    return Err(AppError::field("held_on", "error-module-has-attendance"));
                }
            }
            let m: ModuleRow = diesel::update(course_modules::table.find(id))
                .set((
                    course_modules::title.eq(&data.title),
                    course_modules::topic_id.eq(data.topic_id),
                    course_modules::held_on.eq(data.held_on),
                    course_modules::minutes.eq(data.minutes),
                    course_modules::interpreter_languages.eq(data
                        .interpreter_languages
                        .iter()
                        .cloned()
                        .map(Some)
                        .collect::<Vec<_>>()),
                ))
                .returning(ModuleRow::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("course_module", id, Some(course.programme_id)),
                audit::changed(&old, &m),
            )
            .await?;
            Ok(m)
        })
        .await
    }

    /// Deletes a module that has no attendance yet.
    pub async fn delete(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
    ) -> AppResult<Module> {
        conn.transaction(async |conn| {
            let (m, course) = ModuleRow::find(conn, scope, id).await?;
            let recorded: i64 = attendance::table
                .filter(attendance::module_id.eq(id))
                .count()
                .get_result(conn)
                .await?;
            if recorded > 0 {
                return Err(AppError::Conflict("error-module-has-attendance"));
            }
            diesel::delete(course_modules::table.find(id))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "delete",
                Subject::of("course_module", id, Some(course.programme_id)),
                audit::deleted(&m),
            )
            .await?;
            Ok(m)
        })
        .await
    }
}

/// Minutes as hours for display: `90` -> `"1.5"`.
pub fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", minutes as f64 / 60.0)
    }
}

// ------------------------------------------------------------ enrolments

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = enrolments, check_for_backend(diesel::pg::Pg))]
pub struct Enrolment {
    pub id: i64,
    pub programme_id: i64,
    pub course_id: i64,
    pub mother_id: i64,
    pub enrolled_on: NaiveDate,
    /// `enrolled`, `completed` or `dropped_out`.
    pub status: String,
    pub completed_on: Option<NaiveDate>,
    pub certified_on: Option<NaiveDate>,
    pub dropped_out_on: Option<NaiveDate>,
    pub drop_out_reason: Option<String>,
}

/// An enrolment with the mother's name and her attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentSummary {
    #[serde(flatten)]
    pub enrolment: Enrolment,
    pub mother_name: String,
    /// Modules she attended (present).
    pub attended: i64,
    /// The course's modules.
    pub modules: i64,
    /// Minutes of the modules she attended.
    pub minutes_attended: i64,
}

impl EnrolmentSummary {
    pub fn percent(&self) -> i64 {
        if self.modules == 0 {
            0
        } else {
            self.attended * 100 / self.modules
        }
    }
}

/// An enrolment of a mother, with the course's name (for her profile).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MotherCourse {
    #[serde(flatten)]
    pub summary: EnrolmentSummary,
    pub course_name: String,
}

pub const ENROLMENT_KEY: &str = "enrolments_course_mother_key";

impl Enrolment {
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Enrolment> {
        let e: Enrolment = enrolments::table
            .find(id)
            .select(Enrolment::as_select())
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(e.programme_id), e)
    }

    /// The enrolment, its row locked until the transaction ends: of two
    /// completions or drop-outs at once, the second sees the first's result.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Enrolment> {
        let e: Enrolment = enrolments::table
            .find(id)
            .select(Enrolment::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(e.programme_id), e)
    }

    /// Enrols a mother of the course's programme; an applicant moves to
    /// "in training".
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        course_id: i64,
        mother_id: i64,
        enrolled_on: NaiveDate,
    ) -> AppResult<Enrolment> {
        conn.transaction(async |conn| {
            let course = Course::find(conn, scope, course_id).await?;
            let mother = match Mother::find_for_update(conn, scope, mother_id).await {
                Ok(m) => m,
                Err(diesel::NotFound) => {
                    return Err(AppError::field("mother_id", "error-mother-unknown"));
                }
                Err(e) => return Err(e.into()),
            };
            if mother.programme_id != course.programme_id {
                return Err(AppError::field("mother_id", "error-mother-other-programme"));
            }
            if enrolled_on > course.ends_on {
                return Err(AppError::field(
                    "enrolled_on",
                    "error-enrolled-after-course",
                ));
            }
            let e: Enrolment = diesel::insert_into(enrolments::table)
                .values((
                    enrolments::programme_id.eq(course.programme_id),
                    enrolments::course_id.eq(course_id),
                    enrolments::mother_id.eq(mother_id),
                    enrolments::enrolled_on.eq(enrolled_on),
                ))
                .returning(Enrolment::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| match crate::error::constraint_name(&e) {
                    Some(ENROLMENT_KEY) => AppError::field("mother_id", "error-already-enrolled"),
                    _ => e.into(),
                })?;
            if mother.status == MotherStatus::Applicant {
                set_status(
                    conn,
                    actor,
                    &mother,
                    MotherStatus::InTraining,
                    enrolled_on,
                    "",
                )
                .await?;
            }
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("enrolment", e.id, Some(course.programme_id)),
                json!({"course_id": {"new": course_id}, "mother_id": {"new": mother_id},
                       "enrolled_on": {"new": enrolled_on}}),
            )
            .await?;
            Ok(e)
        })
        .await
    }

    /// The enrolments of a course with attendance counts, by name.
    pub async fn for_course(
        conn: &mut AsyncPgConnection,
        course_id: i64,
    ) -> QueryResult<Vec<EnrolmentSummary>> {
        let rows: Vec<(Enrolment, String)> = enrolments::table
            .inner_join(mothers::table.on(mothers::id.eq(enrolments::mother_id)))
            .filter(enrolments::course_id.eq(course_id))
            .select((Enrolment::as_select(), mothers::full_name))
            .order(crate::db::lower(mothers::full_name))
            .load(conn)
            .await?;
        summarise(conn, rows).await
    }

    /// A mother's enrolments with their courses, newest course first.
    pub async fn for_mother(
        conn: &mut AsyncPgConnection,
        mother_id: i64,
    ) -> QueryResult<Vec<MotherCourse>> {
        let rows: Vec<(Enrolment, String, String)> = enrolments::table
            .inner_join(mothers::table.on(mothers::id.eq(enrolments::mother_id)))
            .inner_join(courses::table.on(courses::id.eq(enrolments::course_id)))
            .filter(enrolments::mother_id.eq(mother_id))
            .select((Enrolment::as_select(), mothers::full_name, courses::name))
            .order(courses::starts_on.desc())
            .load(conn)
            .await?;
        let names: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
        let summaries = summarise(conn, rows.into_iter().map(|(e, m, _)| (e, m)).collect()).await?;
        Ok(summaries
            .into_iter()
            .zip(names)
            .map(|(summary, course_name)| MotherCourse {
                summary,
                course_name,
            })
            .collect())
    }

    /// Records completion (and certification). Allowed only when she
    /// attended the programme's share of the modules, and not before the
    /// last module she attended. A mother who completes becomes certified.
    pub async fn complete(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        completed_on: NaiveDate,
        certified_on: NaiveDate,
    ) -> AppResult<Enrolment> {
        conn.transaction(async |conn| {
            let e = Enrolment::find_for_update(conn, scope, id).await?;
            if e.status != "enrolled" {
                return Err(AppError::Conflict("error-enrolment-closed"));
            }
            let programme = Programme::find(conn, scope, ProgrammeId(e.programme_id)).await?;
            let summary = summarise(conn, vec![(e.clone(), String::new())])
                .await?
                .remove(0);
            let needed = i64::from(programme.completion_threshold_percent);
            if summary.modules == 0 || summary.attended * 100 < needed * summary.modules {
                return Err(AppError::field(
                    "completed_on",
                    Msg::new("error-attendance-below-threshold")
                        .arg("attended", summary.attended)
                        .arg("modules", summary.modules)
                        .arg("percent", summary.percent())
                        .arg("needed", needed),
                ));
            }
            let last_attended: Option<NaiveDate> = attendance::table
                .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
                .filter(attendance::enrolment_id.eq(id))
                .filter(attendance::status.eq("present"))
                .select(diesel::dsl::max(course_modules::held_on))
                .first(conn)
                .await?;
            if let Some(last) = last_attended
                && completed_on < last
            {
                return Err(AppError::field(
                    "completed_on",
                    Msg::new("error-completed-before-last-module").arg("date", last),
                ));
            }
            if completed_on < e.enrolled_on {
                return Err(AppError::field(
                    "completed_on",
                    "error-completed-before-enrolment",
                ));
            }
            if certified_on < completed_on {
                return Err(AppError::field(
                    "certified_on",
                    "error-certified-before-completion",
                ));
            }
            let updated: Enrolment = diesel::update(enrolments::table.find(id))
                .set((
                    enrolments::status.eq("completed"),
                    enrolments::completed_on.eq(completed_on),
                    enrolments::certified_on.eq(certified_on),
                ))
                .returning(Enrolment::as_returning())
                .get_result(conn)
                .await?;
            let mother = Mother::find_for_update(conn, scope, e.mother_id).await?;
            if matches!(
                mother.status,
                MotherStatus::Applicant | MotherStatus::InTraining
            ) {
                set_status(
                    conn,
                    actor,
                    &mother,
                    MotherStatus::Certified,
                    certified_on,
                    "",
                )
                .await?;
            }
            audit::record(
                conn,
                actor,
                "complete",
                Subject::of("enrolment", id, Some(e.programme_id)),
                audit::changed(&e, &updated),
            )
            .await?;
            Ok(updated)
        })
        .await
    }

    /// Records a drop-out with its date and reason.
    pub async fn drop_out(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<Enrolment> {
        conn.transaction(async |conn| {
            let e = Enrolment::find_for_update(conn, scope, id).await?;
            if e.status != "enrolled" {
                return Err(AppError::Conflict("error-enrolment-closed"));
            }
            if on < e.enrolled_on {
                return Err(AppError::field(
                    "dropped_out_on",
                    "error-dropped-before-enrolment",
                ));
            }
            let updated: Enrolment = diesel::update(enrolments::table.find(id))
                .set((
                    enrolments::status.eq("dropped_out"),
                    enrolments::dropped_out_on.eq(on),
                    enrolments::drop_out_reason.eq(reason),
                ))
                .returning(Enrolment::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "drop_out",
                Subject::of("enrolment", id, Some(e.programme_id)),
                audit::changed(&e, &updated),
            )
            .await?;
            Ok(updated)
        })
        .await
    }
}

/// Adds attendance counts to enrolments (one query for all of them).
async fn summarise(
    conn: &mut AsyncPgConnection,
    rows: Vec<(Enrolment, String)>,
) -> QueryResult<Vec<EnrolmentSummary>> {
    let enrolment_ids: Vec<i64> = rows.iter().map(|(e, _)| e.id).collect();
    let course_ids: Vec<i64> = rows.iter().map(|(e, _)| e.course_id).collect();
    let present: Vec<(i64, i64, Option<i64>)> = attendance::table
        .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
        .filter(attendance::enrolment_id.eq_any(&enrolment_ids))
        .filter(attendance::status.eq("present"))
        .group_by(attendance::enrolment_id)
        .select((
            attendance::enrolment_id,
            diesel::dsl::count_star(),
            diesel::dsl::sum(course_modules::minutes),
        ))
        .load(conn)
        .await?;
    let modules: Vec<(i64, i64)> = course_modules::table
        .filter(course_modules::course_id.eq_any(&course_ids))
        .group_by(course_modules::course_id)
        .select((course_modules::course_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(enrolment, mother_name)| {
            let (attended, minutes) = present
                .iter()
                .find(|(id, _, _)| *id == enrolment.id)
                .map_or((0, 0), |(_, n, m)| (*n, m.unwrap_or(0)));
            EnrolmentSummary {
                modules: modules
                    .iter()
                    .find(|(c, _)| *c == enrolment.course_id)
                    .map_or(0, |(_, n)| *n),
                attended,
                minutes_attended: minutes,
                mother_name,
                enrolment,
            }
        })
        .collect())
}

// ------------------------------------------------------------ attendance

/// One row of the attendance grid.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceRow {
    pub enrolment_id: i64,
    pub mother_id: i64,
    pub mother_name: String,
    /// `present`, `absent`, `excused`, or `null` when not taken yet.
    pub status: Option<String>,
}

pub const ATTENDANCE_STATUSES: [&str; 3] = ["present", "absent", "excused"];

/// Attendance of one module.
pub struct Attendance;

impl Attendance {
    /// Every mother enrolled in the module's course (not dropped out), with
    /// her attendance, by name.
    pub async fn grid(
        conn: &mut AsyncPgConnection,
        module: &Module,
    ) -> QueryResult<Vec<AttendanceRow>> {
        let rows: Vec<(i64, i64, String, Option<String>)> = enrolments::table
            .inner_join(mothers::table.on(mothers::id.eq(enrolments::mother_id)))
            .left_join(
                attendance::table.on(attendance::enrolment_id
                    .eq(enrolments::id)
                    .and(attendance::module_id.eq(module.id))),
            )
            .filter(enrolments::course_id.eq(module.course_id))
            .filter(enrolments::status.ne("dropped_out"))
            .select((
                enrolments::id,
                mothers::id,
                mothers::full_name,
                attendance::status.nullable(),
            ))
            .order(crate::db::lower(mothers::full_name))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(enrolment_id, mother_id, mother_name, status)| AttendanceRow {
                    enrolment_id,
                    mother_id,
                    mother_name,
                    status,
                },
            )
            .collect())
    }

    /// Saves the attendance of a module: all or nothing. Only enrolled
    /// mothers of the course, only a scheduled module.
    pub async fn save(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        module_id: i64,
        entries: &[(i64, String)],
    ) -> AppResult<usize> {
        conn.transaction(async |conn| {
            let (module, course) = ModuleRow::find(conn, scope, module_id).await?;
            if module.held_on.is_none() {
                return Err(AppError::field("held_on", "error-module-not-scheduled"));
            }
            let enrolled: Vec<i64> = enrolments::table
                .filter(enrolments::course_id.eq(module.course_id))
                .filter(enrolments::status.ne("dropped_out"))
                .select(enrolments::id)
                .load(conn)
                .await?;
            for (enrolment_id, status) in entries {
                if !enrolled.contains(enrolment_id) {
                    return Err(AppError::field(
                        "attendance",
                        Msg::new("error-not-enrolled").arg("id", enrolment_id),
                    ));
                }
                if !ATTENDANCE_STATUSES.contains(&status.as_str()) {
                    return Err(AppError::field("attendance", "error-attendance-status"));
                }
            }
            for (enrolment_id, status) in entries {
                diesel::insert_into(attendance::table)
                    .values((
                        attendance::enrolment_id.eq(enrolment_id),
                        attendance::module_id.eq(module_id),
                        attendance::status.eq(status),
                        attendance::recorded_by.eq(actor),
                    ))
                    .on_conflict((attendance::enrolment_id, attendance::module_id))
                    .do_update()
                    .set((
                        attendance::status.eq(status),
                        attendance::recorded_by.eq(actor),
                        attendance::updated_at.eq(diesel::dsl::now),
                    ))
                    .execute(conn)
                    .await?;
            }
            let counts = |s: &str| entries.iter().filter(|(_, x)| x == s).count();
            audit::record(
                conn,
                actor,
                "record_attendance",
                Subject::of("course_module", module_id, Some(course.programme_id)),
                json!({"present": {"new": counts("present")}, "absent": {"new": counts("absent")},
                       "excused": {"new": counts("excused")}}),
            )
            .await?;
            Ok(entries.len())
        })
        .await
    }
}

// ------------------------------------------------------- derived figures

/// Mothers trained per calendar year per programme: distinct mothers whose
/// completion falls in the year, for every year up to `up_to_year`.
/// Returns (programme id, year, count), by programme and year.
pub async fn mothers_trained_by_year(
    conn: &mut AsyncPgConnection,
    programme_ids: &[i64],
    up_to_year: i32,
) -> QueryResult<Vec<(i64, i32, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        programme_id: i64,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        year: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT programme_id, EXTRACT(YEAR FROM completed_on)::int AS year, \
                count(DISTINCT mother_id) AS count \
         FROM enrolments \
         WHERE status = 'completed' AND programme_id = ANY($1) \
           AND completed_on < make_date($2 + 1, 1, 1) \
         GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(programme_ids)
    .bind::<diesel::sql_types::Integer, _>(up_to_year)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.programme_id, r.year, r.count))
        .collect())
}

/// Training minutes of a mother: the minutes of the modules she attended.
pub async fn training_minutes(conn: &mut AsyncPgConnection, mother_id: i64) -> QueryResult<i64> {
    let minutes: Option<i64> = attendance::table
        .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
        .inner_join(enrolments::table.on(enrolments::id.eq(attendance::enrolment_id)))
        .filter(enrolments::mother_id.eq(mother_id))
        .filter(attendance::status.eq("present"))
        .select(diesel::dsl::sum(course_modules::minutes))
        .first(conn)
        .await?;
    Ok(minutes.unwrap_or(0))
}
