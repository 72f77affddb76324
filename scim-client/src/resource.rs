//! The traits the derives implement: [`Resource`], [`Extension`], [`Complex`], and the
//! extension plumbing ([`ExtensionField`], [`ExtensionSet`], [`Extensions`]).

use std::any::{Any, TypeId};
use std::fmt;

use serde::de::{DeserializeOwned, MapAccess};
use serde::ser::{Serialize, SerializeMap};
use serde_json::{Map, Value};

use crate::codec::{InContext, SerCtx};
use crate::model::Meta;
use crate::schema::{Attribute, ExtensionDecl, SchemaDef};
use crate::value::{ScimValue, Visitor, Walk};

/// A SCIM resource type (`User`, `Group`, or your own), implemented by
/// `#[derive(ScimResource)]`.
///
/// The required items are the metadata; everything else is provided.
///
/// ```
/// use scim_client::{Resource, model::Group};
/// assert_eq!(Group::ENDPOINT, "/Groups");
/// assert_eq!(Group::RESOURCE_TYPE, "Group");
/// assert_eq!(Group::SCHEMA.id, "urn:ietf:params:scim:schemas:core:2.0:Group");
/// ```
pub trait Resource:
    Walk + ScimValue + Serialize + DeserializeOwned + Clone + fmt::Debug + Send + Sync + 'static
{
    /// The core schema.
    const SCHEMA: &'static SchemaDef;
    /// The resource type name (`User`).
    const RESOURCE_TYPE: &'static str;
    /// The endpoint, relative to the base URL (`/Users`).
    const ENDPOINT: &'static str;
    /// A human-readable description of the resource type.
    const DESCRIPTION: &'static str;

    /// Whether an extension field is marked `#[scim(extension, required)]`.
    const HAS_REQUIRED_EXTENSION: bool = false;

    /// The schema extensions the type can carry, with whether each is required.
    #[must_use]
    fn extensions() -> Vec<ExtensionDecl>;

    /// The server-assigned `id`, when the type models it and it is set.
    #[must_use]
    fn id(&self) -> Option<&str>;

    /// The `meta` attribute, when the type models it and it is set.
    #[must_use]
    fn meta(&self) -> Option<&Meta>;

    /// Mutable access to the `meta` slot, when the type models it.
    #[must_use]
    fn meta_mut(&mut self) -> Option<&mut Option<Meta>>;

    /// Attributes and extensions the type does not model, kept as JSON, when the type has a
    /// `#[scim(unknown)]` field.
    #[must_use]
    fn unknown(&self) -> Option<&Map<String, Value>>;

    /// Mutable access to the attributes the type does not model.
    #[must_use]
    fn unknown_mut(&mut self) -> Option<&mut Map<String, Value>>;

    /// Deserializes a resource into `slot`. The derive implements it so that the resource is
    /// built in place, not returned through the deserializer's layers (it is a large value);
    /// the default deserializes and stores.
    ///
    /// # Errors
    ///
    /// The deserializer's.
    #[doc(hidden)]
    fn __deserialize_into<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        slot: &mut Option<Self>,
    ) -> Result<(), D::Error> {
        deserialize_and_store(deserializer, slot)
    }

    /// The `schemas` attribute: the core URN, then the URN of every extension present (known
    /// or kept as unknown).
    #[must_use]
    fn schemas(&self) -> Vec<String> {
        let mut out = vec![Self::SCHEMA.id.to_string()];
        self.walk(&mut PresentExtensions(&mut out));
        out
    }

    /// The URL path of this resource relative to the base URL (`/Users/2819c223`), with the id
    /// percent-encoded as one segment. `None` when there is no id.
    #[must_use]
    fn location_path(&self) -> Option<String> {
        self.id()
            .map(|id| crate::codec::resource_path(Self::ENDPOINT, id))
    }
}

struct PresentExtensions<'a>(&'a mut Vec<String>);

