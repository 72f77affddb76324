//! The RFC 7643 section 4.1 `User` resource.

use serde_json::{Map, Value};

use crate::model::Meta;
use crate::resource::{Extension, ExtensionSet, Extensions};
use crate::{Binary, Reference, Secret};

/// User Account (RFC 7643 section 4.1), generic over its schema extensions: `User` has none,
/// `User<EnterpriseUser>` one, `User<(EnterpriseUser, Vendor)>` two.
///
/// ```
/// use scim_client::model::{EnterpriseUser, User};
///
/// let user: User<EnterpriseUser> = serde_json::from_str(r#"{
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
///                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
///     "userName": "bjensen",
///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701984"}
/// }"#).unwrap();
/// let enterprise = user.extension::<EnterpriseUser>().unwrap();
/// assert_eq!(enterprise.employee_number.as_deref(), Some("701984"));
/// ```
#[derive(crate::ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    crate = "crate",
    schema = "urn:ietf:params:scim:schemas:core:2.0:User",
    description = "User Account"
)]
pub struct User<E: ExtensionSet = ()> {
    /// A unique identifier for a SCIM resource as defined by the service provider.
    pub id: Option<String>,
    /// An identifier for the resource as defined by the provisioning client.
    pub external_id: Option<String>,
    /// Resource metadata, set by the service provider.
    pub meta: Option<Meta>,
    /// Unique identifier for the User, typically used by the user to directly authenticate to
    /// the service provider. Each User MUST include a non-empty userName value. This identifier
    /// MUST be unique across the service provider's entire set of Users. REQUIRED.
    #[scim(required, uniqueness = "server")]
    pub user_name: Option<String>,
    /// The components of the user's real name. Providers MAY return just the full name as a
    /// single string in the formatted sub-attribute, or they MAY return just the individual
    /// component attributes using the other sub-attributes, or they MAY return both. If both
    /// variants are returned, they SHOULD be describing the same name, with the formatted name
    /// indicating how the component attributes should be combined.
    pub name: Option<Name>,
    /// The name of the User, suitable for display to end-users. The name SHOULD be the full
    /// name of the User being described, if known.
    pub display_name: Option<String>,
    /// The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of
    /// 'Robert'. This attribute SHOULD NOT be used to represent a User's username (e.g.,
    /// 'bjensen' or 'mpepperidge').
    pub nick_name: Option<String>,
    /// A fully qualified URL pointing to a page representing the User's online profile.
    #[scim(reference_types = ["external"])]
    pub profile_url: Option<Reference>,
    /// The user's title, such as "Vice President."
    pub title: Option<String>,
    /// Used to identify the relationship between the organization and the user. Typical values
    /// used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but
    /// any value may be used.
    pub user_type: Option<String>,
    /// Indicates the User's preferred written or spoken language. Generally used for selecting
    /// a localized user interface; e.g., 'en_US' specifies the language English and country US.
    pub preferred_language: Option<String>,
    /// Used to indicate the User's default location for purposes of localizing items such as
    /// currency, date time format, or numerical representations.
    pub locale: Option<String>,
    /// The User's time zone in the 'Olson' time zone database format, e.g.,
    /// 'America/Los_Angeles'.
    pub timezone: Option<String>,
    /// A Boolean value indicating the User's administrative status.
    pub active: Option<bool>,
    /// The User's cleartext password. This attribute is intended to be used as a means to
    /// specify an initial password when creating a new User or to reset an existing User's
    /// password.
    #[scim(mutability = "writeOnly", returned = "never")]
    pub password: Option<Secret>,
    /// Email addresses for the user. The value SHOULD be canonicalized by the service provider,
    /// e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of
    /// 'work', 'home', and 'other'.
    pub emails: Vec<Email>,
    /// Phone numbers for the User. The value SHOULD be canonicalized by the service provider
    /// according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical
    /// type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.
    pub phone_numbers: Vec<PhoneNumber>,
    /// Instant messaging addresses for the User.
    pub ims: Vec<Im>,
    /// URLs of photos of the User.
    pub photos: Vec<Photo>,
    /// A physical mailing address for this User. Canonical type values of 'work', 'home', and
    /// 'other'. This attribute is a complex type with the following sub-attributes.
    pub addresses: Vec<Address>,
    /// A list of groups to which the user belongs, either through direct membership, through
    /// nested groups, or dynamically calculated.
    #[scim(mutability = "readOnly")]
    pub groups: Vec<GroupMembership>,
    /// A list of entitlements for the User that represent a thing the User has.
    pub entitlements: Vec<Entitlement>,
    /// A list of roles for the User that collectively represent who the User is, e.g.,
    /// 'Student', 'Faculty'.
    pub roles: Vec<Role>,
    /// A list of certificates issued to the User.
    pub x509_certificates: Vec<X509Certificate>,
    /// The schema extensions, keyed by URN on the wire.
    #[scim(extension)]
    pub extensions: Extensions<E>,
    /// Attributes and extensions this type does not model, kept and sent back.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

impl<E: ExtensionSet> User<E> {
    /// A user with this `userName` and nothing else.
    #[must_use]
    pub fn new(user_name: impl Into<String>) -> Self {
        Self {
            user_name: Some(user_name.into()),
            ..Self::default()
        }
    }

    /// The extension of type `X`, when present.
    #[must_use]
    pub fn extension<X: Extension>(&self) -> Option<&X> {
        self.extensions.get::<X>()
    }

