//! Mothers from a spreadsheet: `external_ref, full_name, phone, email,
//! district, languages, country_of_origin, gender, engagement,
//! monthly_allowance, joined_on, note`. The district by name, languages
//! and the country as codes or names. A row becomes a `MotherInput` and
//! goes through the mothers' own use cases (`create`, `update`).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::names::{Names, reference};
use super::sheet::Column;
use super::{Outcome, Refused, Row};
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{MotherId, ProgrammeId};
use crate::money;
use crate::mothers::input::{Languages, MotherInput};
use crate::mothers::model::Mother;
use crate::mothers::ops;
use crate::programmes::model::Programme;
use crate::schema::mothers;

pub const COLUMNS: &[Column] = &[
    Column {
        key: "external_ref",
        names: &["external_ref", "Referenz", "Reference", "ref", "id", "nr"],
        required: true,
    },
    Column {
        key: "full_name",
        names: &["full_name", "Name", "Navn", "name"],
        required: true,
    },
    Column {
        key: "phone",
        names: &["phone", "Telefon", "Telefon", "tlf"],
        required: false,
    },
    Column {
        key: "email",
        names: &["email", "E_Mail", "E_mail", "mail"],
        required: false,
    },
    Column {
        key: "district",
        names: &["district", "Stadtteil", "Bydel"],
        required: false,
    },
    Column {
        key: "languages",
        names: &["languages", "Sprachen", "Sprog"],
        required: false,
    },
    Column {
        key: "country_of_origin",
        names: &["country_of_origin", "Herkunftsland", "Oprindelsesland"],
        required: false,
    },
    Column {
        key: "gender",
        names: &["gender", "Geschlecht", "Køn"],
        required: true,
    },
    Column {
        key: "engagement",
        names: &["engagement", "Engagement", "Engagement"],
        required: true,
    },
    Column {
        key: "monthly_allowance",
        names: &["monthly_allowance", "Aufwandsentschädigung", "Honorar"],
        required: false,
    },
    Column {
        key: "joined_on",
        names: &["joined_on", "Beginn", "Startdato"],
        required: true,
    },
    Column {
        key: "note",
        names: &["note", "Notiz", "Note"],
        required: false,
    },
];

/// What the rows are read against, loaded once per import.
pub struct Context {
    programme: ProgrammeId,
    exponent: u32,
    names: Names,
    imported: HashMap<String, MotherId>,
    seen: HashSet<String>,
}

impl Context {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        access: &Access,
        programme: ProgrammeId,
    ) -> AppResult<Context> {
        let p = Programme::find(conn, &access.scope, programme).await?;
        let names = Names::load(conn, programme).await?;
        let imported: Vec<(i64, Option<String>)> = mothers::table
            .filter(mothers::programme_id.eq(programme))
            .filter(mothers::external_ref.is_not_null())
            .select((mothers::id, mothers::external_ref))
            .load(conn)
            .await?;
        Ok(Context {
            programme,
            exponent: money::exponent(&p.currency),
            names,
            imported: super::names::by_reference(imported, MotherId),
            seen: HashSet::new(),
        })
    }

    fn input(&self, row: &Row<'_>) -> Result<MotherInput, Refused> {
        let district_id = self.names.district(row.get("district"))?;
        let text = |k: &str| Some(row.get(k).to_owned()).filter(|s| !s.is_empty());
        Ok(MotherInput {
            programme_id: Some(self.programme.to_string()),
            district_id,
            full_name: row.get("full_name").to_owned(),
            phone: row.get("phone").to_owned(),
            email: text("email"),
            languages: Languages::Text(row.list("languages").join(", ")),
            country_of_origin: text("country_of_origin"),
            gender: row.get("gender").to_owned(),
            engagement: row.get("engagement").to_owned(),
            monthly_allowance: text("monthly_allowance"),
            joined_on: row.get("joined_on").to_owned(),
            note: Some(row.get("note").to_owned()),
            ..Default::default()
        })
    }

    /// Saves one row (a new mother, a changed one, or nothing).
    pub async fn apply(
        &mut self,
        conn: &mut AsyncPgConnection,
        access: &Access,
        row: &Row<'_>,
    ) -> AppResult<Result<Outcome, Refused>> {
        let reference = match reference(row, &mut self.seen) {
            Ok(r) => r,
            Err(r) => return Ok(Err(r)),
        };
        let input = match self.input(row) {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
        };
        if let Some(id) = self.imported.get(reference).copied() {
            let old = Mother::find(conn, &access.scope, id).await?;
            let same = MotherInput::from_mother(&old, self.exponent);
            let e = self.exponent;
            if let (Ok(a), Ok(b)) = (same.validate(e), input.validate(e)) {
                // Consents are not in the file: they stay as recorded.
                let a = crate::mothers::model::MotherData {
                    consent_phone_contact: None,
                    consent_photos: None,
                    ..a
                };
                if a == b {
                    return Ok(Ok(Outcome::Unchanged));
                }
            }
            ops::update(conn, access, id, &input).await?;
            return Ok(Ok(Outcome::Updated));
        }
        let m = ops::create(conn, access, &input).await?;
        diesel::update(mothers::table.find(m.id))
            .set(mothers::external_ref.eq(reference))
            .execute(conn)
            .await?;
        self.imported.insert(reference.to_owned(), m.id);
        Ok(Ok(Outcome::Created))
    }
}
