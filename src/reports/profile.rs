//! The good-practice profile: the Intercultural Cities / Cities of
//! Migration template (goal, how it works, who benefits, results, funding
//! and resources, evaluation) filled from the programme's own texts and
//! the live figures of a year. Made to be published: a count of people
//! (or anything of a district) between 1 and 4 is withheld (`null`,
//! "fewer than 5"), so a profile cannot point to a family.

use std::collections::BTreeMap;

use axum::extract::State;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{YearlyReport, yearly};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::funding::model::FunderKind;
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::programmes::profile::ProfileTexts;
use crate::state::AppState;
use crate::web::extract::{Json, Query};

/// Counts below this (and above 0) are withheld.
pub const SUPPRESS_BELOW: i64 = 5;

/// A count as published: `None` (fewer than 5) when between 1 and 4.
pub fn shown(n: i64) -> Option<i64> {
    (n == 0 || n >= SUPPRESS_BELOW).then_some(n)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Profile {
    pub programme: ProfileProgramme,
    pub year: i32,
    /// Counts of people and of districts between 1 and this minus one
    /// are `null`: "fewer than 5".
    pub suppressed_below: i64,
    /// The programme's own texts: goal, how it works, who benefits,
    /// evaluation.
    pub texts: ProfileTexts,
    pub results: ProfileResults,
    /// One entry per currency.
    pub funding: Vec<ProfileFunding>,
    pub resources: ProfileResources,
    /// The outcomes measured: per questionnaire and goal.
    pub outcomes: Vec<ProfileOutcome>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileProgramme {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub country: String,
    pub since: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearFigure {
    pub year: i32,
    pub count: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedFigure {
    /// A default topic's key, or empty for a programme's own.
    pub key: String,
    pub label: String,
    pub count: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileResults {
    pub mothers_trained: Option<i64>,
    /// Every year up to the profile's, from the first with a completion.
    pub mothers_trained_by_year: Vec<YearFigure>,
    pub active_mothers: Option<i64>,
    pub visits: Option<i64>,
    pub families_reached: Option<i64>,
    pub new_families: Option<i64>,
    /// The five topics discussed most.
    pub top_topics: Vec<NamedFigure>,
    /// Visits per district.
    pub districts: Vec<NamedFigure>,
    pub referrals: Option<i64>,
    pub events: i64,
    /// Distinct people at events (participant register), `null` without one.
    pub participants: Option<ProfileParticipants>,
    /// Families that completed the visit plan (`null` without a plan).
    pub plan_completed: Option<Option<i64>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileParticipants {
    pub people: Option<i64>,
    pub local: Option<i64>,
    pub migrant: Option<i64>,
    pub countries: Option<i64>,
    pub partnerships: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileFunding {
    pub currency: String,
    pub received_minor: i64,
    pub funders: Vec<ProfileFunder>,
    pub expenses_minor: i64,
    pub own_capital_share: Option<f64>,
    pub cost_per_visit_minor: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileFunder {
    pub name: String,
    pub kind: FunderKind,
    pub received_minor: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileResources {
    /// Staff accounts of the programme by role (active ones). Shown in
    /// full: staff are the programme's own resources, named in any
    /// funding application, not the people it serves.
    pub staff: BTreeMap<String, i64>,
    /// Mothers active on 31 December.
    pub active_mothers: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileOutcome {
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: crate::outcomes::model::Texts,
    /// People who answered before and after.
    pub respondents: Option<i64>,
    pub goals: Vec<ProfileGoal>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileGoal {
    #[schema(value_type = BTreeMap<String, String>)]
    pub goal: crate::outcomes::model::Texts,
    /// People who answered its questions before and after.
    pub people: Option<i64>,
    /// Answers paired before and after (`null` with fewer than 5 people).
    pub n: Option<i64>,
    /// Of those, the share improved (`null` with fewer than 5 people).
    pub share_improved: Option<f64>,
}

async fn staff(
    conn: &mut AsyncPgConnection,
    programme: ProgrammeId,
) -> QueryResult<BTreeMap<String, i64>> {
    use crate::schema::{user_programmes, users};
    let rows: Vec<(String, i64)> = users::table
        .inner_join(user_programmes::table)
        .filter(user_programmes::programme_id.eq(programme))
        .filter(users::active)
        .filter(users::role.ne("mother"))
        .group_by(users::role)
        .select((users::role, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The profile of one programme's year.
pub async fn profile(
    conn: &mut AsyncPgConnection,
    programme: &Programme,
    year: i32,
) -> QueryResult<Profile> {
    let r = yearly(conn, &[programme.id.0], year).await?;
    let texts = ProfileTexts::of(conn, programme.id).await?;
    let staff = staff(conn, programme.id).await?;
    Ok(of_report(programme, year, texts, staff, r))
}

/// Visits per district, withheld below 5. When that withholds exactly
/// one district, the total minus the others would give it back: it is
/// then joined with the next smallest into one row, "other districts
/// together" (`key` `others`).
fn districts(by_district: &[super::model::DistrictCount]) -> Vec<NamedFigure> {
    let mut out: Vec<NamedFigure> = by_district
        .iter()
        .map(|d| NamedFigure {
            key: String::new(),
            label: d.name.clone(),
            count: shown(d.count),
        })
        .collect();
    let withheld: Vec<usize> = (0..out.len()).filter(|i| out[*i].count.is_none()).collect();
    let next = (0..out.len())
        .filter(|i| out[*i].count.is_some_and(|n| n > 0))
        .min_by_key(|i| out[*i].count);
    if let ([one], Some(next)) = (withheld.as_slice(), next) {
        let together = by_district[*one].count + by_district[next].count;
        let (first, second) = (next.max(*one), next.min(*one));
        out.remove(first);
        out.remove(second);
        out.push(NamedFigure {
            key: "others".into(),
            label: String::new(),
            count: Some(together),
        });
    }
    out
}

fn of_report(
    programme: &Programme,
    year: i32,
    texts: ProfileTexts,
    staff: BTreeMap<String, i64>,
    r: YearlyReport,
) -> Profile {
    let mut topics: Vec<_> = r.topics.iter().filter(|t| t.count > 0).collect();
    topics.sort_by_key(|t| std::cmp::Reverse(t.count));
    let first_year = r
        .mothers_trained_by_year
        .iter()
        .find(|y| y.count > 0)
        .map(|y| y.year);
    let results = ProfileResults {
        mothers_trained: shown(r.mothers_trained),
        mothers_trained_by_year: r
            .mothers_trained_by_year
            .iter()
            .filter(|y| first_year.is_some_and(|f| y.year >= f))
            .map(|y| YearFigure {
                year: y.year,
                count: shown(y.count),
            })
            .collect(),
        active_mothers: shown(r.active_mothers_at_year_end),
        visits: shown(r.visits.total),
        families_reached: shown(r.families.reached),
        new_families: shown(r.families.new),
        top_topics: topics
            .iter()
            .take(5)
            .map(|t| NamedFigure {
                key: if t.key.starts_with("topic-") {
                    String::new()
                } else {
                    t.key.clone()
                },
                label: t.label.clone(),
                count: shown(t.count),
            })
            .collect(),
        districts: districts(&r.visits.by_district),
        referrals: shown(r.referrals.iter().map(|x| x.count).sum()),
        events: r.events.count,
        participants: r.events.register.as_ref().map(|p| {
            // Local + migrant = people: withholding one withholds both.
            let both = shown(p.local).and(shown(p.migrant)).is_some();
            ProfileParticipants {
                people: shown(p.people),
                local: shown(p.local).filter(|_| both),
                migrant: shown(p.migrant).filter(|_| both),
                countries: shown(p.countries),
                partnerships: shown(p.partnerships),
            }
        }),
        plan_completed: r.visit_plan.as_ref().map(|p| shown(p.families_completed)),
    };
    let expenses = r.expenses.to_vec();
    let several = r.funding.to_vec().len() > 1;
    let funding = r
        .funding
        .to_vec()
        .into_iter()
        .map(|f| ProfileFunding {
            expenses_minor: expenses
                .iter()
                .find(|e| e.currency == f.currency)
                .map_or(0, |e| e.total_minor),
            own_capital_share: if several { None } else { r.own_capital_share },
            cost_per_visit_minor: if several {
                None
            } else {
                r.cost_per_visit_minor
            },
            funders: f
                .by_funder
                .iter()
                .map(|x| ProfileFunder {
                    name: x.name.clone(),
                    kind: x.kind,
                    received_minor: x.received_minor,
                })
                .collect(),
            currency: f.currency,
            received_minor: f.received_minor,
        })
        .collect();
    let outcomes = r
        .outcomes
        .iter()
        .filter(|o| o.respondents_after > 0)
        .map(|o| ProfileOutcome {
            title: o.title.clone(),
            respondents: shown(o.respondents_paired),
            goals: o
                .goals
                .iter()
                .map(|g| {
                    // Fewer than 5 people, in the goal or in the whole
                    // questionnaire: nothing of them (however many answers).
                    let enough = shown(o.respondents_paired).is_some() && shown(g.people).is_some();
                    ProfileGoal {
                        goal: g.goal.clone(),
                        people: shown(g.people),
                        n: enough.then_some(g.paired_n),
                        share_improved: enough.then_some(g.share_improved).flatten(),
                    }
                })
                .collect(),
        })
        .collect();
    Profile {
        programme: ProfileProgramme {
            id: programme.id.0,
            name: programme.name.clone(),
            city: programme.city.clone(),
            country: programme.country.clone(),
            since: programme.start_date,
        },
        year,
        suppressed_below: SUPPRESS_BELOW,
        texts,
        results,
        funding,
        resources: ProfileResources {
            staff,
            active_mothers: shown(r.active_mothers_at_year_end),
        },
        outcomes,
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ProfileQuery {
    /// The programme (required).
    #[param(value_type = i64)]
    pub programme: Option<String>,
    /// The year; the last full one when absent.
    pub year: Option<String>,
}

impl ProfileQuery {
    /// The programme (if the caller may see it) and the year.
    pub async fn select(
        &self,
        conn: &mut AsyncPgConnection,
        access: &Access,
        default_year: i32,
    ) -> AppResult<Option<(Programme, i32)>> {
        let year = super::api::parse_year(self.year.as_deref(), "year", Some(default_year))?;
        let Some(p) = self
            .programme
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        else {
            return Ok(None);
        };
        let id = p.parse::<i64>().map_err(|_| AppError::NotFound)?;
        let programme = Programme::find(conn, &access.scope, ProgrammeId(id)).await?;
        Ok(Some((programme, year)))
    }
}

/// A programme's good-practice profile of a year: its own texts and the
/// figures (counts of people and of districts below 5 are `null`).
#[utoipa::path(get, path = "/api/v1/reports/profile", tag = "reports", params(ProfileQuery),
    responses((status = 200, body = Profile), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn api_profile(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<ProfileQuery>,
) -> AppResult<Json<Profile>> {
    let mut conn = state.db_read().await?;
    let default = super::api::last_year(state.clock());
    let Some((programme, year)) = q.select(&mut conn, &access, default).await? else {
        return Err(AppError::field("programme", "error-required"));
    };
    Ok(Json(profile(&mut conn, &programme, year).await?))
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn one_withheld_district_is_joined_with_the_next_smallest() {
        use super::super::model::DistrictCount;
        let d = |name: &str, count| DistrictCount {
            district_id: None,
            name: name.into(),
            count,
        };
        let one = super::districts(&[d("A", 9), d("B", 3), d("C", 6)]);
        let rows: Vec<(&str, &str, Option<i64>)> = one
            .iter()
            .map(|x| (x.key.as_str(), x.label.as_str(), x.count))
            .collect();
        assert_eq!(rows, [("", "A", Some(9)), ("others", "", Some(9))]);
        // Two withheld: neither can be told from the total.
        let two = super::districts(&[d("A", 9), d("B", 3), d("C", 2)]);
        assert_eq!(two.iter().filter(|x| x.count.is_none()).count(), 2);
        assert_eq!(two.len(), 3);
    }

    #[test]
    fn counts_from_one_to_four_are_withheld() {
        assert_eq!(shown(0), Some(0));
        assert_eq!(shown(1), None);
        assert_eq!(shown(4), None);
        assert_eq!(shown(5), Some(5));
        assert_eq!(shown(52), Some(52));
    }
}
