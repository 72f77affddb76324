//! Context-aware serialization, parsing and validation, driven by attribute metadata.
//!
//! Every payload is written or read in a [`Context`] (RFC 7644's operations, request or
//! response side), which decides what is sent and what is accepted:
//!
//! - create, replace and bulk requests leave out `readOnly` attributes and require `required`
//!   ones; PATCH requests leave out `readOnly` attributes too;
//! - query and search requests never carry `writeOnly` attributes;
//! - responses are refused when a `returned: never` attribute is present (a password) or a
//!   `returned: always` one (`id`) is missing; in response serialization `attributes` and
//!   `excludedAttributes` ([`Projection`]) pick what is written;
//! - in every context empty values (`null`, `[]`, `{}`) are not written, and at most one value
//!   of a multi-valued attribute may be `primary`.
//!
//! ```
//! use scim_client::codec::{self, Context};
//! use scim_client::model::User;
//!
//! let json = br#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
//!                 "id":"2819c223","userName":"bjensen","meta":{"resourceType":"User"}}"#;
//! let user: User = codec::from_slice(json, Context::QueryResponse).unwrap();
//! // Creating it again leaves out the server-assigned, read-only `id` and `meta`.
//! let body = codec::to_value(&user, Context::CreateRequest).unwrap();
//! assert_eq!(body, serde_json::json!({
//!     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
//!     "userName": "bjensen"
//! }));
//! ```

use std::cell::Cell;
use std::fmt;

use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, Rule, Violation, Violations};
use crate::resource::Resource;
use crate::schema::{Attribute, AttributeType, Mutability, Returned, SchemaDef};
use crate::value::{ScimValue, ValueRef, Visitor, Walk};

/// Where a payload travels: which operation, request or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Context {
    /// No SCIM rules: plain camelCase JSON without empty values.
    #[default]
    Default,
    /// `POST /Users` body.
    CreateRequest,
    /// `POST /Users` answer.
    CreateResponse,
    /// `GET` query parameters.
    QueryRequest,
    /// `GET` answer.
    QueryResponse,
    /// `PUT` body.
    ReplaceRequest,
    /// `PUT` answer.
    ReplaceResponse,
    /// `POST /.search` body.
    SearchRequest,
    /// `POST /.search` answer.
    SearchResponse,
    /// `PATCH` body.
    PatchRequest,
    /// `PATCH` answer.
    PatchResponse,
    /// `POST /Bulk` operation data.
    BulkRequest,
    /// `POST /Bulk` answer.
    BulkResponse,
}

impl Context {
    /// Whether this is a request context.
    #[must_use]
    #[inline]
    pub const fn is_request(self) -> bool {
        matches!(
            self,
            Self::CreateRequest
                | Self::QueryRequest
                | Self::ReplaceRequest
                | Self::SearchRequest
                | Self::PatchRequest
                | Self::BulkRequest
        )
    }

    /// Whether this is a response context.
    #[must_use]
    #[inline]
    pub const fn is_response(self) -> bool {
        matches!(
            self,
            Self::CreateResponse
                | Self::QueryResponse
                | Self::ReplaceResponse
                | Self::SearchResponse
                | Self::PatchResponse
                | Self::BulkResponse
        )
    }

    /// Whether `readOnly` attributes are left out when writing (create, replace, patch, bulk).
    const fn drops_read_only(self) -> bool {
        matches!(
            self,
            Self::CreateRequest | Self::ReplaceRequest | Self::PatchRequest | Self::BulkRequest
        )
    }

    /// Whether `required` attributes must be present (create, replace, bulk).
    const fn checks_required(self) -> bool {
        matches!(
            self,
            Self::CreateRequest | Self::ReplaceRequest | Self::BulkRequest
        )
    }

    /// Whether `writeOnly` attributes are forbidden (query, search).
    const fn forbids_write_only(self) -> bool {
        matches!(self, Self::QueryRequest | Self::SearchRequest)
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Default => "the default context",
            Self::CreateRequest => "a create request",
            Self::CreateResponse => "a create response",
            Self::QueryRequest => "a query request",
            Self::QueryResponse => "a query response",
            Self::ReplaceRequest => "a replace request",
            Self::ReplaceResponse => "a replace response",
            Self::SearchRequest => "a search request",
            Self::SearchResponse => "a search response",
            Self::PatchRequest => "a patch request",
            Self::PatchResponse => "a patch response",
            Self::BulkRequest => "a bulk request",
            Self::BulkResponse => "a bulk response",
        })
    }
}

