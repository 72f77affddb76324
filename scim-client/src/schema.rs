//! Attribute metadata: the RFC 7643 section 7 characteristics of every attribute.
//!
//! The same types describe a schema known at compile time (built by the derives as `'static`
//! tables) and one discovered at run time (imported from a server's `/Schemas`), so every rule in
//! this crate is written once for both. Strings and lists are [`Cow`]s: borrowed for derived
//! types, owned for imported ones.
//!
//! ```
//! use scim_client::model::User;
//! use scim_client::Resource;
//!
//! let schema = <User>::SCHEMA;
//! assert_eq!(schema.id, "urn:ietf:params:scim:schemas:core:2.0:User");
//! let user_name = schema.attribute("USERNAME").expect("case-insensitive lookup");
//! assert!(user_name.required);
//! ```

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value, json};

use crate::error::SchemaError;

/// The data type of an attribute (RFC 7643 section 2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributeType {
    /// A sequence of Unicode characters.
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number.
    Decimal,
    /// A whole number.
    Integer,
    /// An `xsd:dateTime` instant.
    DateTime,
    /// Base64-encoded bytes.
    Binary,
    /// A URI naming a resource.
    Reference,
    /// A composition of sub-attributes.
    Complex,
}

impl AttributeType {
    /// The name used in schema JSON (`"dateTime"`, `"complex"`...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Decimal => "decimal",
            Self::Integer => "integer",
            Self::DateTime => "dateTime",
            Self::Binary => "binary",
            Self::Reference => "reference",
            Self::Complex => "complex",
        }
    }

    /// Parses the schema JSON name, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::String,
            Self::Boolean,
            Self::Decimal,
            Self::Integer,
            Self::DateTime,
            Self::Binary,
            Self::Reference,
            Self::Complex,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When an attribute may be written (RFC 7643 section 7, `mutability`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Mutability {
    /// Set by the service provider only; never sent in create or replace requests.
    ReadOnly,
    /// Freely readable and writable (the default).
    #[default]
    ReadWrite,
    /// Written once, then fixed.
    Immutable,
    /// Written but never returned (passwords).
    WriteOnly,
}

impl Mutability {
    /// The name used in schema JSON.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "readOnly",
            Self::ReadWrite => "readWrite",
            Self::Immutable => "immutable",
            Self::WriteOnly => "writeOnly",
        }
    }

    /// Parses the schema JSON name, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::ReadOnly,
            Self::ReadWrite,
            Self::Immutable,
            Self::WriteOnly,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

/// When an attribute is returned in a response (RFC 7643 section 7, `returned`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Returned {
    /// Always returned, whatever `attributes` asks for (`id`).
    Always,
    /// Never returned (`password`).
    Never,
    /// Returned unless excluded (the default).
    #[default]
    Default,
    /// Returned only when asked for in `attributes`.
    Request,
}

impl Returned {
    /// The name used in schema JSON.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::Never => "never",
            Self::Default => "default",
            Self::Request => "request",
        }
    }

    /// Parses the schema JSON name, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Always, Self::Never, Self::Default, Self::Request]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

/// How the service provider enforces uniqueness (RFC 7643 section 7, `uniqueness`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Uniqueness {
    /// No uniqueness (the default).
    #[default]
    None,
    /// Unique within the service provider.
    Server,
    /// Globally unique.
    Global,
}

impl Uniqueness {
    /// The name used in schema JSON.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Server => "server",
            Self::Global => "global",
        }
    }

    /// Parses the schema JSON name, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::None, Self::Server, Self::Global]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

/// A list of strings that is `'static` for derived types and owned for imported ones.
pub type StrList = Cow<'static, [Cow<'static, str>]>;

