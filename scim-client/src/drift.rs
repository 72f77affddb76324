//! Schema drift: where a derived type's schema and what a server's `/Schemas` says disagree.
//!
//! [`compare`] walks two schemas attribute by attribute (names matched case-insensitively, as
//! RFC 7643 section 2.1 wants) and reports every attribute one side lacks and every difference
//! in type, multi-valuedness, requiredness, case-exactness, mutability, returnability and
//! uniqueness, as one readable line each. [`check`] does so for a resource type and its
//! extensions against what [`Client::discover`](crate::Client::discover) learnt, and
//! [`Client::check_drift`](crate::Client::check_drift) runs the whole check at start-up.
//!
//! ```
//! use scim_client::drift::{self, DifferenceKind};
//! use scim_client::model::Group;
//! use scim_client::schema::{Mutability, SchemaDef};
//! use scim_client::Resource;
//! use serde_json::json;
//!
//! let server = SchemaDef::from_json(&json!({
//!     "id": "urn:ietf:params:scim:schemas:core:2.0:Group",
//!     "attributes": [
//!         {"name": "displayName", "type": "string", "required": true, "mutability": "immutable"}
//!     ]
//! }))?;
//! let differences = drift::compare(Group::SCHEMA, &server);
//! assert_eq!(
//!     differences[0].kind,
//!     DifferenceKind::Mutability { local: Mutability::ReadWrite, remote: Mutability::Immutable }
//! );
//! assert_eq!(
//!     differences[0].to_string(),
//!     "urn:ietf:params:scim:schemas:core:2.0:Group: displayName: mutability differs: \
//!      local readWrite, server immutable"
//! );
//! assert_eq!(differences[1].path, "members");
//! assert_eq!(differences[1].kind, DifferenceKind::MissingOnServer);
//! # Ok::<(), scim_client::error::SchemaError>(())
//! ```

use std::fmt;

use crate::client::Discovery;
use crate::error::Error;
use crate::resource::Resource;
use crate::schema::{Attribute, AttributeType, Mutability, Returned, SchemaDef, Uniqueness};
use crate::transport::Transport;

/// One disagreement between the local schema and the server's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The schema URN.
    pub schema: String,
    /// The dotted attribute path (`name.givenName`), in the local spelling when the attribute
    /// exists locally; empty for the schema itself.
    pub path: String,
    /// What differs.
    pub kind: DifferenceKind,
}

/// What differs (the local value first, then the server's).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DifferenceKind {
    /// The server does not serve the schema at all.
    SchemaMissingOnServer,
    /// The server serves the schema, but it cannot be read (the message says why).
    InvalidOnServer(String),
    /// The attribute is modelled locally but the server's schema does not define it.
    MissingOnServer,
    /// The server's schema defines the attribute but the local type does not model it (its
    /// values end up in the `unknown` map, if the type has one).
    MissingLocally,
    /// The data type differs.
    Type {
        /// The local type.
        local: AttributeType,
        /// The server's type.
        remote: AttributeType,
    },
    /// One side is multi-valued, the other not.
    MultiValued {
        /// Whether the local attribute is multi-valued.
        local: bool,
        /// Whether the server's attribute is multi-valued.
        remote: bool,
    },
    /// One side requires the attribute, the other not.
    Required {
        /// Whether the local attribute is required.
        local: bool,
        /// Whether the server's attribute is required.
        remote: bool,
    },
    /// Case-exactness differs (not compared on complex attributes, where it does not apply).
    CaseExact {
        /// Whether the local attribute is case-exact.
        local: bool,
        /// Whether the server's attribute is case-exact.
        remote: bool,
    },
    /// Mutability differs.
    Mutability {
        /// The local mutability.
        local: Mutability,
        /// The server's mutability.
        remote: Mutability,
    },
    /// Returnability differs.
    Returned {
        /// The local `returned`.
        local: Returned,
        /// The server's `returned`.
        remote: Returned,
    },
    /// Uniqueness differs (not compared on complex attributes, where it does not apply).
    Uniqueness {
        /// The local uniqueness.
        local: Uniqueness,
        /// The server's uniqueness.
        remote: Uniqueness,
    },
}