impl Visitor for PresentExtensions<'_> {
    fn attribute(&mut self, _: &Attribute, _: crate::value::ValueRef<'_>) {}
    fn extension(&mut self, schema: &SchemaDef, value: Option<&dyn Walk>) {
        if value.is_some_and(|v| !v.is_empty_walk()) {
            self.0.push(schema.id.to_string());
        }
    }
    fn unknown(&mut self, key: &str, value: &Value) {
        if crate::codec::is_urn(key) && value.is_object() && !crate::value::json_is_empty(value) {
            self.0.push(key.to_owned());
        }
    }
}

/// A payload the codec reads and checks in a context: every [`Resource`], and the mixed-type
/// enums of `#[derive(ScimDispatch)]` (root `/.search`, bulk responses).
pub trait Payload:
    ScimValue + Serialize + DeserializeOwned + Clone + fmt::Debug + Send + Sync + 'static
{
    /// Every rule of `context` the payload breaks.
    #[must_use]
    fn violations(
        &self,
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
    ) -> Vec<crate::error::Violation>;
}

impl<R: Resource> Payload for R {
    fn violations(
        &self,
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
    ) -> Vec<crate::error::Violation> {
        crate::codec::violations(self, context, policy)
    }
}

/// A schema extension (`EnterpriseUser`, a vendor's), implemented by
/// `#[derive(ScimExtension)]`. Its attributes travel under its URN.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SCIM extension",
    label = "not a SCIM extension",
    note = "derive `ScimExtension` (with `#[scim(schema = \"urn:...\")]`) on the extension struct"
)]
pub trait Extension:
    Walk
    + ScimValue
    + DeserializeOwned
    + Clone
    + Default
    + fmt::Debug
    + PartialEq
    + Send
    + Sync
    + 'static
{
    /// The extension's schema; its `id` is the URN.
    const SCHEMA: &'static SchemaDef;

    /// Deserializes the extension into `slot` (see [`Resource::__deserialize_into`]).
    ///
    /// # Errors
    ///
    /// The deserializer's.
    #[doc(hidden)]
    fn __deserialize_into<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        slot: &mut Option<Self>,
    ) -> Result<(), D::Error> {
        deserialize_and_store(deserializer, slot)
    }
}

/// The default of the `__deserialize_into` hooks: deserialize, then store.
fn deserialize_and_store<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    deserializer: D,
    slot: &mut Option<T>,
) -> Result<(), D::Error> {
    *slot = Some(T::deserialize(deserializer)?);
    Ok(())
}

/// Reads an extension's value (`null` or an object) into the extension's slot, where a
/// derived extension is built in place.
struct ExtensionSeed<'a, X>(&'a mut Option<X>);

impl<'de, X: Extension> serde::de::DeserializeSeed<'de> for ExtensionSeed<'_, X> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, X: Extension> serde::de::Visitor<'de> for ExtensionSeed<'_, X> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the extension `{}` or null", X::SCHEMA.id)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        X::__deserialize_into(d, self.0)
    }
}

/// The value type of a complex attribute (`Name`, `Email`...), implemented by
/// `#[derive(ScimComplex)]`.
pub trait Complex: Walk + ScimValue {
    /// The sub-attributes.
    const ATTRIBUTES: &'static [Attribute];
}

