//! The one integration-test binary: the real server on a real database.

mod accounts;
mod cli;
mod docker;
mod fallbacks;
mod funding;
mod generate;
mod harness;
mod health;
mod i18n;
mod layout;
mod openapi;
mod policy;
mod programmes;
mod races;
mod reports;
mod training;
mod visits;
