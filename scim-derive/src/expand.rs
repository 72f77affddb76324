//! Code generation: a `'static` attribute table, serde impls, and a walk over attribute values.
//! All SCIM logic stays in `scim_client`; this only emits data and calls.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Generics, parse_quote};

use crate::ast::{Common, Field, Input, Kind, Role};
use crate::attr::{self, Ctxt, ScimType};
use crate::{fallback, valid};

pub(crate) fn derive(node: &DeriveInput, kind: Kind) -> TokenStream {
    let cx = Ctxt::default();
    let input = Input::from_syn(&cx, node, kind);
    if let Some(input) = &input {
        valid::check(&cx, input);
    }
    let krate: syn::Path = input
        .as_ref()
        .and_then(|i| i.attrs.krate.clone())
        .unwrap_or_else(|| parse_quote!(::scim_client));
    match (cx.check(), input) {
        (Ok(()), Some(input)) => expand(&input, &krate),
        (Err(e), _) => fallback::expand(node, kind, &krate, &e),
        (Ok(()), None) => fallback::expand(
            node,
            kind,
            &krate,
            &syn::Error::new(Span::call_site(), "unsupported input"),
        ),
    }
}

fn lit(s: &str) -> syn::LitStr {
    syn::LitStr::new(s, Span::call_site())
}

/// Whether `ty` mentions one of the struct's type parameters.
fn mentions_param(ty: &syn::Type, generics: &Generics) -> bool {
    let tokens = quote!(#ty).to_string();
    generics.type_params().any(|p| {
        let name = p.ident.to_string();
        tokens
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|t| t == name)
    })
}

