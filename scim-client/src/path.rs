//! Attribute paths: `userName`, `name.familyName`, `urn:...:enterprise:2.0:User:manager.value`,
//! and the PATCH `path` of RFC 7644 section 3.5.2 (`emails[type eq "work"].value`).
//!
//! The grammar is the ABNF of RFC 7644 section 3.4.2.2 (Figure 1) and section 3.5.2 (Figure 7):
//!
//! ```text
//! attrPath  = [URI ":"] ATTRNAME *1subAttr
//! ATTRNAME  = ALPHA *(nameChar)            ; nameChar = "$" / "-" / "_" / DIGIT / ALPHA
//! subAttr   = "." ATTRNAME
//! PATH      = attrPath / valuePath [subAttr]
//! valuePath = attrPath "[" valFilter "]"
//! ```
//!
//! Two deliberate departures from the letter of the ABNF, both needed by real SCIM documents:
//!
//! * an attribute name may start with `$`, so that `$ref` (RFC 7643 section 2.3.7) can be named;
//! * the schema prefix must be a URN (`urn:` in any case), as every SCIM schema URI is. The path
//!   is split at the **last** `:` before the attribute name, so the URN may contain dots
//!   (`...:2.0:User:name.givenName` has schema `...:2.0:User`, name `name`, sub-attribute
//!   `givenName`) and the attribute part never contains `:`. A bare schema URN therefore parses
//!   as "URN without its last segment" plus that segment as the attribute name, as the ABNF says.
//!
//! Attribute names are case-insensitive in SCIM, but the paths here keep the spelling they were
//! given: `==` compares spelling, [`AttrPath::eq_ignore_case`] compares as SCIM does.
//!
//! Parsing only checks the grammar. What a path names is found by resolving it against a
//! resource type's metadata ([`Schemas`], derived or imported at run time):
//! [`AttrPath::resolve`], [`PatchPath::resolve`] and [`Filter::check`] match names and URNs in
//! any case, and name what does not fit, with the closest defined name when one is close
//! (``unknown attribute `usrName`, did you mean `userName`?``).
//!
//! ```
//! use scim_client::path::{AttrPath, PatchPath};
//!
//! let path: AttrPath = "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName".parse()?;
//! assert_eq!(path.schema(), Some("urn:ietf:params:scim:schemas:core:2.0:User"));
//! assert_eq!(path.name(), "name");
//! assert_eq!(path.sub_attr(), Some("givenName"));
//!
//! let patch = PatchPath::parse(r#"emails[type eq "work"].value"#)?;
//! assert_eq!(patch.attr().name(), "emails");
//! assert_eq!(patch.sub_attr(), Some("value"));
//! assert_eq!(patch.to_string(), r#"emails[type eq "work"].value"#);
//! # Ok::<(), scim_client::path::PathError>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::filter::parser::{Parser, SyntaxError};
use crate::filter::{CompValue, CompareOp, Filter};
use crate::patch::Schemas;
use crate::schema::{Attribute, AttributeType, SchemaDef};

/// An attribute path: an optional schema URN, an attribute name and an optional sub-attribute
/// (RFC 7644 `attrPath = [URI ":"] ATTRNAME *1subAttr`).
///
/// Every value of this type is valid: it prints (with [`Display`](fmt::Display)) as a string that
/// parses back to the same value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrPath {
    // Borrowed when the names are `'static` (typed paths, the library's own paths), so that
    // building and cloning such a path allocates nothing.
    schema: Option<Cow<'static, str>>,
    name: Cow<'static, str>,
    sub_attr: Option<Cow<'static, str>>,
}

impl AttrPath {
    /// Parses a complete attribute path such as `name.familyName` or
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
    ///
    /// # Errors
    ///
    /// Returns a [`PathError`] with the byte position of the first character that does not fit
    /// the grammar, for example a second sub-attribute (`a.b.c`), a schema prefix that is not a
    /// URN, or a value filter (`emails[...]`, which only [`PatchPath`] and filters accept).
    pub fn parse(input: &str) -> Result<Self, PathError> {
        let mut parser = Parser::new(input);
        let path = parser.attr_path()?;
        parser.expect_end("the end of the attribute path")?;
        Ok(path)
    }

