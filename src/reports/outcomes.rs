//! Outcomes in the reports: for each questionnaire, per item and goal,
//! how many answered before and after, and of those who answered both
//! the share who improved, with n. The period is the after-answers'
//! (an evaluation in the year pairs with its intake whenever that was).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::ids::QuestionnaireId;
use crate::outcomes::model::{Answer, ItemKind, Point, Questionnaire, Subject, Texts};
use crate::schema::questionnaire_responses as responses;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeFigures {
    pub questionnaire_id: i64,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: Texts,
    pub subject: Subject,
    pub before: Point,
    pub after: Point,
    /// People who answered at the before point in the period.
    pub respondents_before: i64,
    /// People who answered at the after point in the period.
    pub respondents_after: i64,
    /// Of those, people who had answered before too.
    pub respondents_paired: i64,
    pub items: Vec<ItemFigure>,
    /// Per goal, over its scale items: answers paired and improved.
    pub goals: Vec<GoalFigure>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemFigure {
    pub key: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub goal: Texts,
    pub kind: ItemKind,
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: Texts,
    /// Answers at the before point in the period.
    pub before_n: i64,
    /// Answers at the after point in the period.
    pub after_n: i64,
    /// After-answers of people who answered the item before too.
    pub paired_n: i64,
    /// Of those, a higher answer after (scale items).
    pub improved_n: i64,
    /// `improved_n / paired_n`; `null` without pairs or for a choice.
    pub share_improved: Option<f64>,
    pub mean_before: Option<f64>,
    pub mean_after: Option<f64>,
    /// A choice's options with their answers before and after.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionFigure>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OptionFigure {
    pub key: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: Texts,
    pub before: i64,
    pub after: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalFigure {
    #[schema(value_type = BTreeMap<String, String>)]
    pub goal: Texts,
    /// People with at least one answer paired under the goal.
    pub people: i64,
    pub paired_n: i64,
    pub improved_n: i64,
    pub share_improved: Option<f64>,
}

/// One response, as the figures need it.
struct Given {
    person: (Option<i64>, Option<i64>),
    point: Point,
    on: NaiveDate,
    answers: BTreeMap<String, Answer>,
}

async fn given(conn: &mut AsyncPgConnection, q: QuestionnaireId) -> QueryResult<Vec<Given>> {
    type Row = (
        Option<i64>,
        Option<i64>,
        Point,
        NaiveDate,
        serde_json::Value,
    );
    let rows: Vec<Row> = responses::table
        .filter(responses::questionnaire_id.eq(q))
        .select((
            responses::mother_id,
            responses::family_id,
            responses::point,
            responses::answered_on,
            responses::answers,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Given {
            person: (r.0, r.1),
            point: r.2,
            on: r.3,
            answers: serde_json::from_value(r.4).unwrap_or_default(),
        })
        .collect())
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64)
}

/// The outcome figures of the programmes' questionnaires from `from` to
/// `to`: those in use, and retired ones answered in the period.
pub async fn figures(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<OutcomeFigures>> {
    let mut out = Vec::new();
    for q in Questionnaire::of_programmes(conn, programmes).await? {
        let all = given(conn, q.id).await?;
        let [before, after] = q.subject.points();
        let in_period = |g: &&Given| (from..=to).contains(&g.on);
        let befores: Vec<&Given> = all.iter().filter(|g| g.point == before).collect();
        let afters: Vec<&Given> = all
            .iter()
            .filter(|g| g.point == after)
            .filter(in_period)
            .collect();
        let before_in: Vec<&Given> = befores.iter().copied().filter(in_period).collect();
        if q.retired && afters.is_empty() && before_in.is_empty() {
            continue;
        }
        // The before-answer of the same person, given no later.
        let earlier = |a: &Given| {
            befores
                .iter()
                .find(|b| b.person == a.person && b.on <= a.on)
                .copied()
        };
        let mut items = Vec::new();
        // Per item, the people whose answers pair.
        let mut paired_people: Vec<Vec<(Option<i64>, Option<i64>)>> = Vec::new();
        for item in &q.items {
            let answer = |g: &Given| g.answers.get(&item.key).cloned();
            let scale = |g: &Given| match answer(g) {
                Some(Answer::Scale(n)) => Some(n),
                _ => None,
            };
            let before_n = before_in.iter().filter(|g| answer(g).is_some()).count() as i64;
            let after_n = afters.iter().filter(|g| answer(g).is_some()).count() as i64;
            let pairs: Vec<(Answer, Answer)> = afters
                .iter()
                .filter_map(|a| Some((answer(earlier(a)?)?, answer(a)?)))
                .collect();
            paired_people.push(
                afters
                    .iter()
                    .filter(|a| earlier(a).and_then(&answer).is_some() && answer(a).is_some())
                    .map(|a| a.person)
                    .collect(),
            );
            let improved_n = pairs
                .iter()
                .filter(|p| matches!(p, (Answer::Scale(b), Answer::Scale(a)) if a > b))
                .count() as i64;
            let paired_n = pairs.len() as i64;
            let scale_item = item.kind == ItemKind::Scale;
            let options = item
                .options
                .iter()
                .map(|o| {
                    let chose = |g: &&&Given| answer(g) == Some(Answer::Choice(o.key.clone()));
                    super::outcomes::OptionFigure {
                        key: o.key.clone(),
                        text: o.text.clone(),
                        before: before_in.iter().filter(chose).count() as i64,
                        after: afters.iter().filter(chose).count() as i64,
                    }
                })
                .collect();
            items.push(ItemFigure {
                key: item.key.clone(),
                goal: item.goal.clone(),
                kind: item.kind,
                text: item.text.clone(),
                before_n,
                after_n,
                paired_n,
                improved_n,
                share_improved: if scale_item {
                    share(improved_n, paired_n)
                } else {
                    None
                },
                mean_before: mean(
                    &before_in
                        .iter()
                        .filter_map(|g| scale(g))
                        .collect::<Vec<_>>(),
                ),
                mean_after: mean(&afters.iter().filter_map(|g| scale(g)).collect::<Vec<_>>()),
                options,
            });
        }
        let mut goals: Vec<GoalFigure> = Vec::new();
        let mut goal_people: Vec<Vec<(Option<i64>, Option<i64>)>> = Vec::new();
        for (i, who) in items.iter().zip(&paired_people) {
            if i.kind != ItemKind::Scale || i.goal.is_empty() {
                continue;
            }
            let at = match goals.iter().position(|g| g.goal == i.goal) {
                Some(at) => at,
                None => {
                    goals.push(GoalFigure {
                        goal: i.goal.clone(),
                        people: 0,
                        paired_n: 0,
                        improved_n: 0,
                        share_improved: None,
                    });
                    goal_people.push(Vec::new());
                    goals.len() - 1
                }
            };
            goals[at].paired_n += i.paired_n;
            goals[at].improved_n += i.improved_n;
            for p in who {
                if !goal_people[at].contains(p) {
                    goal_people[at].push(*p);
                }
            }
        }
        for (g, who) in goals.iter_mut().zip(&goal_people) {
            g.people = who.len() as i64;
            g.share_improved = share(g.improved_n, g.paired_n);
        }
        out.push(OutcomeFigures {
            questionnaire_id: q.id.0,
            title: q.title.clone(),
            subject: q.subject,
            before,
            after,
            respondents_before: before_in.len() as i64,
            respondents_after: afters.len() as i64,
            respondents_paired: afters.iter().filter(|a| earlier(a).is_some()).count() as i64,
            items,
            goals,
        });
    }
    Ok(out)
}
