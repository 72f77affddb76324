//! The RFC 7643 section 4.3 enterprise user extension.

use serde_json::{Map, Value};

use crate::Reference;

/// Enterprise User (RFC 7643 section 4.3), the extension
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
#[derive(crate::ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(
    crate = "crate",
    schema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    name = "EnterpriseUser",
    description = "Enterprise User"
)]
pub struct EnterpriseUser {
    /// Numeric or alphanumeric identifier assigned to a person, typically based on order of
    /// hire or association with an organization.
    pub employee_number: Option<String>,
    /// Identifies the name of a cost center.
    pub cost_center: Option<String>,
    /// Identifies the name of an organization.
    pub organization: Option<String>,
    /// Identifies the name of a division.
    pub division: Option<String>,
    /// Identifies the name of a department.
    pub department: Option<String>,
    /// The User's manager. A complex type that optionally allows service providers to represent
    /// organizational hierarchy by referencing the 'id' attribute of another User.
    pub manager: Option<Manager>,
    /// Attributes this type does not model, kept and sent back.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// The User's manager. A complex type that optionally allows service providers to represent
/// organizational hierarchy by referencing the 'id' attribute of another User.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Manager {
    /// The id of the SCIM resource representing the User's manager. REQUIRED.
    #[scim(case_exact)] // RFC 7643 erratum 8472: it holds an `id`, and ids are case-exact.
    pub value: Option<String>,
    /// The URI of the SCIM resource representing the User's manager. REQUIRED.
    #[scim(rename = "$ref", reference_types = ["User"])]
    pub ref_: Option<Reference>,
    /// The displayName of the User's manager. OPTIONAL and READ-ONLY.
    #[scim(mutability = "readOnly")]
    pub display_name: Option<String>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}
