//! The contract between the derives and this crate. Not public API: anything here may change
//! in any release (the derive crate is pinned to this crate's exact version).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor as DeVisitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::{Map, Value};

pub use crate::codec::{InContext, SerCtx, check_mask, drop_mask};
pub use crate::model::Meta;
pub use crate::resource::{Complex, Extension, ExtensionField, Payload, Resource};
pub use crate::schema::{
    Attribute, AttributeType, ExtensionDecl, Mutability, Returned, SchemaDef, Uniqueness, common,
};
pub use crate::value::{Descriptor, ScimValue, ValueRef, Visitor, Walk, json_is_empty};
pub use serde;
pub use serde_json;

/// Builds an attribute from the field's type descriptor and the user's keys.
#[must_use]
#[allow(clippy::fn_params_excessive_bools)]
pub const fn attribute(
    name: &'static str,
    descriptor: Descriptor,
    ty: Option<AttributeType>,
    description: &'static str,
    required: Option<bool>,
    case_exact: bool,
    mutability: Mutability,
    returned: Returned,
    uniqueness: Uniqueness,
    canonical_values: &'static [Cow<'static, str>],
    reference_types: &'static [Cow<'static, str>],
) -> Attribute {
    let ty = match ty {
        Some(t) => t,
        None => descriptor.ty,
    };
    let required = match required {
        Some(r) => r,
        None => !descriptor.optional,
    };
    Attribute::full(
        name,
        ty,
        descriptor.multi_valued,
        description,
        required,
        case_exact,
        mutability,
        returned,
        uniqueness,
        canonical_values,
        reference_types,
        descriptor.sub_attributes,
    )
}

/// The schemas list of a resource, written as a JSON array without allocating: the core URN,
/// then whatever URNs the closure reports (extensions present, unknown extension objects).
pub struct Schemas<'a>(pub &'static str, pub &'a UrnSource<'a>);

/// Reports URNs to a callback (see [`Schemas`]).
pub type UrnSource<'a> = dyn Fn(&mut dyn FnMut(&str)) + 'a;

impl Serialize for Schemas<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        seq.serialize_element(self.0)?;
        let mut failed = None;
        (self.1)(&mut |urn: &str| {
            if failed.is_none()
                && let Err(e) = seq.serialize_element(urn)
            {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        seq.end()
    }
}

/// Reports the keys of unknown extension objects (`urn:...` keys holding non-empty objects).
pub fn unknown_urns(unknown: &Map<String, Value>, ctx: &SerCtx<'_>, f: &mut dyn FnMut(&str)) {
    if !ctx.keep_unknown() {
        return;
    }
    for (k, v) in unknown {
        if crate::codec::is_urn(k) && v.is_object() && !json_is_empty(v) {
            f(k);
        }
    }
}

/// A map key, borrowed from the input when possible.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> DeVisitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an attribute name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Finds `key` among `names`, exactly first, then case-insensitively (RFC 7643 section 2.1).
#[must_use]
#[inline(never)]
pub fn index_ci(names: &[&str], key: &str) -> Option<usize> {
    names.iter().position(|n| n.eq_ignore_ascii_case(key))
}

/// Reads the next map value for a field: `null` counts as absent.
///
/// # Errors
///
/// A duplicate attribute (the same name twice, perhaps in different case), or whatever the
/// value's deserializer reports.
#[inline(never)]
pub fn next_value<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: ScimValue + Deserialize<'de>,
{
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = map.next_value_seed(Present(PhantomData))?;
    Ok(())
}

/// Reads a value with [`ScimValue::deserialize_present`].
struct Present<T>(PhantomData<fn() -> T>);

impl<'de, T: ScimValue + Deserialize<'de>> de::DeserializeSeed<'de> for Present<T> {
    type Value = Option<T>;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::deserialize_present(d)
    }
}

/// Finishes a field: its value, or its absent value, or a missing-attribute error.
///
/// # Errors
///
/// The attribute is missing and its type has no absent value (a bare `String`).
#[inline]
pub fn finish<T: ScimValue, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    match slot {
        Some(v) => Ok(v),
        None => T::absent().ok_or_else(|| missing(name)),
    }
}

#[cold]
#[inline(never)]
fn missing<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