/// What to do with attributes and extensions a type does not model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UnknownPolicy {
    /// Keep them (in the `#[scim(unknown)]` map) and send them back (the default), so a
    /// read-then-replace never drops server data.
    #[default]
    Keep,
    /// Drop them after parsing.
    Ignore,
    /// Refuse the payload, naming them.
    Refuse,
}

/// `attributes` / `excludedAttributes` (RFC 7644 section 3.9): short (`userName`), dotted
/// (`name.familyName`) or URN-qualified names, matched case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projection {
    attributes: Vec<Entry>,
    excluded: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    raw: String,
    urn: Option<String>,
    attr: String,
    sub: Option<String>,
}

impl Entry {
    fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let (urn, rest) = if is_urn(raw) {
            match raw.rfind(':') {
                Some(i) => (Some(raw[..i].to_owned()), &raw[i + 1..]),
                None => (None, raw),
            }
        } else {
            (None, raw)
        };
        let (attr, sub) = match rest.split_once('.') {
            Some((a, s)) => (a.to_owned(), Some(s.to_owned())),
            None => (rest.to_owned(), None),
        };
        Self {
            raw: raw.to_owned(),
            urn,
            attr,
            sub,
        }
    }

    /// Whether this entry names the attribute at (`urn`, `parent`, `name`) or an ancestor of
    /// it; with `or_child`, also when it names one of its sub-attributes (`name.familyName`
    /// names `name`).
    fn names(&self, urn: &str, parent: Option<&str>, name: &str, or_child: bool) -> bool {
        // A whole-schema entry (`urn:...:enterprise:2.0:User`) names everything inside.
        if self.raw.eq_ignore_ascii_case(urn) {
            return true;
        }
        if self
            .urn
            .as_deref()
            .is_some_and(|u| !u.eq_ignore_ascii_case(urn))
        {
            return false;
        }
        match parent {
            None => self.attr.eq_ignore_ascii_case(name) && (or_child || self.sub.is_none()),
            Some(p) => {
                self.attr.eq_ignore_ascii_case(p)
                    && self
                        .sub
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case(name))
            }
        }
    }
}

impl Projection {
    /// A projection that asks for these attributes only (plus the `returned: always` ones).
    #[must_use]
    pub fn attributes<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self {
            attributes: names
                .into_iter()
                .map(|n| Entry::parse(n.as_ref()))
                .collect(),
            excluded: Vec::new(),
        }
    }

    /// A projection that leaves these attributes out (unless `returned: always`).
    #[must_use]
    pub fn excluded<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self {
            attributes: Vec::new(),
            excluded: names
                .into_iter()
                .map(|n| Entry::parse(n.as_ref()))
                .collect(),
        }
    }

    /// Whether an attribute with this metadata, at (`urn`, `parent`), is returned.
    #[must_use]
    pub fn returns(&self, attr: &Attribute, urn: &str, parent: Option<&str>) -> bool {
        match attr.returned {
            Returned::Never => false,
            Returned::Always => true,
            Returned::Request => self
                .attributes
                .iter()
                .any(|e| e.names(urn, parent, &attr.name, true)),
            Returned::Default => {
                if self.attributes.is_empty() {
                    !self
                        .excluded
                        .iter()
                        .any(|e| e.names(urn, parent, &attr.name, false))
                } else {
                    self.attributes
                        .iter()
                        .any(|e| e.names(urn, parent, &attr.name, true))
                }
            }
        }
    }

    fn returns_schema(&self, schema: &SchemaDef) -> bool {
        if self.attributes.is_empty() {
            return !self
                .excluded
                .iter()
                .any(|e| e.raw.eq_ignore_ascii_case(&schema.id));
        }
        self.attributes.iter().any(|e| {
            e.raw.eq_ignore_ascii_case(&schema.id)
                || e.urn
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(&schema.id))
                || (e.urn.is_none() && schema.attribute(&e.attr).is_some())
        })
    }
}

