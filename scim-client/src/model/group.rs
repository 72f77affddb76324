//! The RFC 7643 section 4.2 `Group` resource.

use serde_json::{Map, Value};

use crate::Reference;
use crate::model::Meta;

/// Group (RFC 7643 section 4.2).
#[derive(crate::ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    crate = "crate",
    schema = "urn:ietf:params:scim:schemas:core:2.0:Group",
    description = "Group"
)]
pub struct Group {
    /// A unique identifier for a SCIM resource as defined by the service provider.
    pub id: Option<String>,
    /// An identifier for the resource as defined by the provisioning client.
    pub external_id: Option<String>,
    /// Resource metadata, set by the service provider.
    pub meta: Option<Meta>,
    /// A human-readable name for the Group. REQUIRED.
    #[scim(required)] // RFC 7643 erratum 5368: section 8.7.1 printed `"required": false`.
    pub display_name: Option<String>,
    /// A list of members of the Group.
    pub members: Vec<GroupMember>,
    /// Attributes and extensions this type does not model, kept and sent back.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A list of members of the Group.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct GroupMember {
    /// Identifier of the member of this Group.
    #[scim(mutability = "immutable")]
    pub value: Option<String>,
    /// The URI corresponding to a SCIM resource that is a member of this Group.
    #[scim(rename = "$ref", mutability = "immutable", reference_types = ["User", "Group"])]
    pub ref_: Option<Reference>,
    /// A label indicating the type of resource, e.g., 'User' or 'Group'.
    #[scim(mutability = "immutable", canonical_values = ["User", "Group"])]
    pub type_: Option<String>,
    /// A human-readable name for the member (RFC 7643 section 8.4 and every RFC 7644 PATCH
    /// example use it, although section 8.7.1 does not define it: erratum 6011).
    #[scim(
        mutability = "immutable",
        description = "A human-readable name, primarily used for display purposes."
    )]
    pub display: Option<String>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}