/// The type of a field marked `#[scim(extension)]`: `Option<X>` for one extension, or
/// [`Extensions<E>`] for a set chosen by a type parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SCIM extension field",
    label = "`#[scim(extension)]` needs `Option<X>` where `X: ScimExtension`, or `Extensions<E>`",
    note = "derive `ScimExtension` on the extension struct"
)]
pub trait ExtensionField: Default {
    /// Appends the schemas of the extensions this field can hold.
    fn declare(out: &mut Vec<&'static SchemaDef>);

    /// The index of the extension whose URN is `urn` (case-insensitive), if this field holds it.
    fn index_of(urn: &str) -> Option<usize>;

    /// Reads the extension at `index` from the next map value.
    ///
    /// # Errors
    ///
    /// Whatever the deserializer reports.
    fn deserialize_at<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// Writes the present extensions as URN-keyed entries.
    ///
    /// # Errors
    ///
    /// Whatever the serializer reports.
    fn serialize_entries<M: SerializeMap>(
        &self,
        map: &mut M,
        ctx: &SerCtx<'_>,
    ) -> Result<(), M::Error>;

    /// Hands each declared extension, present or not, to `visitor`.
    fn walk_extensions(&self, visitor: &mut dyn Visitor);

    /// Reports the URN of each extension that `ctx` would write (present, not empty in the
    /// context, not projected out).
    fn present_urns(&self, ctx: &SerCtx<'_>, f: &mut dyn FnMut(&str));

    /// Whether `ctx` would write no extension of this field.
    fn is_empty_field(&self, ctx: &SerCtx<'_>) -> bool {
        let mut empty = true;
        self.present_urns(ctx, &mut |_| empty = false);
        empty
    }

    /// Drops attributes the extensions do not model, recursively.
    fn clear_unknown(&mut self);

    /// The slot holding extension type `id` (an `&Option<X>`), for typed access.
    fn slot(&self, id: TypeId) -> Option<&dyn Any>;

    /// The mutable slot holding extension type `id` (an `&mut Option<X>`).
    fn slot_mut(&mut self, id: TypeId) -> Option<&mut dyn Any>;
}

fn write_extension<X: Extension, M: SerializeMap>(
    x: &X,
    map: &mut M,
    ctx: &SerCtx<'_>,
) -> Result<(), M::Error> {
    let inner = ctx.in_schema(&X::SCHEMA.id);
    if !ctx.keep_schema(X::SCHEMA) || x.is_empty_in(&inner) {
        return Ok(());
    }
    map.serialize_entry(&*X::SCHEMA.id, &InContext::new(x, &inner))
}

impl<X: Extension> ExtensionField for Option<X> {
    fn declare(out: &mut Vec<&'static SchemaDef>) {
        out.push(X::SCHEMA);
    }
    fn index_of(urn: &str) -> Option<usize> {
        X::SCHEMA.id.eq_ignore_ascii_case(urn).then_some(0)
    }
    fn deserialize_at<'de, A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if self.is_some() {
            return Err(serde::de::Error::custom(format_args!(
                "duplicate extension `{}`",
                X::SCHEMA.id
            )));
        }
        map.next_value_seed(ExtensionSeed(self))
    }
    fn serialize_entries<M: SerializeMap>(
        &self,
        map: &mut M,
        ctx: &SerCtx<'_>,
    ) -> Result<(), M::Error> {
        match self {
            Some(x) => write_extension(x, map, ctx),
            None => Ok(()),
        }
    }
    fn walk_extensions(&self, visitor: &mut dyn Visitor) {
        visitor.extension(X::SCHEMA, self.as_ref().map(|x| x as &dyn Walk));
    }
    fn present_urns(&self, ctx: &SerCtx<'_>, f: &mut dyn FnMut(&str)) {
        if let Some(x) = self
            && ctx.keep_schema(X::SCHEMA)
            && !x.is_empty_in(&ctx.in_schema(&X::SCHEMA.id))
        {
            f(&X::SCHEMA.id);
        }
    }
    fn clear_unknown(&mut self) {
        if let Some(x) = self {
            x.clear_unknown();
        }
    }
    fn slot(&self, id: TypeId) -> Option<&dyn Any> {
        (id == TypeId::of::<X>()).then_some(self as &dyn Any)
    }
    fn slot_mut(&mut self, id: TypeId) -> Option<&mut dyn Any> {
        (id == TypeId::of::<X>()).then_some(self as &mut dyn Any)
    }
}

/// A set of extensions chosen by a type parameter: `()` for none, an extension type for one, a
/// tuple for several. `User<E>` is generic over it.
///
/// ```
/// use scim_client::model::{EnterpriseUser, User};
///
/// let mut user: User<EnterpriseUser> = User::new("bjensen");
/// user.extensions.insert(EnterpriseUser { employee_number: Some("701984".into()), ..Default::default() });
/// assert_eq!(user.extension::<EnterpriseUser>().unwrap().employee_number.as_deref(), Some("701984"));
/// ```
pub trait ExtensionSet: Clone + Default + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The storage: one `Option<X>` per extension.
    type Slots: ExtensionField + Clone + fmt::Debug + PartialEq + Send + Sync + 'static;
}

impl ExtensionSet for () {
    type Slots = ();
}