    /// Builds a path from its parts: `from_parts(Some(urn), "manager", Some("value"))` is
    /// `urn:...:manager.value`.
    ///
    /// # Errors
    ///
    /// Returns a [`PathError`] if a part is not valid on its own: the schema must be a URN, the
    /// names must be attribute names (a letter or `$`, then letters, digits, `$`, `-`, `_`). The
    /// position refers to the joined path `schema:name.sub_attr`.
    pub fn from_parts(
        schema: Option<&str>,
        name: &str,
        sub_attr: Option<&str>,
    ) -> Result<Self, PathError> {
        let mut joined = String::new();
        if let Some(schema) = schema {
            joined.push_str(schema);
            joined.push(':');
        }
        joined.push_str(name);
        if let Some(sub_attr) = sub_attr {
            joined.push('.');
            joined.push_str(sub_attr);
        }
        let path = Self::parse(&joined)?;
        if path.schema.as_deref() == schema
            && path.name == name
            && path.sub_attr.as_deref() == sub_attr
        {
            Ok(path)
        } else {
            Err(PathError::syntax(
                0,
                format!("the parts do not form a valid attribute path: `{joined}`"),
            ))
        }
    }

    /// The schema URN prefix, if the path is fully qualified.
    #[must_use]
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The attribute name, spelled as given.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sub-attribute name (`familyName` in `name.familyName`), spelled as given.
    #[must_use]
    pub fn sub_attr(&self) -> Option<&str> {
        self.sub_attr.as_deref()
    }

    /// Whether both paths name the same attribute, ignoring ASCII case as SCIM does for
    /// attribute names and schema URNs.
    #[must_use]
    pub fn eq_ignore_case(&self, other: &Self) -> bool {
        fn same(a: Option<&str>, b: Option<&str>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                _ => false,
            }
        }
        same(self.schema(), other.schema())
            && self.name.eq_ignore_ascii_case(&other.name)
            && same(self.sub_attr(), other.sub_attr())
    }

    /// Builds a path from parts the parser has already checked.
    pub(crate) fn from_checked(
        schema: Option<String>,
        name: String,
        sub_attr: Option<String>,
    ) -> Self {
        Self {
            schema: schema.map(Cow::Owned),
            name: Cow::Owned(name),
            sub_attr: sub_attr.map(Cow::Owned),
        }
    }

    /// Builds a path from `'static` parts already checked (the derives' typed paths): nothing
    /// is copied, and clones of the path allocate nothing.
    #[inline]
    pub(crate) const fn from_static(
        schema: Option<&'static str>,
        name: &'static str,
        sub_attr: Option<&'static str>,
    ) -> Self {
        Self {
            schema: match schema {
                Some(s) => Some(Cow::Borrowed(s)),
                None => None,
            },
            name: Cow::Borrowed(name),
            sub_attr: match sub_attr {
                Some(s) => Some(Cow::Borrowed(s)),
                None => None,
            },
        }
    }

    /// `self.sub`, for a path without a sub-attribute; the parts of `self` are shared when
    /// they are `'static`.
    #[inline]
    pub(crate) fn with_static_sub_attr(&self, sub_attr: &'static str) -> Self {
        Self {
            schema: self.schema.clone(),
            name: self.name.clone(),
            sub_attr: Some(Cow::Borrowed(sub_attr)),
        }
    }

    /// `inner` read as a sub-attribute of `self`: `emails` + `value` is `emails.value`. Paths
    /// that cannot be combined that way (either already has a sub-attribute, or `inner` has a
    /// schema) give `inner` unchanged.
    pub(crate) fn qualify(&self, inner: &Self) -> Self {
        if self.sub_attr.is_none() && inner.schema.is_none() && inner.sub_attr.is_none() {
            Self {
                schema: self.schema.clone(),
                name: self.name.clone(),
                sub_attr: Some(inner.name.clone()),
            }
        } else {
            inner.clone()
        }
    }
}

impl FromStr for AttrPath {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AttrPath {
    /// Writes the path to `w` (the printer of [`Display`](fmt::Display) and of filters).
    pub(crate) fn print<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        if let Some(schema) = &self.schema {
            w.write_str(schema)?;
            w.write_str(":")?;
        }
        w.write_str(&self.name)?;
        if let Some(sub_attr) = &self.sub_attr {
            w.write_str(".")?;
            w.write_str(sub_attr)?;
        }
        Ok(())
    }

    /// The length of the printed path.
    #[inline]
    pub(crate) fn printed_len(&self) -> usize {
        self.schema.as_ref().map_or(0, |s| s.len() + 1)
            + self.name.len()
            + self.sub_attr.as_ref().map_or(0, |s| s.len() + 1)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.print(f)
    }
}

/// The `path` of a PATCH operation (RFC 7644 section 3.5.2, Figure 7):
/// `attrPath / valuePath [subAttr]`.
///
/// Either a plain [`AttrPath`] (`members`, `name.familyName`), or an attribute path with a value
/// filter selecting some values of a multi-valued attribute (`members[value eq "2819c223"]`),
/// optionally followed by a sub-attribute of the selected values
/// (`addresses[type eq "work"].streetAddress`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PatchPath {
    attr: AttrPath,
    filter: Option<Filter>,
    sub_attr: Option<String>,
}

