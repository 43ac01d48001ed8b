//! Users, their programmes, API tokens and sign-in attempts.
//! Every change writes an audit row in the same transaction; password
//! hashes, tokens and session data never go into the log.
//! One file per part: `user`, `throttle` (sign-in attempts), `token` (API tokens),
//! `invitation` (one-time codes to choose a password).

pub mod invitation;
mod throttle;
mod token;
mod user;

pub use throttle::*;
pub use token::*;
pub use user::*;
