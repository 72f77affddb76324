//! Applying and computing PATCH operations (RFC 7644 section 3.5.2) locally.
//!
//! Everything here works on a resource's JSON (`serde_json::Value`) together with runtime
//! metadata ([`Schemas`]: the core [`SchemaDef`] and the extension ones), so the same code
//! serves derived types and schemas discovered from a server; [`apply_to`] and
//! [`diff_resources`] wrap it for typed [`Resource`]s.
//!
//! - [`apply`] runs a [`PatchOp`] the way a service provider does: operations in order, all or
//!   nothing, with the RFC's `add` / `remove` / `replace` semantics, value-filtered paths
//!   (`emails[type eq "work"].value`), case-insensitive attribute names, URN-qualified paths
//!   into extensions, mutability rules and `primary` demotion.
//! - [`diff`] computes the operations that turn one state of a resource into another, on every
//!   writable attribute.
//! - [`check`] (also [`PatchOp::check`]) validates a patch against the metadata before it is
//!   sent: paths resolve (with a suggestion for a typo), targets are writable, values fit the
//!   attribute types, and, given the resource's current state, immutable attributes are only
//!   added while absent.
//!
//! ```
//! use scim_client::model::User;
//! use scim_client::patch::{self, Schemas};
//! use scim_client::protocol::PatchOp;
//! use serde_json::json;
//!
//! let schemas = Schemas::of::<User>();
//! let mut user = json!({
//!     "userName": "bjensen",
//!     "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}]
//! });
//! let patch = PatchOp::new()
//!     .replace("NAME.givenName", "Barbara")
//!     .add("emails", json!([{"value": "babs@jensen.org", "type": "home", "primary": true}]));
//! patch::apply(&mut user, &patch, &schemas)?;
//! assert_eq!(user["name"], json!({"givenName": "Barbara"}));
//! // The new primary email demoted the old one.
//! assert_eq!(user["emails"][0]["primary"], json!(false));
//!
//! let before = json!({"userName": "bjensen", "emails": [{"value": "a@example.com"}]});
//! let after = json!({"userName": "bjensen", "emails": [{"value": "b@example.com"}]});
//! let ops = patch::diff(&before, &after, &schemas);
//! assert_eq!(serde_json::to_value(&ops)?["Operations"], json!([
//!     {"op": "replace", "path": "emails", "value": [{"value": "b@example.com"}]}
//! ]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What [`apply`] does, operation by operation:
//!
//! | `op` | target | effect |
//! |---|---|---|
//! | `add` | no `path` | each member of the `value` object is added as if it had been the path: keys may be attribute names, paths (`name.givenName`) or extension URNs (with an object of that extension's attributes) |
//! | `add` | multi-valued attribute | the values are appended, except those already present (equal JSON) |
//! | `add` | complex attribute | the sub-attributes of `value` are merged in |
//! | `add` | single-valued attribute | the value is set |
//! | `replace` | no `path` | as `add` without a path, but multi-valued attributes are replaced whole |
//! | `replace` | attribute | set (complex attributes: sub-attributes merged, the others left alone); `null` unassigns |
//! | `replace` | `attr[filter]` | every matching value is replaced; none matching is `noTarget` |
//! | `add` | `attr[filter]` | the members of `value` are merged into every matching value; none matching is `noTarget` |
//! | `replace` / `add` | `attr[filter].sub` | the sub-attribute of every matching value is set; none matching is `noTarget` |
//! | `remove` | attribute | removed (unassigned); absent is not an error |
//! | `remove` | `attr[filter]` | matching values removed, the attribute unassigned when none remain |
//! | `remove` | extension URN | the whole extension removed |
//!
//! And the rules around them:
//!
//! - A `path` to an attribute the schemas do not define is `invalidPath`, as is a malformed
//!   one. Attribute names and URNs match in any case, and values are written back with the
//!   schema's spelling (`nickname` becomes `nickName`). An unqualified name that only an
//!   extension defines resolves to that extension.
//! - Writing into an extension adds its URN to `schemas` (when the resource has `schemas`);
//!   removing its last attribute removes the extension object and the URN.
//! - A `readOnly` target (at any level: `id`, `meta`, `groups`,
//!   `urn:...:enterprise:2.0:User:manager.displayName`) is a `mutability` error. `readOnly`
//!   sub-attributes inside a complex value are ignored, as RFC 7644 section 3.5.1 asks for
//!   PUT. An `immutable` attribute may be added when it has no value and "replaced" with an
//!   equal one; anything else is a `mutability` error, as is removing a `required` attribute.
//! - Values are checked against the attribute's type (`invalidValue`): strings for string,
//!   reference, dateTime and binary attributes, booleans, integers, numbers, objects for
//!   complex attributes. Two tolerances for Microsoft Entra ID: a boolean may be sent as the
//!   string `"True"` / `"False"` (any case), and a complex attribute with a `value`
//!   sub-attribute may be given that value alone (`"manager": "26118915"` is
//!   `{"value": "26118915"}`).
//! - Setting `primary: true` on values of a multi-valued attribute sets it to `false` on the
//!   others; two new primary values in one operation are `invalidValue`.
//! - `remove` without a `path` is `noTarget`. A `remove` of a multi-valued attribute carrying
//!   a `value` (as Entra ID sends to remove group members) removes the values listed: those
//!   with the same `value` sub-attribute, or equal ones. Any other `remove` with a `value` is
//!   `invalidValue`.