impl PatchPath {
    /// Parses a PATCH path.
    ///
    /// # Errors
    ///
    /// Returns a [`PathError`] with the byte position of the first character that does not fit
    /// the grammar, including errors inside the value filter (positions count from the start of
    /// the whole path).
    pub fn parse(input: &str) -> Result<Self, PathError> {
        let mut parser = Parser::new(input);
        let attr = parser.attr_path()?;
        if !parser.at(b'[') {
            parser.expect_end("`[` or the end of the path")?;
            return Ok(Self::from(attr));
        }
        let filter = parser.value_filter()?;
        let sub_attr = if parser.at(b'.') {
            parser.bump();
            Some(parser.attr_name("a sub-attribute name after `.`")?)
        } else {
            None
        };
        parser.expect_end(if sub_attr.is_some() {
            "the end of the path"
        } else {
            "`.` or the end of the path"
        })?;
        Ok(Self {
            attr,
            filter: Some(filter),
            sub_attr,
        })
    }

    /// A path that selects values of `attr` matching `filter`, and optionally a sub-attribute of
    /// those values: `PatchPath::with_filter(emails, type eq "work", Some("value"))` is
    /// `emails[type eq "work"].value`.
    ///
    /// # Errors
    ///
    /// Returns a [`PathError`] if `sub_attr` is not an attribute name.
    pub fn with_filter(
        attr: AttrPath,
        filter: Filter,
        sub_attr: Option<&str>,
    ) -> Result<Self, PathError> {
        let sub_attr = match sub_attr {
            Some(name) => {
                let mut parser = Parser::new(name);
                let name = parser.attr_name("a sub-attribute name")?;
                parser.expect_end("the end of the sub-attribute name")?;
                Some(name)
            }
            None => None,
        };
        Ok(Self {
            attr,
            filter: Some(filter),
            sub_attr,
        })
    }

    /// The attribute the path designates (before any `[...]`).
    #[must_use]
    pub fn attr(&self) -> &AttrPath {
        &self.attr
    }

    /// The value filter between `[` and `]`, if any.
    #[must_use]
    pub fn value_filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// The sub-attribute after `]` (`streetAddress` in `addresses[type eq "work"].streetAddress`).
    /// Always `None` for a path without a value filter: there the sub-attribute is part of
    /// [`attr`](Self::attr).
    #[must_use]
    pub fn sub_attr(&self) -> Option<&str> {
        self.sub_attr.as_deref()
    }
}

impl From<AttrPath> for PatchPath {
    fn from(attr: AttrPath) -> Self {
        Self {
            attr,
            filter: None,
            sub_attr: None,
        }
    }
}

impl FromStr for PatchPath {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.attr, f)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub_attr) = &self.sub_attr {
            write!(f, ".{sub_attr}")?;
        }
        Ok(())
    }
}

// ----- resolution against metadata -------------------------------------------------------------

/// What went wrong with a path: its syntax, or (for [`AttrPath::resolve`],
/// [`PatchPath::resolve`] and [`Filter::check`]) what it names in the schemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathErrorKind {
    /// The text does not fit the grammar.
    Syntax,
    /// The URN prefix names neither the core schema nor one of the extensions.
    UnknownSchema,
    /// No attribute, or no sub-attribute, has that name.
    UnknownAttribute,
    /// An unqualified name that several extensions define (and the core schema does not):
    /// qualify it with the URN of the one meant.
    AmbiguousAttribute,
    /// The path's shape does not fit the attribute: a sub-attribute of an attribute that is not
    /// complex, a value filter on an attribute that cannot take one, a schema URN where an
    /// attribute is expected.
    Structure,
    /// A filter operator that the attribute's type does not support (`gt` on a boolean, `co`
    /// on a dateTime, a comparison on a complex attribute without a `value`).
    Operator,
}

/// An error in an attribute path, a PATCH path or a filter: a syntax error (with the byte
/// position where it was found), or a path that does not fit the schemas it is resolved
/// against.
///
/// A syntax error displays as `at position 7: expected ..., found ...`; a resolution error as
/// its message alone: ``unknown attribute `usrName`, did you mean `userName`?``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    kind: PathErrorKind,
    position: usize,
    message: String,
    suggestion: Option<String>,
}

impl PathError {
    pub(crate) fn syntax(position: usize, message: String) -> Self {
        Self {
            kind: PathErrorKind::Syntax,
            position,
            message,
            suggestion: None,
        }
    }

    fn resolution(kind: PathErrorKind, message: String) -> Self {
        Self {
            kind,
            position: 0,
            message,
            suggestion: None,
        }
    }

