//! The service provider configuration resources of RFC 7643 sections 5-7:
//! `ServiceProviderConfig`, `ResourceType` and `Schema`.

use serde_json::{Map, Value};

use crate::Reference;
use crate::model::Meta;

/// The service provider's configuration (RFC 7643 section 5), served at `/ServiceProviderConfig`.
#[derive(crate::ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    crate = "crate",
    schema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
    name = "Service Provider Configuration",
    resource_type = "ServiceProviderConfig",
    endpoint = "/ServiceProviderConfig",
    description = "Schema for representing the service provider's configuration"
)]
pub struct ServiceProviderConfig {
    /// An HTTP-addressable URL pointing to the service provider's human-consumable help
    /// documentation.
    #[scim(mutability = "readOnly", reference_types = ["external"])]
    pub documentation_uri: Option<Reference>,
    /// A complex type that specifies PATCH configuration options.
    #[scim(required, mutability = "readOnly")]
    pub patch: Option<Patch>,
    /// A complex type that specifies bulk configuration options.
    #[scim(required, mutability = "readOnly")]
    pub bulk: Option<Bulk>,
    /// A complex type that specifies FILTER options.
    #[scim(required, mutability = "readOnly")]
    pub filter: Option<Filter>,
    /// A complex type that specifies configuration options related to changing a password.
    #[scim(required, mutability = "readOnly")]
    pub change_password: Option<ChangePassword>,
    /// A complex type that specifies ETag configuration options (RFC 7643 section 5, REQUIRED
    /// there; the section 8.7.2 schema leaves it out).
    #[scim(
        required,
        mutability = "readOnly",
        description = "A complex type that specifies ETag configuration options."
    )]
    pub etag: Option<Etag>,
    /// A complex type that specifies sort result options.
    #[scim(required, mutability = "readOnly")]
    pub sort: Option<Sort>,
    /// A complex type that specifies supported authentication scheme properties.
    #[scim(required, mutability = "readOnly")]
    pub authentication_schemes: Vec<AuthenticationScheme>,
    /// Resource metadata, set by the service provider.
    pub meta: Option<Meta>,
    /// Attributes and extensions this type does not model, kept and sent back.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies PATCH configuration options.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Patch {
    /// A Boolean value specifying whether or not the operation is supported.
    #[scim(required, mutability = "readOnly")]
    pub supported: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies bulk configuration options.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Bulk {
    /// A Boolean value specifying whether or not the operation is supported.
    #[scim(required, mutability = "readOnly")]
    pub supported: Option<bool>,
    /// An integer value specifying the maximum number of operations.
    #[scim(required, mutability = "readOnly")]
    pub max_operations: Option<i64>,
    /// An integer value specifying the maximum payload size in bytes.
    #[scim(required, mutability = "readOnly")]
    pub max_payload_size: Option<i64>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies FILTER options.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Filter {
    /// A Boolean value specifying whether or not the operation is supported.
    #[scim(required, mutability = "readOnly")]
    pub supported: Option<bool>,
    /// An integer value specifying the maximum number of resources returned in a response.
    #[scim(required, mutability = "readOnly")]
    pub max_results: Option<i64>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies configuration options related to changing a password.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct ChangePassword {
    /// A Boolean value specifying whether or not the operation is supported.
    #[scim(required, mutability = "readOnly")]
    pub supported: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies sort result options.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Sort {
    /// A Boolean value specifying whether or not the operation is supported.
    #[scim(required, mutability = "readOnly")]
    pub supported: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies supported authentication scheme properties.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct AuthenticationScheme {
    /// The common authentication scheme name, e.g., HTTP Basic.
    #[scim(required, mutability = "readOnly")]
    pub name: Option<String>,
    /// A description of the authentication scheme.
    #[scim(required, mutability = "readOnly")]
    pub description: Option<String>,
    /// An HTTP-addressable URL pointing to the authentication scheme's specification.
    #[scim(mutability = "readOnly", reference_types = ["external"])]
    pub spec_uri: Option<Reference>,
    /// An HTTP-addressable URL pointing to the authentication scheme's usage documentation.
    #[scim(mutability = "readOnly", reference_types = ["external"])]
    pub documentation_uri: Option<Reference>,
    /// The authentication scheme (`oauth`, `oauth2`, `oauthbearertoken`, `httpbasic`,
    /// `httpdigest`): RFC 7643 section 5 and the section 8.5 example use it, although the
    /// section 8.7.2 schema leaves it out (erratum 8011).
    #[scim(
        rename = "type",
        required,
        mutability = "readOnly",
        canonical_values = ["oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"],
        description = "The authentication scheme."
    )]
    pub type_: Option<String>,
    /// Whether this is the preferred scheme (section 8.5; erratum 8011).
    #[scim(
        mutability = "readOnly",
        description = "A Boolean value indicating the preferred authentication scheme."
    )]
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A resource type (RFC 7643 section 6), served at `/ResourceTypes`.
#[derive(crate::ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    crate = "crate",
    schema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
    description = "Specifies the schema that describes a SCIM resource type"
)]
pub struct ResourceType {
    /// The resource type's server unique id. May be the same as the 'name' attribute.
    #[scim(rename = "id", mutability = "readOnly")]
    pub id: Option<String>,
    /// The resource type name. When applicable, service providers MUST specify the name, e.g.,
    /// 'User'.
    // RFC 7643 erratum 8475: the name is unique within the server and case-exact.
    #[scim(required, case_exact, mutability = "readOnly", uniqueness = "server")]
    pub name: Option<String>,
    /// The resource type's human-readable description. When applicable, service providers MUST
    /// specify the description.
    #[scim(mutability = "readOnly")]
    pub description: Option<String>,
    /// The resource type's HTTP-addressable endpoint relative to the Base URL, e.g., '/Users'.
    #[scim(required, mutability = "readOnly", reference_types = ["uri"])]
    pub endpoint: Option<Reference>,
    /// The resource type's primary/base schema URI.
    #[scim(required, case_exact, mutability = "readOnly", reference_types = ["uri"])]
    pub schema: Option<Reference>,
    /// A list of URIs of the resource type's schema extensions.
    // RFC 7643 erratum 7522: section 8.7.2 printed `"multiValued": false`.
    #[scim(required, mutability = "readOnly")]
    pub schema_extensions: Vec<SchemaExtension>,
    /// Resource metadata, set by the service provider.
    pub meta: Option<Meta>,
    /// Attributes and extensions this type does not model, kept and sent back.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A list of URIs of the resource type's schema extensions.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct SchemaExtension {
    /// The URI of a schema extension.
    #[scim(required, case_exact, mutability = "readOnly", reference_types = ["uri"])]
    pub schema: Option<Reference>,
    /// A Boolean value that specifies whether or not the schema extension is required for the
    /// resource type. If true, a resource of this type MUST include this schema extension and
    /// also include any attributes declared as required in this schema extension. If false, a
    /// resource of this type MAY omit this schema extension.
    #[scim(required, mutability = "readOnly")]
    pub required: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A schema (RFC 7643 section 7), served at `/Schemas`.
#[derive(crate::ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    crate = "crate",
    schema = "urn:ietf:params:scim:schemas:core:2.0:Schema",
    description = "Specifies the schema that describes a SCIM schema"
)]
pub struct Schema {
    /// The unique URI of the schema. When applicable, service providers MUST specify the URI.
    #[scim(rename = "id", required, mutability = "readOnly")]
    pub id: Option<String>,
    /// The schema's human-readable name. When applicable, service providers MUST specify the
    /// name, e.g., 'User'.
    #[scim(required, mutability = "readOnly")]
    pub name: Option<String>,
    /// The schema's human-readable name. When applicable, service providers MUST specify the
    /// name, e.g., 'User'.
    #[scim(mutability = "readOnly")]
    pub description: Option<String>,
    /// A complex attribute that includes the attributes of a schema.
    #[scim(required, mutability = "readOnly")]
    pub attributes: Vec<SchemaAttribute>,
    /// Resource metadata, set by the service provider.
    pub meta: Option<Meta>,
    /// Attributes and extensions this type does not model, kept and sent back.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex attribute that includes the attributes of a schema.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct SchemaAttribute {
    /// The attribute's name.
    #[scim(required, case_exact, mutability = "readOnly")]
    pub name: Option<String>,
    /// The attribute's data type. Valid values include 'string', 'complex', 'boolean',
    /// 'decimal', 'integer', 'dateTime', 'reference'.
    #[scim(required, mutability = "readOnly", canonical_values = ["string", "complex", "boolean", "decimal", "integer", "dateTime", "reference"])]
    pub type_: Option<String>,
    /// A Boolean value indicating an attribute's plurality.
    #[scim(required, mutability = "readOnly")]
    pub multi_valued: Option<bool>,
    /// A human-readable description of the attribute.
    #[scim(case_exact, mutability = "readOnly")]
    pub description: Option<String>,
    /// A boolean value indicating whether or not the attribute is required.
    #[scim(mutability = "readOnly")]
    pub required: Option<bool>,
    /// A collection of canonical values. When applicable, service providers MUST specify the
    /// canonical types, e.g., 'work', 'home'.
    #[scim(case_exact, mutability = "readOnly")]
    pub canonical_values: Vec<String>,
    /// A Boolean value indicating whether or not a string attribute is case sensitive.
    #[scim(mutability = "readOnly")]
    pub case_exact: Option<bool>,
    /// Indicates whether or not an attribute is modifiable.
    #[scim(case_exact, mutability = "readOnly", canonical_values = ["readOnly", "readWrite", "immutable", "writeOnly"])]
    pub mutability: Option<String>,
    /// Indicates when an attribute is returned in a response (e.g., to a query).
    #[scim(case_exact, mutability = "readOnly", canonical_values = ["always", "never", "default", "request"])]
    pub returned: Option<String>,
    /// Indicates how unique a value must be.
    #[scim(case_exact, mutability = "readOnly", canonical_values = ["none", "server", "global"])]
    pub uniqueness: Option<String>,
    /// Used only with an attribute of type 'reference'. Specifies a SCIM resourceType that a
    /// reference attribute MAY refer to, e.g., 'User'.
    #[scim(case_exact, mutability = "readOnly")]
    pub reference_types: Vec<String>,
    /// Used to define the sub-attributes of a complex attribute.
    #[scim(mutability = "readOnly")]
    pub sub_attributes: Vec<SchemaSubAttribute>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// Used to define the sub-attributes of a complex attribute.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct SchemaSubAttribute {
    /// The attribute's name.
    #[scim(required, case_exact, mutability = "readOnly")]
    pub name: Option<String>,
    /// The attribute's data type. Valid values include 'string', 'complex', 'boolean',
    /// 'decimal', 'integer', 'dateTime', 'reference'.
    #[scim(required, mutability = "readOnly", canonical_values = ["string", "complex", "boolean", "decimal", "integer", "dateTime", "reference"])]
    pub type_: Option<String>,
    /// A Boolean value indicating an attribute's plurality.
    #[scim(required, mutability = "readOnly")]
    pub multi_valued: Option<bool>,
    /// A human-readable description of the attribute.
    #[scim(case_exact, mutability = "readOnly")]
    pub description: Option<String>,
    /// A boolean value indicating whether or not the attribute is required.
    #[scim(mutability = "readOnly")]
    pub required: Option<bool>,
    /// A collection of canonical values. When applicable, service providers MUST specify the
    /// canonical types, e.g., 'work', 'home'.
    #[scim(case_exact, mutability = "readOnly")]
    pub canonical_values: Vec<String>,
    /// A Boolean value indicating whether or not a string attribute is case sensitive.
    #[scim(mutability = "readOnly")]
    pub case_exact: Option<bool>,
    /// Indicates whether or not an attribute is modifiable.
    #[scim(case_exact, mutability = "readOnly", canonical_values = ["readOnly", "readWrite", "immutable", "writeOnly"])]
    pub mutability: Option<String>,
    /// Indicates when an attribute is returned in a response (e.g., to a query).
    #[scim(case_exact, mutability = "readOnly", canonical_values = ["always", "never", "default", "request"])]
    pub returned: Option<String>,
    /// Indicates how unique a value must be.
    #[scim(case_exact, mutability = "readOnly", canonical_values = ["none", "server", "global"])]
    pub uniqueness: Option<String>,
    /// Used only with an attribute of type 'reference'. Specifies a SCIM resourceType that a
    /// reference attribute MAY refer to, e.g., 'User'.
    #[scim(case_exact, mutability = "readOnly")]
    pub reference_types: Vec<String>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A complex type that specifies ETag configuration options (RFC 7643 section 5).
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Etag {
    /// A Boolean value specifying whether or not the operation is supported.
    #[scim(required, mutability = "readOnly")]
    pub supported: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}
