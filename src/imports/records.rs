//! Events and expenses from a spreadsheet, each row through its domain's
//! own use cases (`events::ops`, `funding::ops::expense`).
//! Events: `external_ref, held_on, kind, title, district, migrant_participants,
//! local_participants, interpreter_languages, mothers, note` (mothers by
//! number or exact name, separated by `;`). Expenses: `external_ref,
//! spent_on, category, amount, grant, note` (the grant by its reference).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::names::{Names, reference};
use super::sheet::Column;
use super::{Outcome, Refused, Row};
use crate::authz::Access;
use crate::error::AppResult;
use crate::events::input::EventInput;
use crate::events::model::Event;
use crate::funding::input::ExpenseInput;
use crate::funding::model::Expense;
use crate::ids::{EventId, ExpenseId, ProgrammeId};
use crate::mothers::input::Languages;
use crate::programmes::model::Programme;
use crate::schema::{events, expenses, grants};

const REF: Column = Column {
    key: "external_ref",
    names: &["external_ref", "Referenz", "Reference", "ref", "id", "nr"],
    required: true,
};

pub const EVENT_COLUMNS: &[Column] = &[
    REF,
    Column {
        key: "held_on",
        names: &["held_on", "Datum", "Dato", "date"],
        required: true,
    },
    Column {
        key: "kind",
        names: &["kind", "Art", "Type"],
        required: true,
    },
    Column {
        key: "title",
        names: &["title", "Titel", "Titel_"],
        required: true,
    },
    Column {
        key: "district",
        names: &["district", "Stadtteil", "Bydel"],
        required: false,
    },
    Column {
        key: "migrant_participants",
        names: &[
            "migrant_participants",
            "Teilnehmende_Migration",
            "Deltagere_migranter",
        ],
        required: false,
    },
    Column {
        key: "local_participants",
        names: &[
            "local_participants",
            "Teilnehmende_lokal",
            "Deltagere_lokale",
        ],
        required: false,
    },
    Column {
        key: "interpreter_languages",
        names: &["interpreter_languages", "Dolmetschsprachen", "Tolkesprog"],
        required: false,
    },
    Column {
        key: "mothers",
        names: &["mothers", "Stadtteilmütter", "Bydelsmødre"],
        required: false,
    },
    Column {
        key: "note",
        names: &["note", "Notiz", "Note"],
        required: false,
    },
];

pub const EXPENSE_COLUMNS: &[Column] = &[
    REF,
    Column {
        key: "spent_on",
        names: &["spent_on", "Datum", "Dato", "date"],
        required: true,
    },
    Column {
        key: "category",
        names: &["category", "Kategorie", "Kategori"],
        required: true,
    },
    Column {
        key: "amount",
        names: &["amount", "Betrag", "Beløb"],
        required: true,
    },
    Column {
        key: "grant",
        names: &["grant", "Förderung", "Bevilling"],
        required: false,
    },
    Column {
        key: "note",
        names: &["note", "Notiz", "Note"],
        required: false,
    },
];

/// Events: what the rows are read against, loaded once per import.
pub struct Events {
    programme: ProgrammeId,
    names: Names,
    imported: HashMap<String, EventId>,
    seen: HashSet<String>,
}

impl Events {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        access: &Access,
        programme: ProgrammeId,
    ) -> AppResult<Events> {
        Programme::find(conn, &access.scope, programme).await?;
        let names = Names::load(conn, programme).await?;
        let imported: Vec<(i64, Option<String>)> = events::table
            .filter(events::programme_id.eq(programme))
            .filter(events::external_ref.is_not_null())
            .select((events::id, events::external_ref))
            .load(conn)
            .await?;
        Ok(Events {
            programme,
            names,
            imported: super::names::by_reference(imported, EventId),
            seen: HashSet::new(),
        })
    }

    fn input(&self, row: &Row<'_>) -> Result<EventInput, Refused> {
        let district_id = self.names.district(row.get("district"))?;
        let mut mother_ids = Vec::new();
        for m in row.list("mothers") {
            let id = self.names.mother(m, "mothers")?;
            mother_ids.push(id.to_string());
        }
        let count = |k: &str| match row.get(k) {
            "" => "0".to_owned(),
            v => v.to_owned(),
        };
        Ok(EventInput {
            programme_id: self.programme.to_string(),
            district_id,
            kind: row.get("kind").to_owned(),
            title: row.get("title").to_owned(),
            held_on: row.get("held_on").to_owned(),
            migrant_participants: count("migrant_participants"),
            local_participants: count("local_participants"),
            interpreter_languages: Languages::Text(row.list("interpreter_languages").join(", ")),
            mother_ids,
            note: Some(row.get("note").to_owned()),
        })
    }

    pub async fn apply(
        &mut self,
        conn: &mut AsyncPgConnection,
        access: &Access,
        row: &Row<'_>,
    ) -> AppResult<Result<Outcome, Refused>> {
        let reference = match reference(row, &mut self.seen) {
            Ok(r) => r.to_owned(),
            Err(r) => return Ok(Err(r)),
        };
        let input = match self.input(row) {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
        };
        if let Some(id) = self.imported.get(&reference).copied() {
            let old = Event::find(conn, &access.scope, id).await?;
            let mut same = EventInput::of(&old);
            same.mother_ids.sort();
            let mut new = input.clone();
            new.mother_ids.sort();
            if let (Ok(a), Ok(b)) = (same.validate(), new.validate())
                && a == b
            {
                return Ok(Ok(Outcome::Unchanged));
            }
            crate::events::ops::update(conn, access, id, &input).await?;
            return Ok(Ok(Outcome::Updated));
        }
        let id = crate::events::ops::create(conn, access, &input).await?;
        diesel::update(events::table.find(id))
            .set(events::external_ref.eq(&reference))
            .execute(conn)
            .await?;
        self.imported.insert(reference, id);
        Ok(Ok(Outcome::Created))
    }
}