    /// An unknown name: the message, with `, did you mean ...?` when a candidate is close.
    fn unknown(kind: PathErrorKind, message: String, suggestion: Option<&str>) -> Self {
        match suggestion {
            None => Self::resolution(kind, message),
            Some(suggestion) => Self {
                kind,
                position: 0,
                message: format!("{message}, did you mean `{suggestion}`?"),
                suggestion: Some(suggestion.to_owned()),
            },
        }
    }

    /// What kind of error this is.
    #[must_use]
    pub fn kind(&self) -> PathErrorKind {
        self.kind
    }

    /// The byte offset in the input where a [syntax error](PathErrorKind::Syntax) was found;
    /// 0 for the other kinds, which are about what the path names rather than how it is
    /// written.
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }

    /// What was expected and what was found instead, without the position.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For an unknown name, the closest name the schemas define, in their spelling (`userName`
    /// for `usrName`), when one is close enough to be a likely typo.
    #[must_use]
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == PathErrorKind::Syntax {
            write!(f, "at position {}: ", self.position)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

impl From<SyntaxError> for PathError {
    fn from(error: SyntaxError) -> Self {
        Self::syntax(error.position, error.message)
    }
}

/// What a path names in a resource type's schemas: the schema, the top-level attribute and
/// the sub-attribute, each with its metadata. Built by [`AttrPath::resolve_parts`] and
/// [`PatchPath::resolve`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResolvedPath<'a> {
    schema: &'a SchemaDef,
    extension: bool,
    attribute: &'a Attribute,
    sub_attribute: Option<&'a Attribute>,
}

impl<'a> ResolvedPath<'a> {
    /// The schema the attribute belongs to: an extension, or the core schema (also for the
    /// common attributes `id`, `externalId`, `meta` and for `schemas`, which no schema lists).
    #[must_use]
    pub fn schema(&self) -> &'a SchemaDef {
        self.schema
    }

    /// Whether the attribute belongs to an extension (and so sits in the extension's object,
    /// keyed by its URN).
    #[must_use]
    pub fn is_extension(&self) -> bool {
        self.extension
    }

    /// The top-level attribute (`name` in `name.givenName`, `emails` in
    /// `emails[type eq "work"].value`).
    #[must_use]
    pub fn attribute(&self) -> &'a Attribute {
        self.attribute
    }

    /// The sub-attribute, if the path names one.
    #[must_use]
    pub fn sub_attribute(&self) -> Option<&'a Attribute> {
        self.sub_attribute
    }

    /// The attribute the path designates: the sub-attribute if there is one, else the
    /// top-level attribute.
    #[must_use]
    pub fn target(&self) -> &'a Attribute {
        self.sub_attribute.unwrap_or(self.attribute)
    }

    /// The path in the schemas' spelling, with the URN prefix for an extension attribute:
    /// `usERNAME` resolves to `userName`, `manager.value` to
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
    #[must_use]
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        if self.extension {
            out.push_str(&self.schema.id);
            out.push(':');
        }
        out.push_str(&self.attribute.name);
        if let Some(sub) = self.sub_attribute {
            out.push('.');
            out.push_str(&sub.name);
        }
        out
    }
}

impl AttrPath {
    /// The attribute this path names in `schemas`: the sub-attribute for `name.givenName`,
    /// the top-level attribute otherwise. Names and URNs match in any case.
    ///
    /// - A URN-qualified path looks in that schema: the core schema or one of the extensions.
    /// - An unqualified name looks in the core schema (including `id`, `externalId`, `meta`
    ///   and `schemas`), then in the extensions; a name only extensions define must be
    ///   defined by exactly one of them.
    ///
    /// ```
    /// use scim_client::model::{EnterpriseUser, User};
    /// use scim_client::patch::Schemas;
    /// use scim_client::path::{AttrPath, PathErrorKind};
    /// use scim_client::schema::AttributeType;
    ///
    /// let schemas = Schemas::of::<User<EnterpriseUser>>();
    /// let given = AttrPath::parse("NAME.givenname")?.resolve(&schemas)?;
    /// assert_eq!((&*given.name, given.ty), ("givenName", AttributeType::String));
    ///
    /// let e = AttrPath::parse("usrName")?.resolve(&schemas).unwrap_err();
    /// assert_eq!(e.kind(), PathErrorKind::UnknownAttribute);
    /// assert_eq!(e.to_string(), "unknown attribute `usrName`, did you mean `userName`?");
    ///
    /// let e = AttrPath::parse("name.givenNme")?.resolve(&schemas).unwrap_err();
    /// assert_eq!(e.to_string(), "`name` has no sub-attribute `givenNme`, did you mean `givenName`?");
    /// assert_eq!(e.suggestion(), Some("givenName"));
    /// # Ok::<(), scim_client::path::PathError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`PathError`] whose [`kind`](PathError::kind) says what does not fit: an unknown
    /// schema URN, an unknown attribute or sub-attribute (with the closest name as a
    /// suggestion when one is close), a sub-attribute of an attribute that is not complex, a
    /// name several extensions define, or a path that is a schema URN.
    pub fn resolve<'a>(&self, schemas: &Schemas<'a>) -> Result<&'a Attribute, PathError> {
        self.resolve_parts(schemas).map(|r| r.target())
    }

    /// Like [`resolve`](Self::resolve), but gives the schema, the top-level attribute and
    /// the sub-attribute apart.
    ///
    /// ```
    /// use scim_client::model::{EnterpriseUser, User};
    /// use scim_client::patch::Schemas;
    /// use scim_client::path::AttrPath;
    ///
    /// let schemas = Schemas::of::<User<EnterpriseUser>>();
    /// let r = AttrPath::parse("MANAGER.value")?.resolve_parts(&schemas)?;
    /// assert!(r.is_extension());
    /// assert_eq!(r.attribute().name, "manager");
    /// assert_eq!(
    ///     r.canonical(),
    ///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
    /// );
    /// # Ok::<(), scim_client::path::PathError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`resolve`](Self::resolve).
    pub fn resolve_parts<'a>(&self, schemas: &Schemas<'a>) -> Result<ResolvedPath<'a>, PathError> {
        resolve_in(self, schemas, None)
    }
}

