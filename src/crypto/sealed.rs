//! [`Sealed`]: text stored encrypted in a `bytea` column, sealed when
//! diesel writes it and opened when diesel reads it; [`SealedBytes`], the
//! same for bytes.

use std::io::Write;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Bytea;

/// Text that the database holds sealed (see the module `crypto`).
#[derive(Debug, Clone, Default, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Bytea)]
pub struct Sealed(pub String);

impl ToSql<Bytea, Pg> for Sealed {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(&super::seal(&self.0)?)?;
        Ok(IsNull::No)
    }
}

impl FromSql<Bytea, Pg> for Sealed {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Self(super::open(value.as_bytes())?))
    }
}

impl From<Sealed> for String {
    fn from(s: Sealed) -> Self {
        s.0
    }
}

impl From<String> for Sealed {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Sealed {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<&String> for Sealed {
    fn from(s: &String) -> Self {
        Self(s.clone())
    }
}

/// Bytes that the database holds sealed (a one-time password secret),
/// sealed as their hex text. A value written before encryption holds the
/// bytes themselves, shorter than any sealed value (`crypto::open_bytes`).
#[derive(Debug, Clone, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Bytea)]
pub struct SealedBytes(pub Vec<u8>);

impl ToSql<Bytea, Pg> for SealedBytes {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(&super::seal_bytes(&self.0)?)?;
        Ok(IsNull::No)
    }
}

impl FromSql<Bytea, Pg> for SealedBytes {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Self(super::open_bytes(value.as_bytes())?))
    }
}
