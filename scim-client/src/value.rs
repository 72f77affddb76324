//! SCIM attribute values: the Rust types that may hold them, and a walk over them by metadata.
//!
//! A field of a derived type may have any type that implements [`ScimValue`]: `String`, `bool`,
//! the integer types, `f64`, [`jiff::Timestamp`] (dateTime), [`Binary`], [`Reference`], any
//! `#[derive(ScimComplex)]` struct, and `Vec<T>` (multi-valued) or `Option<T>` (optional) of
//! those. Aliases and newtypes that implement the trait work too.
//!
//! Library code reads values through [`Walk`] and [`Visitor`]: the derives generate a walk that
//! hands every attribute, with its metadata, to a visitor. Validation, filters and PATCH are such
//! visitors.

use std::fmt;

use base64::Engine as _;
use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use crate::codec::SerCtx;
use crate::schema::{Attribute, AttributeType};

/// What a Rust type says about the SCIM attribute it holds.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Descriptor {
    /// The SCIM data type.
    pub ty: AttributeType,
    /// `Vec<T>`: a multi-valued attribute.
    pub multi_valued: bool,
    /// `Option<T>` or `Vec<T>`: the attribute may be absent.
    pub optional: bool,
    /// The sub-attributes of a complex type.
    pub sub_attributes: &'static [Attribute],
}

impl Descriptor {
    /// A single-valued, mandatory value of type `ty`.
    #[must_use]
    pub const fn scalar(ty: AttributeType) -> Self {
        Self {
            ty,
            multi_valued: false,
            optional: false,
            sub_attributes: &[],
        }
    }

    /// Whether the value is complex (its sub-attributes have rules of their own).
    #[must_use]
    pub const fn is_complex(&self) -> bool {
        matches!(self.ty, AttributeType::Complex)
    }

    /// A complex value with these sub-attributes.
    #[must_use]
    pub const fn complex(sub_attributes: &'static [Attribute]) -> Self {
        Self {
            ty: AttributeType::Complex,
            multi_valued: false,
            optional: false,
            sub_attributes,
        }
    }
}

/// A borrowed view of one attribute value, as a [`Visitor`] sees it.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum ValueRef<'a> {
    /// No value (`None`, `null`).
    Null,
    /// A string.
    String(&'a str),
    /// A boolean.
    Boolean(bool),
    /// An integer.
    Integer(i64),
    /// A decimal.
    Decimal(f64),
    /// A date-time.
    DateTime(jiff::Timestamp),
    /// Binary data.
    Binary(&'a [u8]),
    /// A reference (URI).
    Reference(&'a str),
    /// A complex value: walk it to see its sub-attributes.
    Complex(&'a dyn Walk),
    /// A multi-valued attribute.
    Multi(&'a dyn MultiValue),
    /// A value held as raw JSON (unknown attributes, dynamic resources).
    Json(&'a Value),
}

impl ValueRef<'_> {
    /// Whether this is "no value" in the RFC 7643 section 2.5 sense: null, an empty list, or a
    /// complex value whose sub-attributes are all empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            ValueRef::Null => true,
            ValueRef::Multi(m) => m.is_empty(),
            ValueRef::Complex(c) => c.is_empty_walk(),
            ValueRef::Json(v) => json_is_empty(v),
            _ => false,
        }
    }
}

impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueRef::Null => f.write_str("Null"),
            ValueRef::String(s) => f.debug_tuple("String").field(s).finish(),
            ValueRef::Boolean(b) => f.debug_tuple("Boolean").field(b).finish(),
            ValueRef::Integer(i) => f.debug_tuple("Integer").field(i).finish(),
            ValueRef::Decimal(d) => f.debug_tuple("Decimal").field(d).finish(),
            ValueRef::DateTime(t) => f.debug_tuple("DateTime").field(t).finish(),
            ValueRef::Binary(b) => f.debug_tuple("Binary").field(&b.len()).finish(),
            ValueRef::Reference(r) => f.debug_tuple("Reference").field(r).finish(),
            ValueRef::Complex(_) => f.write_str("Complex(..)"),
            ValueRef::Multi(m) => f.debug_tuple("Multi").field(&m.len()).finish(),
            ValueRef::Json(v) => f.debug_tuple("Json").field(v).finish(),
        }
    }
}