/// Expenses: what the rows are read against, loaded once per import.
pub struct Expenses {
    programme: ProgrammeId,
    currency: String,
    grants: HashMap<String, i64>,
    imported: HashMap<String, ExpenseId>,
    seen: HashSet<String>,
}

impl Expenses {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        access: &Access,
        programme: ProgrammeId,
    ) -> AppResult<Expenses> {
        let p = Programme::find(conn, &access.scope, programme).await?;
        let g: Vec<(i64, String)> = grants::table
            .filter(grants::programme_id.eq(programme))
            .select((grants::id, grants::reference))
            .load(conn)
            .await?;
        let imported: Vec<(i64, Option<String>)> = expenses::table
            .filter(expenses::programme_id.eq(programme))
            .filter(expenses::external_ref.is_not_null())
            .select((expenses::id, expenses::external_ref))
            .load(conn)
            .await?;
        Ok(Expenses {
            programme,
            currency: p.currency,
            grants: g
                .into_iter()
                .flat_map(|(i, r)| [(i.to_string(), i), (r.trim().to_lowercase(), i)])
                .collect(),
            imported: super::names::by_reference(imported, ExpenseId),
            seen: HashSet::new(),
        })
    }

    fn input(&self, row: &Row<'_>) -> Result<ExpenseInput, Refused> {
        let grant = row.get("grant");
        let grant_id = if grant.is_empty() {
            None
        } else {
            Some(
                self.grants
                    .get(grant)
                    .or_else(|| self.grants.get(&grant.to_lowercase()))
                    .ok_or_else(|| Refused::new("grant", "error-grant-unknown"))?
                    .to_string(),
            )
        };
        Ok(ExpenseInput {
            programme_id: Some(self.programme.to_string()),
            spent_on: row.get("spent_on").to_owned(),
            category: row.get("category").to_owned(),
            amount: row.get("amount").to_owned(),
            currency: Some(self.currency.clone()),
            grant_id,
            note: Some(row.get("note").to_owned()),
        })
    }

    pub async fn apply(
        &mut self,
        conn: &mut AsyncPgConnection,
        access: &Access,
        row: &Row<'_>,
    ) -> AppResult<Result<Outcome, Refused>> {
        let reference = match reference(row, &mut self.seen) {
            Ok(r) => r.to_owned(),
            Err(r) => return Ok(Err(r)),
        };
        let input = match self.input(row) {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
        };
        use crate::funding::ops;
        if let Some(id) = self.imported.get(&reference).copied() {
            let old = Expense::find(conn, &access.scope, id).await?;
            let same = ExpenseInput::from_expense(&old);
            if let (Ok(a), Ok(b)) = (
                same.validate(&self.currency),
                input.validate(&self.currency),
            ) && a == b
            {
                return Ok(Ok(Outcome::Unchanged));
            }
            ops::update_expense(conn, access, id, &input).await?;
            return Ok(Ok(Outcome::Updated));
        }
        let e = ops::create_expense(conn, access, &input).await?;
        diesel::update(expenses::table.find(e.id))
            .set(expenses::external_ref.eq(&reference))
            .execute(conn)
            .await?;
        self.imported.insert(reference, e.id);
        Ok(Ok(Outcome::Created))
    }
}
