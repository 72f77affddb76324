//! The RFC 7643 resources, extensions and complex types, defined with this crate's own derives.
//!
//! Field documentation is the RFC's attribute description, verbatim (it becomes the exported
//! schema's `description`), so it is not reworded for rustdoc.
#![allow(clippy::doc_markdown)]

mod enterprise;
mod group;
mod meta;
mod service_provider;
mod user;

pub use enterprise::{EnterpriseUser, Manager};
pub use group::{Group, GroupMember};
pub use meta::Meta;
pub use service_provider::{
    AuthenticationScheme, Bulk, ChangePassword, Etag, Filter, Patch, ResourceType, Schema,
    SchemaAttribute, SchemaExtension, SchemaSubAttribute, ServiceProviderConfig, Sort,
};
pub use user::{
    Address, Email, Entitlement, GroupMembership, Im, Name, PhoneNumber, Photo, Role, User,
    X509Certificate,
};