impl PatchPath {
    /// What this PATCH path names in `schemas`: the attribute and the sub-attribute (from
    /// `name.givenName` or from `emails[...].value`), as [`AttrPath::resolve_parts`] finds
    /// them. The value filter is [checked](Filter::check) too, its names read as
    /// sub-attributes of the filtered attribute (`type` in `emails[type eq "work"]` is
    /// `emails.type`).
    ///
    /// A value filter needs a multi-valued attribute; the names inside it must be
    /// sub-attributes of a complex one, or `value` for simple values (`schemas[value eq
    /// "..."]`).
    ///
    /// A path that is only an extension URN (which a PATCH may use to target the whole
    /// extension) names no attribute: it is a [`Structure`](PathErrorKind::Structure) error
    /// here; [`PatchOp::check`](crate::protocol::PatchOp::check) accepts it.
    ///
    /// ```
    /// use scim_client::model::{EnterpriseUser, User};
    /// use scim_client::patch::Schemas;
    /// use scim_client::path::PatchPath;
    ///
    /// let schemas = Schemas::of::<User<EnterpriseUser>>();
    /// let r = PatchPath::parse(r#"addresses[type eq "work"].streetAddress"#)?.resolve(&schemas)?;
    /// assert_eq!((&*r.attribute().name, &*r.target().name), ("addresses", "streetAddress"));
    ///
    /// let e = PatchPath::parse(r#"emails[tpye eq "work"]"#)?.resolve(&schemas).unwrap_err();
    /// assert_eq!(e.to_string(), "`emails` has no sub-attribute `tpye`, did you mean `type`?");
    /// # Ok::<(), scim_client::path::PathError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`AttrPath::resolve`], and for the value filter as [`Filter::check`]; a
    /// [`Structure`](PathErrorKind::Structure) error for a value filter on a single-valued
    /// attribute or after a sub-attribute (`name.givenName[...]`).
    pub fn resolve<'a>(&self, schemas: &Schemas<'a>) -> Result<ResolvedPath<'a>, PathError> {
        self.resolve_in(schemas, None)
    }

    /// [`resolve`](Self::resolve), with unqualified names looked up in `base` only when it is
    /// given (the keys of an extension's object in a PATCH value).
    pub(crate) fn resolve_in<'a>(
        &self,
        schemas: &Schemas<'a>,
        base: Option<&'a SchemaDef>,
    ) -> Result<ResolvedPath<'a>, PathError> {
        let mut resolved = resolve_in(&self.attr, schemas, base)?;
        let Some(filter) = &self.filter else {
            return Ok(resolved);
        };
        if self.attr.sub_attr.is_some() {
            return Err(PathError::resolution(
                PathErrorKind::Structure,
                format!("`{self}`: a value filter applies to an attribute, not to a sub-attribute"),
            ));
        }
        let attribute = resolved.attribute;
        if !attribute.multi_valued {
            return Err(PathError::resolution(
                PathErrorKind::Structure,
                format!(
                    "`{}` is not multi-valued: it cannot take a value filter",
                    self.attr
                ),
            ));
        }
        check_filter(
            filter,
            schemas,
            Some(Parent {
                attribute,
                shown: self.attr.to_string(),
            }),
        )?;
        if let Some(sub) = &self.sub_attr {
            resolved.sub_attribute = Some(sub_attribute(attribute, &self.attr, sub)?);
        }
        Ok(resolved)
    }
}

