//! Errors, in the phase where they happen.

use std::fmt;

use crate::codec::Context;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, by phase.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A payload broke a SCIM rule before anything was sent (a required attribute missing, a
    /// write-only attribute in a query...).
    #[error("request validation failed: {0}")]
    RequestValidation(Violations),

    /// A payload could not be decoded into the expected type; `path` is the JSON path of the
    /// failure (`Resources[3].emails[0].primary`).
    #[error("cannot decode {what} at `{path}`: {source}")]
    Decode {
        /// What was being decoded (`User`, `ListResponse`).
        what: &'static str,
        /// The JSON path where decoding failed.
        path: String,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },

    /// A decoded response broke a SCIM rule for its context (a `returned: never` attribute
    /// present, a `returned: always` one missing...).
    #[error("response validation failed: {0}")]
    ResponseValidation(Violations),

    /// A schema description (from `/Schemas` or a file) is malformed.
    #[error(transparent)]
    Schema(#[from] SchemaError),

    /// A PATCH could not be applied locally (no target, invalid path or value, a read-only
    /// attribute).
    #[error(transparent)]
    Patch(#[from] crate::patch::PatchError),

    /// A payload could not be encoded.
    #[error("cannot encode the payload")]
    Encode(#[source] serde_json::Error),

    /// A request could not be built (a bad base URL, an endpoint or id that would leave it, an
    /// invalid header value); nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The server does not support what was asked, per its `ServiceProviderConfig` (bulk,
    /// `PATCH`, sorting, filtering, `ETag`s...); nothing was sent.
    #[error("not supported by the server: {0}")]
    Unsupported(String),

    /// The request did not complete: connection, TLS, timeout, or a response body over the
    /// limit.
    #[error("transport error on {method} {path}")]
    Transport {
        /// The HTTP method.
        method: http::Method,
        /// The request path (without the query string, which may carry personal data).
        path: String,
        /// The underlying error.
        #[source]
        source: crate::transport::BoxError,
    },

    /// The server answered with a SCIM error body (RFC 7644 section 3.12).
    #[error("the server answered {}", .0.status)]
    Scim(#[source] Box<crate::protocol::ScimError>),

    /// The server answered with a status the operation does not expect, without a SCIM error
    /// body (a proxy's HTML page, an empty 500...).
    #[error("unexpected status {status}")]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The first bytes of the body, for diagnosis (lossy UTF-8, at most 512 bytes).
        body: String,
    },

    /// The server answered with a body that is not `application/scim+json` or
    /// `application/json`.
    #[error("unexpected content type {content_type:?} with status {status}")]
    UnexpectedContentType {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
    },
}

impl Error {
    /// The HTTP status of a server answer (SCIM error or unexpected status).
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Scim(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. }
            | Error::UnexpectedContentType { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The SCIM error body, when the server sent one.
    #[must_use]
    pub fn scim_error(&self) -> Option<&crate::protocol::ScimError> {
        match self {
            Error::Scim(e) => Some(e),
            _ => None,
        }
    }

    /// The `scimType` of a SCIM error body (`uniqueness`, `mutability`...).
    #[must_use]
    pub fn scim_type(&self) -> Option<&crate::protocol::ScimType> {
        self.scim_error().and_then(|e| e.scim_type.as_ref())
    }

    /// Whether the server answered 404 Not Found.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the server answered 409 Conflict (a uniqueness violation, a version conflict).
    #[must_use]
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// Whether the server answered 412 Precondition Failed: the resource changed since its
    /// `meta.version` was read.
    #[must_use]
    pub fn is_precondition_failed(&self) -> bool {
        self.status() == Some(412)
    }

    /// Whether the request never completed (connection, timeout).
    #[must_use]
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. })
    }

    /// The rule violations, for validation errors.
    #[must_use]
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            Error::RequestValidation(v) | Error::ResponseValidation(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn decode(
        what: &'static str,
        e: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        Error::Decode {
            what,
            path: e.path().to_string(),
            source: e.into_inner(),
        }
    }
}

/// A malformed schema description: where (a JSON path inside the schema) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schema at `{path}`: {message}")]
pub struct SchemaError {
    /// Where in the schema JSON (`attributes[2].mutability`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl SchemaError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The SCIM rule an attribute broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// `required: true` but missing, null or empty (create, replace).
    Required,
    /// `mutability: writeOnly` in a query or search request.
    WriteOnly,
    /// `mutability: readOnly` sent where the server sets it.
    ReadOnly,
    /// `returned: never` present in a response.
    ReturnedNever,
    /// `returned: always` missing from a response.
    ReturnedAlways,
    /// More than one value with `primary: true`.
    PrimaryUniqueness,
    /// An attribute or extension the type does not model, refused by policy.
    Unknown,
    /// An extension the resource type requires is missing.
    RequiredExtension,
}

impl Rule {
    fn describe(self) -> &'static str {
        match self {
            Rule::Required => "is required but missing, null or empty",
            Rule::WriteOnly => "is writeOnly and may not be sent",
            Rule::ReadOnly => "is readOnly and may not be sent",
            Rule::ReturnedNever => "has returned=never but the server returned it",
            Rule::ReturnedAlways => "has returned=always but the server left it out or empty",
            Rule::PrimaryUniqueness => "has more than one value with primary=true",
            Rule::Unknown => {
                "is not defined by the schema and the policy refuses unknown attributes"
            }
            Rule::RequiredExtension => "is a required extension but is missing",
        }
    }
}

/// One broken rule: the attribute (a SCIM path such as `emails[1].primary` or
/// `urn:...:enterprise:2.0:User:employeeNumber`), the rule, and the context.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The attribute path.
    pub attribute: String,
    /// The rule broken.
    pub rule: Rule,
    /// The context the payload was checked in.
    pub context: Context,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` {} (in {})",
            self.attribute,
            self.rule.describe(),
            self.context
        )
    }
}

/// Every rule a payload broke (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// Iterates over the violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// Whether some violation concerns `attribute` (compared case-insensitively).
    #[must_use]
    pub fn concerns(&self, attribute: &str) -> bool {
        self.0
            .iter()
            .any(|v| v.attribute.eq_ignore_ascii_case(attribute))
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            v.fmt(f)?;
        }
        Ok(())
    }
}