/// Whether a JSON value is empty in the RFC 7643 section 2.5 sense.
#[must_use]
pub fn json_is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().all(json_is_empty),
        Value::Object(o) => o.values().all(json_is_empty),
        _ => false,
    }
}

/// The values of a multi-valued attribute.
pub trait MultiValue {
    /// How many values there are.
    fn len(&self) -> usize;
    /// The value at `index`, or [`ValueRef::Null`] past the end.
    fn get(&self, index: usize) -> ValueRef<'_>;
    /// Whether there are no values.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: ScimValue> MultiValue for Vec<T> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn get(&self, index: usize) -> ValueRef<'_> {
        self.as_slice()
            .get(index)
            .map_or(ValueRef::Null, ScimValue::value_ref)
    }
}

/// Something whose attributes can be walked by metadata: a resource, an extension, a complex
/// value. Generated by the derives; object safe.
pub trait Walk {
    /// Hands every attribute (present or not) and its metadata to `visitor`, in declaration
    /// order; then extensions and attributes the type does not model.
    fn walk(&self, visitor: &mut dyn Visitor);

    /// The value of the attribute `name` (case-insensitive), without walking everything.
    fn attribute_value(&self, name: &str) -> Option<ValueRef<'_>> {
        let _ = name;
        None
    }

    /// Whether this complex value has `primary: true`.
    fn is_primary_walk(&self) -> bool {
        matches!(
            self.attribute_value("primary"),
            Some(ValueRef::Boolean(true))
        )
    }

    /// Whether every attribute is empty.
    fn is_empty_walk(&self) -> bool {
        struct AllEmpty(bool);
        impl Visitor for AllEmpty {
            fn attribute(&mut self, _: &Attribute, value: ValueRef<'_>) {
                self.0 &= value.is_empty();
            }
            fn extension(&mut self, _: &crate::schema::SchemaDef, value: Option<&dyn Walk>) {
                self.0 &= value.is_none_or(Walk::is_empty_walk);
            }
            fn unknown(&mut self, _: &str, value: &Value) {
                self.0 &= json_is_empty(value);
            }
        }
        let mut v = AllEmpty(true);
        self.walk(&mut v);
        v.0
    }
}

/// Receives attribute values from a [`Walk`].
pub trait Visitor {
    /// One attribute defined by the schema, with its value (possibly [`ValueRef::Null`]).
    fn attribute(&mut self, attribute: &Attribute, value: ValueRef<'_>);
    /// Which attributes the visitor wants, as [`crate::codec::check_mask`] bits: a walk may
    /// leave out an attribute whose mask shares no bit with this. Every attribute by default.
    #[doc(hidden)]
    fn interest(&self) -> u16 {
        u16::MAX
    }
    /// [`Visitor::attribute`] with the attribute's [`crate::codec::check_mask`], as derived
    /// walks compute it at compile time.
    #[doc(hidden)]
    fn attribute_masked(&mut self, attribute: &Attribute, mask: u16, value: ValueRef<'_>) {
        let _ = mask;
        self.attribute(attribute, value);
    }
    /// One schema extension the type declares, with its value when present.
    fn extension(&mut self, schema: &crate::schema::SchemaDef, value: Option<&dyn Walk>) {
        let _ = (schema, value);
    }
    /// An attribute or extension the type does not model, kept as JSON.
    fn unknown(&mut self, key: &str, value: &Value) {
        let _ = (key, value);
    }
}

/// A Rust type that holds a SCIM attribute value.
///
/// Implemented for the SCIM scalar types, for `Option<T>` and `Vec<T>`, and by
/// `#[derive(ScimComplex)]`. The derives read [`ScimValue::DESCRIPTOR`] to learn an attribute's
/// type and multi-valuedness, so an unsupported field type is a compile error at that field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SCIM attribute type",
    label = "not a SCIM attribute type",
    note = "use String, bool, i64, f64, jiff::Timestamp, Binary, Reference, Option<T>, Vec<T>, or derive `ScimComplex` for a complex attribute"
)]
pub trait ScimValue: Sized {
    /// The SCIM type, multi-valuedness and optionality this Rust type stands for.
    const DESCRIPTOR: Descriptor;