impl Filter {
    /// Checks the filter against `schemas`: every attribute path must
    /// [resolve](AttrPath::resolve) (the paths inside `attr[...]` as sub-attributes of `attr`),
    /// and every operator must fit the attribute's type, as RFC 7644 section 3.4.2.2 asks:
    ///
    /// - `gt`, `ge`, `lt`, `le` do not apply to boolean or binary attributes;
    /// - `co`, `sw`, `ew` apply to string and reference attributes only (not to integer,
    ///   decimal, boolean, dateTime or binary ones);
    /// - a complex attribute compared without a sub-attribute is compared through its `value`
    ///   sub-attribute (`emails co "example.com"`), so it must have one, and the operator must
    ///   fit that sub-attribute;
    /// - `pr` applies to any attribute.
    ///
    /// The values compared with are not checked against the attribute's type.
    ///
    /// ```
    /// use scim_client::filter::Filter;
    /// use scim_client::model::{EnterpriseUser, User};
    /// use scim_client::patch::Schemas;
    /// use scim_client::path::PathErrorKind;
    ///
    /// let schemas = Schemas::of::<User<EnterpriseUser>>();
    /// let ok = Filter::parse(r#"emails[type eq "work" and value co "@example.com"] and meta.lastModified gt "2011-05-13T04:42:34Z""#)?;
    /// assert!(ok.check(&schemas).is_ok());
    ///
    /// let e = Filter::parse("active gt true")?.check(&schemas).unwrap_err();
    /// assert_eq!(e.kind(), PathErrorKind::Operator);
    /// assert_eq!(e.to_string(), "`active gt true`: `gt` does not apply to `active`, a boolean attribute (booleans have no order)");
    ///
    /// let e = Filter::parse(r#"usrName eq "bjensen""#)?.check(&schemas).unwrap_err();
    /// assert_eq!(e.to_string(), "unknown attribute `usrName`, did you mean `userName`?");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The first path that does not resolve (as [`AttrPath::resolve`]), a value filter on an
    /// attribute that is neither complex nor multi-valued
    /// ([`Structure`](PathErrorKind::Structure)), or an operator that does not fit
    /// ([`Operator`](PathErrorKind::Operator)); the message names the attribute and the
    /// operator.
    pub fn check(&self, schemas: &Schemas<'_>) -> Result<(), PathError> {
        check_filter(self, schemas, None)
    }
}

/// The attribute the paths of a value filter are relative to, and how to name it.
#[derive(Clone)]
struct Parent<'a> {
    attribute: &'a Attribute,
    shown: String,
}

/// Checks every path and operator of `filter`, walking it with an explicit stack (a chain of
/// `and` built with the constructors may be arbitrarily long).
fn check_filter<'a>(
    filter: &Filter,
    schemas: &Schemas<'a>,
    parent: Option<Parent<'a>>,
) -> Result<(), PathError> {
    let mut stack = vec![(filter, parent)];
    while let Some((node, parent)) = stack.pop() {
        match node {
            Filter::And(left, right) | Filter::Or(left, right) => {
                stack.push((right, parent.clone()));
                stack.push((left, parent));
            }
            Filter::Not(inner) => stack.push((inner, parent)),
            Filter::Present(path) => {
                filter_target(path, schemas, parent.as_ref())?;
            }
            Filter::Compare { path, op, value } => {
                let (target, shown) = filter_target(path, schemas, parent.as_ref())?;
                check_operator(target, &shown, *op, value)?;
            }
            Filter::ValuePath { attr, filter } => {
                let (attribute, shown) = filter_target(attr, schemas, parent.as_ref())?;
                if attribute.ty != AttributeType::Complex && !attribute.multi_valued {
                    return Err(PathError::resolution(
                        PathErrorKind::Structure,
                        format!(
                            "`{shown}` is neither complex nor multi-valued: it cannot take a value filter"
                        ),
                    ));
                }
                stack.push((filter, Some(Parent { attribute, shown })));
            }
        }
    }
    Ok(())
}