/// The state of a context-aware serialization: the context, the projection, and where in the
/// resource the writer is. Generated code asks it which attributes to write.
#[derive(Debug, Clone, Copy)]
pub struct SerCtx<'a> {
    context: Context,
    projection: Option<&'a Projection>,
    urn: &'a str,
    parent: Option<&'a str>,
    /// Set when something written may break a rule of the context; the full check then runs.
    suspect: Option<&'a Cell<bool>>,
}

impl<'a> SerCtx<'a> {
    /// The context with no SCIM rules.
    pub const DEFAULT: SerCtx<'static> = SerCtx::new(Context::Default);

    /// A fresh writer state for `context`.
    #[must_use]
    pub const fn new(context: Context) -> SerCtx<'static> {
        SerCtx {
            context,
            projection: None,
            urn: "",
            parent: None,
            suspect: None,
        }
    }

    /// The same, raising `flag` whenever a value may break a rule of the context (a required
    /// attribute left empty, a write-only one in a query, two primary values).
    #[must_use]
    pub fn with_suspect(self, flag: &'a Cell<bool>) -> SerCtx<'a> {
        SerCtx {
            suspect: Some(flag),
            ..self
        }
    }

    /// The same without a suspect flag (for questions that must not raise it).
    #[must_use]
    #[inline]
    pub fn without_suspect(self) -> SerCtx<'a> {
        SerCtx {
            suspect: None,
            ..self
        }
    }

    /// Raises the suspect flag, if any.
    #[inline]
    pub fn flag(&self) {
        if let Some(f) = self.suspect {
            f.set(true);
        }
    }

    /// The same, with `attributes`/`excludedAttributes` applied (response contexts only).
    #[must_use]
    pub fn with_projection(self, projection: &'a Projection) -> SerCtx<'a> {
        SerCtx {
            projection: Some(projection),
            ..self
        }
    }

    /// The context.
    #[must_use]
    #[inline]
    pub fn context(&self) -> Context {
        self.context
    }

    /// Whether the context leaves `attr` out whatever its value (a read-only attribute in a
    /// create, replace, patch or bulk request): its emptiness need not be computed.
    #[must_use]
    #[inline]
    pub fn drops(&self, attr: &Attribute) -> bool {
        self.context.drops_read_only() && attr.mutability == Mutability::ReadOnly
    }

    /// Whether to write the attribute `attr` whose value is empty or not.
    #[inline]
    #[must_use]
    pub fn keep(&self, attr: &Attribute, empty: bool) -> bool {
        let c = self.context;
        if empty {
            if c.checks_required() && attr.required && attr.mutability != Mutability::ReadOnly {
                self.flag();
            }
            return false;
        }
        if c.drops_read_only() && attr.mutability == Mutability::ReadOnly {
            return false;
        }
        if c.forbids_write_only() && attr.mutability == Mutability::WriteOnly {
            self.flag();
            return false;
        }
        if c.is_response() {
            return match self.projection {
                Some(p) => p.returns(attr, self.urn, self.parent),
                None => !matches!(attr.returned, Returned::Never | Returned::Request),
            };
        }
        true
    }

    /// [`SerCtx::keep`] for an attribute known (by the derive) to be read-write or immutable,
    /// not required and returned by default: only emptiness and a response's projection
    /// decide.
    #[inline]
    #[must_use]
    pub fn keep_plain(&self, attr: &Attribute, empty: bool) -> bool {
        !empty
            && match self.projection {
                Some(p) if self.context.is_response() => p.returns(attr, self.urn, self.parent),
                _ => true,
            }
    }

    /// Whether to write a value of `attr` whose emptiness `empty` tells:
    /// [`SerCtx::keep_plain`] when the derive found the attribute `plain`, else
    /// [`SerCtx::keep`] (after [`SerCtx::drops`], so a dropped value's emptiness is not
    /// computed).
    #[inline]
    #[must_use]
    pub fn keeps(&self, attr: &Attribute, plain: bool, empty: impl FnOnce() -> bool) -> bool {
        if plain {
            self.keep_plain(attr, empty())
        } else {
            !self.drops(attr) && self.keep(attr, empty())
        }
    }

    /// Whether this context may leave out an attribute of a type whose attributes have the
    /// characteristics in `mask` (see [`drop_mask`]). When it cannot, emptiness in the context
    /// is plain emptiness.
    #[inline]
    #[must_use]
    pub fn may_drop(&self, mask: u8) -> bool {
        let c = self.context;
        (c.drops_read_only() && mask & MASK_READ_ONLY != 0)
            || (c.forbids_write_only() && mask & MASK_WRITE_ONLY != 0)
            || (c.is_response() && (self.projection.is_some() || mask & MASK_NOT_DEFAULT != 0))
    }

    /// Whether to write the extension `schema` at all.
    #[must_use]
    #[inline]
    pub fn keep_schema(&self, schema: &SchemaDef) -> bool {
        !self.context.is_response() || self.projection.is_none_or(|p| p.returns_schema(schema))
    }

    /// Whether to write attributes the type does not model.
    #[must_use]
    #[inline]
    pub fn keep_unknown(&self) -> bool {
        // When `attributes` names what to write, a server writes only that; unknown attributes
        // are not described, so they cannot be matched. `excludedAttributes` leaves them in.
        !(self.context.is_response() && self.projection.is_some_and(|p| !p.attributes.is_empty()))
    }

    /// The state for the sub-attributes of `attr`.
    #[must_use]
    #[inline]
    pub fn child(&self, attr: &'a Attribute) -> SerCtx<'a> {
        SerCtx {
            parent: Some(&attr.name),
            ..*self
        }
    }

    /// The state for the attributes of schema `urn` (the core schema or an extension).
    #[must_use]
    #[inline]
    pub fn in_schema(&self, urn: &'a str) -> SerCtx<'a> {
        SerCtx {
            urn,
            parent: None,
            ..*self
        }
    }
}

const MASK_READ_ONLY: u8 = 1;
const MASK_WRITE_ONLY: u8 = 2;
const MASK_NOT_DEFAULT: u8 = 4;

/// Summarises the characteristics of `attributes` (and their sub-attributes) that a context
/// may drop on: read-only, write-only, returned never or on request. Computed at compile time
/// for derived types.
#[must_use]
pub const fn drop_mask(attributes: &[Attribute]) -> u8 {
    let mut mask = 0;
    let mut i = 0;
    while i < attributes.len() {
        let a = &attributes[i];
        mask |= match a.mutability {
            Mutability::ReadOnly => MASK_READ_ONLY,
            Mutability::WriteOnly => MASK_WRITE_ONLY,
            Mutability::ReadWrite | Mutability::Immutable => 0,
        };
        if matches!(a.returned, Returned::Never | Returned::Request) {
            mask |= MASK_NOT_DEFAULT;
        }
        if let std::borrow::Cow::Borrowed(subs) = &a.sub_attributes {
            mask |= drop_mask(subs);
        } else {
            mask = MASK_READ_ONLY | MASK_WRITE_ONLY | MASK_NOT_DEFAULT;
        }
        i += 1;
    }
    mask
}

/// [`check_mask`] bits: the attribute's own value can break a `required` rule (required and
/// not read-only), a `writeOnly` rule, a `returned` rule (never or always returned).
const CHECK_REQUIRED: u16 = 0x01;
const CHECK_WRITE_ONLY: u16 = 0x02;
const CHECK_RETURNED: u16 = 0x04;
/// The attribute is complex (its sub-attributes and `primary` values may break rules).
const CHECK_COMPLEX: u16 = 0x08;
/// The same three rules, for some sub-attribute (shifted by 4).
const CHECK_SUB_SHIFT: u16 = 4;
/// Values are walked into whatever the context: no sub-attribute is declared, or one is
/// complex itself.
const CHECK_NESTED: u16 = 0x100;
/// Set in every mask, so a visitor interested in everything sees every attribute.
const CHECK_ANY: u16 = 0x8000;

/// The rules `a`'s own value can break, as [`check_mask`] bits.
const fn rule_bits(a: &Attribute) -> u16 {
    let mut m = 0;
    if a.required && !matches!(a.mutability, Mutability::ReadOnly) {
        m |= CHECK_REQUIRED;
    }
    if matches!(a.mutability, Mutability::WriteOnly) {
        m |= CHECK_WRITE_ONLY;
    }
    if matches!(a.returned, Returned::Never | Returned::Always) {
        m |= CHECK_RETURNED;
    }
    m
}

/// The sub-attributes of `a`.
const fn subs_of(a: &Attribute) -> &[Attribute] {
    match &a.sub_attributes {
        std::borrow::Cow::Borrowed(subs) => subs,
        std::borrow::Cow::Owned(subs) => subs.as_slice(),
    }
}

/// What the validation of a value of `a` may have to look at, as bits: the rules of its own
/// value, whether it is complex, and the rules of its sub-attributes. Computed at compile time
/// for derived types, so a walk skips, without a call, every attribute a context has no rule
/// for.
#[must_use]
pub const fn check_mask(a: &Attribute) -> u16 {
    let mut m = CHECK_ANY | rule_bits(a);
    if !matches!(a.ty, AttributeType::Complex) {
        return m;
    }
    m |= CHECK_COMPLEX;
    let subs = subs_of(a);
    if subs.is_empty() {
        return m | CHECK_NESTED;
    }
    let mut i = 0;
    while i < subs.len() {
        m |= rule_bits(&subs[i]) << CHECK_SUB_SHIFT;
        if !subs_of(&subs[i]).is_empty() {
            m |= CHECK_NESTED;
        }
        i += 1;
    }
    m
}

/// A value paired with a writer state; serializes with the context's rules.
pub struct InContext<'a, T> {
    value: &'a T,
    ctx: &'a SerCtx<'a>,
}

impl<'a, T> InContext<'a, T> {
    /// Pairs `value` with `ctx`.
    #[must_use]
    #[inline]
    pub fn new(value: &'a T, ctx: &'a SerCtx<'a>) -> Self {
        Self { value, ctx }
    }
}

impl<T: ScimValue> Serialize for InContext<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize_in(serializer, self.ctx)
    }
}