/// One attribute definition with every RFC 7643 section 7 characteristic.
///
/// Derived types build these as constants; [`SchemaDef::from_json`] builds owned ones.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// The attribute name, in the schema's spelling.
    pub name: Cow<'static, str>,
    /// The data type.
    pub ty: AttributeType,
    /// Whether the attribute holds a list of values.
    pub multi_valued: bool,
    /// Human-readable description (empty when none).
    pub description: Cow<'static, str>,
    /// Whether a value is required on create and replace.
    pub required: bool,
    /// Whether string comparison is case-sensitive.
    pub case_exact: bool,
    /// When the attribute may be written.
    pub mutability: Mutability,
    /// When the attribute is returned.
    pub returned: Returned,
    /// How uniqueness is enforced.
    pub uniqueness: Uniqueness,
    /// Suggested canonical values (`"work"`, `"home"`...).
    pub canonical_values: StrList,
    /// For references: the resource types referenced (`"User"`, `"external"`, `"uri"`...).
    pub reference_types: StrList,
    /// For complex attributes: the sub-attributes.
    pub sub_attributes: Cow<'static, [Attribute]>,
}

impl Attribute {
    /// An attribute with the RFC 7643 section 2.2 defaults: single-valued, optional,
    /// case-insensitive, `readWrite`, returned by default, no uniqueness.
    #[must_use]
    pub const fn new(name: &'static str, ty: AttributeType) -> Self {
        Self {
            name: Cow::Borrowed(name),
            ty,
            multi_valued: false,
            description: Cow::Borrowed(""),
            required: false,
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            canonical_values: Cow::Borrowed(&[]),
            reference_types: Cow::Borrowed(&[]),
            sub_attributes: Cow::Borrowed(&[]),
        }
    }

    /// An attribute with every characteristic given (usable in `const` items).
    #[must_use]
    #[allow(clippy::fn_params_excessive_bools)]
    pub(crate) const fn full(
        name: &'static str,
        ty: AttributeType,
        multi_valued: bool,
        description: &'static str,
        required: bool,
        case_exact: bool,
        mutability: Mutability,
        returned: Returned,
        uniqueness: Uniqueness,
        canonical_values: &'static [Cow<'static, str>],
        reference_types: &'static [Cow<'static, str>],
        sub_attributes: &'static [Attribute],
    ) -> Self {
        Self {
            name: Cow::Borrowed(name),
            ty,
            multi_valued,
            description: Cow::Borrowed(description),
            required,
            case_exact,
            mutability,
            returned,
            uniqueness,
            canonical_values: Cow::Borrowed(canonical_values),
            reference_types: Cow::Borrowed(reference_types),
            sub_attributes: Cow::Borrowed(sub_attributes),
        }
    }

    /// Finds a sub-attribute by name, case-insensitively.
    #[must_use]
    pub fn sub_attribute(&self, name: &str) -> Option<&Attribute> {
        find(&self.sub_attributes, name)
    }

    /// Exports the attribute as RFC 7643 section 7 JSON.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        m.insert("type".into(), json!(self.ty.as_str()));
        m.insert("multiValued".into(), json!(self.multi_valued));
        m.insert("description".into(), json!(self.description));
        m.insert("required".into(), json!(self.required));
        if !self.canonical_values.is_empty() {
            m.insert("canonicalValues".into(), json!(self.canonical_values));
        }
        if self.ty != AttributeType::Complex {
            m.insert("caseExact".into(), json!(self.case_exact));
        }
        m.insert("mutability".into(), json!(self.mutability.as_str()));
        m.insert("returned".into(), json!(self.returned.as_str()));
        if self.ty != AttributeType::Complex {
            m.insert("uniqueness".into(), json!(self.uniqueness.as_str()));
        }
        if !self.reference_types.is_empty() {
            m.insert("referenceTypes".into(), json!(self.reference_types));
        }
        if self.ty == AttributeType::Complex {
            m.insert(
                "subAttributes".into(),
                Value::Array(self.sub_attributes.iter().map(Attribute::to_json).collect()),
            );
        }
        Value::Object(m)
    }

    /// Imports an attribute from RFC 7643 section 7 JSON. `path` names where it sits, for
    /// error messages (`attributes[3].subAttributes[0]`).
    ///
    /// # Errors
    ///
    /// [`SchemaError`] when a characteristic is missing, has the wrong JSON type, or is not
    /// one of the values RFC 7643 allows.
    pub fn from_json(value: &Value, path: &str) -> Result<Self, SchemaError> {
        let obj = value
            .as_object()
            .ok_or_else(|| SchemaError::new(path, "an attribute must be a JSON object"))?;
        let get = |key: &str| crate::value::get_ci(obj, key);
        let name = match get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(SchemaError::new(path, "`name` must be a non-empty string")),
        };
        let at = |what: &str| format!("{path}.{what}");
        let ty_s = get("type").and_then(Value::as_str).unwrap_or("string");
        let ty = AttributeType::parse(ty_s).ok_or_else(|| {
            SchemaError::new(at("type"), format!("unknown attribute type `{ty_s}`"))
        })?;
        let bool_of = |key: &str, default: bool| -> Result<bool, SchemaError> {
            match get(key) {
                None | Some(Value::Null) => Ok(default),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(SchemaError::new(at(key), "expected a boolean")),
            }
        };
        let str_list = |key: &str| -> Result<StrList, SchemaError> {
            match get(key) {
                None | Some(Value::Null) => Ok(Cow::Borrowed(&[])),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(|s| Cow::Owned(s.to_owned()))
                            .ok_or_else(|| SchemaError::new(at(key), "expected a list of strings"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Cow::Owned),
                Some(_) => Err(SchemaError::new(at(key), "expected a list of strings")),
            }
        };
        let sub_attributes = match get("subAttributes") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Attribute::from_json(v, &format!("{path}.subAttributes[{i}]")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(SchemaError::new(at("subAttributes"), "expected a list")),
        };
        Ok(Self {
            name: Cow::Owned(name),
            ty,
            multi_valued: bool_of("multiValued", false)?,
            description: Cow::Owned(
                get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            ),
            required: bool_of("required", false)?,
            case_exact: bool_of("caseExact", false)?,
            mutability: enum_of(
                get("mutability"),
                at("mutability"),
                Mutability::parse,
                Mutability::ReadWrite,
                "`readOnly`, `readWrite`, `immutable`, `writeOnly`",
            )?,
            returned: enum_of(
                get("returned"),
                at("returned"),
                Returned::parse,
                Returned::Default,
                "`always`, `never`, `default`, `request`",
            )?,
            uniqueness: enum_of(
                get("uniqueness"),
                at("uniqueness"),
                Uniqueness::parse,
                Uniqueness::None,
                "`none`, `server`, `global`",
            )?,
            canonical_values: str_list("canonicalValues")?,
            reference_types: str_list("referenceTypes")?,
            sub_attributes: Cow::Owned(sub_attributes),
        })
    }
}

