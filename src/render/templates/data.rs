//! A page's context as a light tree, for [`super::direct`]: what `serde_json::to_value` makes
//! of it, value for value, without its costs. serde_json builds every object as a
//! `BTreeMap<String, Value>` (a heap key and a tree insert per field; on a card list of 1,000
//! modules, a tenth of a facet page's time) and handlebars clones from it on lookups. Here an
//! object is a short list of fields under the struct's own `&'static str` names, looked up in
//! order.

use serde::ser::{self, Serialize};
use std::borrow::Cow;

/// A serialized value, as `serde_json::Value` holds it (see [`to_value`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Value>),
    /// Fields in the order they were serialized. An object from a map is looked up the same
    /// way; iterating over one is left to handlebars (serde_json sorts its keys).
    Object(Vec<(Cow<'static, str>, Value)>),
}

impl Value {
    /// The bytes of every string in the value: about what a page made of it writes, so that
    /// its output can be sized once (a printable handbook's 12 MB grew by doubling, a third
    /// of its peak memory).
    pub fn text_len(&self) -> usize {
        match self {
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().map(Value::text_len).sum(),
            Value::Object(fields) => fields.iter().map(|(_, v)| v.text_len()).sum(),
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        }
    }

    /// Field `key` of an object (the last of that name, as a map insert keeps it).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// handlebars' truthiness (`JsonTruthy` without `includeZero`): `false`, `null`, `0`, `""`,
    /// `[]` and `{}` are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => n.as_f64().is_some_and(f64::is_normal),
            Value::String(s) => !s.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Object(fields) => !fields.is_empty(),
        }
    }

    /// The value as `{{expression}}` writes it (handlebars' `JsonRender`).
    pub fn render(&self, out: &mut String) {
        match self {
            Value::Null => {}
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&n.to_string()),
            Value::String(s) => out.push_str(s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render(out);
                }
                out.push(']');
            }
            Value::Object(_) => out.push_str("[object]"),
        }
    }

    /// The value as a helper's hash argument reaches `{{t}}`: strings as they are, anything
    /// else as JSON text (`serde_json::Value::to_string`).
    pub fn argument(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Null => Some("null".into()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            // JSON text of a structure: rare enough to leave to handlebars.
            Value::Array(_) | Value::Object(_) => None,
        }
    }
}

/// Why a value could not be serialized; such a page is left to handlebars, which reports it.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `value` as a [`Value`], the same as `serde_json::to_value` would make it.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    value.serialize(Serializer)
}

struct Serializer;

/// `Serializer` methods that make a number of their integer argument.
macro_rules! numbers {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<Value, Error> {
            Ok(number(v))
        })*
    };
}

fn number(n: impl Into<serde_json::Number>) -> Value {
    Value::Number(n.into())
}

impl ser::Serializer for Serializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Variant<Seq>;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Variant<Map>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    // Integers become JSON numbers, as serde_json makes them.
    numbers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        // As serde_json: a number that JSON can't write is null.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Array(v.iter().map(|&b| number(b)).collect()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(Value::Object(vec![(variant.into(), to_value(value)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq>, Error> {
        Ok(Variant(variant, Seq(Vec::with_capacity(len))))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map, Error> {
        Ok(Map::new(len.unwrap_or(0)))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map, Error> {
        Ok(Map::new(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map>, Error> {
        Ok(Variant(variant, Map::new(len)))
    }
}

pub struct Seq(Vec<Value>);

impl ser::SerializeSeq for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(to_value(value)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Array(self.0))
    }
}

/// Tuples and tuple structs are lists, element by element.
macro_rules! as_seq {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Seq {
            type Ok = Value;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                ser::SerializeSeq::serialize_element(self, value)
            }
            fn end(self) -> Result<Value, Error> {
                ser::SerializeSeq::end(self)
            }
        })*
    };
}

