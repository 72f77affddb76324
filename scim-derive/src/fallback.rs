//! What the derive emits when the input has errors: the errors, plus impls of the traits with
//! placeholder metadata, so uses of the type elsewhere do not pile up follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::Kind;

pub(crate) fn expand(
    input: &DeriveInput,
    kind: Kind,
    krate: &syn::Path,
    error: &syn::Error,
) -> TokenStream {
    let errors = error.to_compile_error();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut de_generics = input.generics.clone();
    de_generics.params.insert(0, syn::parse_quote!('de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    let kind_impl = match kind {
        Kind::Resource => quote! {
            #[automatically_derived]
            impl #impl_generics _scim::Resource for #ident #ty_generics #where_clause {
                const SCHEMA: &'static _scim::__private::SchemaDef = _scim::__private::FAILED_SCHEMA;
                const RESOURCE_TYPE: &'static str = "";
                const ENDPOINT: &'static str = "";
                const DESCRIPTION: &'static str = "";
                fn extensions() -> ::std::vec::Vec<_scim::__private::ExtensionDecl> { _scim::__private::failed() }
                fn id(&self) -> ::core::option::Option<&str> { _scim::__private::failed() }
                fn meta(&self) -> ::core::option::Option<&_scim::__private::Meta> { _scim::__private::failed() }
                fn meta_mut(&mut self) -> ::core::option::Option<&mut ::core::option::Option<_scim::__private::Meta>> { _scim::__private::failed() }
                fn unknown(&self) -> ::core::option::Option<&_scim::__private::serde_json::Map<::std::string::String, _scim::__private::serde_json::Value>> { _scim::__private::failed() }
                fn unknown_mut(&mut self) -> ::core::option::Option<&mut _scim::__private::serde_json::Map<::std::string::String, _scim::__private::serde_json::Value>> { _scim::__private::failed() }
            }
        },
        Kind::Extension => quote! {
            #[automatically_derived]
            impl #impl_generics _scim::__private::Extension for #ident #ty_generics #where_clause {
                const SCHEMA: &'static _scim::__private::SchemaDef = _scim::__private::FAILED_SCHEMA;
            }
        },
        Kind::Complex => quote! {
            #[automatically_derived]
            impl #impl_generics _scim::__private::Complex for #ident #ty_generics #where_clause {
                const ATTRIBUTES: &'static [_scim::__private::Attribute] = &[];
            }
        },
    };
    quote! {
        #errors
        const _: () = {
            use #krate as _scim;
            #[automatically_derived]
            impl #impl_generics _scim::__private::Walk for #ident #ty_generics #where_clause {
                fn walk(&self, _: &mut dyn _scim::__private::Visitor) { _scim::__private::failed() }
            }
            #[automatically_derived]
            impl #impl_generics _scim::__private::ScimValue for #ident #ty_generics #where_clause {
                const DESCRIPTOR: _scim::__private::Descriptor = _scim::__private::Descriptor::complex(&[]);
                fn value_ref(&self) -> _scim::__private::ValueRef<'_> { _scim::__private::failed() }
                fn serialize_in<__S: _scim::__private::serde::Serializer>(&self, _: __S, _: &_scim::__private::SerCtx<'_>) -> ::core::result::Result<__S::Ok, __S::Error> { _scim::__private::failed() }
            }
            #[automatically_derived]
            impl #impl_generics _scim::__private::serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<__S: _scim::__private::serde::Serializer>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error> { _scim::__private::failed() }
            }
            #[automatically_derived]
            impl #de_impl_generics _scim::__private::serde::Deserialize<'de> for #ident #ty_generics #where_clause {
                fn deserialize<__D: _scim::__private::serde::Deserializer<'de>>(_: __D) -> ::core::result::Result<Self, __D::Error> { _scim::__private::failed() }
            }
            #kind_impl
        };
    }
}
