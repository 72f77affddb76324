use crate::Reference;

/// Resource metadata (RFC 7643 section 3.1), set by the service provider.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Meta {
    /// The name of the resource type of the resource.
    #[scim(mutability = "readOnly")]
    pub resource_type: Option<String>,
    /// The DateTime that the resource was added to the service provider.
    #[scim(mutability = "readOnly")]
    pub created: Option<jiff::Timestamp>,
    /// The most recent DateTime that the details of this resource were updated at the service
    /// provider.
    #[scim(mutability = "readOnly")]
    pub last_modified: Option<jiff::Timestamp>,
    /// The URI of the resource being returned.
    #[scim(mutability = "readOnly", reference_types = ["uri"])]
    pub location: Option<Reference>,
    /// The version of the resource being returned (an `ETag`).
    #[scim(case_exact, mutability = "readOnly")]
    pub version: Option<String>,
}