/// Serializes a resource to JSON in `context`, after checking it against the context's rules
/// (request contexts only).
///
/// # Errors
///
/// [`Error::RequestValidation`] naming every broken rule; [`Error::Encode`] if serde fails.
pub fn to_value<R: Resource>(resource: &R, context: Context) -> Result<Value, Error> {
    let suspect = Cell::new(false);
    let ctx = SerCtx::new(context).with_suspect(&suspect);
    let value = serde_json::to_value(InContext::new(resource, &ctx)).map_err(Error::Encode)?;
    check_request(resource, context, suspect.get())?;
    Ok(value)
}

/// Serializes a resource to JSON bytes in `context`, after checking it (request contexts).
///
/// # Errors
///
/// As [`to_value`].
pub fn to_vec<R: Resource>(resource: &R, context: Context) -> Result<Vec<u8>, Error> {
    let suspect = Cell::new(false);
    let ctx = SerCtx::new(context).with_suspect(&suspect);
    let mut bytes = Vec::with_capacity(size_hint());
    serde_json::to_writer(&mut bytes, &InContext::new(resource, &ctx)).map_err(Error::Encode)?;
    remember_size(bytes.len());
    check_request(resource, context, suspect.get())?;
    Ok(bytes)
}

/// The size of the last payload written, bounded: payloads a client writes are mostly alike
/// (a user after a user), so the next buffer starts that large instead of growing (and being
/// copied) from a few bytes.
static LAST_SIZE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Bounds of the starting size of a payload buffer.
const MIN_BUFFER: usize = 128;
const MAX_BUFFER: usize = 64 * 1024;

