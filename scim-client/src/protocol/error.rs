use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::de::{Fields, Status, check_schemas};

/// The SCIM `Error` message (RFC 7644 section 3.12): an HTTP status, an optional `scimType`
/// and an optional human-readable `detail`.
///
/// `status` is read from a JSON string (`"404"`, as the RFC says) or a number (as many servers
/// send), and written as a string.
///
/// ```
/// use scim_client::protocol::{ScimError, ScimType};
///
/// let e: ScimError = serde_json::from_str(r#"{
///   "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
///   "scimType": "uniqueness", "detail": "userName is taken", "status": 409
/// }"#)?;
/// assert_eq!(e.status, 409);
/// assert_eq!(e.scim_type, Some(ScimType::Uniqueness));
/// assert_eq!(e.to_string(), "scim error 409 (uniqueness): userName is taken");
///
/// let out = serde_json::to_value(ScimError::new(404).with_detail("no such user"))?;
/// assert_eq!(out["status"], "404");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ScimError {
    /// The HTTP status code.
    pub status: u16,
    /// The SCIM detail error keyword (RFC 7644 section 3.12, Table 9).
    pub scim_type: Option<ScimType>,
    /// A human-readable message.
    pub detail: Option<String>,
}

impl ScimError {
    /// The message URN.
    pub const SCHEMA: &'static str = "urn:ietf:params:scim:api:messages:2.0:Error";

    /// An error with this HTTP status and nothing else.
    #[must_use]
    pub const fn new(status: u16) -> Self {
        Self {
            status,
            scim_type: None,
            detail: None,
        }
    }

    /// The same error with a `scimType`.
    #[must_use]
    pub fn with_scim_type(mut self, scim_type: ScimType) -> Self {
        self.scim_type = Some(scim_type);
        self
    }

    /// The same error with a `detail` message.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Whether a JSON body is a SCIM error: an object whose `schemas` names the `Error` URN.
    ///
    /// ```
    /// use scim_client::protocol::ScimError;
    /// let body = serde_json::json!({"schemas": [ScimError::SCHEMA], "status": "404"});
    /// assert!(ScimError::is_error_body(&body));
    /// assert!(!ScimError::is_error_body(&serde_json::json!({"status": "404"})));
    /// ```
    #[must_use]
    pub fn is_error_body(body: &serde_json::Value) -> bool {
        body.as_object()
            .and_then(|o| crate::value::get_ci(o, "schemas"))
            .and_then(serde_json::Value::as_array)
            .is_some_and(|l| {
                l.iter().any(|s| {
                    s.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(Self::SCHEMA))
                })
            })
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scim error {}", self.status)?;
        if let Some(t) = &self.scim_type {
            write!(f, " ({t})")?;
        }
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScimError {}

impl Serialize for ScimError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("schemas", &[Self::SCHEMA])?;
        if let Some(t) = &self.scim_type {
            map.serialize_entry("scimType", t)?;
        }
        if let Some(d) = &self.detail {
            map.serialize_entry("detail", d)?;
        }
        map.serialize_entry("status", &self.status.to_string())?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for ScimError {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = ScimError;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM Error object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ScimError, A::Error> {
                let mut fields = Fields::new(["schemas", "status", "scimType", "detail"]);
                let mut status = None;
                let mut out = ScimError::new(0);
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("schemas") => check_schemas(&mut map, ScimError::SCHEMA)?,
                        Some("status") => status = Some(map.next_value::<Status>()?.0),
                        Some("scimType") => {
                            out.scim_type = map
                                .next_value::<Option<String>>()?
                                .filter(|s| !s.is_empty())
                                .map(|s| ScimType::parse(&s));
                        }
                        Some("detail") => out.detail = map.next_value()?,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                out.status = status.ok_or_else(|| de::Error::missing_field("status"))?;
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// The `scimType` keywords of RFC 7644 section 3.12 (Table 9), with [`ScimType::Other`] keeping
/// any other value as received.
///
/// Read case-insensitively; written in the RFC's spelling.
///
/// ```
/// use scim_client::protocol::ScimType;
/// assert_eq!(ScimType::parse("INVALIDFILTER"), ScimType::InvalidFilter);
/// assert_eq!(ScimType::parse("quotaExceeded"), ScimType::Other("quotaExceeded".into()));
/// assert_eq!(ScimType::NoTarget.to_string(), "noTarget");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScimType {
    /// The filter syntax is invalid, or an attribute or comparison is not supported.
    InvalidFilter,
    /// The filter yields too many results for the server to process.
    TooMany,
    /// One or more attribute values are already in use or reserved.
    Uniqueness,
    /// The attempted modification is not compatible with an attribute's mutability.
    Mutability,
    /// The request body structure was invalid or did not conform to the schema.
    InvalidSyntax,
    /// The `path` attribute was invalid or malformed.
    InvalidPath,
    /// The `path` did not yield an attribute or value that could be operated on.
    NoTarget,
    /// A required value was missing, or the value was not compatible with the operation or
    /// the attribute type.
    InvalidValue,
    /// The specified SCIM protocol version is not supported.
    InvalidVers,
    /// The request cannot be completed because it passed sensitive information in the URI.
    Sensitive,
    /// A keyword RFC 7644 does not define, kept as received.
    Other(String),
}

impl ScimType {
    const KNOWN: [ScimType; 10] = [
        ScimType::InvalidFilter,
        ScimType::TooMany,
        ScimType::Uniqueness,
        ScimType::Mutability,
        ScimType::InvalidSyntax,
        ScimType::InvalidPath,
        ScimType::NoTarget,
        ScimType::InvalidValue,
        ScimType::InvalidVers,
        ScimType::Sensitive,
    ];

    /// Reads a keyword, case-insensitively; unknown keywords become [`ScimType::Other`].
    #[must_use]
    pub fn parse(s: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .unwrap_or_else(|| ScimType::Other(s.to_owned()))
    }

    /// The keyword as written on the wire (`"invalidFilter"`).
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVers => "invalidVers",
            ScimType::Sensitive => "sensitive",
            ScimType::Other(s) => s,
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ScimType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ScimType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| ScimType::parse(&s))
    }
}