/// Reads `schemas` and checks it names `urn`, element by element (nothing is kept).
///
/// # Errors
///
/// `schemas` is not a list of strings, or does not contain `urn` (case-insensitively).
#[inline(never)]
pub fn check_schemas<'de, A: MapAccess<'de>>(map: &mut A, urn: &str) -> Result<(), A::Error> {
    match map.next_value_seed(SchemasSeed(urn))? {
        Some(false) => Err(de::Error::custom(format_args!(
            "`schemas` does not contain the core schema `{urn}`"
        ))),
        _ => Ok(()),
    }
}

/// Reads a `schemas` value: `None` for `null` or `[]`, else whether it names the URN.
struct SchemasSeed<'u>(&'u str);

impl<'de> de::DeserializeSeed<'de> for SchemasSeed<'_> {
    type Value = Option<bool>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> DeVisitor<'de> for SchemasSeed<'_> {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of schema URNs")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<bool>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Option<bool>, S::Error> {
        let mut any = false;
        let mut found = false;
        while let Some(Key(urn)) = seq.next_element::<Key<'de>>()? {
            any = true;
            found |= urn.eq_ignore_ascii_case(self.0);
        }
        Ok(any.then_some(found))
    }
}

/// Skips a value.
///
/// # Errors
///
/// Whatever the deserializer reports.
#[inline]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// Keeps a value the type does not model.
///
/// # Errors
///
/// A duplicate key, or whatever the deserializer reports.
#[inline(never)]
pub fn keep_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    unknown: &mut Map<String, Value>,
    key: Cow<'de, str>,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    // Exact duplicates here, in constant time; duplicates in another case once the object is
    // read ([`check_unknown_keys`]), so a hostile object with many keys costs linear time.
    if unknown.contains_key(&*key) {
        return Err(duplicate(&key));
    }
    unknown.insert(key.into_owned(), value);
    Ok(())
}

/// Error paths are built out of line, so the code that reads each field stays small.
#[cold]
#[inline(never)]
fn duplicate<E: de::Error>(key: &str) -> E {
    de::Error::custom(format_args!(
        "duplicate attribute `{key}` (attribute names are case-insensitive)"
    ))
}

/// Refuses attributes kept as unknown whose names differ only in case.
///
/// # Errors
///
/// The first such duplicate.
pub fn check_unknown_keys<E: de::Error>(unknown: &Map<String, Value>) -> Result<(), E> {
    if unknown.len() < 2 {
        return Ok(());
    }
    let mut seen = crate::value::CaseSet::default();
    for k in unknown.keys() {
        if !seen.insert(k) {
            return Err(duplicate(k));
        }
    }
    Ok(())
}

/// Writes a scalar attribute (not complex: its value needs no child context) when `ctx` keeps
/// it; `plain` as [`SerCtx::keep_plain`] decides. Out of line, so the attributes of one type
/// share this code instead of each carrying a copy.
///
/// # Errors
///
/// Whatever the serializer reports.
#[inline(never)]
pub fn write_scalar<M: serde::ser::SerializeMap, T: ScimValue>(
    map: &mut M,
    ctx: &SerCtx<'_>,
    attr: &'static Attribute,
    wire: &'static str,
    value: &T,
    plain: bool,
) -> Result<(), M::Error> {
    if ctx.keeps(attr, plain, || value.is_empty_in(ctx)) {
        map.serialize_entry(wire, &InContext::new(value, ctx))?;
    }
    Ok(())
}

/// Writes the unknown attributes back.
///
/// # Errors
///
/// Whatever the serializer reports.
pub fn write_unknown<M: serde::ser::SerializeMap>(
    map: &mut M,
    unknown: &Map<String, Value>,
    ctx: &SerCtx<'_>,
    modelled: &[&str],
) -> Result<(), M::Error> {
    if ctx.keep_unknown() {
        for (k, v) in unknown {
            // A key the type models (perhaps in another case) or `schemas` was put in the map
            // by hand: writing it would duplicate or override the real attribute.
            let shadowed = k.eq_ignore_ascii_case("schemas")
                || modelled.iter().any(|m| m.eq_ignore_ascii_case(k));
            if !shadowed && !json_is_empty(v) {
                map.serialize_entry(k, v)?;
            }
        }
    }
    Ok(())
}

/// Hands unknown attributes to a visitor.
pub fn walk_unknown(unknown: &Map<String, Value>, visitor: &mut dyn Visitor) {
    for (k, v) in unknown {
        visitor.unknown(k, v);
    }
}

