//! Numbers where text is expected. The inputs read ids, counts and amounts
//! as text, because a form sends text and because each input turns its
//! text into a validated value with a field error of its own; a JSON client
//! naturally sends numbers (`{"mother_id": 1}`). [`from_value`] reads a
//! JSON value into an input type as serde_json does, except that a number
//! (or a boolean) is taken as its text wherever the type asks for a string.
//!
//! Written here because no crate does this for a whole document: serde's
//! per-field helpers (`serde_with`'s `PickFirst`, `serde-aux`) would have to
//! be put on every field of every input, and a field forgotten is a 400 for
//! the integrator.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde_json::{Map, Value};

/// Reads `value` into `T`, numbers accepted as text.
pub fn from_value<T: de::DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(Lenient(value))
}

/// Methods where the type says what it wants (a number, a boolean, ...):
/// the value's own.
macro_rules! forward_to_value {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.clone().$method(visitor)
            }
        )*
    };
}

/// A JSON value whose numbers and booleans read as strings when a string
/// is asked for.
#[derive(Clone, Copy)]
struct Lenient<'a>(&'a Value);

impl<'de, 'a> Deserializer<'de> for Lenient<'a> {
    type Error = serde_json::Error;

    /// What the type does not say (an untagged enum buffering the value
    /// first): a number or a boolean is given as its text, which is what
    /// the inputs read; a type that asks for a number says so and gets one.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            other => other.clone().deserialize_any(visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            other => other.clone().deserialize_str(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            other => other.clone().deserialize_seq(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            other => other.clone().deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            other => other.clone().deserialize_map(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) if map.len() == 1 => {
                let (variant, value) = map.iter().next().expect("one entry");
                visitor.visit_enum(Variant(variant, Some(value)))
            }
            other => other.clone().deserialize_enum(name, variants, visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.clone().deserialize_unit_struct(name, visitor)
    }

    forward_to_value! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_identifier deserialize_ignored_any
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de, 'a> SeqAccess<'de> for Seq<'a> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Lenient(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields<'a> {
    entries: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'a> Fields<'a> {
    fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            entries: map.iter(),
            value: None,
        }
    }
}

impl<'de, 'a> MapAccess<'de> for Fields<'a> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(k.as_str().into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let v = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(Lenient(v))
    }
}

struct Variant<'a>(&'a String, Option<&'a Value>);

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = serde_json::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let v = seed.deserialize(self.0.as_str().into_deserializer())?;
        Ok((v, self))
    }
}

impl<'de, 'a> VariantAccess<'de> for Variant<'a> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        match self.1 {
            Some(v) => seed.deserialize(Lenient(v)),
            None => Err(de::Error::custom("expected a value")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.1 {
            Some(v) => Lenient(v).deserialize_seq(visitor),
            None => Err(de::Error::custom("expected a list")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.1 {
            Some(v) => Lenient(v).deserialize_map(visitor),
            None => Err(de::Error::custom("expected an object")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Input {
        mother_id: String,
        family_id: Option<String>,
        topic_ids: Vec<String>,
        count: i64,
        #[serde(default)]
        flag: Option<bool>,
        inner: Vec<Inner>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        amount: String,
    }

    #[test]
    fn numbers_read_as_text_where_text_is_asked_for() {
        let v = json!({"mother_id": 1, "family_id": 7, "topic_ids": [1, "2"], "count": 3,
                       "flag": true, "inner": [{"amount": 12.5}]});
        let i: Input = from_value(&v).expect("reads");
        assert_eq!(i.mother_id, "1");
        assert_eq!(i.family_id.as_deref(), Some("7"));
        assert_eq!(i.topic_ids, ["1", "2"]);
        assert_eq!(i.count, 3, "a number stays a number where one is asked for");
        assert_eq!(i.flag, Some(true));
        assert_eq!(i.inner[0].amount, "12.5");
        // Inside an untagged enum (one item or a list of them).
        #[derive(Debug, Deserialize)]
        #[serde(untagged)]
        enum Body {
            Many(Vec<Inner>),
            One(#[allow(dead_code)] Inner),
        }
        match from_value::<Body>(&json!([{"amount": 1}, {"amount": "2"}])).expect("reads") {
            Body::Many(v) => assert_eq!(v[0].amount, "1"),
            Body::One(_) => panic!("a list"),
        }
        let none: Input = from_value(&json!({"mother_id": "1", "family_id": null,
            "topic_ids": [], "count": 1, "inner": []}))
        .expect("reads");
        assert_eq!(none.family_id, None);
    }

    #[test]
    fn what_is_wrong_stays_wrong() {
        assert!(from_value::<Input>(&json!({"mother_id": [1]})).is_err());
        assert!(
            from_value::<Input>(
                &json!({"mother_id": "1", "topic_ids": [], "count": "x", "inner": []})
            )
            .is_err()
        );
    }
}