impl<X: Extension> ExtensionSet for X {
    type Slots = Option<X>;
}

macro_rules! tuple_set {
    ($($x:ident $i:tt),+) => {
        impl<$($x: Extension),+> ExtensionSet for ($($x,)+) {
            type Slots = ($(Option<$x>,)+);
        }

        impl<$($x: Extension),+> ExtensionField for ($(Option<$x>,)+) {
            fn declare(out: &mut Vec<&'static SchemaDef>) {
                $(out.push($x::SCHEMA);)+
            }
            fn index_of(urn: &str) -> Option<usize> {
                $(if $x::SCHEMA.id.eq_ignore_ascii_case(urn) { return Some($i); })+
                None
            }
            fn deserialize_at<'de, M: MapAccess<'de>>(&mut self, index: usize, map: &mut M) -> Result<(), M::Error> {
                match index {
                    $($i => self.$i.deserialize_at(0, map),)+
                    _ => Err(serde::de::Error::custom("extension index out of range")),
                }
            }
            fn serialize_entries<S: SerializeMap>(&self, map: &mut S, ctx: &SerCtx<'_>) -> Result<(), S::Error> {
                $(self.$i.serialize_entries(map, ctx)?;)+
                Ok(())
            }
            fn walk_extensions(&self, visitor: &mut dyn Visitor) {
                $(self.$i.walk_extensions(visitor);)+
            }
            fn present_urns(&self, ctx: &SerCtx<'_>, f: &mut dyn FnMut(&str)) {
                $(self.$i.present_urns(ctx, f);)+
            }
            fn clear_unknown(&mut self) {
                $(ExtensionField::clear_unknown(&mut self.$i);)+
            }
            fn slot(&self, id: TypeId) -> Option<&dyn Any> {
                None$(.or_else(|| self.$i.slot(id)))+
            }
            fn slot_mut(&mut self, id: TypeId) -> Option<&mut dyn Any> {
                $(if id == TypeId::of::<$x>() { return self.$i.slot_mut(id); })+
                None
            }
        }
    };
}

tuple_set!(A 0, B 1);
tuple_set!(A 0, B 1, C 2);
tuple_set!(A 0, B 1, C 2, D 3);

impl ExtensionField for () {
    fn declare(_: &mut Vec<&'static SchemaDef>) {}
    fn index_of(_: &str) -> Option<usize> {
        None
    }
    fn deserialize_at<'de, A: MapAccess<'de>>(
        &mut self,
        _: usize,
        _: &mut A,
    ) -> Result<(), A::Error> {
        Err(serde::de::Error::custom("no extension at this index"))
    }
    fn serialize_entries<M: SerializeMap>(
        &self,
        _: &mut M,
        _: &SerCtx<'_>,
    ) -> Result<(), M::Error> {
        Ok(())
    }
    fn walk_extensions(&self, _: &mut dyn Visitor) {}
    fn present_urns(&self, _: &SerCtx<'_>, _: &mut dyn FnMut(&str)) {}
    fn clear_unknown(&mut self) {}
    fn slot(&self, _: TypeId) -> Option<&dyn Any> {
        None
    }
    fn slot_mut(&mut self, _: TypeId) -> Option<&mut dyn Any> {
        None
    }
}

/// The extensions of a resource generic over an [`ExtensionSet`], with typed access.
pub struct Extensions<E: ExtensionSet = ()> {
    slots: E::Slots,
}

impl<E: ExtensionSet> Extensions<E> {
    /// The extension of type `X`, when present.
    #[must_use]
    pub fn get<X: Extension>(&self) -> Option<&X> {
        self.slots
            .slot(TypeId::of::<X>())
            .and_then(|s| s.downcast_ref::<Option<X>>())
            .and_then(Option::as_ref)
    }

    /// Mutable access to the extension of type `X`, when present.
    #[must_use]
    pub fn get_mut<X: Extension>(&mut self) -> Option<&mut X> {
        self.slots
            .slot_mut(TypeId::of::<X>())
            .and_then(|s| s.downcast_mut::<Option<X>>())
            .and_then(Option::as_mut)
    }

    /// Sets the extension of type `X`, returning the previous value. Returns `Some(x)` back
    /// unchanged (as `Err`) when `E` does not include `X`.
    ///
    /// # Errors
    ///
    /// Gives `x` back when the set has no slot for `X`.
    pub fn try_insert<X: Extension>(&mut self, x: X) -> Result<Option<X>, X> {
        match self
            .slots
            .slot_mut(TypeId::of::<X>())
            .and_then(|s| s.downcast_mut::<Option<X>>())
        {
            Some(slot) => Ok(slot.replace(x)),
            None => Err(x),
        }
    }

    /// Sets the extension of type `X` (ignored when `E` does not include `X`; use
    /// [`Extensions::try_insert`] to find out).
    pub fn insert<X: Extension>(&mut self, x: X) {
        let _ = self.try_insert(x);
    }

    /// Removes and returns the extension of type `X`.
    pub fn remove<X: Extension>(&mut self) -> Option<X> {
        self.slots
            .slot_mut(TypeId::of::<X>())
            .and_then(|s| s.downcast_mut::<Option<X>>())
            .and_then(Option::take)
    }
}

impl<E: ExtensionSet> Default for Extensions<E> {
    fn default() -> Self {
        Self {
            slots: E::Slots::default(),
        }
    }
}

impl<E: ExtensionSet> Clone for Extensions<E> {
    fn clone(&self) -> Self {
        Self {
            slots: self.slots.clone(),
        }
    }
}

impl<E: ExtensionSet> PartialEq for Extensions<E> {
    fn eq(&self, other: &Self) -> bool {
        self.slots == other.slots
    }
}

impl<E: ExtensionSet> fmt::Debug for Extensions<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.slots.fmt(f)
    }
}

