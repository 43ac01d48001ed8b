//! neighbourhood-mothers: the case manager for neighbourhood-mothers
//! programmes. See README.md and `../shared/design/architecture.md`.

pub mod alloc;
pub mod app;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod events;
pub mod families;
pub mod funding;
pub mod health;
pub mod ids;
pub mod imports;
pub mod money;
pub mod mothers;
pub mod my;
pub mod outcomes;
pub mod privacy;
pub mod programmes;
pub mod reports;
pub mod schema;
pub mod state;
pub mod training;
pub mod views;
pub mod visits;
pub mod web;