/// The `id` of a resource, from an `Option<String>` or `String` field.
pub trait IdField {
    /// The id, if set.
    fn id_str(&self) -> Option<&str>;
}

impl IdField for String {
    fn id_str(&self) -> Option<&str> {
        Some(self)
    }
}

impl IdField for Option<String> {
    fn id_str(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// Typed access to the `unknown` field (it must be a `serde_json::Map<String, Value>`).
#[must_use]
#[inline]
pub fn unknown_ref(m: &Map<String, Value>) -> &Map<String, Value> {
    m
}

/// Placeholder metadata for the stub impls a failed derive emits next to its errors.
pub const FAILED_SCHEMA: &SchemaDef = &SchemaDef::new("urn:invalid", "invalid", "", &[]);

/// The body of the stub impls a failed derive emits next to its `compile_error!`: such a
/// program never compiles, so this never runs.
#[cold]
#[must_use]
pub fn failed<T>() -> T {
    panic!("a scim derive reported errors; this code cannot be reached")
}

/// Builds a value from a map; implemented by the derives.
pub trait FromMap<'de>: Sized {
    /// What the visitor expects, for error messages.
    const EXPECTING: &'static str;
    /// Reads the value from a map.
    ///
    /// # Errors
    ///
    /// Whatever the map reports, or a missing or duplicate attribute.
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The serde visitor for a type that implements [`FromMap`].
pub struct MapVisitor<T>(PhantomData<fn() -> T>);

impl<T> MapVisitor<T> {
    /// A new visitor.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for MapVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: FromMap<'de>> DeVisitor<'de> for MapVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The visitor of a derived map type that stores the value in a caller's slot
/// ([`Resource::__deserialize_into`](crate::Resource)): the deserializer's layers then pass
/// `()` around, not the value.
pub struct SlotVisitor<'a, T>(pub &'a mut Option<T>);

impl<'de, T: FromMap<'de>> DeVisitor<'de> for SlotVisitor<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        T::from_map(map).map(|value| *self.0 = Some(value))
    }
}

/// Whether `ctx` would write none of the unknown attributes.
#[must_use]
pub fn unknown_is_empty_in(
    unknown: &Map<String, Value>,
    ctx: &SerCtx<'_>,
    modelled: &[&str],
) -> bool {
    !ctx.keep_unknown()
        || unknown.iter().all(|(k, v)| {
            json_is_empty(v)
                || k.eq_ignore_ascii_case("schemas")
                || modelled.iter().any(|m| m.eq_ignore_ascii_case(k))
        })
}

/// Looks up a field by name for [`Walk::attribute_value`]: exactly, then case-insensitively.
#[must_use]
#[inline]
pub fn find_name(names: &[&str], name: &str) -> Option<usize> {
    names
        .iter()
        .position(|n| *n == name)
        .or_else(|| index_ci(names, name))
}

/// Whether an unknown-attribute map holds `primary: true` (a complex type without a typed
/// `primary` field).
#[must_use]
pub fn unknown_is_primary(unknown: &Map<String, Value>) -> bool {
    crate::value::get_ci(unknown, "primary") == Some(&Value::Bool(true))
}

/// Picks the variant of a mixed-type enum for a payload: the index in `schemas` of the first
/// URN of the payload's `schemas` that a variant serves (case-insensitively).
///
/// # Errors
///
/// `schemas` missing or not a list of strings (as a message).
pub fn dispatch(value: &Value, schemas: &[&str]) -> Result<Option<usize>, String> {
    let Some(obj) = value.as_object() else {
        return Err("a resource must be a JSON object".to_owned());
    };
    let Some(list) = crate::value::get_ci(obj, "schemas") else {
        return Ok(None);
    };
    let Some(list) = list.as_array() else {
        return Err("`schemas` must be a list of strings".to_owned());
    };
    for urn in list {
        let Some(urn) = urn.as_str() else {
            return Err("`schemas` must be a list of strings".to_owned());
        };
        if let Some(i) = schemas.iter().position(|s| s.eq_ignore_ascii_case(urn)) {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// The `schemas` of a payload, for error messages.
#[must_use]
pub fn schemas_of(value: &Value) -> String {
    value
        .as_object()
        .and_then(|o| crate::value::get_ci(o, "schemas"))
        .map_or_else(|| "none".to_owned(), ToString::to_string)
}
