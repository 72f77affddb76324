//! Derive macros for [`scim-client`](https://docs.rs/scim-client): `ScimResource`,
//! `ScimExtension` and `ScimComplex`.
//!
//! Use them through `scim_client` (its `derive` feature re-exports them). The attribute
//! reference is in `scim_client`'s documentation of [`ScimResource`].

mod ast;
mod attr;
mod case;
mod dispatch;
mod expand;
mod fallback;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `scim_client::Resource` (a SCIM resource type) with its metadata, serde impls and
/// attribute walk.
#[proc_macro_derive(ScimResource, attributes(scim))]
pub fn derive_resource(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input, ast::Kind::Resource).into()
}

/// Derives `scim_client::Extension` (a schema extension keyed by its URN).
#[proc_macro_derive(ScimExtension, attributes(scim))]
pub fn derive_extension(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input, ast::Kind::Extension).into()
}

/// Derives `scim_client::Complex` (the value type of a complex attribute).
#[proc_macro_derive(ScimComplex, attributes(scim))]
pub fn derive_complex(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input, ast::Kind::Complex).into()
}

/// Derives parsing of mixed results into an enum of resource types, picking the variant by
/// `schemas`; an optional `#[scim(other)]` variant keeps payloads of any other type.
#[proc_macro_derive(ScimDispatch, attributes(scim))]
pub fn derive_dispatch(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    dispatch::derive(&input).into()
}