fn plurality(multi: bool) -> &'static str {
    if multi {
        "multi-valued"
    } else {
        "single-valued"
    }
}

fn requiredness(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

fn case(exact: bool) -> &'static str {
    if exact {
        "case-exact"
    } else {
        "case-insensitive"
    }
}

impl fmt::Display for DifferenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SchemaMissingOnServer => f.write_str("schema not served by the server"),
            Self::InvalidOnServer(why) => write!(f, "the server's schema cannot be read: {why}"),
            Self::MissingOnServer => f.write_str("missing on the server"),
            Self::MissingLocally => f.write_str("defined by the server, not modelled locally"),
            Self::Type { local, remote } => {
                write!(f, "type differs: local {local}, server {remote}")
            }
            Self::MultiValued { local, remote } => write!(
                f,
                "multi-valuedness differs: local {}, server {}",
                plurality(*local),
                plurality(*remote)
            ),
            Self::Required { local, remote } => write!(
                f,
                "requiredness differs: local {}, server {}",
                requiredness(*local),
                requiredness(*remote)
            ),
            Self::CaseExact { local, remote } => write!(
                f,
                "case-exactness differs: local {}, server {}",
                case(*local),
                case(*remote)
            ),
            Self::Mutability { local, remote } => write!(
                f,
                "mutability differs: local {}, server {}",
                local.as_str(),
                remote.as_str()
            ),
            Self::Returned { local, remote } => write!(
                f,
                "returned differs: local {}, server {}",
                local.as_str(),
                remote.as_str()
            ),
            Self::Uniqueness { local, remote } => write!(
                f,
                "uniqueness differs: local {}, server {}",
                local.as_str(),
                remote.as_str()
            ),
        }
    }
}

impl fmt::Display for Difference {
    /// `urn:...: name.givenName: mutability differs: local readWrite, server readOnly`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.schema, self.kind)
        } else {
            write!(f, "{}: {}: {}", self.schema, self.path, self.kind)
        }
    }
}

/// Every difference as one line each, for a log or an error message.
#[must_use]
pub fn render(differences: &[Difference]) -> String {
    differences
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares a local schema (a derived type's `SCHEMA`) with the server's version of it, in
/// the local attribute order (sub-attributes right after their parent), then the attributes
/// only the server defines. The common attributes `id`, `externalId` and `meta` (and
/// `schemas`), which some servers list among a schema's attributes although RFC 7643 section
/// 3.1 says not to, are not reported as missing locally.
#[must_use]
pub fn compare(local: &SchemaDef, remote: &SchemaDef) -> Vec<Difference> {
    let mut out = Vec::new();
    compare_lists(
        &local.id,
        "",
        &local.attributes,
        &remote.attributes,
        &mut out,
    );
    out
}

/// Compares a resource type's core schema and extensions with the schemas the server serves
/// (found by URN, case-insensitively) with [`compare`]; a schema the server does not serve is
/// a difference.
#[must_use]
pub fn check<R: Resource>(discovery: &Discovery) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut one = |local: &SchemaDef| {
        let Some(served) = discovery.schemas.iter().find(|s| {
            s.id.as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(&local.id))
        }) else {
            out.push(Difference {
                schema: local.id.to_string(),
                path: String::new(),
                kind: DifferenceKind::SchemaMissingOnServer,
            });
            return;
        };
        match crate::codegen::schema_def(served) {
            Ok(remote) => compare_lists(
                &local.id,
                "",
                &local.attributes,
                &remote.attributes,
                &mut out,
            ),
            Err(e) => out.push(Difference {
                schema: local.id.to_string(),
                path: String::new(),
                kind: DifferenceKind::InvalidOnServer(e.to_string()),
            }),
        }
    };
    one(R::SCHEMA);
    for ext in R::extensions() {
        one(ext.schema);
    }
    out
}

