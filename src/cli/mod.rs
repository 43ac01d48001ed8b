//! The command line's work, one file (or folder) per command: what
//! `create-user`, `create-token` and `generate` do, with their flags.
//! `main.rs` parses the command line and calls them; `serve` and `migrate`
//! stay there (`serve` builds the app, which only `main` imports).
//!
//! A command may use every domain (this layer sits above `views`), never
//! `app` or `config`.

pub mod create_token;
pub mod create_user;
pub mod generate;
pub mod import;
pub mod retention;
pub mod rotate_data_key;