fn size_hint() -> usize {
    LAST_SIZE
        .load(std::sync::atomic::Ordering::Relaxed)
        .clamp(MIN_BUFFER, MAX_BUFFER)
}

fn remember_size(len: usize) {
    // A little headroom, so a slightly longer payload fits too.
    LAST_SIZE.store(len + len / 8, std::sync::atomic::Ordering::Relaxed);
}

/// Serializes a resource as a server answers, applying `attributes`/`excludedAttributes`.
///
/// # Errors
///
/// [`Error::Encode`] if serde fails.
pub fn to_value_projected<R: Resource>(
    resource: &R,
    context: Context,
    projection: &Projection,
) -> Result<Value, Error> {
    let ctx = SerCtx::new(context).with_projection(projection);
    serde_json::to_value(InContext::new(resource, &ctx)).map_err(Error::Encode)
}

/// The full rule check of a request payload, run when serialization raised the suspect flag
/// or the type declares a required extension (serialization cannot see a missing one).
fn check_request<R: Resource>(resource: &R, context: Context, suspect: bool) -> Result<(), Error> {
    if context.is_request() && (suspect || R::HAS_REQUIRED_EXTENSION) {
        let v = violations(resource, context, UnknownPolicy::Keep);
        if !v.is_empty() {
            return Err(Error::RequestValidation(Violations(v)));
        }
    }
    Ok(())
}