/// Reads an optional enumerated characteristic.
fn enum_of<T>(
    v: Option<&Value>,
    at: String,
    parse: fn(&str) -> Option<T>,
    default: T,
    allowed: &str,
) -> Result<T, SchemaError> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) => {
            parse(s).ok_or_else(|| SchemaError::new(at, format!("`{s}` is not one of {allowed}")))
        }
        Some(_) => Err(SchemaError::new(at, "expected a string")),
    }
}

/// Finds an attribute by name in a list, case-insensitively (RFC 7643 section 2.1).
#[must_use]
pub fn find<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    attributes
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

/// A schema: a URN, a name and the attributes it defines (RFC 7643 section 7).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaDef {
    /// The schema URN (`urn:ietf:params:scim:schemas:core:2.0:User`).
    pub id: Cow<'static, str>,
    /// Human-readable name (`User`).
    pub name: Cow<'static, str>,
    /// Human-readable description.
    pub description: Cow<'static, str>,
    /// The attributes, not counting the common `id`, `externalId` and `meta`.
    pub attributes: Cow<'static, [Attribute]>,
}

impl SchemaDef {
    /// A schema made of `'static` parts, as the derives build it.
    #[must_use]
    pub const fn new(
        id: &'static str,
        name: &'static str,
        description: &'static str,
        attributes: &'static [Attribute],
    ) -> Self {
        Self {
            id: Cow::Borrowed(id),
            name: Cow::Borrowed(name),
            description: Cow::Borrowed(description),
            attributes: Cow::Borrowed(attributes),
        }
    }