    /// A borrowed view for visitors.
    fn value_ref(&self) -> ValueRef<'_>;

    /// Whether the value is empty (RFC 7643 section 2.5) and so is not sent.
    fn is_empty_value(&self) -> bool {
        self.value_ref().is_empty()
    }

    /// Whether nothing of the value would be written in `ctx` (every attribute inside is
    /// empty or left out by the context).
    fn is_empty_in(&self, ctx: &SerCtx<'_>) -> bool {
        let _ = ctx;
        self.is_empty_value()
    }

    /// Whether this (complex) value has `primary: true`.
    fn is_primary(&self) -> bool {
        false
    }

    /// Drops, recursively, attributes kept because the type does not model them
    /// ([`crate::codec::UnknownPolicy::Ignore`]).
    fn clear_unknown(&mut self) {}

    /// Serializes the value in a context (which drops attributes the context forbids).
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    fn serialize_in<S: Serializer>(
        &self,
        serializer: S,
        ctx: &SerCtx<'_>,
    ) -> Result<S::Ok, S::Error>;

    /// The value to use when the attribute is absent from the input, if absence is allowed.
    #[must_use]
    fn absent() -> Option<Self> {
        None
    }

    /// Reads an attribute's value where `null` counts as absent: `None` for a `null` that
    /// this type cannot hold (it has no [`ScimValue::absent`] value), else the value.
    ///
    /// # Errors
    ///
    /// Whatever the deserializer reports.
    #[doc(hidden)]
    fn deserialize_present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>
    where
        Self: Deserialize<'de>,
    {
        Ok(Option::<Self>::deserialize(d)?.or_else(Self::absent))
    }
}

macro_rules! scalar {
    ($ty:ty, $scim:ident, |$v:ident| $view:expr) => {
        impl ScimValue for $ty {
            const DESCRIPTOR: Descriptor = Descriptor::scalar(AttributeType::$scim);
            fn value_ref(&self) -> ValueRef<'_> {
                let $v = self;
                $view
            }
            fn is_empty_value(&self) -> bool {
                false
            }
            fn serialize_in<S: Serializer>(&self, s: S, _: &SerCtx<'_>) -> Result<S::Ok, S::Error> {
                self.serialize(s)
            }
        }
    };
}

scalar!(String, String, |v| ValueRef::String(v));
scalar!(bool, Boolean, |v| ValueRef::Boolean(*v));
scalar!(i64, Integer, |v| ValueRef::Integer(*v));
scalar!(i32, Integer, |v| ValueRef::Integer(i64::from(*v)));
scalar!(u32, Integer, |v| ValueRef::Integer(i64::from(*v)));
scalar!(f64, Decimal, |v| ValueRef::Decimal(*v));
scalar!(jiff::Timestamp, DateTime, |v| ValueRef::DateTime(*v));
scalar!(Binary, Binary, |v| ValueRef::Binary(&v.0));
scalar!(Reference, Reference, |v| ValueRef::Reference(&v.0));
scalar!(Secret, String, |v| ValueRef::String(&v.0));

impl<T: ScimValue> ScimValue for Option<T> {
    const DESCRIPTOR: Descriptor = Descriptor {
        optional: true,
        ..T::DESCRIPTOR
    };
    fn value_ref(&self) -> ValueRef<'_> {
        self.as_ref().map_or(ValueRef::Null, ScimValue::value_ref)
    }
    fn is_empty_value(&self) -> bool {
        self.as_ref().is_none_or(ScimValue::is_empty_value)
    }
    fn is_empty_in(&self, ctx: &SerCtx<'_>) -> bool {
        self.as_ref().is_none_or(|v| v.is_empty_in(ctx))
    }
    fn clear_unknown(&mut self) {
        if let Some(v) = self {
            v.clear_unknown();
        }
    }
    fn serialize_in<S: Serializer>(&self, s: S, ctx: &SerCtx<'_>) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => v.serialize_in(s, ctx),
            None => s.serialize_none(),
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    /// `null` is this type's own absent value: read once (not as `Option<Option<T>>`).
    fn deserialize_present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>
    where
        Self: Deserialize<'de>,
    {
        Self::deserialize(d).map(Some)
    }
}

