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

use std::fmt;
use std::str::FromStr;

use crate::filter::Filter;
use crate::filter::parser::{Parser, SyntaxError};

/// An attribute path: an optional schema URN, an attribute name and an optional sub-attribute
/// (RFC 7644 `attrPath = [URI ":"] ATTRNAME *1subAttr`).
///
/// Every value of this type is valid: it prints (with [`Display`](fmt::Display)) as a string that
/// parses back to the same value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrPath {
    schema: Option<String>,
    name: String,
    sub_attr: Option<String>,
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
            Err(PathError {
                position: 0,
                message: format!("the parts do not form a valid attribute path: `{joined}`"),
            })
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
            schema,
            name,
            sub_attr,
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

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            f.write_str(schema)?;
            f.write_str(":")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub_attr) = &self.sub_attr {
            f.write_str(".")?;
            f.write_str(sub_attr)?;
        }
        Ok(())
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

/// A syntax error in an attribute path or a PATCH path.
///
/// Displays as `at position 7: expected ..., found ...`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at position {position}: {message}")]
pub struct PathError {
    position: usize,
    message: String,
}

impl PathError {
    /// The byte offset in the input where the error was found.
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }

    /// What was expected and what was found instead, without the position.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<SyntaxError> for PathError {
    fn from(error: SyntaxError) -> Self {
        Self {
            position: error.position,
            message: error.message,
        }
    }
}