/// Parses and validates a resource received in `context`, keeping unknown attributes.
///
/// # Errors
///
/// [`Error::Decode`] with the JSON path of the first decoding failure;
/// [`Error::ResponseValidation`] (response contexts) or [`Error::RequestValidation`] (request
/// contexts) naming every broken rule.
pub fn from_slice<R: Resource>(bytes: &[u8], context: Context) -> Result<R, Error> {
    from_slice_with(bytes, context, UnknownPolicy::Keep)
}

/// [`from_slice`] with an explicit policy for attributes the type does not model.
///
/// # Errors
///
/// As [`from_slice`]; with [`UnknownPolicy::Refuse`], unknown attributes are violations.
#[inline]
pub fn from_slice_with<R: Resource>(
    bytes: &[u8],
    context: Context,
    policy: UnknownPolicy,
) -> Result<R, Error> {
    let mut slot = None;
    decode_settled_into(bytes, context, policy, &mut slot)?;
    take_decoded(slot, R::RESOURCE_TYPE)
}

/// [`from_slice_with`] into `slot`: a resource is a large value, built and checked in place
/// rather than moved through each layer's result.
pub(crate) fn decode_settled_into<R: Resource>(
    bytes: &[u8],
    context: Context,
    policy: UnknownPolicy,
    slot: &mut Option<R>,
) -> Result<(), Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    if let Err(fast) = R::__deserialize_into(&mut de, slot).and_then(|()| de.end()) {
        *slot = None;
        return Err(decode_error::<R>(bytes, R::RESOURCE_TYPE, fast));
    }
    match slot {
        Some(resource) => settle(resource, context, policy),
        None => Ok(()),
    }
}

/// The value a successful `decode_settled_into` left in its slot.
///
/// # Errors
///
/// [`Error::Decode`] if there is none (a deserializer that reported success without a value).
pub(crate) fn take_decoded<T>(slot: Option<T>, what: &'static str) -> Result<T, Error> {
    slot.ok_or_else(|| Error::Decode {
        what,
        path: String::from("."),
        source: serde::de::Error::custom("the decoder produced no value"),
    })
}

/// Decodes JSON bytes into `T`. The happy path runs `serde_json` alone; only when it fails is the
/// input decoded again with path tracking, so the error names the JSON path of the failure
/// without slowing down every parse.
///
/// # Errors
///
/// [`Error::Decode`] with the JSON path (`Resources[3].emails[0].primary`).
#[inline]
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &'static str,
) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|fast| decode_error::<T>(bytes, what, fast))
}

/// The error of a failed [`decode`]: the input decoded again with path tracking.
#[cold]
#[inline(never)]
fn decode_error<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &'static str,
    fast: serde_json::Error,
) -> Error {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let tracked: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match tracked {
        Err(e) => Error::decode(what, e),
        // Trailing characters after a valid value: only the fast path checks them.
        Ok(_) => Error::Decode {
            what,
            path: String::from("."),
            source: fast,
        },
    }
}

/// [`from_slice`] from an already-parsed JSON value.
///
/// # Errors
///
/// As [`from_slice`].
pub fn from_value<R: Resource>(value: Value, context: Context) -> Result<R, Error> {
    let mut resource: R =
        serde_path_to_error::deserialize(value).map_err(|e| Error::decode(R::RESOURCE_TYPE, e))?;
    settle(&mut resource, context, UnknownPolicy::Keep)?;
    Ok(resource)
}

/// Applies the unknown-attribute policy and validates a freshly parsed resource.
pub(crate) fn settle<R: Resource>(
    resource: &mut R,
    context: Context,
    policy: UnknownPolicy,
) -> Result<(), Error> {
    if policy == UnknownPolicy::Ignore {
        resource.clear_unknown();
    }
    validate(resource, context, policy)
}