    /// Finds a top-level attribute by name, case-insensitively.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        find(&self.attributes, name)
    }

    /// Exports the schema as the RFC 7643 section 7 `Schema` resource JSON, with `schemas`
    /// and `meta` as RFC 7643 erratum 8417 asks.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "schemas": [SCHEMA_URN],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": self.attributes.iter().map(Attribute::to_json).collect::<Vec<_>>(),
            "meta": {
                "resourceType": "Schema",
                "location": format!("/v2/Schemas/{}", self.id),
            },
        })
    }

    /// Imports a `Schema` resource (as served by `/Schemas`) into runtime metadata. `schemas`
    /// and `meta` are accepted but not required (RFC 7643 section 8.7 prints neither).
    ///
    /// # Errors
    ///
    /// [`SchemaError`] naming the JSON path of the first characteristic that is missing or
    /// invalid.
    pub fn from_json(value: &Value) -> Result<Self, SchemaError> {
        let obj = value
            .as_object()
            .ok_or_else(|| SchemaError::new("$", "a schema must be a JSON object"))?;
        let get = |key: &str| crate::value::get_ci(obj, key);
        let id = match get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(SchemaError::new("id", "`id` must be a non-empty string")),
        };
        let attributes = match get("attributes") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Attribute::from_json(v, &format!("attributes[{i}]")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(SchemaError::new("attributes", "expected a list")),
        };
        let text = |key: &str| {
            Cow::Owned(
                get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            )
        };
        Ok(Self {
            name: text("name"),
            description: text("description"),
            id: Cow::Owned(id),
            attributes: Cow::Owned(attributes),
        })
    }
}

/// The URN of the `Schema` resource itself.
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// An extension a resource type declares (RFC 7643 section 6, `schemaExtensions`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct ExtensionDecl {
    /// The extension's schema.
    pub schema: &'static SchemaDef,
    /// Whether every resource of the type must carry it.
    pub required: bool,
}

impl ExtensionDecl {
    /// Declares an extension.
    #[must_use]
    pub const fn new(schema: &'static SchemaDef, required: bool) -> Self {
        Self { schema, required }
    }
}

/// The metadata of the common attributes `id`, `externalId` and `meta` (RFC 7643 section 3.1),
/// which every resource has and no schema lists.
pub mod common {
    use super::{Attribute, AttributeType, Mutability, Returned, Uniqueness};

    /// The three common attributes, in RFC order: `id`, `externalId`, `meta`.
    pub static ALL: [Attribute; 3] = [
        // `id`: case-exact, read-only, always returned, unique within the server.
        Attribute::full(
            "id",
            AttributeType::String,
            false,
            "A unique identifier for a SCIM resource as defined by the service provider.",
            false,
            true,
            Mutability::ReadOnly,
            Returned::Always,
            Uniqueness::Server,
            &[],
            &[],
            &[],
        ),
        // `externalId`: case-exact, read-write, set by the provisioning client.
        Attribute::full(
            "externalId",
            AttributeType::String,
            false,
            "A String that is an identifier for the resource as defined by the provisioning client.",
            false,
            true,
            Mutability::ReadWrite,
            Returned::Default,
            Uniqueness::None,
            &[],
            &[],
            &[],
        ),
        // `meta`: read-only, complex.
        Attribute::full(
            "meta",
            AttributeType::Complex,
            false,
            "A complex attribute containing resource metadata.",
            false,
            false,
            Mutability::ReadOnly,
            Returned::Default,
            Uniqueness::None,
            &[],
            &[],
            <crate::model::Meta as crate::resource::Complex>::ATTRIBUTES,
        ),
    ];

    /// `id`: case-exact, read-only, always returned, unique within the server.
    pub static ID: &Attribute = &ALL[0];
    /// `externalId`: case-exact, read-write, set by the provisioning client.
    pub static EXTERNAL_ID: &Attribute = &ALL[1];
    /// `meta`: read-only, complex, set by the service provider.
    pub static META: &Attribute = &ALL[2];
}
