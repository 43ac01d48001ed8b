//! Families from a spreadsheet: `external_ref, first_contact_on,
//! contact_origin, district, languages, children_count,
//! children_birth_years, mother, consent_on, name, address, phone`. The
//! district by name, the primary mother by number or exact name; a consent
//! date means consent to all three scopes (without one, no name, address
//! or phone is stored). A row becomes a `FamilyInput` and goes through the
//! families' own use cases (`create`, `update`); its reference code is
//! made as for any new family, and a visits file may name the family by
//! its `external_ref`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::names::{Names, reference};
use super::sheet::Column;
use super::{Outcome, Refused, Row};
use crate::authz::Access;
use crate::error::AppResult;
use crate::families::input::FamilyInput;
use crate::families::model::Family;
use crate::families::ops;
use crate::ids::{FamilyId, ProgrammeId};
use crate::mothers::input::Languages;
use crate::programmes::model::Programme;
use crate::schema::families;

pub const COLUMNS: &[Column] = &[
    Column {
        key: "external_ref",
        names: &["external_ref", "Referenz", "Reference", "ref", "id", "nr"],
        required: true,
    },
    Column {
        key: "first_contact_on",
        names: &["first_contact_on", "Erstkontakt", "Første_kontakt"],
        required: true,
    },
    Column {
        key: "contact_origin",
        names: &["contact_origin", "Kontaktweg", "Kontaktvej"],
        required: true,
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
        key: "children_count",
        names: &["children_count", "Kinder", "Børn"],
        required: false,
    },
    Column {
        key: "children_birth_years",
        names: &["children_birth_years", "Geburtsjahre", "Fødselsår"],
        required: false,
    },
    Column {
        key: "mother",
        names: &["mother", "Stadtteilmutter", "Bydelsmor", "mother_id"],
        required: false,
    },
    Column {
        key: "consent_on",
        names: &["consent_on", "Einwilligung", "Samtykke"],
        required: false,
    },
    Column {
        key: "name",
        names: &["name", "Name", "Navn"],
        required: false,
    },
    Column {
        key: "address",
        names: &["address", "Adresse", "Adresse_"],
        required: false,
    },
    Column {
        key: "phone",
        names: &["phone", "Telefon", "Telefon_"],
        required: false,
    },
];

/// What the rows are read against, loaded once per import.
pub struct Context {
    programme: ProgrammeId,
    names: Names,
    imported: HashMap<String, FamilyId>,
    seen: HashSet<String>,
}

impl Context {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        access: &Access,
        programme: ProgrammeId,
    ) -> AppResult<Context> {
        Programme::find(conn, &access.scope, programme).await?;
        let names = Names::load(conn, programme).await?;
        let imported: Vec<(i64, Option<String>)> = families::table
            .filter(families::programme_id.eq(programme))
            .filter(families::external_ref.is_not_null())
            .select((families::id, families::external_ref))
            .load(conn)
            .await?;
        Ok(Context {
            programme,
            names,
            imported: super::names::by_reference(imported, FamilyId),
            seen: HashSet::new(),
        })
    }

    fn input(&self, row: &Row<'_>) -> Result<FamilyInput, Refused> {
        let district_id = self.names.district(row.get("district"))?;
        let mother = row.get("mother");
        let primary_mother_id = if mother.is_empty() {
            None
        } else {
            Some(self.names.mother(mother, "mother")?.to_string())
        };
        let text = |k: &str| Some(row.get(k).to_owned()).filter(|s| !s.is_empty());
        Ok(FamilyInput {
            programme_id: Some(self.programme.to_string()),
            district_id,
            languages: Languages::Text(row.list("languages").join(", ")),
            children_count: row.get("children_count").to_owned(),
            children_birth_years: row.list("children_birth_years").join(", "),
            contact_origin: row.get("contact_origin").to_owned(),
            first_contact_on: row.get("first_contact_on").to_owned(),
            consent_on: text("consent_on"),
            primary_mother_id,
            name: text("name"),
            address: text("address"),
            phone: text("phone"),
            ..Default::default()
        })
    }

    /// Saves one row (a new family, a changed one, or nothing).
    pub async fn apply(
        &mut self,
        conn: &mut AsyncPgConnection,
        access: &Access,
        row: &Row<'_>,
        today: NaiveDate,
    ) -> AppResult<Result<Outcome, Refused>> {
        let reference = match reference(row, &mut self.seen) {
            Ok(r) => r,
            Err(r) => return Ok(Err(r)),
        };
        let input = match self.input(row) {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
        };
        let personal = access.sees_personal();
        if let Some(id) = self.imported.get(reference).copied() {
            let old = Family::find(conn, &access.scope, id, personal).await?;
            let same = FamilyInput::from_family(&old);
            if let (Ok(a), Ok(b)) = (
                same.validate_change(personal, today, Some(&old)),
                input.validate_change(personal, today, Some(&old)),
            ) && a == b
            {
                return Ok(Ok(Outcome::Unchanged));
            }
            ops::update(conn, access, id, &input, today).await?;
            return Ok(Ok(Outcome::Updated));
        }
        let f = ops::create(conn, access, &input, today).await?;
        diesel::update(families::table.find(f.id))
            .set(families::external_ref.eq(reference))
            .execute(conn)
            .await?;
        self.imported.insert(reference.to_owned(), f.id);
        Ok(Ok(Outcome::Created))
    }
}