fn is_common(name: &str) -> bool {
    ["id", "externalId", "meta", "schemas"]
        .iter()
        .any(|c| name.eq_ignore_ascii_case(c))
}

fn compare_lists(
    schema: &str,
    prefix: &str,
    local: &[Attribute],
    remote: &[Attribute],
    out: &mut Vec<Difference>,
) {
    let diff = |path: &str, kind| Difference {
        schema: schema.to_owned(),
        path: path.to_owned(),
        kind,
    };
    for l in local {
        let path = format!("{prefix}{}", l.name);
        let Some(r) = crate::schema::find(remote, &l.name) else {
            out.push(diff(&path, DifferenceKind::MissingOnServer));
            continue;
        };
        let mut push = |kind| out.push(diff(&path, kind));
        if l.ty != r.ty {
            push(DifferenceKind::Type {
                local: l.ty,
                remote: r.ty,
            });
        }
        if l.multi_valued != r.multi_valued {
            push(DifferenceKind::MultiValued {
                local: l.multi_valued,
                remote: r.multi_valued,
            });
        }
        if l.required != r.required {
            push(DifferenceKind::Required {
                local: l.required,
                remote: r.required,
            });
        }
        let complex = l.ty == AttributeType::Complex || r.ty == AttributeType::Complex;
        if !complex && l.case_exact != r.case_exact {
            push(DifferenceKind::CaseExact {
                local: l.case_exact,
                remote: r.case_exact,
            });
        }
        if l.mutability != r.mutability {
            push(DifferenceKind::Mutability {
                local: l.mutability,
                remote: r.mutability,
            });
        }
        if l.returned != r.returned {
            push(DifferenceKind::Returned {
                local: l.returned,
                remote: r.returned,
            });
        }
        if !complex && l.uniqueness != r.uniqueness {
            push(DifferenceKind::Uniqueness {
                local: l.uniqueness,
                remote: r.uniqueness,
            });
        }
        if l.ty == AttributeType::Complex && r.ty == AttributeType::Complex {
            compare_lists(
                schema,
                &format!("{path}."),
                &l.sub_attributes,
                &r.sub_attributes,
                out,
            );
        }
    }
    for r in remote {
        let common = prefix.is_empty() && is_common(&r.name);
        if common || crate::schema::find(local, &r.name).is_some() {
            continue;
        }
        out.push(diff(
            &format!("{prefix}{}", r.name),
            DifferenceKind::MissingLocally,
        ));
    }
}

impl<T: Transport> crate::client::Client<T> {
    /// Schema drift at start-up: runs [`Client::discover`](crate::Client::discover) and
    /// compares `R`'s schema and extensions with what the server serves ([`check`]). An empty
    /// list means the server agrees with the type.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), scim_client::Error> {
    /// use scim_client::model::{EnterpriseUser, User};
    ///
    /// let scim = scim_client::Client::builder("https://example.com/scim/v2").build()?;
    /// let drift = scim.check_drift::<User<EnterpriseUser>>().await?;
    /// if !drift.is_empty() {
    ///     eprintln!("the server's schema differs:\n{}", scim_client::drift::render(&drift));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// Whatever [`Client::discover`](crate::Client::discover) reports.
    pub async fn check_drift<R: Resource>(&self) -> Result<Vec<Difference>, Error> {
        let discovery = self.discover().await?;
        Ok(check::<R>(&discovery))
    }
}

#[cfg(feature = "blocking")]
impl<T: crate::transport::BlockingTransport> crate::client::blocking::Client<T> {
    /// Schema drift at start-up, blocking: see the async
    /// [`Client::check_drift`](crate::Client::check_drift).
    ///
    /// # Errors
    ///
    /// Whatever `discover` reports.
    pub fn check_drift<R: Resource>(&self) -> Result<Vec<Difference>, Error> {
        let discovery = self.discover()?;
        Ok(check::<R>(&discovery))
    }
}