/// The attribute a path of a filter designates, and how to name it in messages (qualified by
/// the enclosing value path: `emails.type`).
fn filter_target<'a>(
    path: &AttrPath,
    schemas: &Schemas<'a>,
    parent: Option<&Parent<'a>>,
) -> Result<(&'a Attribute, String), PathError> {
    let Some(parent) = parent else {
        return Ok((resolve_in(path, schemas, None)?.target(), path.to_string()));
    };
    let shown = format!("{}.{path}", parent.shown);
    if path.schema.is_some() {
        return Err(PathError::resolution(
            PathErrorKind::Structure,
            format!(
                "`{path}` inside `{}[...]` must be the name of a sub-attribute of `{}`",
                parent.shown, parent.shown
            ),
        ));
    }
    let attribute = parent.attribute;
    let found = if attribute.ty == AttributeType::Complex {
        sub_attribute(attribute, &parent.shown, &path.name)?
    } else if path.name.eq_ignore_ascii_case("value") {
        // Simple values are filtered as `value` (`schemas[value eq "..."]`).
        attribute
    } else {
        return Err(PathError::unknown(
            PathErrorKind::UnknownAttribute,
            format!(
                "`{}` has simple values, which a value filter names `value`, not `{}`",
                parent.shown, path.name
            ),
            None,
        ));
    };
    match &path.sub_attr {
        None => Ok((found, shown)),
        Some(sub) => Err(PathError::resolution(
            PathErrorKind::Structure,
            format!(
                "`{}.{}` is not complex: it has no sub-attribute `{sub}`",
                parent.shown, path.name
            ),
        )),
    }
}

/// Whether `op` fits attribute `target` (named `shown`).
fn check_operator(
    target: &Attribute,
    shown: &str,
    op: CompareOp,
    value: &CompValue,
) -> Result<(), PathError> {
    let whole = || format!("`{shown} {op} {value}`");
    let (compared, through) = if target.ty == AttributeType::Complex {
        let Some(value) = target.sub_attribute("value") else {
            let example = target
                .sub_attributes
                .first()
                .map(|s| format!(", such as `{shown}.{}`", s.name))
                .unwrap_or_default();
            return Err(PathError::resolution(
                PathErrorKind::Operator,
                format!(
                    "{}: `{op}` does not apply to `{shown}`, a complex attribute without a `value` sub-attribute: compare one of its sub-attributes{example}",
                    whole()
                ),
            ));
        };
        (value, Some(&*value.name))
    } else {
        (target, None)
    };
    let refused = match op {
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le => match compared.ty {
            AttributeType::Boolean => Some("booleans have no order"),
            AttributeType::Binary => Some("binary values have no order"),
            _ => None,
        },
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => match compared.ty {
            AttributeType::String | AttributeType::Reference => None,
            _ => Some("`co`, `sw` and `ew` apply to strings only"),
        },
        CompareOp::Eq | CompareOp::Ne => None,
    };
    match refused {
        None => Ok(()),
        Some(why) => {
            let what = match through {
                None => format!("`{shown}`, a {} attribute", compared.ty),
                Some(sub) => format!(
                    "`{shown}`, compared through its {} sub-attribute `{sub}`",
                    compared.ty
                ),
            };
            Err(PathError::resolution(
                PathErrorKind::Operator,
                format!("{}: `{op}` does not apply to {what} ({why})", whole()),
            ))
        }
    }
}

/// Resolves an attribute path. `base` is the extension whose object a PATCH value's key was
/// found in: unqualified names are then looked up there only.
pub(crate) fn resolve_in<'a>(
    path: &AttrPath,
    schemas: &Schemas<'a>,
    base: Option<&'a SchemaDef>,
) -> Result<ResolvedPath<'a>, PathError> {
    let core = schemas.core();
    let name = &*path.name;
    let (schema, extension, attribute) = match (path.schema.as_deref(), base) {
        (Some(urn), _) if urn.eq_ignore_ascii_case(&core.id) => {
            let attribute = schemas.core_attribute(name).ok_or_else(|| {
                let candidates = core_names(schemas);
                PathError::unknown(
                    PathErrorKind::UnknownAttribute,
                    format!("unknown attribute `{name}` in schema `{}`", core.id),
                    suggest(name, candidates),
                )
            })?;
            (core, false, attribute)
        }
        (Some(urn), _) => {
            let Some(ext) = schemas.extension(urn) else {
                return Err(unknown_schema(path, schemas));
            };
            let attribute = ext.attribute(name).ok_or_else(|| {
                PathError::unknown(
                    PathErrorKind::UnknownAttribute,
                    format!("unknown attribute `{name}` in schema `{}`", ext.id),
                    suggest(name, ext.attributes.iter().map(|a| &*a.name)),
                )
            })?;
            (ext, true, attribute)
        }
        (None, Some(ext)) => {
            let attribute = ext.attribute(name).ok_or_else(|| {
                PathError::unknown(
                    PathErrorKind::UnknownAttribute,
                    format!("unknown attribute `{name}` in schema `{}`", ext.id),
                    suggest(name, ext.attributes.iter().map(|a| &*a.name)),
                )
            })?;
            (ext, true, attribute)
        }
        (None, None) => {
            if let Some(attribute) = schemas.core_attribute(name) {
                (core, false, attribute)
            } else {
                let mut found = schemas
                    .extensions()
                    .iter()
                    .filter_map(|ext| ext.attribute(name).map(|a| (*ext, a)));
                match (found.next(), found.next()) {
                    (Some((ext, attribute)), None) => (ext, true, attribute),
                    (Some((first, _)), Some((second, _))) => {
                        return Err(PathError::resolution(
                            PathErrorKind::AmbiguousAttribute,
                            format!(
                                "`{name}` is defined by `{}` and `{}`: qualify it with the URN of the one meant",
                                first.id, second.id
                            ),
                        ));
                    }
                    (None, _) => {
                        let candidates = core_names(schemas).chain(
                            schemas
                                .extensions()
                                .iter()
                                .flat_map(|ext| ext.attributes.iter().map(|a| &*a.name)),
                        );
                        return Err(PathError::unknown(
                            PathErrorKind::UnknownAttribute,
                            format!("unknown attribute `{name}`"),
                            suggest(name, candidates),
                        ));
                    }
                }
            }
        }
    };
    let sub = match &path.sub_attr {
        None => None,
        Some(sub) => {
            let parent = AttrPath {
                schema: path.schema.clone(),
                name: path.name.clone(),
                sub_attr: None,
            };
            Some(sub_attribute(attribute, &parent, sub)?)
        }
    };
    Ok(ResolvedPath {
        schema,
        extension,
        attribute,
        sub_attribute: sub,
    })
}