use crate::codec::{self, Context};
use crate::error::Error;
use crate::protocol::{PatchOp, PatchOpKind, ScimError, ScimType};
use crate::resource::Resource;
use crate::schema::{Attribute, AttributeType, Mutability, Returned, SchemaDef, Uniqueness};

mod apply;
mod check;
mod diff;

pub use apply::apply;
pub use check::check;
pub use diff::diff;

/// The metadata [`apply`] and [`diff`] work with: a resource type's core schema and its
/// extension schemas.
///
/// ```
/// use scim_client::model::{EnterpriseUser, User};
/// use scim_client::patch::Schemas;
///
/// let schemas = Schemas::of::<User<EnterpriseUser>>();
/// assert_eq!(schemas.core().id, "urn:ietf:params:scim:schemas:core:2.0:User");
/// assert!(schemas.extension("URN:ietf:params:scim:schemas:extension:enterprise:2.0:User").is_some());
/// ```
#[derive(Clone, Debug)]
pub struct Schemas<'a> {
    core: &'a SchemaDef,
    extensions: Vec<&'a SchemaDef>,
}

/// `schemas`, which no schema lists but a PATCH may modify (RFC 7644 section 3.5.2).
static SCHEMAS_ATTRIBUTE: Attribute = Attribute::full(
    "schemas",
    AttributeType::Reference,
    true,
    "The schema URIs the resource conforms to.",
    false,
    true,
    Mutability::ReadWrite,
    Returned::Default,
    Uniqueness::None,
    &[],
    &[],
    &[],
);

impl<'a> Schemas<'a> {
    /// Metadata from a core schema and extension schemas (imported ones, for example).
    #[must_use]
    pub fn new(core: &'a SchemaDef, extensions: &[&'a SchemaDef]) -> Self {
        Self {
            core,
            extensions: extensions.to_vec(),
        }
    }

    /// The metadata of a resource type: [`Resource::SCHEMA`] and every schema of
    /// [`Resource::extensions`].
    #[must_use]
    pub fn of<R: Resource>() -> Schemas<'static> {
        Schemas {
            core: R::SCHEMA,
            extensions: R::extensions().into_iter().map(|e| e.schema).collect(),
        }
    }

    /// The core schema.
    #[must_use]
    pub fn core(&self) -> &'a SchemaDef {
        self.core
    }

    /// The extension schemas.
    #[must_use]
    pub fn extensions(&self) -> &[&'a SchemaDef] {
        &self.extensions
    }

    /// The extension schema whose URN is `urn`, compared case-insensitively.
    #[must_use]
    pub fn extension(&self, urn: &str) -> Option<&'a SchemaDef> {
        self.extensions
            .iter()
            .copied()
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// A top-level attribute of the core schema, including the common attributes (`id`,
    /// `externalId`, `meta`) and `schemas`.
    pub(crate) fn core_attribute(&self, name: &str) -> Option<&'a Attribute> {
        self.core
            .attribute(name)
            .or_else(|| crate::schema::find(&crate::schema::common::ALL, name))
            .or_else(|| {
                SCHEMAS_ATTRIBUTE
                    .name
                    .eq_ignore_ascii_case(name)
                    .then_some(&SCHEMAS_ATTRIBUTE)
            })
    }

    /// The attributes [`diff`] compares at the top level: the core schema's, plus `externalId`
    /// when the schema does not list it.
    pub(crate) fn core_attributes(&self) -> impl Iterator<Item = &'a Attribute> {
        let core = self.core;
        let external_id = crate::schema::common::EXTERNAL_ID;
        core.attributes.iter().chain(
            core.attribute(&external_id.name)
                .is_none()
                .then_some(external_id),
        )
    }
}

/// What kind of PATCH failure, as the `scimType` a service provider would answer with (RFC
/// 7644 section 3.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PatchErrorKind {
    /// The path selects nothing to operate on (`remove` without a path, a value filter that
    /// matches no value in `replace`): `noTarget`.
    NoTarget,
    /// The path is malformed or names an attribute the schemas do not define: `invalidPath`.
    InvalidPath,
    /// The value is missing or does not fit the attribute: `invalidValue`.
    InvalidValue,
    /// The operation would modify a `readOnly` attribute, change an `immutable` one or remove
    /// a `required` one: `mutability`.
    Mutability,
}

impl PatchErrorKind {
    /// The `scimType` keyword (`"noTarget"`...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoTarget => "noTarget",
            Self::InvalidPath => "invalidPath",
            Self::InvalidValue => "invalidValue",
            Self::Mutability => "mutability",
        }
    }

    /// The matching [`ScimType`].
    #[must_use]
    pub fn scim_type(self) -> ScimType {
        match self {
            Self::NoTarget => ScimType::NoTarget,
            Self::InvalidPath => ScimType::InvalidPath,
            Self::InvalidValue => ScimType::InvalidValue,
            Self::Mutability => ScimType::Mutability,
        }
    }
}

