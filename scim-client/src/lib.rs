//! A typed SCIM 2.0 client framework (RFC 7643 schema, RFC 7644 protocol).
//!
//! Annotate plain structs with `#[derive(ScimResource)]`; the derive produces the schema URN,
//! every attribute's RFC 7643 characteristics and the extension wiring, and the library uses that
//! metadata to shape what is sent and check what is received.
//!
//! # Example
//!
//! ```
//! use scim_client::codec::{self, Context};
//! use scim_client::{Resource, ScimComplex, ScimResource};
//!
//! /// A device.
//! #[derive(ScimResource, Clone, Debug)]
//! #[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
//! pub struct Device {
//!     /// Server-assigned id.
//!     pub id: Option<String>,
//!     /// The serial number.
//!     #[scim(required, case_exact, uniqueness = "server")]
//!     pub serial_number: String,
//!     /// Network interfaces.
//!     pub interfaces: Vec<Interface>,
//! }
//!
//! /// A network interface.
//! #[derive(ScimComplex, Clone, Debug)]
//! pub struct Interface {
//!     /// The MAC address.
//!     pub value: Option<String>,
//!     /// Whether this is the main interface.
//!     pub primary: Option<bool>,
//! }
//!
//! assert_eq!(Device::ENDPOINT, "/Devices");
//! let d: Device = codec::from_slice(
//!     br#"{"id": "7", "SerialNumber": "X-1", "interfaces": [{"value": "aa:bb", "primary": true}]}"#,
//!     Context::QueryResponse,
//! )?;
//! assert_eq!(d.serial_number, "X-1");
//! let body = codec::to_value(&d, Context::CreateRequest)?;
//! assert!(body.get("id").is_none()); // read-only, not sent
//! # Ok::<(), scim_client::Error>(())
//! ```
//!
//! # Details
//!
//! - Attribute names are matched case-insensitively on input (RFC 7643 section 2.1) and written
//!   in the schema's spelling.
//! - Attributes and extensions a type does not model are kept in its `#[scim(unknown)]` map and
//!   written back, so a read-then-replace loses nothing ([`codec::UnknownPolicy`]).
//! - Every payload is written and read in a [`codec::Context`].

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod client;
pub mod codec;
pub mod codegen;
pub mod drift;
pub mod dynamic;
pub mod error;
pub mod filter;
pub mod model;
pub mod patch;
pub mod path;
pub mod paths;
pub mod protocol;
pub mod resource;
pub mod schema;
pub mod transport;
pub mod value;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub use client::blocking;
pub use client::{Api, Client};
pub use dynamic::{DynamicResource, ResourceSchema};
pub use error::{Error, Result};
pub use resource::{Complex, Extension, ExtensionSet, Extensions, Payload, Resource, ResourceKind};
pub use value::{Binary, Reference, ScimValue, Secret};

#[cfg(feature = "derive")]
pub use scim_derive::{ScimComplex, ScimDispatch, ScimExtension, ScimResource};
// The built-in models use the derives whatever the features: without `derive` they are only
// not re-exported.
#[cfg(not(feature = "derive"))]
use scim_derive::{ScimComplex, ScimExtension, ScimResource};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
