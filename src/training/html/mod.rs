//! HTML pages for training (thin: extract, call `ops`, render or redirect): courses, modules, enrolment, the attendance
//! grid, completion and drop-out, and a programme's curriculum.
//! One file per part: `course`, `module`, `enrolment`, `attendance`, `curriculum`.

mod attendance;
mod course;
mod curriculum;
mod enrolment;
mod module;

pub use attendance::*;
pub use course::*;
pub use curriculum::*;
pub use enrolment::*;
pub use module::*;

use super::model::Topic;
use crate::ids::CurriculumTopicId;
use crate::web::Page;

/// A topic's label: the translation of a default, or a programme's own label.
pub(crate) fn topic_label(page: &Page, topics: &[Topic], id: CurriculumTopicId) -> String {
    match topics.iter().find(|t| t.id == id) {
        Some(Topic { key: Some(k), .. }) => page.label("topic", k),
        Some(t) => t.label.clone(),
        None => String::new(),
    }
}
