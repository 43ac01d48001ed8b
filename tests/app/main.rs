//! The one integration-test binary: the real server on a real database.

mod accounts;
mod cli;
mod clock;
mod corrections;
mod docker;
mod exports;
mod fallbacks;
mod funders;
mod funding;
mod generate;
mod hardening;
mod harness;
mod health;
mod i18n;
mod layout;
mod lists;
mod modules;
mod openapi;
mod policy;
mod programmes;
mod races;
mod reports;
mod snapshots;
mod supervision;
mod training;
mod visits;