/// Checks a resource against the rules of `context`, returning every violation.
///
/// # Errors
///
/// [`Error::RequestValidation`] or [`Error::ResponseValidation`] (by context) listing every
/// broken rule with the attribute path.
pub fn validate<R: Resource>(
    resource: &R,
    context: Context,
    policy: UnknownPolicy,
) -> Result<(), Error> {
    let v = violations(resource, context, policy);
    if v.is_empty() {
        Ok(())
    } else if context.is_request() {
        Err(Error::RequestValidation(Violations(v)))
    } else {
        Err(Error::ResponseValidation(Violations(v)))
    }
}

/// Collects the violations of a resource in `context` (an empty list when it is valid).
#[must_use]
pub fn violations<R: Resource>(
    resource: &R,
    context: Context,
    policy: UnknownPolicy,
) -> Vec<Violation> {
    // Only creates and replaces check required extensions: no list to build otherwise.
    let required: Vec<&SchemaDef> = if context.checks_required() {
        R::extensions()
            .into_iter()
            .filter(|e| e.required)
            .map(|e| e.schema)
            .collect()
    } else {
        Vec::new()
    };
    violations_of(resource, context, policy, &required, &|| resource.schemas())
}

/// The violations of any resource, derived or dynamic: the walk's, then the `required`
/// extensions missing from what `present` lists (asked only when some extension is required).
pub(crate) fn violations_of(
    resource: &dyn Walk,
    context: Context,
    policy: UnknownPolicy,
    required: &[&SchemaDef],
    present: &dyn Fn() -> Vec<String>,
) -> Vec<Violation> {
    let mut checker = Checker::new(context, policy);
    resource.walk(&mut checker);
    if context.checks_required() && !required.is_empty() {
        let present = present();
        for ext in required {
            if !present.iter().any(|s| s.eq_ignore_ascii_case(&ext.id)) {
                checker.out.push(Violation {
                    attribute: ext.id.to_string(),
                    rule: Rule::RequiredExtension,
                    context,
                });
            }
        }
    }
    checker.out
}

/// Validates any walkable value (a dynamic resource, a complex value) in `context`.
#[must_use]
pub fn walk_violations(
    value: &dyn Walk,
    context: Context,
    policy: UnknownPolicy,
) -> Vec<Violation> {
    let mut checker = Checker::new(context, policy);
    value.walk(&mut checker);
    checker.out
}

struct Checker {
    context: Context,
    policy: UnknownPolicy,
    /// The [`check_mask`] rule bits this context checks (`required`, `writeOnly`,
    /// `returned`), decided once.
    rules: u16,
    drops_read_only: bool,
    /// The path of the value being walked, ending with `.` or `:` when not empty
    /// (`urn:...:User:manager.`, `emails[1].`); reused, so walking allocates nothing.
    prefix: String,
    out: Vec<Violation>,
}

impl Checker {
    fn new(context: Context, policy: UnknownPolicy) -> Self {
        let mut rules = 0;
        if context.checks_required() {
            rules |= CHECK_REQUIRED;
        }
        if context.forbids_write_only() {
            rules |= CHECK_WRITE_ONLY;
        }
        if context.is_response() {
            rules |= CHECK_RETURNED;
        }
        Self {
            context,
            policy,
            rules,
            drops_read_only: context.drops_read_only(),
            prefix: String::new(),
            out: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, rule: Rule) {
        let attribute = format!("{}{name}", self.prefix);
        self.out.push(Violation {
            attribute,
            rule,
            context: self.context,
        });
    }

    /// Walks `c` with `name` (and `[index]`) appended to the path.
    fn descend(&mut self, name: &str, index: Option<usize>, c: &dyn Walk) {
        use std::fmt::Write as _;
        let len = self.prefix.len();
        self.prefix.push_str(name);
        if let Some(i) = index {
            let _ = write!(self.prefix, "[{i}]");
        }
        self.prefix.push('.');
        c.walk(self);
        self.prefix.truncate(len);
    }

    /// The rules `own` (of this context) on `attr`'s own value.
    fn check_value(&mut self, attr: &Attribute, own: u16, value: ValueRef<'_>, empty: bool) {
        if own & CHECK_REQUIRED != 0 && empty {
            self.push(&attr.name, Rule::Required);
        }
        if own & CHECK_WRITE_ONLY != 0 && !empty {
            self.push(&attr.name, Rule::WriteOnly);
        }
        if own & CHECK_RETURNED != 0 {
            if attr.returned == Returned::Never && !empty {
                self.push(&attr.name, Rule::ReturnedNever);
            }
            // An empty string (`"id": ""`) is no value either: nothing can address it.
            if attr.returned == Returned::Always && (empty || matches!(value, ValueRef::String("")))
            {
                self.push(&attr.name, Rule::ReturnedAlways);
            }
        }
    }
}

fn is_primary(v: ValueRef<'_>) -> bool {
    match v {
        ValueRef::Complex(c) => c.is_primary_walk(),
        ValueRef::Json(Value::Object(o)) => {
            crate::value::get_ci(o, "primary") == Some(&Value::Bool(true))
        }
        _ => false,
    }
}

impl Visitor for Checker {
    fn interest(&self) -> u16 {
        self.rules | CHECK_COMPLEX
    }

