//! Visits from a spreadsheet: `external_ref, visited_on, mother, family,
//! duration_minutes, kind, topics, referrals, note`. The mother by id or
//! exact name, the family by reference code (empty: an anonymous contact),
//! topics and referrals separated by `;`, each by key or label. A row
//! becomes a `VisitInput` and goes through the visits' own use cases
//! (`create`, or `correct::update` for a row already imported).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::sheet::Column;
use super::{Outcome, Refused, Row};
use crate::authz::Access;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::{ProgrammeId, VisitId};
use crate::programmes::model::Programme;
use crate::schema::visits;
use crate::visits::input::VisitInput;
use crate::visits::model::{ListKind, Topic, Visit};
use crate::visits::ops;
use crate::web::Tr;

pub const COLUMNS: &[Column] = &[
    Column {
        key: "external_ref",
        names: &["external_ref", "Referenz", "Reference", "ref", "id", "nr"],
        required: true,
    },
    Column {
        key: "visited_on",
        names: &[
            "visited_on",
            "Datum",
            "Dato",
            "date",
            "besuchsdatum",
            "besøgsdato",
        ],
        required: true,
    },
    Column {
        key: "mother",
        names: &["mother", "Stadtteilmutter", "Bydelsmor", "mother_id"],
        required: true,
    },
    Column {
        key: "family",
        names: &[
            "family",
            "Familie",
            "Familie_",
            "family_code",
            "familiencode",
            "familiekode",
        ],
        required: false,
    },
    Column {
        key: "duration_minutes",
        names: &[
            "duration_minutes",
            "Dauer_Minuten",
            "Varighed_minutter",
            "minutes",
            "minuten",
            "minutter",
        ],
        required: true,
    },
    Column {
        key: "kind",
        names: &["kind", "Art", "Type"],
        required: true,
    },
    Column {
        key: "topics",
        names: &["topics", "Themen", "Emner"],
        required: true,
    },
    Column {
        key: "referrals",
        names: &["referrals", "Vermittlungen", "Henvisninger"],
        required: false,
    },
    Column {
        key: "note",
        names: &["note", "Notiz", "Note", "notiz", "bemerkung", "bemærkning"],
        required: false,
    },
];

/// What the rows are read against, loaded once per import.
pub struct Context {
    /// The visits' rules, with what they need read once.
    known: ops::batch::Known,
    /// New visits checked, written together at the end.
    pending: Vec<(crate::visits::model::VisitData, String)>,
    /// Mothers by number and exact name.
    names: super::names::Names,
    /// Topic ids by key and by label (English, German, Danish, the
    /// programme's own), lower case.
    topics: HashMap<String, i64>,
    /// Service codes by key and label, lower case.
    services: HashMap<String, String>,
    /// Rows already imported: visit by external reference.
    imported: HashMap<String, VisitId>,
    /// The references of this file so far.
    seen: std::collections::HashSet<String>,
}

