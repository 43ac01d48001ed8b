//! A course's modules: rows and queries.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{CourseId, CurriculumTopicId, ModuleId, ProgrammeId};
use crate::schema::course_modules;

use super::{Course, ModuleData, TemplateModule};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = course_modules, check_for_backend(diesel::pg::Pg))]
pub struct ModuleRow {
    #[schema(value_type = i64)]
    pub id: ModuleId,
    #[schema(value_type = i64)]
    pub course_id: CourseId,
    pub position: i32,
    pub title: String,
    #[schema(value_type = i64)]
    pub topic_id: CurriculumTopicId,
    pub held_on: Option<NaiveDate>,
    pub minutes: i32,
    #[schema(value_type = Vec<String>)]
    pub interpreter_languages: Vec<Option<String>>,
}

/// A course module.
pub type Module = ModuleRow;

impl ModuleRow {
    pub(crate) fn subject(id: ModuleId, programme_id: ProgrammeId) -> Subject {
        Subject::of("course_module", id.0, Some(programme_id.0))
    }

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

    /// The modules of a course, in order.
    pub async fn for_course(
        conn: &mut AsyncPgConnection,
        course_id: CourseId,
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
        id: ModuleId,
    ) -> QueryResult<(Module, Course)> {
        let m: ModuleRow = course_modules::table
            .find(id)
            .select(ModuleRow::as_select())
            .first(conn)
            .await?;
        let c = Course::find(conn, scope, m.course_id).await?;
        Ok((m, c))
    }

    /// A module and its course, if the course is in `scope`, both locked for
    /// the rest of the transaction (the module first): a module's date, its
    /// attendance, its deletion and its course's dates are decided one at a
    /// time.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: ModuleId,
    ) -> QueryResult<(Module, Course)> {
        let m: ModuleRow = course_modules::table
            .find(id)
            .select(ModuleRow::as_select())
            .for_update()
            .first(conn)
            .await?;
        let c = Course::find_for_update(conn, scope, m.course_id).await?;
        Ok((m, c))
    }

    /// The position after the course's last module.
    pub async fn next_position(
        conn: &mut AsyncPgConnection,
        course_id: CourseId,
    ) -> QueryResult<i32> {
        let last: Option<i32> = course_modules::table
            .filter(course_modules::course_id.eq(course_id))
            .select(diesel::dsl::max(course_modules::position))
            .first(conn)
            .await?;
        Ok(last.unwrap_or(0) + 1)
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        course_id: CourseId,
        position: i32,
        data: &ModuleData,
    ) -> QueryResult<Module> {
        diesel::insert_into(course_modules::table)
            .values((
                course_modules::course_id.eq(course_id),
                course_modules::position.eq(position),
                course_modules::title.eq(&data.title),
                course_modules::topic_id.eq(data.topic_id),
                course_modules::held_on.eq(data.held_on),
                course_modules::minutes.eq(data.minutes),
                course_modules::interpreter_languages.eq(languages(data)),
            ))
            .returning(ModuleRow::as_returning())
            .get_result(conn)
            .await
    }

    /// Copies a curriculum template into a course (not yet scheduled, at
    /// the template's positions).
    pub async fn insert_from_template(
        conn: &mut AsyncPgConnection,
        course_id: CourseId,
        template: &[TemplateModule],
    ) -> QueryResult<usize> {
        let rows: Vec<_> = template
            .iter()
            .map(|t| {
                (
                    course_modules::course_id.eq(course_id),
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
            .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: ModuleId,
        data: &ModuleData,
    ) -> QueryResult<Module> {
        diesel::update(course_modules::table.find(id))
            .set((
                course_modules::title.eq(&data.title),
                course_modules::topic_id.eq(data.topic_id),
                course_modules::held_on.eq(data.held_on),
                course_modules::minutes.eq(data.minutes),
                course_modules::interpreter_languages.eq(languages(data)),
            ))
            .returning(ModuleRow::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: ModuleId) -> QueryResult<usize> {
        diesel::delete(course_modules::table.find(id))
            .execute(conn)
            .await
    }
}

/// The interpreter languages as the column holds them.
fn languages(data: &ModuleData) -> Vec<Option<String>> {
    data.interpreter_languages
        .iter()
        .cloned()
        .map(Some)
        .collect()
}

/// Minutes as hours for display: `90` -> `"1.5"`.
pub fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", minutes as f64 / 60.0)
    }
}
