//! The use cases of training, called by the pages and the API alike. Each
//! takes the caller's [`Access`](crate::authz::Access) and the input as it
//! came, and runs one transaction: the scoped find (locked where the row
//! changes), the validation, the rules, the change, its audit row;
//! constraint names come back as field errors. "Not found" comes before
//! "invalid". One file per part: `curriculum`, `course` (courses and their
//! modules), `enrolment` (enrolment, completion, drop-out), `attendance`.

mod attendance;
mod course;
mod curriculum;
mod enrolment;

pub use attendance::*;
pub use course::*;
pub use curriculum::*;
pub use enrolment::*;