impl Context {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        access: &Access,
        programme: ProgrammeId,
        family_codes: &[String],
    ) -> AppResult<Context> {
        let p = Programme::find(conn, &access.scope, programme).await?;
        let known = ops::batch::Known::load(conn, &p, family_codes).await?;
        let names = super::names::Names::load(conn, programme).await?;
        let langs: Vec<Tr> = ["en", "de", "da"]
            .iter()
            .filter_map(|l| l.parse().ok())
            .map(Tr::new)
            .collect();
        let mut topics = HashMap::new();
        for t in Topic::for_programme(conn, programme).await? {
            topics.insert(t.label.trim().to_lowercase(), t.id.0);
            if let Some(k) = &t.key {
                topics.insert(k.clone(), t.id.0);
                for tr in &langs {
                    topics.insert(
                        tr.t(&format!("vtopic-{}", k.replace('_', "-")))
                            .to_lowercase(),
                        t.id.0,
                    );
                }
            }
        }
        let mut services = HashMap::new();
        for s in Topic::of_list(conn, ListKind::Service, programme).await? {
            services.insert(s.label.trim().to_lowercase(), s.code());
            if let Some(k) = &s.key {
                services.insert(k.clone(), s.code());
                for tr in &langs {
                    services.insert(
                        tr.t(&format!("service-{}", k.replace('_', "-")))
                            .to_lowercase(),
                        s.code(),
                    );
                }
            }
        }
        let imported: Vec<(i64, Option<String>)> = visits::table
            .filter(visits::programme_id.eq(programme))
            .filter(visits::external_ref.is_not_null())
            .select((visits::id, visits::external_ref))
            .load(conn)
            .await?;
        Ok(Context {
            known,
            pending: Vec::new(),
            names,
            topics,
            services,
            imported: super::names::by_reference(imported, VisitId),
            seen: Default::default(),
        })
    }

    /// The row as a visit's input, or the column it cannot be read at.
    fn input(&self, row: &Row<'_>) -> Result<VisitInput, Refused> {
        let mother_id = self.names.mother(row.get("mother"), "mother")?;
        let mut topic_ids = Vec::new();
        for t in row.list("topics") {
            let id = self.topics.get(&t.to_lowercase()).ok_or_else(|| Refused {
                column: "topics",
                msg: Msg::new("error-import-unknown-value").arg("value", t),
            })?;
            topic_ids.push(id.to_string());
        }
        let mut referrals = Vec::new();
        for r in row.list("referrals") {
            let s = self
                .services
                .get(&r.to_lowercase())
                .ok_or_else(|| Refused {
                    column: "referrals",
                    msg: Msg::new("error-import-unknown-value").arg("value", r),
                })?;
            referrals.push(s.clone());
        }
        let family = row.get("family");
        Ok(VisitInput {
            mother_id: mother_id.to_string(),
            family_code: (!family.is_empty()).then(|| family.to_owned()),
            anonymous: Some(family.is_empty().to_string()),
            visited_on: row.get("visited_on").to_owned(),
            duration_minutes: row.get("duration_minutes").to_owned(),
            kind: row.get("kind").to_owned(),
            topic_ids,
            referrals,
            note: Some(row.get("note").to_owned()),
            // A past file may hold two visits on a day: that is its record.
            confirm_duplicate: Some("true".to_owned()),
            ..Default::default()
        })
    }

    /// Saves one row (a new visit, a changed one, or nothing).
    pub async fn apply(
        &mut self,
        conn: &mut AsyncPgConnection,
        access: &Access,
        row: &Row<'_>,
        today: NaiveDate,
    ) -> AppResult<Result<Outcome, Refused>> {
        let reference = match super::names::reference(row, &mut self.seen) {
            Ok(r) => r,
            Err(r) => return Ok(Err(r)),
        };
        let input = match self.input(row) {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
        };
        if let Some(id) = self.imported.get(reference).copied() {
            let old = Visit::find(conn, &access.scope, id.0, true).await?;
            let mut same = ops::correct::as_input(&old);
            same.confirm_duplicate = input.confirm_duplicate.clone();
            // The row names its family by code or import reference: by id
            // from here on, as the stored visit has it.
            let mut input = input;
            if let Some(code) = input.family_code.take() {
                match self.known.family(&code) {
                    Some(f) => input.family_id = Some(f.to_string()),
                    None => return Ok(Err(Refused::new("family", "error-family-unknown"))),
                }
            }
            let (a, b) = (same.validate(), input.validate());
            if let (Ok(mut a), Ok(mut b)) = (a, b) {
                a.topic_ids.sort_unstable();
                b.topic_ids.sort_unstable();
                if a == b {
                    return Ok(Ok(Outcome::Unchanged));
                }
            }
            ops::correct::update(conn, access, id, &input, today).await?;
            return Ok(Ok(Outcome::Updated));
        }
        let data = input.validate().map_err(AppError::Validation)?;
        let data = self
            .known
            .check(data, today)
            .map_err(AppError::Validation)?;
        self.pending.push((data, reference.to_owned()));
        Ok(Ok(Outcome::Created))
    }

    /// Writes the new visits checked row by row, all at once.
    pub async fn finish(&mut self, conn: &mut AsyncPgConnection, access: &Access) -> AppResult<()> {
        let rows = std::mem::take(&mut self.pending);
        let ids = self.known.insert(conn, access.actor, &rows).await?;
        self.imported.extend(ids);
        Ok(())
    }
}
