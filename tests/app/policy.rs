//! Every role against every route. The table below must list every route
//! declared (`app::rules()`, the declarations the router and the
//! authorization policy are built from): a route added
//! without a row here fails the test.
//!
//! Expected outcome per role, in the order admin, manager, coordinator,
//! trainer, signed out:
//! - `A` allowed (anything but 401, 403, 404 or a redirect to sign-in),
//! - `F` forbidden (403),
//! - `U` sign-in required (401, or a redirect to `/login?next=...`),
//! - `*` not checked (public routes whose answer depends on the input).
//!
//! A second pass runs the routes on one record with a record of a
//! programme the user does not belong to: 404 for everyone allowed the
//! route but admins.

use std::collections::BTreeSet;

use neighbourhood_mothers::auth::{Permission, Role};
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::harness::{Agent, PASSWORD, TestApp};

/// (method, route, expected for [admin, manager, coordinator, trainer, anonymous]).
/// A mother (the sixth client) may use the public routes, her account and
/// her own pages (`/my`), nothing else: see `mother_expects`.
const CASES: &[(&str, &str, &str)] = &[
    ("GET", "/healthz", "AAAAA"),
    ("GET", "/api/v1/openapi.json", "AAAAA"),
    ("GET", "/static/app.css", "AAAAA"),
    ("GET", "/login", "AAAAA"),
    ("GET", "/language", "AAAAA"),
    ("GET", "/", "AAAAU"),
    ("GET", "/account", "AAAAU"),
    ("POST", "/account/password", "AAAAU"),
    ("GET", "/account/second-factor", "AAAAU"),
    ("POST", "/account/second-factor", "AAAAU"),
    ("POST", "/account/second-factor/off", "AAAAU"),
    ("POST", "/api/v1/account/totp", "AAAAU"),
    ("POST", "/api/v1/account/totp/confirm", "AAAAU"),
    ("GET", "/login/code", "*****"),
    ("POST", "/login/code", "*****"),
    ("POST", "/account/language", "AAAAU"),
    ("GET", "/api/v1/session", "AAAAU"),
    ("GET", "/programmes", "AAAAU"),
    ("GET", "/programmes/{id}", "AAAAU"),
    ("GET", "/api/v1/programmes", "AAAAU"),
    ("GET", "/api/v1/programmes/{id}", "AAAAU"),
    ("GET", "/api/v1/programmes/{id}/districts", "AAAAU"),
    ("GET", "/api/v1/districts/{id}", "AAAAU"),
    ("GET", "/programmes/new", "AFFFU"),
    ("POST", "/programmes", "AFFFU"),
    ("POST", "/api/v1/programmes", "AFFFU"),
    ("GET", "/programmes/{id}/edit", "AAFFU"),
    ("POST", "/programmes/{id}", "AAFFU"),
    ("POST", "/programmes/{id}/archive", "AAFFU"),
    ("POST", "/programmes/{id}/restore", "AAFFU"),
    ("POST", "/programmes/{id}/districts", "AAFFU"),
    ("GET", "/districts/{id}/edit", "AAFFU"),
    ("POST", "/districts/{id}", "AAFFU"),
    ("POST", "/districts/{id}/archive", "AAFFU"),
    ("POST", "/districts/{id}/restore", "AAFFU"),
    ("PUT", "/api/v1/programmes/{id}", "AAFFU"),
    ("PATCH", "/api/v1/programmes/{id}", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/archive", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/restore", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/districts", "AAFFU"),
    ("PUT", "/api/v1/districts/{id}", "AAFFU"),
    ("PATCH", "/api/v1/districts/{id}", "AAFFU"),
    ("POST", "/api/v1/districts/{id}/archive", "AAFFU"),
    ("POST", "/api/v1/districts/{id}/restore", "AAFFU"),
    ("POST", "/programmes/{id}/delete", "AFFFU"),
    // Invitations and the mothers' own pages
    ("GET", "/join", "AAAAA"),
    ("GET", "/join/{code}", "AAAAA"),
    // Without the form's signed cookie (as POST /login).
    ("POST", "/join", "*****"),
    ("GET", "/my", "FFFFU"),
    ("GET", "/my/contact", "FFFFU"),
    ("GET", "/my/training", "FFFFU"),
    ("POST", "/my/contact", "FFFFU"),
    ("GET", "/my/questionnaires", "FFFFU"),
    ("GET", "/programmes/{id}/profile", "AAAAU"),
    ("POST", "/programmes/{id}/profile", "AAFFU"),
    ("GET", "/api/v1/programmes/{id}/profile", "AAAAU"),
    ("PUT", "/api/v1/programmes/{id}/profile", "AAFFU"),
    ("GET", "/reports/profile", "AAFFU"),
    ("GET", "/reports/profile.md", "AAFFU"),
    ("GET", "/reports/profile.html", "AAFFU"),
    ("GET", "/api/v1/reports/profile", "AAFFU"),
    ("GET", "/my/questionnaires/{id}", "FFFFU"),
    ("POST", "/my/questionnaires/{id}", "FFFFU"),
    ("GET", "/programmes/{id}/questionnaires", "AAAAU"),
    ("POST", "/programmes/{id}/questionnaires", "AAFAU"),
    ("GET", "/questionnaires/{id}", "AAAAU"),
    ("POST", "/questionnaires/{id}/responses", "AFFAU"),
    ("GET", "/api/v1/programmes/{id}/questionnaires", "AAAAU"),
    ("POST", "/api/v1/programmes/{id}/questionnaires", "AAFAU"),
    ("GET", "/api/v1/questionnaires/{id}", "AAAAU"),
    ("PATCH", "/api/v1/questionnaires/{id}", "AAFAU"),
    ("DELETE", "/api/v1/questionnaires/{id}", "AAFAU"),
    ("GET", "/api/v1/questionnaires/{id}/responses", "AFFAU"),
    ("POST", "/api/v1/questionnaires/{id}/responses", "AFFAU"),
    ("POST", "/questionnaires/{id}/retire", "AAFAU"),
    ("POST", "/questionnaires/{id}/restore", "AAFAU"),
    ("POST", "/mothers/{id}/invite", "AFAFU"),
    ("POST", "/api/v1/my/visits", "FFFFU"),
    ("GET", "/manifest.webmanifest", "AAAAA"),
    ("GET", "/sw.js", "AAAAA"),
    ("GET", "/static/my.js", "AAAAA"),
    ("GET", "/static/icon-192.png", "AAAAA"),
    ("GET", "/static/icon-512.png", "AAAAA"),
    ("POST", "/api/v1/mothers/{id}/invitation", "AFAFU"),
    ("GET", "/programmes/{id}/worker-words", "AAFFU"),
    ("POST", "/programmes/{id}/worker-words", "AAFFU"),
    ("GET", "/api/v1/programmes/{id}/worker-words", "AAAAU"),
    ("PUT", "/api/v1/programmes/{id}/worker-words", "AAFFU"),
    ("DELETE", "/api/v1/programmes/{id}", "AFFFU"),
    // Mothers
    ("GET", "/mothers", "AAAAU"),
    ("GET", "/mothers/{id}", "AAAAU"),
    ("GET", "/api/v1/mothers", "AAAAU"),
    ("GET", "/api/v1/mothers/{id}", "AAAAU"),
    ("GET", "/mothers/new", "AFAFU"),
    ("POST", "/mothers", "AFAFU"),
    ("GET", "/mothers/{id}/edit", "AFAFU"),
    ("POST", "/mothers/{id}", "AFAFU"),
    ("POST", "/mothers/{id}/status", "AFAFU"),
    ("POST", "/api/v1/mothers", "AFAFU"),
    ("PUT", "/api/v1/mothers/{id}", "AFAFU"),
    ("PATCH", "/api/v1/mothers/{id}", "AFAFU"),
    ("POST", "/api/v1/mothers/{id}/status", "AFAFU"),
    // Training
    ("GET", "/courses", "AAAAU"),
    ("GET", "/courses/{id}", "AAAAU"),
    ("GET", "/modules/{id}/attendance", "AAAAU"),
    ("GET", "/programmes/{id}/curriculum", "AAAAU"),
    ("GET", "/api/v1/courses", "AAAAU"),
    ("GET", "/api/v1/courses/{id}", "AAAAU"),
    ("GET", "/api/v1/courses/{id}/modules", "AAAAU"),
    ("GET", "/api/v1/courses/{id}/enrolments", "AAAAU"),
    ("GET", "/api/v1/modules/{id}/attendance", "AAAAU"),
    ("GET", "/api/v1/programmes/{id}/curriculum/topics", "AAAAU"),
    ("GET", "/api/v1/programmes/{id}/curriculum/modules", "AAAAU"),
    ("GET", "/courses/new", "AFFAU"),
    ("POST", "/courses", "AFFAU"),
    ("GET", "/courses/{id}/edit", "AFFAU"),
    ("POST", "/courses/{id}", "AFFAU"),
    ("POST", "/courses/{id}/modules", "AFFAU"),
    ("GET", "/modules/{id}/edit", "AFFAU"),
    ("POST", "/modules/{id}", "AFFAU"),
    ("POST", "/modules/{id}/attendance", "AFFAU"),
    ("POST", "/courses/{id}/enrolments", "AFFAU"),
    ("POST", "/enrolments/{id}/complete", "AFFAU"),
    ("POST", "/enrolments/{id}/drop-out", "AFFAU"),
    ("POST", "/enrolments/{id}/reopen", "AFFAU"),
    ("POST", "/api/v1/courses", "AFFAU"),
    ("PUT", "/api/v1/courses/{id}", "AFFAU"),
    ("PATCH", "/api/v1/courses/{id}", "AFFAU"),
    ("POST", "/api/v1/courses/{id}/modules", "AFFAU"),
    ("PUT", "/api/v1/modules/{id}", "AFFAU"),
    ("PATCH", "/api/v1/modules/{id}", "AFFAU"),
    ("POST", "/api/v1/courses/{id}/enrolments", "AFFAU"),
    ("PUT", "/api/v1/modules/{id}/attendance", "AFFAU"),
    ("POST", "/api/v1/enrolments/{id}/completion", "AFFAU"),
    ("POST", "/api/v1/enrolments/{id}/drop-out", "AFFAU"),
    ("POST", "/api/v1/enrolments/{id}/reopen", "AFFAU"),
    ("POST", "/programmes/{id}/curriculum/topics", "AAFAU"),
    ("POST", "/programmes/{id}/curriculum/modules", "AAFAU"),
    ("POST", "/api/v1/programmes/{id}/curriculum/topics", "AAFAU"),
    (
        "POST",
        "/api/v1/programmes/{id}/curriculum/modules",
        "AAFAU",
    ),
    // Families, visits, referrals, topics, events
    ("GET", "/visits", "AFAFU"),
    ("GET", "/families", "AAAFU"),
    ("GET", "/families/{id}", "AAAFU"),
    ("GET", "/referrals", "AFAFU"),
    ("GET", "/programmes/{id}/topics", "AAAAU"),
    ("GET", "/events", "AAAAU"),
    ("GET", "/events/new", "AFAFU"),
    ("GET", "/api/v1/families", "AAAFU"),
    ("GET", "/api/v1/families/{id}", "AAAFU"),
    ("GET", "/api/v1/visits", "AFAFU"),
    ("GET", "/api/v1/visits/{id}", "AFAFU"),
    ("GET", "/api/v1/referrals", "AFAFU"),
    ("GET", "/api/v1/programmes/{id}/topics", "AAAAU"),
    ("GET", "/api/v1/events", "AAAAU"),
    ("GET", "/visits/new", "AFAFU"),
    ("POST", "/visits", "AFAFU"),
    ("GET", "/families/new", "AFAFU"),
    ("POST", "/families", "AFAFU"),
    ("GET", "/families/{id}/edit", "AFAFU"),
    ("POST", "/families/{id}", "AFAFU"),
    ("POST", "/referrals/{id}/done", "AFAFU"),
    ("POST", "/events", "AFAFU"),
    ("POST", "/api/v1/families", "AFAFU"),
    ("PUT", "/api/v1/families/{id}", "AFAFU"),
    ("PATCH", "/api/v1/families/{id}", "AFAFU"),
    ("POST", "/api/v1/visits", "AFAFU"),
    ("GET", "/visits/{id}", "AFAFU"),
    ("GET", "/visits/{id}/edit", "AFAFU"),
    ("POST", "/visits/{id}", "AFAFU"),
    ("POST", "/visits/{id}/void", "AFAFU"),
    ("POST", "/visits/{id}/restore", "AFAFU"),
    ("POST", "/visits/{id}/review", "AFAFU"),
    ("POST", "/referrals/{id}", "AFAFU"),
    ("PATCH", "/api/v1/visits/{id}", "AFAFU"),
    ("POST", "/api/v1/visits/{id}/void", "AFAFU"),
    ("POST", "/api/v1/visits/{id}/restore", "AFAFU"),
    ("POST", "/api/v1/visits/{id}/review", "AFAFU"),
    ("PATCH", "/api/v1/referrals/{id}", "AFAFU"),
    ("POST", "/api/v1/referrals/{id}/done", "AFAFU"),
    ("POST", "/api/v1/events", "AFAFU"),
    ("GET", "/api/v1/events/{id}", "AAAAU"),
    ("PATCH", "/api/v1/events/{id}", "AFAFU"),
    ("DELETE", "/api/v1/events/{id}", "AFAFU"),
    ("GET", "/events/{id}/edit", "AFAFU"),
    ("POST", "/events/{id}", "AFAFU"),
    ("POST", "/events/{id}/delete", "AFAFU"),
    ("GET", "/programmes/{id}/participants", "AAAFU"),
    ("POST", "/programmes/{id}/participants", "AFAFU"),
    ("POST", "/programmes/{id}/partnerships", "AFAFU"),
    ("POST", "/partnerships/{id}/end", "AFAFU"),
    ("GET", "/events/{id}/participants", "AAAFU"),
    ("POST", "/events/{id}/participants", "AFAFU"),
    ("GET", "/api/v1/programmes/{id}/participants", "AAAFU"),
    ("POST", "/api/v1/programmes/{id}/participants", "AFAFU"),
    ("GET", "/api/v1/participants/{id}", "AAAFU"),
    ("PATCH", "/api/v1/participants/{id}", "AFAFU"),
    ("GET", "/api/v1/events/{id}/participants", "AAAFU"),
    ("PUT", "/api/v1/events/{id}/participants", "AFAFU"),
    ("GET", "/api/v1/programmes/{id}/partnerships", "AAAFU"),
    ("POST", "/api/v1/programmes/{id}/partnerships", "AFAFU"),
    ("GET", "/api/v1/partnerships/{id}", "AAAFU"),
    ("PATCH", "/api/v1/partnerships/{id}", "AFAFU"),
    ("POST", "/partnerships/{id}/delete", "AFAFU"),
    ("DELETE", "/api/v1/partnerships/{id}", "AFAFU"),
    ("POST", "/participants/{id}/delete", "AFAFU"),
    ("DELETE", "/api/v1/participants/{id}", "AFAFU"),
    ("POST", "/programmes/{id}/topics", "AAFFU"),
    ("POST", "/topics/{id}", "AAFFU"),
    ("POST", "/topics/{id}/retire", "AAFFU"),
    ("POST", "/topics/{id}/restore", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/topics", "AAFFU"),
    ("PUT", "/api/v1/topics/{id}", "AAFFU"),
    ("PATCH", "/api/v1/topics/{id}", "AAFFU"),
    ("POST", "/api/v1/topics/{id}/retire", "AAFFU"),
    ("POST", "/api/v1/topics/{id}/restore", "AAFFU"),
    ("GET", "/programmes/{id}/visit-plan", "AAAAU"),
    ("POST", "/programmes/{id}/visit-plan", "AAFFU"),
    ("GET", "/programmes/{id}/services", "AAAAU"),
    ("POST", "/programmes/{id}/services", "AAFFU"),
    ("POST", "/services/{id}", "AAFFU"),
    ("POST", "/services/{id}/retire", "AAFFU"),
    ("POST", "/services/{id}/restore", "AAFFU"),
    ("GET", "/api/v1/programmes/{id}/visit-plan", "AAAAU"),
    ("PUT", "/api/v1/programmes/{id}/visit-plan", "AAFFU"),
    ("GET", "/api/v1/programmes/{id}/services", "AAAAU"),
    ("POST", "/api/v1/programmes/{id}/services", "AAFFU"),
    ("PATCH", "/api/v1/services/{id}", "AAFFU"),
    ("POST", "/api/v1/services/{id}/retire", "AAFFU"),
    ("POST", "/api/v1/services/{id}/restore", "AAFFU"),
    ("GET", "/programmes/{id}/event-kinds", "AAAAU"),
    ("POST", "/programmes/{id}/event-kinds", "AAFFU"),
    ("POST", "/event-kinds/{id}", "AAFFU"),
    ("POST", "/event-kinds/{id}/retire", "AAFFU"),
    ("POST", "/event-kinds/{id}/restore", "AAFFU"),
    ("GET", "/api/v1/programmes/{id}/event-kinds", "AAAAU"),
    ("POST", "/api/v1/programmes/{id}/event-kinds", "AAFFU"),
    ("PATCH", "/api/v1/event-kinds/{id}", "AAFFU"),
    ("POST", "/api/v1/event-kinds/{id}/retire", "AAFFU"),
    ("POST", "/api/v1/event-kinds/{id}/restore", "AAFFU"),
    ("POST", "/families/{id}/close", "AFAFU"),
    ("POST", "/api/v1/families/{id}/close", "AFAFU"),
    // Privacy: access log and retention for admins, exports for those who
    // see the details, erasure of families for coordinators too, of
    // mothers for admins; the record of processing for every staff role.
    ("GET", "/access-log", "AFFFU"),
    ("GET", "/families/{id}/access-log", "AFFFU"),
    ("GET", "/mothers/{id}/access-log", "AFFFU"),
    ("GET", "/api/v1/access-log", "AFFFU"),
    ("GET", "/api/v1/families/{id}/access-log", "AFFFU"),
    ("GET", "/api/v1/mothers/{id}/access-log", "AFFFU"),
    ("GET", "/retention", "AFFFU"),
    ("GET", "/api/v1/retention", "AFFFU"),
    ("GET", "/families/{id}/export", "AFAFU"),
    ("GET", "/api/v1/families/{id}/export", "AFAFU"),
    ("GET", "/mothers/{id}/export", "AFAFU"),
    ("GET", "/api/v1/mothers/{id}/export", "AFAFU"),
    ("GET", "/families/{id}/privacy", "AFAFU"),
    ("POST", "/families/{id}/erase", "AFAFU"),
    ("POST", "/families/{id}/consent/withdraw", "AFAFU"),
    ("POST", "/api/v1/families/{id}/erase", "AFAFU"),
    ("POST", "/api/v1/families/{id}/consent/withdraw", "AFAFU"),
    ("GET", "/mothers/{id}/privacy", "AFFFU"),
    ("POST", "/mothers/{id}/erase", "AFFFU"),
    ("POST", "/api/v1/mothers/{id}/erase", "AFFFU"),
    ("GET", "/programmes/{id}/record-of-processing", "AAAAU"),
    // Imports: those who record families and visits.
    ("GET", "/imports", "AFAFU"),
    ("POST", "/imports", "AFAFU"),
    ("GET", "/imports/{kind}/template.csv", "AFAFU"),
    ("POST", "/api/v1/imports/{kind}", "AFAFU"),
    ("POST", "/api/v1/courses/{id}/completions", "AFFAU"),
    // Users through the API: administrators.
    ("GET", "/api/v1/users", "AFFFU"),
    ("POST", "/api/v1/users", "AFFFU"),
    ("GET", "/api/v1/users/{id}", "AFFFU"),
    ("PATCH", "/api/v1/users/{id}", "AFFFU"),
    ("POST", "/api/v1/users/{id}/deactivate", "AFFFU"),
    ("POST", "/api/v1/users/{id}/activate", "AFFFU"),
    // Funding: managers and admins only
    ("GET", "/funding", "AAFFU"),
    ("GET", "/grants/{id}", "AAFFU"),
    ("GET", "/expenses", "AAFFU"),
    ("GET", "/allowances", "AAFFU"),
    ("GET", "/allowances/{id}/{month}", "AAFFU"),
    ("POST", "/funders", "AAFFU"),
    ("GET", "/grants/new", "AAFFU"),
    ("POST", "/grants", "AAFFU"),
    ("GET", "/grants/{id}/edit", "AAFFU"),
    ("POST", "/grants/{id}", "AAFFU"),
    ("POST", "/expenses", "AAFFU"),
    ("GET", "/expenses/{id}/edit", "AAFFU"),
    ("POST", "/expenses/{id}", "AAFFU"),
    ("POST", "/allowances", "AAFFU"),
    ("POST", "/allowances/{id}/{month}", "AAFFU"),
    ("GET", "/api/v1/funders", "AAFFU"),
    ("GET", "/api/v1/funders/{id}", "AAFFU"),
    ("GET", "/api/v1/grants", "AAFFU"),
    ("GET", "/api/v1/grants/{id}", "AAFFU"),
    ("GET", "/api/v1/expenses", "AAFFU"),
    ("GET", "/api/v1/expenses/{id}", "AAFFU"),
    (
        "GET",
        "/api/v1/programmes/{id}/allowance-runs/{month}",
        "AAFFU",
    ),
    ("POST", "/api/v1/funders", "AAFFU"),
    ("PUT", "/api/v1/funders/{id}", "AAFFU"),
    // The funder of the table is shared: only an administrator changes it
    // (a PUT of `{}` is refused for its fields before that is asked).
    ("PATCH", "/api/v1/funders/{id}", "A*FFU"),
    ("POST", "/api/v1/grants", "AAFFU"),
    ("PUT", "/api/v1/grants/{id}", "AAFFU"),
    ("PATCH", "/api/v1/grants/{id}", "AAFFU"),
    ("POST", "/api/v1/expenses", "AAFFU"),
    ("PUT", "/api/v1/expenses/{id}", "AAFFU"),
    ("PATCH", "/api/v1/expenses/{id}", "AAFFU"),
    ("POST", "/api/v1/allowance-runs", "AAFFU"),
    (
        "POST",
        "/api/v1/programmes/{id}/allowance-runs/{month}/confirm",
        "AAFFU",
    ),
    // Reports: managers and admins
    ("GET", "/api/v1/reports/yearly", "AAFFU"),
    ("GET", "/reports", "AAFFU"),
    ("GET", "/reports/yearly.csv", "AAFFU"),
    ("GET", "/reports/yearly.xlsx", "AAFFU"),
    ("GET", "/reports/compare.csv", "AAFFU"),
    ("GET", "/reports/compare.xlsx", "AAFFU"),
    ("GET", "/grants/{id}/report.csv", "AAFFU"),
    ("GET", "/grants/{id}/report.xlsx", "AAFFU"),
    ("GET", "/reports/compare", "AAFFU"),
    ("GET", "/api/v1/reports/compare", "AAFFU"),
    ("GET", "/grants/{id}/report", "AAFFU"),
    ("GET", "/api/v1/grants/{id}/report", "AAFFU"),
    // Deletions, on records kept for them
    ("POST", "/modules/{id}/delete", "AFFAU"),
    ("DELETE", "/api/v1/modules/{id}", "AFFAU"),
    ("POST", "/curriculum/modules/{id}/delete", "AAFAU"),
    ("DELETE", "/api/v1/curriculum/modules/{id}", "AAFAU"),
    ("GET", "/admin/users", "AFFFU"),
    ("GET", "/admin/second-factor", "AFFFU"),
    ("POST", "/admin/second-factor", "AFFFU"),
    ("GET", "/admin/users/new", "AFFFU"),
    ("POST", "/admin/users", "AFFFU"),
    ("GET", "/admin/users/{id}", "AFFFU"),
    ("POST", "/admin/users/{id}", "AFFFU"),
    ("POST", "/admin/users/{id}/deactivate", "AFFFU"),
    ("POST", "/admin/users/{id}/activate", "AFFFU"),
    ("POST", "/admin/users/{id}/reset-password", "AFFFU"),
    ("GET", "/admin/tokens", "AFFFU"),
    ("POST", "/admin/tokens", "AFFFU"),
    ("POST", "/admin/tokens/{id}/revoke", "AFFFU"),
    ("GET", "/admin/audit", "AFFFU"),
    ("GET", "/api/v1/audit", "AFFFU"),
    // Run last: they end or replace sessions.
    // Signs the mother (the sixth client) out, just before everyone signs out.
    ("POST", "/mothers/{id}/end-sessions", "AFAFU"),
    ("POST", "/logout", "AAAAU"),
    ("POST", "/login", "*****"),
];

/// The ids routes are tried on.
#[derive(Clone, Copy)]
struct Ids {
    programme: i64,
    district: i64,
    user: i64,
    token: i64,
    /// Empty programmes for the two delete routes.
    empty_html: i64,
    empty_api: i64,
    mother: i64,
    course: i64,
    module: i64,
    enrolment: i64,
    /// Modules and template modules kept for the delete routes.
    spare_module_html: i64,
    spare_module_api: i64,
    spare_template_html: i64,
    spare_template_api: i64,
    family: i64,
    visit: i64,
    referral: i64,
    topic: i64,
    /// A programme's own service and kind of event.
    service: i64,
    event_kind: i64,
    funder: i64,
    grant: i64,
    expense: i64,
    event: i64,
    /// Events kept for the two delete routes.
    spare_event_html: i64,
    spare_event_api: i64,
    /// Participants (one, and two for the delete routes) and
    /// partnerships (the same).
    participant: i64,
    spare_participant_html: i64,
    spare_participant_api: i64,
    partnership: i64,
    spare_partnership_html: i64,
    spare_partnership_api: i64,
    /// A questionnaire for mothers, and one for the delete route.
    questionnaire: i64,
    spare_questionnaire_api: i64,
}

fn fill(route: &str, method: &str, ids: &Ids) -> String {
    let r = route.trim_start_matches("/api/v1");
    let id = if r.starts_with("/funders/") {
        ids.funder
    } else if r.starts_with("/grants/") {
        ids.grant
    } else if r.starts_with("/expenses/") {
        ids.expense
    } else if r.starts_with("/families/") {
        ids.family
    } else if r.starts_with("/questionnaires/") && method == "DELETE" {
        ids.spare_questionnaire_api
    } else if r.starts_with("/questionnaires/") || route.starts_with("/my/questionnaires/") {
        ids.questionnaire
    } else if r == "/participants/{id}/delete" {
        ids.spare_participant_html
    } else if r.starts_with("/participants/") && method == "DELETE" {
        ids.spare_participant_api
    } else if r.starts_with("/participants/") {
        ids.participant
    } else if r == "/partnerships/{id}/delete" {
        ids.spare_partnership_html
    } else if r.starts_with("/partnerships/") && method == "DELETE" {
        ids.spare_partnership_api
    } else if r.starts_with("/partnerships/") {
        ids.partnership
    } else if r.ends_with("/delete") && r.starts_with("/events/") {
        ids.spare_event_html
    } else if r.starts_with("/events/") && method == "DELETE" {
        ids.spare_event_api
    } else if r.starts_with("/events/") {
        ids.event
    } else if r.starts_with("/visits/") {
        ids.visit
    } else if r.starts_with("/referrals/") {
        ids.referral
    } else if r.starts_with("/topics/") {
        ids.topic
    } else if r.starts_with("/services/") {
        ids.service
    } else if r.starts_with("/event-kinds/") {
        ids.event_kind
    } else if r.starts_with("/mothers/") {
        ids.mother
    } else if r.starts_with("/courses/") {
        ids.course
    } else if r == "/modules/{id}/delete" {
        ids.spare_module_html
    } else if r.starts_with("/modules/") && method == "DELETE" {
        ids.spare_module_api
    } else if r.starts_with("/modules/") {
        ids.module
    } else if r.starts_with("/enrolments/") {
        ids.enrolment
    } else if r == "/curriculum/modules/{id}/delete" {
        ids.spare_template_html
    } else if r.starts_with("/curriculum/modules/") {
        ids.spare_template_api
    } else if route.starts_with("/districts/") || route.starts_with("/api/v1/districts/") {
        ids.district
    } else if route.starts_with("/admin/users/") || r.starts_with("/users/") {
        ids.user
    } else if route.starts_with("/admin/tokens/") {
        ids.token
    } else if route == "/programmes/{id}/delete" {
        ids.empty_html
    } else if method == "DELETE" {
        ids.empty_api
    } else {
        ids.programme
    };
    route
        .replace("{id}", &id.to_string())
        .replace("{month}", "2024-06")
        .replace("{kind}", "visits")
}

async fn send(agent: &Agent, method: &str, path: &str) -> Response {
    let res = send_unobserved(agent, method, path).await;
    crate::harness::observe(method, path, &res, false);
    res
}

async fn send_unobserved(agent: &Agent, method: &str, path: &str) -> Response {
    let is_api = path.starts_with("/api/");
    let method: Method = method.parse().expect("method");
    if method == Method::GET || method == Method::DELETE {
        return agent
            .client
            .request(method, agent.url(path))
            .send()
            .await
            .expect("send");
    }
    if is_api {
        return agent
            .client
            .request(method, agent.url(path))
            .json(&json!({}))
            .send()
            .await
            .expect("send");
    }
    if path == "/login" {
        let email = agent.email.clone();
        return agent
            .post_form("/login", &[("email", &email), ("password", PASSWORD)])
            .await;
    }
    agent.post_form(path, &[]).await
}

/// What a mother gets: what anyone gets on a public route, her account's
/// and her own pages, 403 for everything else (the staff's pages and API).
fn mother_expects(permission: Permission, signed_out: char) -> char {
    match permission {
        Permission::Public => signed_out,
        Permission::SignedIn | Permission::OwnContacts => 'A',
        _ => 'F',
    }
}

fn outcome(res: &Response) -> char {
    let status = res.status().as_u16();
    let to_login = status == 303
        && res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login?next="));
    match status {
        401 => 'U',
        _ if to_login => 'U',
        403 => 'F',
        404 => 'N',
        _ => 'A',
    }
}

#[tokio::test]
async fn every_role_against_every_route() {
    let app = TestApp::spawn().await;
    let mk = |name: &str| {
        json!({"name": name, "city": "Berlin", "country": "DE", "currency": "EUR",
               "default_language": "de", "start_date": "2010-01-01"})
    };
    let mut programme_ids = Vec::new();
    for name in ["Own", "Other", "Empty 1", "Empty 2"] {
        let p: Value = app
            .post_json("/api/v1/programmes", &mk(name))
            .await
            .json()
            .await
            .expect("json");
        programme_ids.push(p["id"].as_i64().expect("id"));
    }
    let (own, other) = (programme_ids[0], programme_ids[1]);
    let mut districts = Vec::new();
    for p in [own, other] {
        let d: Value = app
            .post_json(
                &format!("/api/v1/programmes/{p}/districts"),
                &json!({"name": "Nord"}),
            )
            .await
            .json()
            .await
            .expect("json");
        districts.push(d["id"].as_i64().expect("id"));
    }
    let victim = app
        .create_user("victim@test.example", Role::Coordinator, &[own])
        .await;
    app.sql(&format!(
        "INSERT INTO api_tokens (user_id, label, token_hash) VALUES ({victim}, 'x', '{}')",
        "0".repeat(64)
    ))
    .await;
    let token = app.count("SELECT max(id) FROM api_tokens").await;
    let ids = Ids {
        programme: own,
        district: districts[0],
        user: victim,
        token,
        empty_html: programme_ids[2],
        empty_api: programme_ids[3],
        mother: 0,
        course: 0,
        module: 0,
        enrolment: 0,
        spare_module_html: 0,
        spare_module_api: 0,
        spare_template_html: 0,
        spare_template_api: 0,
        family: 0,
        visit: 0,
        referral: 0,
        topic: 0,
        service: 0,
        event_kind: 0,
        funder: 0,
        grant: 0,
        expense: 0,
        event: 0,
        spare_event_html: 0,
        spare_event_api: 0,
        participant: 0,
        spare_participant_html: 0,
        spare_participant_api: 0,
        partnership: 0,
        spare_partnership_html: 0,
        spare_partnership_api: 0,
        questionnaire: 0,
        spare_questionnaire_api: 0,
    };
    // Training records in both programmes, through the API as admin.
    let mut training = Vec::new();
    let mut visits_ids = Vec::new();
    let mut funding_ids = Vec::new();
    let mut list_ids = Vec::new();
    let mut event_ids = Vec::new();
    let mut register_ids = Vec::new();
    for (p, trainer_email) in [
        (own, "trainer-own@test.example"),
        (other, "trainer-other@test.example"),
    ] {
        let trainer = app.create_user(trainer_email, Role::Trainer, &[p]).await;
        let mother: Value = app
            .post_json("/api/v1/mothers", &json!({"programme_id": p.to_string(), "full_name": "Amina",
                "phone": "123", "gender": "female", "engagement": "volunteer", "joined_on": "2024-01-01"}))
            .await
            .json()
            .await
            .expect("json");
        let course: Value = app
            .post_json("/api/v1/courses", &json!({"programme_id": p.to_string(), "name": "Spring",
                "trainer_id": trainer.to_string(), "starts_on": "2025-01-01", "ends_on": "2025-06-30"}))
            .await
            .json()
            .await
            .expect("json");
        let cid = course["id"].as_i64().expect("course id");
        let mut modules = Vec::new();
        for title in ["Health", "Spare 1", "Spare 2"] {
            let m: Value = app
                .post_json(
                    &format!("/api/v1/courses/{cid}/modules"),
                    &json!({"title": title,
                    "topic_id": "1", "held_on": "2025-02-01", "hours": "2"}),
                )
                .await
                .json()
                .await
                .expect("json");
            modules.push(m["id"].as_i64().expect("module id"));
        }
        let e: Value = app
            .post_json(
                &format!("/api/v1/courses/{cid}/enrolments"),
                &json!({"mother_id": mother["id"].to_string(), "enrolled_on": "2025-01-01"}),
            )
            .await
            .json()
            .await
            .expect("json");
        let mut templates = Vec::new();
        for title in ["T1", "T2"] {
            let t: Value = app
                .post_json(
                    &format!("/api/v1/programmes/{p}/curriculum/modules"),
                    &json!({"title": title, "topic_id": "1", "hours": "2"}),
                )
                .await
                .json()
                .await
                .expect("json");
            templates.push(t["id"].as_i64().expect("template id"));
        }
        let mid = mother["id"].as_i64().expect("mother id");
        let res = app
            .post_json(
                &format!("/api/v1/mothers/{mid}/status"),
                &json!({"status": "active", "changed_on": "2024-06-01"}),
            )
            .await;
        assert_eq!(res.status(), 200);
        let family: Value = app
            .post_json(
                "/api/v1/families",
                &json!({"programme_id": p.to_string(),
                "contact_origin": "event", "first_contact_on": "2024-06-01"}),
            )
            .await
            .json()
            .await
            .expect("json");
        let fid = family["id"].as_i64().expect("family id");
        let visit: Value = app
            .post_json(
                "/api/v1/visits",
                &json!({"mother_id": mid.to_string(), "family_id": fid.to_string(),
                "visited_on": "2024-06-02", "duration_minutes": "60", "kind": "home_visit",
                "topic_ids": ["1"], "referrals": ["health"]}),
            )
            .await
            .json()
            .await
            .expect("json");
        let topic: Value = app
            .post_json(
                &format!("/api/v1/programmes/{p}/topics"),
                &json!({"label": "Digital services"}),
            )
            .await
            .json()
            .await
            .expect("json");
        let mut own_entries = Vec::new();
        for list in ["services", "event-kinds"] {
            own_entries.push(
                app.create(
                    &format!("/api/v1/programmes/{p}/{list}"),
                    &json!({"label": format!("Own {list} {p}")}),
                )
                .await,
            );
        }
        list_ids.push((own_entries[0], own_entries[1]));
        let funder: Value = app
            .post_json(
                "/api/v1/funders",
                &json!({"name": format!("Funder {p}"), "kind": "foundation"}),
            )
            .await
            .json()
            .await
            .expect("json");
        let grant: Value = app
            .post_json("/api/v1/grants", &json!({"programme_id": p.to_string(), "funder_id": funder["id"].to_string(),
                "amount": "1000", "starts_on": "2024-01-01", "ends_on": "2024-12-31", "status": "granted"}))
            .await
            .json()
            .await
            .expect("json");
        let expense: Value = app
            .post_json(
                "/api/v1/expenses",
                &json!({"programme_id": p.to_string(), "spent_on": "2024-06-01",
                "category": "materials", "amount": "10", "grant_id": grant["id"].to_string()}),
            )
            .await
            .json()
            .await
            .expect("json");
        let run = app
            .post_json(
                "/api/v1/allowance-runs",
                &json!({"programme_id": p.to_string(), "month": "2024-06"}),
            )
            .await;
        assert_eq!(run.status(), 201);
        let mut events = Vec::new();
        for title in ["Café", "Spare 1", "Spare 2"] {
            let e: Value = app
                .post_json(
                    "/api/v1/events",
                    &json!({"programme_id": p.to_string(), "kind": "event",
                            "title": title, "held_on": "2024-06-01"}),
                )
                .await
                .json()
                .await
                .expect("json");
            events.push(e["id"].as_i64().expect("event id"));
        }
        event_ids.push(events);
        let mut people = Vec::new();
        for (code, origin) in [
            ("L", "local"),
            ("M", "migrant"),
            ("S1", "local"),
            ("S2", "local"),
        ] {
            people.push(
                app.create(
                    &format!("/api/v1/programmes/{p}/participants"),
                    &json!({"code": code, "origin": origin}),
                )
                .await,
            );
        }
        for _ in 0..3 {
            people.push(
                app.create(
                    &format!("/api/v1/programmes/{p}/partnerships"),
                    &json!({"local_id": people[0], "migrant_id": people[1],
                            "started_on": "2024-01-01"}),
                )
                .await,
            );
        }
        for title in ["Intake", "Spare"] {
            people.push(
                app.create(
                    &format!("/api/v1/programmes/{p}/questionnaires"),
                    &json!({"title": {"en": title}, "subject": "mother",
                            "items": [{"kind": "scale", "text": {"en": "Ready?"}}]}),
                )
                .await,
            );
        }
        register_ids.push(people);
        funding_ids.push((
            funder["id"].as_i64().expect("funder id"),
            grant["id"].as_i64().expect("grant id"),
            expense["id"].as_i64().expect("expense id"),
        ));
        visits_ids.push((
            fid,
            visit["id"].as_i64().expect("visit id"),
            visit["referrals"][0]["id"].as_i64().expect("referral id"),
            topic["id"].as_i64().expect("topic id"),
        ));
        training.push((
            mother["id"].as_i64().expect("mother id"),
            cid,
            modules,
            e["id"].as_i64().expect("enrolment id"),
            templates,
        ));
    }
    let ids = Ids {
        mother: training[0].0,
        course: training[0].1,
        module: training[0].2[0],
        spare_module_html: training[0].2[1],
        spare_module_api: training[0].2[2],
        enrolment: training[0].3,
        spare_template_html: training[0].4[0],
        spare_template_api: training[0].4[1],
        family: visits_ids[0].0,
        visit: visits_ids[0].1,
        referral: visits_ids[0].2,
        topic: visits_ids[0].3,
        service: list_ids[0].0,
        event_kind: list_ids[0].1,
        funder: funding_ids[0].0,
        grant: funding_ids[0].1,
        expense: funding_ids[0].2,
        event: event_ids[0][0],
        spare_event_html: event_ids[0][1],
        spare_event_api: event_ids[0][2],
        participant: register_ids[0][0],
        spare_participant_html: register_ids[0][2],
        spare_participant_api: register_ids[0][3],
        partnership: register_ids[0][4],
        spare_partnership_html: register_ids[0][5],
        spare_partnership_api: register_ids[0][6],
        questionnaire: register_ids[0][7],
        spare_questionnaire_api: register_ids[0][8],
        ..ids
    };
    let other_ids = Ids {
        programme: other,
        district: districts[1],
        mother: training[1].0,
        course: training[1].1,
        module: training[1].2[0],
        spare_module_html: training[1].2[1],
        spare_module_api: training[1].2[2],
        enrolment: training[1].3,
        spare_template_html: training[1].4[0],
        spare_template_api: training[1].4[1],
        family: visits_ids[1].0,
        visit: visits_ids[1].1,
        referral: visits_ids[1].2,
        topic: visits_ids[1].3,
        service: list_ids[1].0,
        event_kind: list_ids[1].1,
        funder: funding_ids[1].0,
        grant: funding_ids[1].1,
        expense: funding_ids[1].2,
        event: event_ids[1][0],
        spare_event_html: event_ids[1][1],
        spare_event_api: event_ids[1][2],
        participant: register_ids[1][0],
        spare_participant_html: register_ids[1][2],
        spare_participant_api: register_ids[1][3],
        partnership: register_ids[1][4],
        spare_partnership_html: register_ids[1][5],
        spare_partnership_api: register_ids[1][6],
        questionnaire: register_ids[1][7],
        spare_questionnaire_api: register_ids[1][8],
        ..ids
    };

    let agents: Vec<Agent> = vec![
        app.with_user(Role::Admin, &[]).await,
        app.with_user(Role::Manager, &[own]).await,
        app.with_user(Role::Coordinator, &[own]).await,
        app.with_user(Role::Trainer, &[own]).await,
        app.anonymous(),
        app.mother_agent(ids.mother).await,
    ];
    let names = [
        "admin",
        "manager",
        "coordinator",
        "trainer",
        "signed out",
        "mother",
    ];
    let permissions: std::collections::HashMap<(String, String), Permission> =
        neighbourhood_mothers::app::rules()
            .into_iter()
            .map(|r| ((r.method.to_string(), r.path), r.permission))
            .collect();

    // The table covers exactly the policy's routes.
    let table: BTreeSet<(String, String)> = CASES
        .iter()
        .map(|(m, r, _)| ((*m).to_owned(), (*r).to_owned()))
        .collect();
    let policy: BTreeSet<(String, String)> = neighbourhood_mothers::app::rules()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    assert_eq!(
        policy.difference(&table).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes without a row in CASES"
    );
    assert_eq!(
        table.difference(&policy).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "rows in CASES that are not routes"
    );

    let mut failures = Vec::new();
    let mut mother_signed_out = false;
    for (method, route, expected) in CASES {
        mother_signed_out |= *route == "/mothers/{id}/end-sessions";
        let path = fill(route, method, &ids);
        let deletes = route.ends_with("/delete") || *method == "DELETE";
        let mut deleted = false;
        let permission = permissions[&((*method).to_owned(), (*route).to_owned())];
        for (i, agent) in agents.iter().enumerate() {
            let want = match expected.as_bytes().get(i) {
                Some(c) => *c as char,
                // Her sessions were ended (by the administrator, first in
                // the row that ends them).
                None if mother_signed_out && permission != Permission::Public => 'U',
                None => mother_expects(permission, expected.as_bytes()[4] as char),
            };
            if want == '*' {
                continue;
            }
            let res = send(agent, method, &path).await;
            let got = outcome(&res);
            // Once an earlier role deleted the record, "not found" is right.
            let gone = deletes && deleted && want == 'A' && got == 'N';
            deleted |= deletes && got == 'A';
            if got != want && !gone {
                failures.push(format!(
                    "{method} {path} as {}: expected {want}, got {got} ({})",
                    names[i],
                    res.status()
                ));
            }
        }
        // Another programme's record: 404 unless admin (or forbidden anyway).
        let is_record_route = route.contains("{id}")
            && !route.starts_with("/admin/")
            && !route.starts_with("/my/")
            && !route.contains("/funders/")
            && !route.ends_with("/delete")
            && *method != "DELETE";
        if is_record_route && *route != "/logout" {
            let path = fill(route, method, &other_ids);
            let roles = [Role::Admin, Role::Manager, Role::Coordinator, Role::Trainer];
            for (i, agent) in agents.iter().enumerate().take(4) {
                // Allowed by the table, or by the route with the record's
                // use case refusing on the own programme's (answers to a
                // mother's questionnaire are the trainer's): either way, a
                // record out of reach is not found first.
                let allowed = expected.as_bytes()[i] == b'A' || roles[i].can(permission);
                let want = match (i, allowed) {
                    (0, _) => 'A',
                    (_, true) => 'N',
                    (_, false) => 'F',
                };
                let res = send(agent, method, &path).await;
                let got = outcome(&res);
                if got != want {
                    failures.push(format!(
                        "{method} {path} (other programme) as {}: expected {want}, got {got} ({})",
                        names[i],
                        res.status()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every operation of the document was sent a request above, and each
    // answer's status is one its document lists (`contract::observe`).
    assert_eq!(
        crate::contract::unobserved(),
        Vec::<(String, String)>::new()
    );

    // Lists hold only the user's programmes.
    let manager = app.with_user(Role::Manager, &[own]).await;
    let list: Value = manager.get_json("/api/v1/programmes").await;
    let seen: Vec<i64> = list["items"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    assert_eq!(seen, vec![own]);
}