impl<E: ExtensionSet> ExtensionField for Extensions<E> {
    fn declare(out: &mut Vec<&'static SchemaDef>) {
        E::Slots::declare(out);
    }
    fn index_of(urn: &str) -> Option<usize> {
        E::Slots::index_of(urn)
    }
    fn deserialize_at<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        self.slots.deserialize_at(index, map)
    }
    fn serialize_entries<M: SerializeMap>(
        &self,
        map: &mut M,
        ctx: &SerCtx<'_>,
    ) -> Result<(), M::Error> {
        self.slots.serialize_entries(map, ctx)
    }
    fn walk_extensions(&self, visitor: &mut dyn Visitor) {
        self.slots.walk_extensions(visitor);
    }
    fn present_urns(&self, ctx: &SerCtx<'_>, f: &mut dyn FnMut(&str)) {
        self.slots.present_urns(ctx, f);
    }
    fn clear_unknown(&mut self) {
        self.slots.clear_unknown();
    }
    fn slot(&self, id: TypeId) -> Option<&dyn Any> {
        self.slots.slot(id)
    }
    fn slot_mut(&mut self, id: TypeId) -> Option<&mut dyn Any> {
        self.slots.slot_mut(id)
    }
}

/// What a typed handle ([`Api`](crate::client::Api)) needs of its resource type: implemented
/// by every [`Resource`] (derived, metadata known at compile time) and by
/// [`DynamicResource`](crate::DynamicResource) (metadata from a
/// [`ResourceSchema`](crate::ResourceSchema) at run time). Sealed: derive [`Resource`] instead.
///
/// Both kinds go through the same codec rules; only where the metadata comes from differs.
pub trait ResourceKind:
    Serialize + Clone + fmt::Debug + Send + Sync + Sized + 'static + sealed::Sealed
{
    /// The metadata a value of this kind is decoded with: nothing for a derived type (its
    /// metadata is in the type), the runtime schema for a dynamic resource.
    type Schema: Clone + fmt::Debug + Send + Sync + 'static;

    #[doc(hidden)]
    fn __endpoint(schema: &Self::Schema) -> &str;

    #[doc(hidden)]
    fn __core_urn(schema: &Self::Schema) -> &str;

    #[doc(hidden)]
    fn __encode(&self, context: crate::codec::Context, check: bool) -> Result<Vec<u8>, Error>;

    #[doc(hidden)]
    fn __encode_value(&self, context: crate::codec::Context) -> Result<Value, Error>;

    #[doc(hidden)]
    fn __decode(
        schema: &Self::Schema,
        bytes: &[u8],
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
    ) -> Result<Self, Error>;

    /// [`Self::__decode`] into `slot`, where a derived type is built in place.
    #[doc(hidden)]
    fn __decode_into(
        schema: &Self::Schema,
        bytes: &[u8],
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
        slot: &mut Option<Self>,
    ) -> Result<(), Error> {
        *slot = Some(Self::__decode(schema, bytes, context, policy)?);
        Ok(())
    }

    #[doc(hidden)]
    fn __decode_value(
        schema: &Self::Schema,
        value: Value,
        context: crate::codec::Context,
    ) -> Result<Self, Error>;

    #[doc(hidden)]
    fn __decode_list(
        schema: &Self::Schema,
        bytes: &[u8],
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
    ) -> Result<crate::protocol::ListResponse<Self>, Error>;

    #[doc(hidden)]
    fn __id(&self) -> Option<&str>;

    #[doc(hidden)]
    fn __version(&self) -> Option<&str>;

    #[doc(hidden)]
    fn __fill_version(&mut self, etag: String);

    /// The endpoint and (for a derived type, whose endpoint `discover` may replace) the
    /// static metadata of this value's type.
    #[doc(hidden)]
    fn __target(&self) -> Result<Target, Error>;
}