impl std::fmt::Display for PatchErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A PATCH operation that could not be applied: which one (its index in `Operations`, its
/// `op` and `path`), the kind of failure, and why.
///
/// ```
/// use scim_client::model::User;
/// use scim_client::patch::{self, PatchErrorKind, Schemas};
/// use scim_client::protocol::PatchOp;
/// use serde_json::json;
///
/// let mut user = json!({"userName": "bjensen"});
/// let patch = PatchOp::new().replace("title", "Boss").remove("id");
/// let e = patch::apply(&mut user, &patch, &Schemas::of::<User>()).unwrap_err();
/// assert_eq!((e.kind(), e.index(), e.path()), (PatchErrorKind::Mutability, 1, Some("id")));
/// assert_eq!(e.to_string(), "Operations[1] (remove `id`): mutability: `id` is readOnly");
/// assert_eq!(user, json!({"userName": "bjensen"})); // nothing applied
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Operations[{index}] ({op}{}): {kind}: {message}", .path.as_ref().map(|p| format!(" `{p}`")).unwrap_or_default())]
pub struct PatchError {
    kind: PatchErrorKind,
    index: usize,
    op: PatchOpKind,
    path: Option<String>,
    message: String,
}

impl PatchError {
    /// The kind of failure.
    #[must_use]
    pub fn kind(&self) -> PatchErrorKind {
        self.kind
    }

    /// The index of the failed operation in `Operations`.
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The failed operation's `op`.
    #[must_use]
    pub fn op(&self) -> PatchOpKind {
        self.op
    }

    /// The failed operation's `path`, as given.
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// What went wrong, without the operation.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The SCIM error a service provider would answer with: status 400, the `scimType` of
    /// [`kind`](Self::kind), and this error's text as `detail`.
    #[must_use]
    pub fn to_scim_error(&self) -> ScimError {
        ScimError::new(400)
            .with_scim_type(self.kind.scim_type())
            .with_detail(self.to_string())
    }
}

impl From<PatchError> for ScimError {
    fn from(e: PatchError) -> Self {
        e.to_scim_error()
    }
}

/// A failure inside one operation, before it is tied to the operation.
#[derive(Debug)]
struct Fail {
    kind: PatchErrorKind,
    message: String,
}

impl Fail {
    fn new(kind: PatchErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    fn no_target(message: impl Into<String>) -> Self {
        Self::new(PatchErrorKind::NoTarget, message)
    }

    fn invalid_path(message: impl Into<String>) -> Self {
        Self::new(PatchErrorKind::InvalidPath, message)
    }

    fn invalid_value(message: impl Into<String>) -> Self {
        Self::new(PatchErrorKind::InvalidValue, message)
    }

    fn mutability(message: impl Into<String>) -> Self {
        Self::new(PatchErrorKind::Mutability, message)
    }
}

/// Applies `patch` to a typed resource, returning the patched copy: the resource is written
/// as JSON ([`Context::Default`]), patched with [`apply`], and read back.
///
/// ```
/// use scim_client::model::User;
/// use scim_client::patch;
/// use scim_client::protocol::PatchOp;
///
/// let user: User = User::new("bjensen");
/// let patched = patch::apply_to(&user, &PatchOp::new().add("nickName", "Babs"))?;
/// assert_eq!(patched.nick_name.as_deref(), Some("Babs"));
/// # Ok::<(), scim_client::Error>(())
/// ```
///
/// # Errors
///
/// A failed operation is reported as [`Error::Patch`] (its
/// [`PatchError::to_scim_error`] is what a server would answer);
/// [`Error::Encode`] or [`Error::Decode`] when the resource cannot be written or the
/// patched JSON does not fit the type.
pub fn apply_to<R: Resource>(resource: &R, patch: &PatchOp) -> Result<R, Error> {
    let mut value = codec::to_value(resource, Context::Default)?;
    apply(&mut value, patch, &Schemas::of::<R>()).map_err(Error::from)?;
    codec::from_value(value, Context::Default)
}

/// The operations that turn `old` into `new` ([`diff`] over both written as JSON in
/// [`Context::Default`]).
///
/// ```
/// use scim_client::model::User;
/// use scim_client::patch;
///
/// let old: User = User::new("bjensen");
/// let mut new = old.clone();
/// new.title = Some("Tour Guide".into());
/// let ops = patch::diff_resources(&old, &new)?;
/// assert_eq!(patch::apply_to(&old, &ops)?, new);
/// # Ok::<(), scim_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Encode`] when a resource cannot be written as JSON.
pub fn diff_resources<R: Resource>(old: &R, new: &R) -> Result<PatchOp, Error> {
    let old = codec::to_value(old, Context::Default)?;
    let new = codec::to_value(new, Context::Default)?;
    Ok(diff(&old, &new, &Schemas::of::<R>()))
}
