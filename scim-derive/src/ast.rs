//! The derive input, borrowed and annotated with the parsed `#[scim(...)]` keys.

use syn::{DeriveInput, Ident, Type};

use crate::attr::{self, Container, Ctxt, FieldAttrs};
use crate::case::camel_case;

/// Which derive is running.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Resource,
    Extension,
    Complex,
}

impl Kind {
    pub(crate) fn derive_name(self) -> &'static str {
        match self {
            Kind::Resource => "ScimResource",
            Kind::Extension => "ScimExtension",
            Kind::Complex => "ScimComplex",
        }
    }
}

/// What a field is, for code generation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A schema attribute.
    Attribute,
    /// `id`, `externalId` or `meta` on a resource (RFC 7643 section 3.1).
    Common(Common),
    /// `#[scim(extension)]`.
    Extension,
    /// `#[scim(unknown)]`.
    Unknown,
    /// `#[scim(skip)]`.
    Skip,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Common {
    Id,
    ExternalId,
    Meta,
}

pub(crate) struct Input<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) kind: Kind,
    pub(crate) attrs: Container,
    pub(crate) doc: Option<String>,
    pub(crate) fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs,
    pub(crate) doc: Option<String>,
    /// The SCIM attribute name on the wire.
    pub(crate) wire: String,
    pub(crate) role: Role,
}

impl<'a> Input<'a> {
    /// Reads the input; `None` (with errors recorded) when it is not a struct with named fields.
    pub(crate) fn from_syn(cx: &Ctxt, node: &'a DeriveInput, kind: Kind) -> Option<Self> {
        let attrs = attr::container(cx, &node.attrs);
        let named = match &node.data {
            syn::Data::Struct(s) => match &s.fields {
                syn::Fields::Named(n) => Some(n),
                syn::Fields::Unnamed(_) => {
                    cx.error(
                        node.ident.span(),
                        format!(
                            "`{}` needs a struct with named fields, not a tuple struct",
                            kind.derive_name()
                        ),
                    );
                    None
                }
                syn::Fields::Unit => {
                    cx.error(
                        node.ident.span(),
                        format!(
                            "`{}` needs a struct with named fields, not a unit struct",
                            kind.derive_name()
                        ),
                    );
                    None
                }
            },
            syn::Data::Enum(e) => {
                cx.error(
                    e.enum_token.span,
                    format!(
                        "`{}` can only be derived for structs with named fields, not enums",
                        kind.derive_name()
                    ),
                );
                None
            }
            syn::Data::Union(u) => {
                cx.error(
                    u.union_token.span,
                    format!(
                        "`{}` can only be derived for structs with named fields, not unions",
                        kind.derive_name()
                    ),
                );
                None
            }
        }?;
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let fa = attr::field(cx, &f.attrs);
                let wire = fa
                    .rename
                    .as_ref()
                    .map_or_else(|| camel_case(&ident.to_string()), syn::LitStr::value);
                let role = if fa.skip.is_some() {
                    Role::Skip
                } else if fa.extension.is_some() {
                    Role::Extension
                } else if fa.unknown.is_some() {
                    Role::Unknown
                } else if kind == Kind::Resource && fa.rename.is_none() {
                    match wire.as_str() {
                        "id" => Role::Common(Common::Id),
                        "externalId" => Role::Common(Common::ExternalId),
                        "meta" => Role::Common(Common::Meta),
                        _ => Role::Attribute,
                    }
                } else {
                    Role::Attribute
                };
                Some(Field {
                    ident,
                    ty: &f.ty,
                    doc: attr::doc(&f.attrs),
                    attrs: fa,
                    wire,
                    role,
                })
            })
            .collect();
        Some(Input {
            original: node,
            kind,
            doc: attr::doc(&node.attrs),
            attrs,
            fields,
        })
    }

    /// The schema attributes (in declaration order).
    pub(crate) fn attributes(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(|f| f.role == Role::Attribute)
    }

    pub(crate) fn role(&self, role: Role) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.role == role)
    }
}