/// Where a resource is sent: its endpoint, and for a derived type its static core schema and
/// default endpoint (which `discover` may replace).
#[doc(hidden)]
pub type Target = (String, Option<(&'static SchemaDef, &'static str)>);

mod sealed {
    pub trait Sealed {}
    impl<R: super::Resource> Sealed for R {}
    impl Sealed for crate::DynamicResource {}
}

use crate::error::Error;

impl<R: Resource> ResourceKind for R {
    type Schema = ();

    fn __endpoint((): &()) -> &str {
        R::ENDPOINT
    }

    fn __core_urn((): &()) -> &str {
        &R::SCHEMA.id
    }

    fn __encode(&self, context: crate::codec::Context, check: bool) -> Result<Vec<u8>, Error> {
        if check {
            crate::codec::to_vec(self, context)
        } else {
            let ctx = SerCtx::new(context);
            serde_json::to_vec(&InContext::new(self, &ctx)).map_err(Error::Encode)
        }
    }

    fn __encode_value(&self, context: crate::codec::Context) -> Result<Value, Error> {
        crate::codec::to_value(self, context)
    }

    #[inline]
    fn __decode(
        (): &(),
        bytes: &[u8],
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
    ) -> Result<Self, Error> {
        crate::codec::from_slice_with(bytes, context, policy)
    }

    #[inline]
    fn __decode_into(
        (): &(),
        bytes: &[u8],
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
        slot: &mut Option<Self>,
    ) -> Result<(), Error> {
        crate::codec::decode_settled_into(bytes, context, policy, slot)
    }

    fn __decode_value(
        (): &(),
        value: Value,
        context: crate::codec::Context,
    ) -> Result<Self, Error> {
        crate::codec::from_value(value, context)
    }

    fn __decode_list(
        (): &(),
        bytes: &[u8],
        context: crate::codec::Context,
        policy: crate::codec::UnknownPolicy,
    ) -> Result<crate::protocol::ListResponse<Self>, Error> {
        crate::protocol::ListResponse::from_slice_with(bytes, context, policy)
    }

    fn __id(&self) -> Option<&str> {
        self.id()
    }

    fn __version(&self) -> Option<&str> {
        self.meta().and_then(|m| m.version.as_deref())
    }

    fn __fill_version(&mut self, etag: String) {
        if let Some(slot) = self.meta_mut() {
            let meta = slot.get_or_insert_with(Default::default);
            if meta.version.as_deref().is_none_or(str::is_empty) {
                meta.version = Some(etag);
            }
        }
    }

    fn __target(&self) -> Result<Target, Error> {
        Ok((R::ENDPOINT.to_owned(), Some((R::SCHEMA, R::ENDPOINT))))
    }
}