fn attribute_expr(f: &Field<'_>) -> TokenStream {
    let a = &f.attrs;
    let ty = f.ty;
    let name = lit(&f.wire);
    let descriptor = quote_spanned!(ty.span()=> <#ty as _scim::__private::ScimValue>::DESCRIPTOR);
    let ty_override = match a.ty.as_ref().map(|t| t.value) {
        None => quote!(::core::option::Option::None),
        Some(t) => {
            let v = match t {
                ScimType::String => quote!(String),
                ScimType::Boolean => quote!(Boolean),
                ScimType::Decimal => quote!(Decimal),
                ScimType::Integer => quote!(Integer),
                ScimType::DateTime => quote!(DateTime),
                ScimType::Binary => quote!(Binary),
                ScimType::Reference => quote!(Reference),
                ScimType::Complex => quote!(Complex),
            };
            quote!(::core::option::Option::Some(_scim::__private::AttributeType::#v))
        }
    };
    let description = lit(&a
        .description
        .as_ref()
        .map(syn::LitStr::value)
        .or_else(|| f.doc.clone())
        .unwrap_or_default());
    let required = match &a.required {
        None => quote!(::core::option::Option::None),
        Some(r) => {
            let v = r.value;
            quote!(::core::option::Option::Some(#v))
        }
    };
    let case_exact = a.case_exact.as_ref().is_some_and(|c| c.value);
    let mutability = match a.mutability.as_ref().map(|m| m.value) {
        None | Some(attr::Mutability::ReadWrite) => quote!(ReadWrite),
        Some(attr::Mutability::ReadOnly) => quote!(ReadOnly),
        Some(attr::Mutability::Immutable) => quote!(Immutable),
        Some(attr::Mutability::WriteOnly) => quote!(WriteOnly),
    };
    let returned = match a.returned.as_ref().map(|m| m.value) {
        None | Some(attr::Returned::Default) => quote!(Default),
        Some(attr::Returned::Always) => quote!(Always),
        Some(attr::Returned::Never) => quote!(Never),
        Some(attr::Returned::Request) => quote!(Request),
    };
    let uniqueness = match a.uniqueness.as_ref().map(|m| m.value) {
        None | Some(attr::Uniqueness::None) => quote!(None),
        Some(attr::Uniqueness::Server) => quote!(Server),
        Some(attr::Uniqueness::Global) => quote!(Global),
    };
    let list = |l: &Option<attr::Spanned<Vec<syn::LitStr>>>| {
        let items = l.iter().flat_map(|s| s.value.iter());
        quote!(&[#(::std::borrow::Cow::Borrowed(#items)),*])
    };
    let canonical = list(&a.canonical_values);
    let references = list(&a.reference_types);
    quote! {
        _scim::__private::attribute(
            #name,
            #descriptor,
            #ty_override,
            #description,
            #required,
            #case_exact,
            _scim::__private::Mutability::#mutability,
            _scim::__private::Returned::#returned,
            _scim::__private::Uniqueness::#uniqueness,
            #canonical,
            #references,
        )
    }
}

fn expand(input: &Input<'_>, krate: &syn::Path) -> TokenStream {
    let node = input.original;
    let ident = &node.ident;
    let generics = &node.generics;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let kind = input.kind;
    let struct_name = ident.to_string();

    // Bounds for fields whose type depends on a type parameter.
    let mut value_bounds = Vec::new();
    let mut de_bounds = Vec::new();
    for f in &input.fields {
        if !mentions_param(f.ty, generics) {
            continue;
        }
        let ty = f.ty;
        match f.role {
            Role::Attribute | Role::Common(_) => {
                value_bounds.push(quote!(#ty: _scim::__private::ScimValue));
                de_bounds.push(quote!(#ty: _scim::__private::ScimValue + _scim::__private::serde::Deserialize<'de>));
            }
            Role::Extension => value_bounds.push(quote!(#ty: _scim::__private::ExtensionField)),
            Role::Skip => de_bounds.push(quote!(#ty: ::core::default::Default)),
            Role::Unknown => {}
        }
    }
    let mut where_value = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
    for b in &value_bounds {
        where_value.predicates.push(parse_quote!(#b));
    }
    let mut where_de = where_value.clone();
    for b in &de_bounds {
        where_de.predicates.push(parse_quote!(#b));
    }
    let mut de_generics = generics.clone();
    de_generics.params.insert(0, parse_quote!('de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();

    // The attribute table.
    let attrs: Vec<&Field<'_>> = input.attributes().collect();
    let attr_exprs = attrs.iter().map(|f| attribute_expr(f));

    let schema_urn = input.attrs.schema.as_ref().map(syn::LitStr::value);
    let urn_lit = lit(schema_urn.as_deref().unwrap_or(""));
    let name = input
        .attrs
        .name
        .as_ref()
        .map_or_else(|| struct_name.clone(), syn::LitStr::value);
    let description = input
        .attrs
        .description
        .as_ref()
        .map(syn::LitStr::value)
        .or_else(|| input.doc.clone())
        .unwrap_or_default();
    let name_lit = lit(&name);
    let description_lit = lit(&description);

    // The metadata of a field that is read and written as a value.
    let meta_of = |f: &Field<'_>| -> TokenStream {
        match f.role {
            Role::Common(Common::Id) => quote!(_scim::__private::common::ID),
            Role::Common(Common::ExternalId) => quote!(_scim::__private::common::EXTERNAL_ID),
            Role::Common(Common::Meta) => quote!(_scim::__private::common::META),
            _ => {
                let i = attrs
                    .iter()
                    .position(|a| a.ident == f.ident)
                    .unwrap_or_default();
                quote!(&Self::__SCIM_ATTRS[#i])
            }
        }
    };
    let value_fields: Vec<&Field<'_>> = input
        .fields
        .iter()
        .filter(|f| matches!(f.role, Role::Attribute | Role::Common(_)))
        .collect();
    let ext_fields: Vec<&Field<'_>> = input
        .fields
        .iter()
        .filter(|f| f.role == Role::Extension)
        .collect();
    let unknown_field = input.role(Role::Unknown);

    // Common attributes (`id`, `meta`) are read-only: a type that has them may lose them.
    let common_mask = input
        .fields
        .iter()
        .any(|f| matches!(f.role, Role::Common(Common::Id | Common::Meta)))
        .then(|| quote!(| _scim::__private::drop_mask(&_scim::__private::common::ALL)));
    // Extensions have attributes of their own: no shortcut for types that carry them.
    let ext_mask = input
        .fields
        .iter()
        .any(|f| f.role == Role::Extension)
        .then(|| quote!(| u8::MAX));

    // Walk.
    let walk_values = value_fields.iter().map(|f| {
        let m = meta_of(f);
        let fi = f.ident;
        quote! {
            let __mask = const { _scim::__private::check_mask(#m) };
            if __interest & __mask != 0 {
                __v.attribute_masked(#m, __mask, _scim::__private::ScimValue::value_ref(&self.#fi));
            }
        }
    });
    let walk_exts = ext_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::ExtensionField::walk_extensions(&self.#fi, __v);)
    });
    let walk_unknown = unknown_field.map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::walk_unknown(&self.#fi, __v);)
    });

    // Serialization.
    let in_schema = if kind == Kind::Complex {
        quote!(let __ctx = *__ctx;)
    } else {
        quote!(let __ctx = __ctx.in_schema(#urn_lit);)
    };
    let schema_exts = ext_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::ExtensionField::present_urns(&self.#fi, &__ctx, __f);)
    });
    let schema_unknown = unknown_field.map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::unknown_urns(&self.#fi, &__ctx, __f);)
    });
    let write_schemas = (kind == Kind::Resource).then(|| {
        quote!(_scim::__private::serde::ser::SerializeMap::serialize_entry(
            &mut __map,
            "schemas",
            &_scim::__private::Schemas(#urn_lit, &|__f: &mut dyn ::core::ops::FnMut(&str)| {
                #(#schema_exts)*
                #schema_unknown
            }),
        )?;)
    });
    let write_values = value_fields.iter().map(|f| {
        let m = meta_of(f);
        let fi = f.ident;
        let wire = lit(&f.wire);
        // A plain attribute (read-write or immutable, not required, returned by default: most
        // of them) is written when it is not empty, projections aside: the characteristics
        // are known here, so the other rules of `SerCtx::keep` need not be asked at run time.
        let plain = matches!(f.role, Role::Attribute)
            && f.attrs.required.as_ref().is_none_or(|r| !r.value)
            && f.attrs.mutability.as_ref().is_none_or(|m| {
                matches!(
                    m.value,
                    attr::Mutability::ReadWrite | attr::Mutability::Immutable
                )
            })
            && f.attrs
                .returned
                .as_ref()
                .is_none_or(|r| r.value == attr::Returned::Default);
        let ty = f.ty;
        quote! {
            let __a: &'static _scim::__private::Attribute = #m;
            if <#ty as _scim::__private::ScimValue>::DESCRIPTOR.is_complex() {
                // A complex value's attributes know their parent.
                let __c = __ctx.child(__a);
                if __ctx.keeps(__a, #plain, || _scim::__private::ScimValue::is_empty_in(&self.#fi, &__c)) {
                    _scim::__private::serde::ser::SerializeMap::serialize_entry(
                        &mut __map, #wire, &_scim::__private::InContext::new(&self.#fi, &__c))?;
                }
            } else {
                // A scalar is written with the context as it is, by code shared with the
                // type's other scalars.
                _scim::__private::write_scalar(&mut __map, &__ctx, __a, #wire, &self.#fi, #plain)?;
            }
        }
    });
    let write_exts = ext_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::ExtensionField::serialize_entries(&self.#fi, &mut __map, &__ctx)?;)
    });
    let write_unknown = unknown_field.map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::write_unknown(&mut __map, &self.#fi, &__ctx, Self::__SCIM_NAMES)?;)
    });
    let empty_checks = value_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(&& _scim::__private::ScimValue::is_empty_value(&self.#fi))
    });
    let empty_unknown = unknown_field.map(|f| {
        let fi = f.ident;
        quote!(&& self.#fi.values().all(_scim::__private::json_is_empty))
    });
    let empty_exts = ext_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(&& _scim::__private::ExtensionField::is_empty_field(&self.#fi, &_scim::__private::SerCtx::DEFAULT))
    });
    let empty_in_values = value_fields.iter().map(|f| {
        let m = meta_of(f);
        let fi = f.ident;
        quote! {
            && {
                let __a: &'static _scim::__private::Attribute = #m;
                !__ctx.keep(__a, _scim::__private::ScimValue::is_empty_in(&self.#fi, &__ctx.child(__a)))
            }
        }
    });
    let empty_in_exts = ext_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(&& _scim::__private::ExtensionField::is_empty_field(&self.#fi, &__ctx))
    });
    let empty_in_unknown = unknown_field.map(|f| {
        let fi = f.ident;
        quote!(&& _scim::__private::unknown_is_empty_in(&self.#fi, &__ctx, Self::__SCIM_NAMES))
    });
    let clear_values = value_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::ScimValue::clear_unknown(&mut self.#fi);)
    });
    let clear_exts = ext_fields.iter().map(|f| {
        let fi = f.ident;
        quote!(_scim::__private::ExtensionField::clear_unknown(&mut self.#fi);)
    });
    let clear_unknown = unknown_field.map(|f| {
        let fi = f.ident;
        quote!(self.#fi.clear();)
    });
    let is_primary = value_fields
        .iter()
        .find(|f| f.wire == "primary")
        .map_or_else(
            || {
                unknown_field.map_or_else(
                    || quote!(false),
                    |u| {
                        let ui = u.ident;
                        quote!(_scim::__private::unknown_is_primary(&self.#ui))
                    },
                )
            },
            |f| {
                let fi = f.ident;
                quote!(::core::matches!(
                    _scim::__private::ScimValue::value_ref(&self.#fi),
                    _scim::__private::ValueRef::Boolean(true)
                ))
            },
        );
    let lookup_arms = value_fields.iter().enumerate().map(|(i, f)| {
        let fi = f.ident;
        quote!(::core::option::Option::Some(#i) => ::core::option::Option::Some(_scim::__private::ScimValue::value_ref(&self.#fi)),)
    });

    // Deserialization.
    let names: Vec<syn::LitStr> = value_fields.iter().map(|f| lit(&f.wire)).collect();
    let slots: Vec<syn::Ident> = value_fields
        .iter()
        .map(|f| format_ident!("__f_{}", f.ident.to_string().trim_start_matches("r#")))
        .collect();
    let slot_tys = value_fields.iter().map(|f| f.ty);
    let indexes: Vec<usize> = (0..value_fields.len()).collect();
    let read_arms = value_fields.iter().zip(&slots).zip(&names).enumerate().map(|(i, ((_, s), n))| {
        quote!(::core::option::Option::Some(#i) => _scim::__private::next_value(&mut __map, &mut #s, #n)?,)
    });
    let ext_slots: Vec<syn::Ident> = ext_fields
        .iter()
        .map(|f| format_ident!("__e_{}", f.ident.to_string().trim_start_matches("r#")))
        .collect();
    let ext_tys = ext_fields.iter().map(|f| f.ty);
    let ext_reads = ext_fields.iter().zip(&ext_slots).map(|(f, s)| {
        let ty = f.ty;
        let index_of =
            quote_spanned!(ty.span()=> <#ty as _scim::__private::ExtensionField>::index_of);
        quote! {
            if let ::core::option::Option::Some(__i) = #index_of(&__key.0) {
                _scim::__private::ExtensionField::deserialize_at(&mut #s, __i, &mut __map)?;
                continue;
            }
        }
    });
    let read_schemas = (kind == Kind::Resource).then(|| {
        quote! {
            if __key.0.eq_ignore_ascii_case("schemas") {
                _scim::__private::check_schemas(&mut __map, #urn_lit)?;
                continue;
            }
        }
    });
    // Keys that are not an attribute's exact name: `schemas` and extension URNs (the usual
    // ones) are recognised before the case-insensitive search among the attributes, unless an
    // attribute could be spelled `schemas` (then the attribute comes first, as for any key).
    let schemas_named = value_fields
        .iter()
        .any(|f| f.wire.eq_ignore_ascii_case("schemas"));
    let (schemas_early, schemas_late) = if schemas_named {
        (None, read_schemas)
    } else {
        (read_schemas, None)
    };
    let read_unknown = if unknown_field.is_some() {
        quote!(_scim::__private::keep_unknown(&mut __map, &mut __unknown, __key.0)?;)
    } else {
        quote!(_scim::__private::skip_value(&mut __map)?;)
    };
    let unknown_decl = unknown_field
        .map(|_| quote!(let mut __unknown = _scim::__private::serde_json::Map::new();));
    let check_unknown = unknown_field
        .map(|_| quote!(_scim::__private::check_unknown_keys::<__A::Error>(&__unknown)?;));
    let build = input.fields.iter().map(|f| {
        let fi = f.ident;
        match f.role {
            Role::Attribute | Role::Common(_) => {
                let i = value_fields
                    .iter()
                    .position(|v| v.ident == f.ident)
                    .unwrap_or_default();
                let s = &slots[i];
                let n = &names[i];
                quote!(#fi: _scim::__private::finish::<_, __A::Error>(#s, #n)?,)
            }
            Role::Extension => {
                let i = ext_fields
                    .iter()
                    .position(|v| v.ident == f.ident)
                    .unwrap_or_default();
                let s = &ext_slots[i];
                quote!(#fi: #s,)
            }
            Role::Unknown => quote!(#fi: __unknown,),
            Role::Skip => quote!(#fi: ::core::default::Default::default(),),
        }
    });
    let expecting = lit(&format!("a SCIM {name} object"));

    // A resource or extension is built in the caller's slot (`__deserialize_into`), when the
    // impl's bounds are enough for `FromMap`.
    let deserialize_into = de_bounds.is_empty().then(|| {
        quote! {
            fn __deserialize_into<'de, __D: _scim::__private::serde::Deserializer<'de>>(
                __d: __D,
                __slot: &mut ::core::option::Option<Self>,
            ) -> ::core::result::Result<(), __D::Error> {
                __d.deserialize_map(_scim::__private::SlotVisitor(__slot))
            }
        }
    });

    // The trait of the kind.
    let kind_impl = match kind {
        Kind::Resource => {
            let resource_type = input
                .attrs
                .resource_type
                .as_ref()
                .map_or_else(|| name.clone(), syn::LitStr::value);
            let endpoint = input
                .attrs
                .endpoint
                .as_ref()
                .map_or_else(|| format!("/{resource_type}s"), syn::LitStr::value);
            let rt_lit = lit(&resource_type);
            let has_required_ext = ext_fields
                .iter()
                .any(|f| f.attrs.required.as_ref().is_some_and(|r| r.value));
            let ep_lit = lit(&endpoint);
            let declare = ext_fields.iter().map(|f| {
                let ty = f.ty;
                let declare_fn =
                    quote_spanned!(ty.span()=> <#ty as _scim::__private::ExtensionField>::declare);
                let required = f.attrs.required.as_ref().is_some_and(|r| r.value);
                quote! {
                    let mut __s = ::std::vec::Vec::new();
                    #declare_fn(&mut __s);
                    __out.extend(__s.into_iter().map(|s| _scim::__private::ExtensionDecl::new(s, #required)));
                }
            });
            let id_field = input.role(Role::Common(Common::Id)).or_else(|| {
                input
                    .fields
                    .iter()
                    .find(|f| f.role == Role::Attribute && f.wire == "id")
            });
            let id = id_field.map_or_else(
                || quote!(::core::option::Option::None),
                |f| {
                    let fi = f.ident;
                    quote!(_scim::__private::IdField::id_str(&self.#fi))
                },
            );
            let (meta, meta_mut) = match input.role(Role::Common(Common::Meta)) {
                Some(f) => {
                    let fi = f.ident;
                    (
                        quote!(::core::option::Option::as_ref(&self.#fi)),
                        quote!(::core::option::Option::Some(&mut self.#fi)),
                    )
                }
                None => (
                    quote!(::core::option::Option::None),
                    quote!(::core::option::Option::None),
                ),
            };
            let (unknown, unknown_mut) = match unknown_field {
                Some(f) => {
                    let fi = f.ident;
                    (
                        quote!(::core::option::Option::Some(_scim::__private::unknown_ref(&self.#fi))),
                        quote!(::core::option::Option::Some(&mut self.#fi)),
                    )
                }
                None => (
                    quote!(::core::option::Option::None),
                    quote!(::core::option::Option::None),
                ),
            };
            quote! {
                #[automatically_derived]
                impl #impl_generics _scim::Resource for #ident #ty_generics #where_value {
                    const SCHEMA: &'static _scim::__private::SchemaDef = &_scim::__private::SchemaDef::new(
                        #urn_lit, #name_lit, #description_lit, Self::__SCIM_ATTRS);
                    const RESOURCE_TYPE: &'static str = #rt_lit;
                    const ENDPOINT: &'static str = #ep_lit;
                    const DESCRIPTION: &'static str = #description_lit;
                    const HAS_REQUIRED_EXTENSION: bool = #has_required_ext;
                    fn extensions() -> ::std::vec::Vec<_scim::__private::ExtensionDecl> {
                        let mut __out = ::std::vec::Vec::new();
                        #(#declare)*
                        __out
                    }
                    fn id(&self) -> ::core::option::Option<&str> { #id }
                    fn meta(&self) -> ::core::option::Option<&_scim::__private::Meta> { #meta }
                    fn meta_mut(&mut self) -> ::core::option::Option<&mut ::core::option::Option<_scim::__private::Meta>> { #meta_mut }
                    fn unknown(&self) -> ::core::option::Option<&_scim::__private::serde_json::Map<::std::string::String, _scim::__private::serde_json::Value>> { #unknown }
                    fn unknown_mut(&mut self) -> ::core::option::Option<&mut _scim::__private::serde_json::Map<::std::string::String, _scim::__private::serde_json::Value>> { #unknown_mut }
                    #deserialize_into
                }
            }
        }
        Kind::Extension => quote! {
            #[automatically_derived]
            impl #impl_generics _scim::__private::Extension for #ident #ty_generics #where_value {
                const SCHEMA: &'static _scim::__private::SchemaDef = &_scim::__private::SchemaDef::new(
                    #urn_lit, #name_lit, #description_lit, Self::__SCIM_ATTRS);
                #deserialize_into
            }
        },
        Kind::Complex => quote! {
            #[automatically_derived]
            impl #impl_generics _scim::__private::Complex for #ident #ty_generics #where_value {
                const ATTRIBUTES: &'static [_scim::__private::Attribute] = Self::__SCIM_ATTRS;
            }
        },
    };

    // Typed paths.
    let paths_ident = format_ident!("__{}ScimPaths", ident);
    let path_methods = value_fields.iter().map(|f| {
        let fi = f.ident;
        let ty = f.ty;
        let wire = lit(&f.wire);
        let doc = format!("The path of `{}`.", f.wire);
        quote_spanned! {ty.span()=>
            #[doc = #doc]
            #[must_use]
            pub fn #fi(&self) -> <#ty as _scim::paths::HasPath>::Path {
                <#ty as _scim::paths::HasPath>::at(self.__base.child(#wire))
            }
        }
    });
    let complex_methods = (kind == Kind::Complex).then(|| {
        quote! {
            /// `attribute pr`: the attribute has a value.
            #[must_use]
            pub fn pr(&self) -> _scim::paths::TypedFilter {
                _scim::paths::TypedFilter::present(&self.__base.this())
            }

            /// A value filter on the attribute: `emails[type eq "work"]`. The closure gets
            /// the sub-attribute paths relative to the attribute.
            #[must_use]
            pub fn matching(
                &self,
                filter: impl ::core::ops::FnOnce(&Self) -> _scim::paths::TypedFilter,
            ) -> _scim::paths::TypedFilter {
                let __inner = Self { __base: _scim::paths::Base::Root(::core::option::Option::None) };
                _scim::paths::value_filter(&self.__base.this(), &filter(&__inner))
            }
        }
    });
    let root_urn = if kind == Kind::Extension {
        quote!(::core::option::Option::Some(#urn_lit))
    } else {
        quote!(::core::option::Option::None)
    };
    let all_defaults = generics.params.iter().all(|p| match p {
        syn::GenericParam::Type(t) => t.default.is_some(),
        _ => false,
    });
    let path_impl_head = if generics.params.is_empty() || all_defaults {
        quote!(impl #ident)
    } else {
        quote!(impl #impl_generics #ident #ty_generics #where_value)
    };
    let path_fn = (kind != Kind::Complex).then(|| {
        quote! {
            #[automatically_derived]
            #path_impl_head {
                /// Typed paths to this type's attributes, for filters, `attributes`, `sortBy`
                /// and PATCH: `Self::path().attribute()`.
                #[must_use]
                pub fn path() -> #paths_ident {
                    #paths_ident { __base: _scim::paths::Base::Root(#root_urn) }
                }
            }
        }
    });

    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, unreachable_pub, non_camel_case_types, dead_code, clippy::all, clippy::pedantic)]
        const _: () = {
            use #krate as _scim;

            /// Typed paths to the attributes of the type.
            #[doc(hidden)]
            pub struct #paths_ident {
                __base: _scim::paths::Base,
            }

            #[automatically_derived]
            impl #paths_ident {
                #(#path_methods)*
                #complex_methods
            }

            #[automatically_derived]
            impl #impl_generics _scim::paths::HasPath for #ident #ty_generics #where_value {
                type Path = #paths_ident;
                fn at(path: _scim::path::AttrPath) -> #paths_ident {
                    #paths_ident { __base: _scim::paths::Base::Under(path) }
                }
            }

            #path_fn

            #[automatically_derived]
            impl #impl_generics #ident #ty_generics #where_value {
                const __SCIM_ATTRS: &'static [_scim::__private::Attribute] = &[#(#attr_exprs),*];
                const __SCIM_NAMES: &'static [&'static str] = &[#(#names),*];
                const __SCIM_DROP_MASK: u8 = _scim::__private::drop_mask(Self::__SCIM_ATTRS) #common_mask #ext_mask;
            }

            #[automatically_derived]
            impl #impl_generics _scim::__private::Walk for #ident #ty_generics #where_value {
                fn walk(&self, __v: &mut dyn _scim::__private::Visitor) {
                    let __interest = __v.interest();
                    #(#walk_values)*
                    #(#walk_exts)*
                    #walk_unknown
                }
                fn is_empty_walk(&self) -> bool {
                    _scim::__private::ScimValue::is_empty_value(self)
                }
                fn is_primary_walk(&self) -> bool {
                    _scim::__private::ScimValue::is_primary(self)
                }
                fn attribute_value(&self, __name: &str) -> ::core::option::Option<_scim::__private::ValueRef<'_>> {
                    match _scim::__private::find_name(Self::__SCIM_NAMES, __name) {
                        #(#lookup_arms)*
                        _ => ::core::option::Option::None,
                    }
                }
            }

            #[automatically_derived]
            impl #impl_generics _scim::__private::ScimValue for #ident #ty_generics #where_value {
                const DESCRIPTOR: _scim::__private::Descriptor = _scim::__private::Descriptor::complex(Self::__SCIM_ATTRS);
                fn value_ref(&self) -> _scim::__private::ValueRef<'_> {
                    _scim::__private::ValueRef::Complex(self)
                }
                fn is_empty_value(&self) -> bool {
                    true #(#empty_checks)* #empty_unknown #(#empty_exts)*
                }
                fn is_empty_in(&self, __ctx: &_scim::__private::SerCtx<'_>) -> bool {
                    if !__ctx.may_drop(Self::__SCIM_DROP_MASK) {
                        return _scim::__private::ScimValue::is_empty_value(self);
                    }
                    #in_schema
                    true #(#empty_in_values)* #(#empty_in_exts)* #empty_in_unknown
                }
                fn is_primary(&self) -> bool {
                    #is_primary
                }
                fn clear_unknown(&mut self) {
                    #(#clear_values)*
                    #(#clear_exts)*
                    #clear_unknown
                }
                fn serialize_in<__S: _scim::__private::serde::Serializer>(
                    &self,
                    __s: __S,
                    __ctx: &_scim::__private::SerCtx<'_>,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    #in_schema
                    let mut __map = _scim::__private::serde::Serializer::serialize_map(__s, ::core::option::Option::None)?;
                    #write_schemas
                    #(#write_values)*
                    #(#write_exts)*
                    #write_unknown
                    _scim::__private::serde::ser::SerializeMap::end(__map)
                }
            }

            #[automatically_derived]
            impl #impl_generics _scim::__private::serde::Serialize for #ident #ty_generics #where_value {
                fn serialize<__S: _scim::__private::serde::Serializer>(&self, __s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    _scim::__private::ScimValue::serialize_in(self, __s, &_scim::__private::SerCtx::DEFAULT)
                }
            }

            #[automatically_derived]
            impl #de_impl_generics _scim::__private::FromMap<'de> for #ident #ty_generics #where_de {
                const EXPECTING: &'static str = #expecting;
                fn from_map<__A: _scim::__private::serde::de::MapAccess<'de>>(mut __map: __A) -> ::core::result::Result<Self, __A::Error> {
                    let __names: &[&str] = Self::__SCIM_NAMES;
                    #(let mut #slots: ::core::option::Option<#slot_tys> = ::core::option::Option::None;)*
                    #(let mut #ext_slots: #ext_tys = ::core::default::Default::default();)*
                    #unknown_decl
                    while let ::core::option::Option::Some(__key) = __map.next_key::<_scim::__private::Key<'de>>()? {
                        let __index = match &*__key.0 {
                            #(#names => ::core::option::Option::Some(#indexes),)*
                            __other => {
                                #schemas_early
                                #(#ext_reads)*
                                _scim::__private::index_ci(__names, __other)
                            }
                        };
                        match __index {
                            #(#read_arms)*
                            _ => {
                                #schemas_late
                                #read_unknown
                            }
                        }
                    }
                    #check_unknown
                    ::core::result::Result::Ok(Self {
                        #(#build)*
                    })
                }
            }

            #[automatically_derived]
            impl #de_impl_generics _scim::__private::serde::Deserialize<'de> for #ident #ty_generics #where_de {
                fn deserialize<__D: _scim::__private::serde::Deserializer<'de>>(__d: __D) -> ::core::result::Result<Self, __D::Error> {
                    __d.deserialize_map(_scim::__private::MapVisitor::<Self>::new())
                }
            }

            #kind_impl
        };
    }
}