as_seq!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// An object being serialized: its fields, and a map key waiting for its value.
pub struct Map {
    fields: Vec<(Cow<'static, str>, Value)>,
    key: Option<String>,
}

impl Map {
    fn new(len: usize) -> Map {
        Map {
            fields: Vec::with_capacity(len),
            key: None,
        }
    }
}

impl ser::SerializeMap for Map {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // serde_json writes string, number and bool keys as strings and refuses the rest.
        self.key = Some(match to_value(key)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(Error("key must be a string".into())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("value without key".into()))?;
        self.fields.push((key.into(), to_value(value)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.fields))
    }
}

impl ser::SerializeStruct for Map {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.fields.push((key.into(), to_value(value)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.fields))
    }
}

/// An enum variant with fields: `{"Variant": …}`, as serde_json writes it.
pub struct Variant<T>(&'static str, T);

impl ser::SerializeTupleVariant for Variant<Seq> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.1, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(vec![(self.0.into(), Value::Array(self.1.0))]))
    }
}

impl ser::SerializeStructVariant for Variant<Map> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(vec![(
            self.0.into(),
            Value::Object(self.1.fields),
        )]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    /// The tree as serde_json's value, to compare the two.
    fn json(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(json).collect()),
            Value::Object(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), json(v)))
                    .collect(),
            ),
        }
    }

    #[derive(Serialize)]
    enum Kind {
        Unit,
        New(u8),
        Tuple(u8, bool),
        Struct { a: i64 },
    }

    #[derive(Serialize)]
    struct Inner {
        label: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[derive(Serialize)]
    struct Outer {
        #[serde(flatten)]
        inner: Inner,
        none: Option<String>,
        float: f64,
        nan: f64,
        negative: i32,
        letters: Vec<char>,
        kinds: Vec<Kind>,
        map: BTreeMap<u32, &'static str>,
        unit: (),
        pair: (u8, &'static str),
    }

    #[test]
    fn the_tree_is_what_serde_json_makes() {
        let value = Outer {
            inner: Inner {
                label: "a <b>",
                skipped: None,
            },
            none: None,
            float: 1.5,
            nan: f64::NAN,
            negative: -3,
            letters: vec!['x', 'é'],
            kinds: vec![
                Kind::Unit,
                Kind::New(1),
                Kind::Tuple(2, true),
                Kind::Struct { a: -1 },
            ],
            map: BTreeMap::from([(2, "two"), (1, "one")]),
            unit: (),
            pair: (7, "seven"),
        };
        let tree = to_value(&value).unwrap();
        assert_eq!(json(&tree), serde_json::to_value(&value).unwrap());
        assert_eq!(tree.get("label"), Some(&Value::String("a <b>".into())));
        assert_eq!(tree.get("skipped"), None);
    }

    #[test]
    fn text_len_counts_the_strings_bytes_only() {
        let tree = Value::Object(vec![
            ("title".into(), Value::String("xy".into())),
            (
                "items".into(),
                Value::Array(vec![Value::String("é".into()), number(7u8), Value::Null]),
            ),
        ]);
        assert_eq!(tree.text_len(), 4);
    }

    #[test]
    fn truthiness_and_text_are_handlebars_own() {
        use handlebars::{JsonRender, JsonTruthy};
        let values = [
            serde_json::json!(null),
            serde_json::json!(true),
            serde_json::json!(false),
            serde_json::json!(0),
            serde_json::json!(0.0),
            serde_json::json!(-2),
            serde_json::json!(2.5),
            serde_json::json!(""),
            serde_json::json!("x"),
            serde_json::json!([]),
            serde_json::json!([1, "a", [true]]),
            serde_json::json!({}),
            serde_json::json!({"a": 1}),
        ];
        for value in values {
            let tree = to_value(&value).unwrap();
            assert_eq!(tree.is_truthy(), value.is_truthy(false), "{value}");
            let mut text = String::new();
            tree.render(&mut text);
            assert_eq!(text, value.render(), "{value}");
        }
    }
}