impl<T: ScimValue> ScimValue for Vec<T> {
    const DESCRIPTOR: Descriptor = Descriptor {
        multi_valued: true,
        optional: true,
        ..T::DESCRIPTOR
    };
    fn value_ref(&self) -> ValueRef<'_> {
        ValueRef::Multi(self)
    }
    fn is_empty_value(&self) -> bool {
        self.iter().all(ScimValue::is_empty_value)
    }
    fn is_empty_in(&self, ctx: &SerCtx<'_>) -> bool {
        self.iter().all(|v| v.is_empty_in(ctx))
    }
    fn clear_unknown(&mut self) {
        self.iter_mut().for_each(ScimValue::clear_unknown);
    }
    fn serialize_in<S: Serializer>(&self, s: S, ctx: &SerCtx<'_>) -> Result<S::Ok, S::Error> {
        if ctx.context() != crate::codec::Context::Default
            && T::DESCRIPTOR.ty == AttributeType::Complex
            && self.iter().filter(|v| v.is_primary()).nth(1).is_some()
        {
            ctx.flag();
        }
        let mut seq = s.serialize_seq(None)?;
        for item in self {
            if !item.is_empty_in(ctx) {
                seq.serialize_element(&crate::codec::InContext::new(item, ctx))?;
            }
        }
        seq.end()
    }
    fn absent() -> Option<Self> {
        Some(Vec::new())
    }
}

/// A SCIM `string` that is a secret: a `writeOnly` value such as `password`. It travels as a
/// plain string but never shows in `Debug` output (and has no `Display`), so logging a
/// resource does not leak it. Read it with [`Secret::expose`].
///
/// ```
/// use scim_client::Secret;
/// let s = Secret::from("t1meMa$heen");
/// assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
/// assert_eq!(s.expose(), "t1meMa$heen");
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#""t1meMa$heen""#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(String);

impl Secret {
    /// The secret itself.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret, consuming the wrapper.
    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// A SCIM `reference` value: a URI kept as the server wrote it (relative or absolute).
///
/// ```
/// use scim_client::Reference;
/// let r = Reference::from("https://example.com/v2/Users/2819c223");
/// assert_eq!(r.as_str(), "https://example.com/v2/Users/2819c223");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Reference(pub String);

impl Reference {
    /// The URI as a string.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Reference {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Reference {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Reference)
    }
}

/// A SCIM `binary` value: bytes, base64-encoded on the wire (RFC 7643 section 2.3.6).
///
/// ```
/// use scim_client::Binary;
/// let b: Binary = serde_json::from_str("\"AQID\"").unwrap();
/// assert_eq!(b.0, vec![1, 2, 3]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Base64;
        impl serde::de::Visitor<'_> for Base64 {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            // The text is decoded where it lies (no copy of it is made).
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Binary, E> {
                decode_base64(s.as_bytes())
                    .ok_or_else(|| E::custom("invalid base64 in a binary attribute"))
            }
        }
        d.deserialize_str(Base64)
    }
}

/// Decodes base64 as RFC 7643 asks (RFC 4648 section 4), tolerating what servers send: the
/// URL-safe alphabet, missing padding, and line breaks (PEM-style).
fn decode_base64(text: &[u8]) -> Option<Binary> {
    let cleaned: std::borrow::Cow<'_, [u8]> = if text.iter().any(u8::is_ascii_whitespace) {
        text.iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect::<Vec<u8>>()
            .into()
    } else {
        text.into()
    };
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    engines
        .into_iter()
        .find_map(|e| e.decode(&cleaned).ok())
        .map(Binary)
}

/// Attribute names seen so far, compared case-insensitively (RFC 7643 section 2.1) in constant
/// time, so that finding the duplicates of an object with many keys costs linear time.
#[derive(Default)]
pub(crate) struct CaseSet(std::collections::HashSet<String>);

impl CaseSet {
    /// Records `name`; `false` when it was there already (in any case).
    pub(crate) fn insert(&mut self, name: &str) -> bool {
        self.0.insert(name.to_ascii_lowercase())
    }
}

/// Looks a key up in a JSON object: exactly first, then case-insensitively (RFC 7643 section 2.1).
#[must_use]
pub fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}