/// The sub-attribute `name` of `parent` (written `shown` in messages).
pub(crate) fn sub_attribute<'a>(
    parent: &'a Attribute,
    shown: &dyn fmt::Display,
    name: &str,
) -> Result<&'a Attribute, PathError> {
    if parent.ty != AttributeType::Complex {
        return Err(PathError::resolution(
            PathErrorKind::Structure,
            format!("`{shown}` is not complex: it has no sub-attribute `{name}`"),
        ));
    }
    parent.sub_attribute(name).ok_or_else(|| {
        PathError::unknown(
            PathErrorKind::UnknownAttribute,
            format!("`{shown}` has no sub-attribute `{name}`"),
            suggest(name, parent.sub_attributes.iter().map(|a| &*a.name)),
        )
    })
}

/// The top-level names of the core schema, the common attributes and `schemas`.
fn core_names<'s>(schemas: &'s Schemas<'_>) -> impl Iterator<Item = &'s str> {
    schemas
        .core()
        .attributes
        .iter()
        .chain(crate::schema::common::ALL.iter())
        .map(|a| &*a.name)
        .chain(std::iter::once("schemas"))
}

/// The error for a URN prefix that names no schema: a path that is a schema URN itself, or a
/// URN with a suggestion.
fn unknown_schema(path: &AttrPath, schemas: &Schemas<'_>) -> PathError {
    let urn = path.schema.as_deref().unwrap_or_default();
    let ids = std::iter::once(schemas.core())
        .chain(schemas.extensions().iter().copied())
        .map(|s| &*s.id);
    if path.sub_attr.is_none() {
        let whole = format!("{urn}:{}", path.name);
        if ids.clone().any(|id| id.eq_ignore_ascii_case(&whole)) {
            return PathError::resolution(
                PathErrorKind::Structure,
                format!("`{whole}` is a schema URN, not an attribute path"),
            );
        }
    }
    PathError::unknown(
        PathErrorKind::UnknownSchema,
        format!("`{path}`: unknown schema `{urn}`"),
        suggest(urn, ids),
    )
}

/// The candidate closest to `name` by edit distance (ignoring ASCII case), if it is close
/// enough to be a likely typo: at most a third of the name's length, and at least 2, edits
/// away. The first of equally close candidates wins.
pub(crate) fn suggest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// The Levenshtein distance between `a` and `b`, ignoring ASCII case.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, suggest};

    #[test]
    fn edit_distance_counts_insertions_deletions_substitutions_ignoring_case() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("usrName", "userName"), 1);
        assert_eq!(edit_distance("USERNAME", "userName"), 0);
        assert_eq!(edit_distance("givenNme", "givenName"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("tpye", "type"), 2);
    }

    #[test]
    fn suggest_picks_the_closest_within_the_limit() {
        let names = ["userName", "name", "nickName", "title"];
        assert_eq!(suggest("usrName", names), Some("userName"));
        assert_eq!(suggest("nam", names), Some("name"));
        assert_eq!(suggest("xyzzy", names), None);
        // A long name allows more edits: a third of its length.
        assert_eq!(
            suggest("phonNumbrs", ["phoneNumbers", "photos"]),
            Some("phoneNumbers")
        );
    }
}