    /// Mutable access to the extension of type `X`, when present.
    #[must_use]
    pub fn extension_mut<X: Extension>(&mut self) -> Option<&mut X> {
        self.extensions.get_mut::<X>()
    }
}

/// The components of the user's real name. Providers MAY return just the full name as a single
/// string in the formatted sub-attribute, or they MAY return just the individual component
/// attributes using the other sub-attributes, or they MAY return both. If both variants are
/// returned, they SHOULD be describing the same name, with the formatted name indicating how
/// the component attributes should be combined.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Name {
    /// The full name, including all middle names, titles, and suffixes as appropriate,
    /// formatted for display (e.g., 'Ms. Barbara J Jensen, III').
    pub formatted: Option<String>,
    /// The family name of the User, or last name in most Western languages (e.g., 'Jensen'
    /// given the full name 'Ms. Barbara J Jensen, III').
    pub family_name: Option<String>,
    /// The given name of the User, or first name in most Western languages (e.g., 'Barbara'
    /// given the full name 'Ms. Barbara J Jensen, III').
    pub given_name: Option<String>,
    /// The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen,
    /// III').
    pub middle_name: Option<String>,
    /// The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.'
    /// given the full name 'Ms. Barbara J Jensen, III').
    pub honorific_prefix: Option<String>,
    /// The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III'
    /// given the full name 'Ms. Barbara J Jensen, III').
    pub honorific_suffix: Option<String>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// Email addresses for the user. The value SHOULD be canonicalized by the service provider,
/// e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of
/// 'work', 'home', and 'other'.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Email {
    /// Email addresses for the user. The value SHOULD be canonicalized by the service provider,
    /// e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of
    /// 'work', 'home', and 'other'.
    pub value: Option<String>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function, e.g., 'work' or 'home'.
    #[scim(canonical_values = ["work", "home", "other"])]
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute, e.g., the preferred mailing address or primary email address. The primary
    /// attribute value 'true' MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// Phone numbers for the User. The value SHOULD be canonicalized by the service provider
/// according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type
/// values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct PhoneNumber {
    /// Phone number of the User.
    pub value: Option<String>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.
    #[scim(canonical_values = ["work", "home", "mobile", "fax", "pager", "other"])]
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute, e.g., the preferred phone number or primary phone number. The primary
    /// attribute value 'true' MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// Instant messaging addresses for the User.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Im {
    /// Instant messaging address for the User.
    pub value: Option<String>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.
    #[scim(canonical_values = ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"])]
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute, e.g., the preferred messenger or primary messenger. The primary attribute
    /// value 'true' MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// URLs of photos of the User.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Photo {
    /// URL of a photo of the User.
    #[scim(reference_types = ["external"])]
    pub value: Option<Reference>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.
    #[scim(canonical_values = ["photo", "thumbnail"])]
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute, e.g., the preferred photo or thumbnail. The primary attribute value 'true'
    /// MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A physical mailing address for this User. Canonical type values of 'work', 'home', and
/// 'other'. This attribute is a complex type with the following sub-attributes.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Address {
    /// The full mailing address, formatted for display or use with a mailing label. This
    /// attribute MAY contain newlines.
    pub formatted: Option<String>,
    /// The full street address component, which may include house number, street name, P.O.
    /// box, and multi-line extended street address information. This attribute MAY contain
    /// newlines.
    pub street_address: Option<String>,
    /// The city or locality component.
    pub locality: Option<String>,
    /// The state or region component.
    pub region: Option<String>,
    /// The zip code or postal code component.
    pub postal_code: Option<String>,
    /// The country name component.
    pub country: Option<String>,
    /// A label indicating the attribute's function, e.g., 'work' or 'home'.
    #[scim(canonical_values = ["work", "home", "other"])]
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred address (RFC 7643 section 2.4
    /// lists `primary` among the default sub-attributes and section 8.2 uses it, although the
    /// section 8.7.1 schema leaves it out).
    #[scim(
        description = "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address or primary email address. The primary attribute value 'true' MUST appear no more than once."
    )]
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A list of groups to which the user belongs, either through direct membership, through nested
/// groups, or dynamically calculated.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct GroupMembership {
    /// The identifier of the User's group.
    #[scim(mutability = "readOnly")]
    pub value: Option<String>,
    /// The URI of the corresponding 'Group' resource to which the user belongs.
    // RFC 7643 erratum 8471: section 8.7.1 printed `["User", "Group"]`.
    #[scim(rename = "$ref", mutability = "readOnly", reference_types = ["Group"])]
    pub ref_: Option<Reference>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    #[scim(mutability = "readOnly")]
    pub display: Option<String>,
    /// A label indicating the attribute's function, e.g., 'direct' or 'indirect'.
    #[scim(mutability = "readOnly", canonical_values = ["direct", "indirect"])]
    pub type_: Option<String>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A list of entitlements for the User that represent a thing the User has.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Entitlement {
    /// The value of an entitlement.
    pub value: Option<String>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function.
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute. The primary attribute value 'true' MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A list of roles for the User that collectively represent who the User is, e.g., 'Student',
/// 'Faculty'.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct Role {
    /// The value of a role.
    pub value: Option<String>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function.
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute. The primary attribute value 'true' MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A list of certificates issued to the User.
#[derive(crate::ScimComplex, Clone, Debug, Default, PartialEq)]
#[scim(crate = "crate")]
pub struct X509Certificate {
    /// The value of an X.509 certificate.
    pub value: Option<Binary>,
    /// A human-readable name, primarily used for display purposes. READ-ONLY.
    pub display: Option<String>,
    /// A label indicating the attribute's function.
    pub type_: Option<String>,
    /// A Boolean value indicating the 'primary' or preferred attribute value for this
    /// attribute. The primary attribute value 'true' MUST appear no more than once.
    pub primary: Option<bool>,
    /// Sub-attributes the schema does not define, kept so that nothing is lost.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}
