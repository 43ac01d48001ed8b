//! Users, their programmes, API tokens and sign-in attempts.
//! Every change writes an audit row in the same transaction; password
//! hashes, tokens and session data never go into the log.
//! One file per part: `user`, `throttle` (sign-in attempts), `token` (API tokens),
//! `invitation` (one-time codes to choose a password), `second_factor`
//! (one-time password secrets, recovery codes, the roles that must have one).

pub mod invitation;
mod second_factor;
mod throttle;
mod token;
mod user;

pub use second_factor::*;
pub use throttle::*;
pub use token::*;
pub use user::*;
