//! `#[derive(ScimDispatch)]`: an enum of resource types that parses mixed results (root
//! `/.search`, `GET /`, bulk responses) by their `schemas`, with an optional `#[scim(other)]`
//! variant that keeps payloads of any other type as JSON.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{DeriveInput, parse_quote};

use crate::attr::Ctxt;

struct Variant<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
    other: bool,
}

fn is_other(cx: &Ctxt, attrs: &[syn::Attribute]) -> bool {
    let mut other = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("scim")) {
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("other") {
                other = true;
            } else {
                cx.error(
                    meta.path.span(),
                    "unknown scim attribute on a `ScimDispatch` variant, expected `other`",
                );
            }
            Ok(())
        });
        if let Err(e) = res {
            cx.push(e);
        }
    }
    other
}

pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let mut krate: syn::Path = parse_quote!(::scim_client);
    for attr in node.attrs.iter().filter(|a| a.path().is_ident("scim")) {
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                krate = lit.parse()?;
            } else {
                cx.error(
                    meta.path.span(),
                    "unknown scim attribute on a `ScimDispatch` enum, expected `crate`",
                );
            }
            Ok(())
        });
        if let Err(e) = res {
            cx.push(e);
        }
    }
    let mut variants = Vec::new();
    match &node.data {
        syn::Data::Enum(e) => {
            for v in &e.variants {
                let other = is_other(&cx, &v.attrs);
                match &v.fields {
                    syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => variants.push(Variant {
                        ident: &v.ident,
                        ty: &f.unnamed[0].ty,
                        other,
                    }),
                    _ => cx.error(
                        v.ident.span(),
                        "each `ScimDispatch` variant holds one resource type, such as `User(User)`",
                    ),
                }
            }
            if variants.is_empty() && !e.variants.is_empty() || e.variants.is_empty() {
                cx.error(
                    node.ident.span(),
                    "`ScimDispatch` needs at least one variant",
                );
            }
            for extra in variants.iter().filter(|v| v.other).skip(1) {
                cx.error(
                    extra.ident.span(),
                    "only one variant may be `#[scim(other)]`",
                );
            }
        }
        _ => cx.error(
            node.ident.span(),
            "`ScimDispatch` is derived on enums of resource types; use `ScimResource` on structs",
        ),
    }
    if let Err(e) = cx.check() {
        return e.to_compile_error();
    }
    expand(node, &krate, &variants)
}

fn expand(node: &DeriveInput, krate: &syn::Path, variants: &[Variant<'_>]) -> TokenStream {
    let ident = &node.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    let mut de_generics = node.generics.clone();
    de_generics.params.insert(0, parse_quote!('de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();

    let typed: Vec<&Variant<'_>> = variants.iter().filter(|v| !v.other).collect();
    let other = variants.iter().find(|v| v.other);
    let typed_tys = typed.iter().map(|v| v.ty);
    let arms = typed.iter().enumerate().map(|(i, v)| {
        let vi = v.ident;
        let ty = v.ty;
        quote! {
            ::core::option::Option::Some(#i) => _scim::__private::serde_json::from_value::<#ty>(__value)
                .map(Self::#vi)
                .map_err(|e| <__D::Error as _scim::__private::serde::de::Error>::custom(e)),
        }
    });
    let fallback = if let Some(v) = other {
        let vi = v.ident;
        let ty = v.ty;
        quote! {
            _ => _scim::__private::serde_json::from_value::<#ty>(__value)
                .map(Self::#vi)
                .map_err(|e| <__D::Error as _scim::__private::serde::de::Error>::custom(e)),
        }
    } else {
        let msg = format!("no variant of `{name}` serves the schemas {{}}");
        quote! {
            _ => ::core::result::Result::Err(<__D::Error as _scim::__private::serde::de::Error>::custom(
                ::std::format!(#msg, _scim::__private::schemas_of(&__value)),
            )),
        }
    };
    let typed_idents: Vec<&syn::Ident> = typed.iter().map(|v| v.ident).collect();
    let other_arm = |body: TokenStream| {
        other.map(|v| {
            let vi = v.ident;
            quote!(Self::#vi(__v) => #body,)
        })
    };
    let ser_other = other_arm(quote!(_scim::__private::serde::Serialize::serialize(
        __v, __s
    )));
    let viol_other = other_arm(quote!(::std::vec::Vec::new()));
    let vref_other = other_arm(quote!({
        let _ = __v;
        _scim::__private::ValueRef::Null
    }));
    let clear_other = other_arm(quote!({
        let _ = __v;
    }));
    let empty_other = other_arm(quote!(__v.is_empty()));

    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            use #krate as _scim;

            #[automatically_derived]
            impl #de_impl_generics _scim::__private::serde::Deserialize<'de> for #ident #ty_generics #where_clause {
                fn deserialize<__D: _scim::__private::serde::Deserializer<'de>>(__d: __D) -> ::core::result::Result<Self, __D::Error> {
                    let __value = <_scim::__private::serde_json::Value as _scim::__private::serde::Deserialize>::deserialize(__d)?;
                    let __schemas: &[&str] = &[#(&<#typed_tys as _scim::Resource>::SCHEMA.id),*];
                    match _scim::__private::dispatch(&__value, __schemas)
                        .map_err(<__D::Error as _scim::__private::serde::de::Error>::custom)?
                    {
                        #(#arms)*
                        #fallback
                    }
                }
            }

            #[automatically_derived]
            impl #impl_generics _scim::__private::serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<__S: _scim::__private::serde::Serializer>(&self, __s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    match self {
                        #(Self::#typed_idents(__v) => _scim::__private::serde::Serialize::serialize(__v, __s),)*
                        #ser_other
                    }
                }
            }

            #[automatically_derived]
            impl #impl_generics _scim::__private::ScimValue for #ident #ty_generics #where_clause {
                const DESCRIPTOR: _scim::__private::Descriptor = _scim::__private::Descriptor::complex(&[]);
                fn value_ref(&self) -> _scim::__private::ValueRef<'_> {
                    match self {
                        #(Self::#typed_idents(__v) => _scim::__private::ScimValue::value_ref(__v),)*
                        #vref_other
                    }
                }
                fn is_empty_value(&self) -> bool {
                    match self {
                        #(Self::#typed_idents(__v) => _scim::__private::ScimValue::is_empty_value(__v),)*
                        #empty_other
                    }
                }
                fn clear_unknown(&mut self) {
                    match self {
                        #(Self::#typed_idents(__v) => _scim::__private::ScimValue::clear_unknown(__v),)*
                        #clear_other
                    }
                }
                fn serialize_in<__S: _scim::__private::serde::Serializer>(
                    &self,
                    __s: __S,
                    __ctx: &_scim::__private::SerCtx<'_>,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    match self {
                        #(Self::#typed_idents(__v) => _scim::__private::ScimValue::serialize_in(__v, __s, __ctx),)*
                        #ser_other
                    }
                }
            }

            #[automatically_derived]
            impl #impl_generics _scim::Payload for #ident #ty_generics #where_clause {
                fn violations(
                    &self,
                    __context: _scim::codec::Context,
                    __policy: _scim::codec::UnknownPolicy,
                ) -> ::std::vec::Vec<_scim::error::Violation> {
                    match self {
                        #(Self::#typed_idents(__v) => _scim::Payload::violations(__v, __context, __policy),)*
                        #viol_other
                    }
                }
            }
        };
    }
}