    fn attribute(&mut self, attr: &Attribute, value: ValueRef<'_>) {
        self.attribute_masked(attr, check_mask(attr), value);
    }

    fn attribute_masked(&mut self, attr: &Attribute, mask: u16, value: ValueRef<'_>) {
        let own = mask & self.rules;
        let complex = mask & CHECK_COMPLEX != 0;
        // Most attributes can break no rule of the context: their value is not even looked at.
        if own == 0 && !complex {
            return;
        }
        let empty = value.is_empty();
        if own != 0 {
            self.check_value(attr, own, value, empty);
        }
        if empty || !complex {
            return;
        }
        // What a request does not send is not checked.
        if self.drops_read_only && attr.mutability == Mutability::ReadOnly {
            return;
        }
        // Sub-attributes are checked only inside values that are present.
        let descend = self.policy == UnknownPolicy::Refuse
            || mask & CHECK_NESTED != 0
            || (mask >> CHECK_SUB_SHIFT) & self.rules != 0;
        match value {
            ValueRef::Complex(inner) if descend => self.descend(&attr.name, None, inner),
            ValueRef::Multi(items) => {
                // Two primaries need two values.
                let check_primary =
                    items.len() > 1 && self.context != Context::Default && attr.multi_valued;
                if !check_primary && !descend {
                    return;
                }
                let mut primaries = 0;
                for i in 0..items.len() {
                    let item = items.get(i);
                    if check_primary && is_primary(item) {
                        primaries += 1;
                    }
                    if descend && let ValueRef::Complex(inner) = item {
                        self.descend(&attr.name, Some(i), inner);
                    }
                }
                if primaries > 1 && attr.sub_attribute("primary").is_some() {
                    self.push(&attr.name, Rule::PrimaryUniqueness);
                }
            }
            _ => {}
        }
    }

    fn extension(&mut self, schema: &SchemaDef, value: Option<&dyn Walk>) {
        if let Some(v) = value {
            let len = self.prefix.len();
            self.prefix.push_str(&schema.id);
            self.prefix.push(':');
            v.walk(self);
            self.prefix.truncate(len);
        }
    }

    fn unknown(&mut self, key: &str, _: &Value) {
        if self.policy == UnknownPolicy::Refuse {
            self.push(key, Rule::Unknown);
        }
    }
}

/// Whether a key is a schema URN (`urn:...`, case-insensitively).
#[must_use]
pub fn is_urn(key: &str) -> bool {
    key.len() > 4 && key.as_bytes()[..4].eq_ignore_ascii_case(b"urn:")
}

/// `endpoint/{id}` with the id percent-encoded as one path segment (RFC 3986: everything but
/// unreserved characters, sub-delims, `:` and `@` is encoded, so `/`, `?`, `#` and `%` cannot
/// change the URL's structure).
#[must_use]
pub fn resource_path(endpoint: &str, id: &str) -> String {
    /// What a path segment may hold as is: unreserved characters, sub-delims, `:` and `@`.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'!')
        .remove(b'$')
        .remove(b'&')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b'+')
        .remove(b',')
        .remove(b';')
        .remove(b'=')
        .remove(b':')
        .remove(b'@');
    let mut out = String::with_capacity(endpoint.len() + id.len() + 1);
    out.push_str(endpoint.trim_end_matches('/'));
    out.push('/');
    // Runs of characters kept as is are copied whole.
    out.extend(percent_encoding::utf8_percent_encode(id, SEGMENT));
    out
}
