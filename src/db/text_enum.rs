//! [`text_enum!`](crate::text_enum): a Rust enum stored as `text` with a
//! CHECK constraint listing its values.

/// Declares an enum whose values are stored as `text` (with a CHECK that
/// lists them), from its variants and their stored strings:
///
/// ```ignore
/// crate::text_enum! {
///     /// Where a family stands.
///     pub enum FamilyStatus {
///         Active = "active",
///         Closed = "closed",
///     }
/// }
/// ```
///
/// The enum gets `Debug, Clone, Copy, PartialEq, Eq, Hash`; `ALL` (every
/// value, in the order declared); `as_str`; `parse(&str) -> Option<Self>`;
/// `Display` and `AsRef<str>` (the stored string); serde as that string; a
/// utoipa schema (a string enum); and the diesel impls to read it
/// (`FromSql<Text, Pg>`, `Queryable`) and write it (`ToSql<Text, Pg>`,
/// `AsExpression`, so it works in `.eq(...)`, `Insertable` and `AsChangeset`).
///
/// A stored string the enum does not know is a deserialisation error, hence
/// an internal error (500, logged), never a default.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                // `tt`, not `literal`: a `literal` fragment reaches the derives
                // wrapped in an invisible group, which utoipa's serde
                // attribute parser does not see through (it would name the
                // variants in the schema instead of their strings).
                $variant:ident = $text:tt
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
            ::utoipa::ToSchema,
            ::diesel::expression::AsExpression,
            ::diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = ::diesel::sql_types::Text)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The string stored in the database (and shown in JSON).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value stored as `s`, if there is one.
            pub fn parse(s: &str) -> ::std::option::Option<Self> {
                match s {
                    $($text => ::std::option::Option::Some($name::$variant),)+
                    _ => ::std::option::Option::None,
                }
            }

            /// The value of a string read from the database: an unknown one
            /// is an error, never a default.
            pub fn from_stored(s: &str) -> ::diesel::deserialize::Result<Self> {
                Self::parse(s).ok_or_else(|| {
                    ::std::format!(
                        "unknown {} in the database: {s:?}",
                        ::std::stringify!($name)
                    )
                    .into()
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::diesel::deserialize::FromSql<::diesel::sql_types::Text, ::diesel::pg::Pg>
            for $name
        {
            fn from_sql(
                value: ::diesel::pg::PgValue<'_>,
            ) -> ::diesel::deserialize::Result<Self> {
                Self::from_stored(::std::str::from_utf8(value.as_bytes())?)
            }
        }

        impl ::diesel::serialize::ToSql<::diesel::sql_types::Text, ::diesel::pg::Pg>
            for $name
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut ::diesel::serialize::Output<'b, '_, ::diesel::pg::Pg>,
            ) -> ::diesel::serialize::Result {
                <str as ::diesel::serialize::ToSql<
                    ::diesel::sql_types::Text,
                    ::diesel::pg::Pg,
                >>::to_sql(self.as_str(), out)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    crate::text_enum! {
        /// A test enum.
        pub enum Colour {
            /// The first.
            Red = "red",
            DarkGreen = "dark_green",
            Blue = "blue",
        }
    }

    #[test]
    fn every_value_round_trips() {
        assert_eq!(Colour::ALL.len(), 3);
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(c));
            assert_eq!(Colour::from_stored(c.as_str()).ok(), Some(c));
            assert_eq!(c.to_string(), c.as_str());
            assert_eq!(c.as_ref(), c.as_str());
            let json = serde_json::to_value(c).expect("serialise");
            assert_eq!(json, serde_json::Value::from(c.as_str()));
            assert_eq!(serde_json::from_value::<Colour>(json).ok(), Some(c));
        }
        assert_eq!(Colour::DarkGreen.as_str(), "dark_green");
        let distinct: HashSet<&str> = Colour::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(distinct.len(), Colour::ALL.len());
    }

    #[test]
    fn an_unknown_string_is_refused_never_a_default() {
        for s in ["", "Red", "dark-green", "DarkGreen", " red", "purple"] {
            assert_eq!(Colour::parse(s), None, "{s:?}");
            let e = Colour::from_stored(s).expect_err("unknown value");
            assert!(e.to_string().contains("unknown Colour"), "{e}");
            assert!(serde_json::from_value::<Colour>(s.into()).is_err(), "{s:?}");
        }
    }

    #[test]
    fn the_schema_is_a_string_enum_of_the_stored_values() {
        let schema =
            serde_json::to_value(<Colour as utoipa::PartialSchema>::schema()).expect("schema");
        assert_eq!(schema["type"], "string", "{schema}");
        assert_eq!(
            schema["enum"],
            serde_json::json!(["red", "dark_green", "blue"]),
            "{schema}"
        );
        assert_eq!(schema["description"], "A test enum.", "{schema}");
        assert_eq!(<Colour as utoipa::ToSchema>::name(), "Colour");
    }
}
