//! Training: curriculum topics and template, courses and their modules,
//! enrolments, attendance, and the derived figures the reports use. Rows,
//! validated data and queries only; the use cases, with their rules,
//! locks and audit rows, are in `ops`. One file per part: `curriculum`,
//! `course`, `module`, `enrolment`, `attendance`.

mod attendance;
mod course;
mod curriculum;
mod enrolment;
mod module;
pub mod worklist;

pub use attendance::*;
pub use course::*;
pub use curriculum::*;
pub use enrolment::*;
pub use module::*;
