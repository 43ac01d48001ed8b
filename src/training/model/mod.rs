//! Training: curriculum topics and template, courses and their modules,
//! enrolments, attendance, completion and certification, and the derived
//! figures the reports use. Every rule is checked inside the transaction
//! that writes, so nothing is half-saved; every change writes an audit row.
//! One file per part: `curriculum`, `course`, `enrolment`, `attendance`.

mod attendance;
mod course;
mod curriculum;
mod enrolment;

pub use attendance::*;
pub use course::*;
pub use curriculum::*;
pub use enrolment::*;
