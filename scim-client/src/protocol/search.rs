use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::de::{Fields, StrList, check_schemas};
use crate::codec::Projection;

/// Query parameters for listing resources (RFC 7644 section 3.4.2), and the `SearchRequest`
/// message that carries them in a `POST /.search` body (section 3.4.3); `cursor` is RFC 9865
/// cursor-based pagination.
///
/// Built with chained setters. [`SearchRequest::to_query_pairs`] gives the `GET` query
/// parameters; serde gives the JSON body (with `schemas`).
///
/// ```
/// use scim_client::protocol::{SearchRequest, SortOrder};
///
/// let req = SearchRequest::new()
///     .filter(r#"userName sw "b""#)
///     .attributes(["userName", "emails"])
///     .sort_by("userName")
///     .sort_order(SortOrder::Descending)
///     .start_index(1)
///     .count(50);
/// assert_eq!(req.to_query_pairs(), vec![
///     ("attributes", "userName,emails".to_owned()),
///     ("filter", r#"userName sw "b""#.to_owned()),
///     ("sortBy", "userName".to_owned()),
///     ("sortOrder", "descending".to_owned()),
///     ("startIndex", "1".to_owned()),
///     ("count", "50".to_owned()),
/// ]);
///
/// let body = serde_json::to_value(&req)?;
/// assert_eq!(body["schemas"][0], SearchRequest::SCHEMA);
/// assert_eq!(body["attributes"], serde_json::json!(["userName", "emails"]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SearchRequest {
    /// Attributes to return (`attributes`), instead of the default set.
    pub attributes: Vec<String>,
    /// Attributes to leave out of the default set (`excludedAttributes`).
    pub excluded_attributes: Vec<String>,
    /// The filter expression (RFC 7644 section 3.4.2.2).
    pub filter: Option<String>,
    /// The attribute to sort by.
    pub sort_by: Option<String>,
    /// The sort direction.
    pub sort_order: Option<SortOrder>,
    /// The 1-based index of the first result (index-based pagination).
    pub start_index: Option<u64>,
    /// The maximum number of results per page.
    pub count: Option<u64>,
    /// RFC 9865: the cursor of the page to return (empty to start cursor-based pagination).
    pub cursor: Option<String>,
}

impl SearchRequest {
    /// The message URN.
    pub const SCHEMA: &'static str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    /// A request with no parameters (the server's defaults).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for these attributes only (plus those always returned).
    #[must_use]
    pub fn attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.attributes = names.into_iter().map(Into::into).collect();
        self
    }

    /// Leaves these attributes out of the default set.
    #[must_use]
    pub fn excluded_attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.excluded_attributes = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the filter expression.
    #[must_use]
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// Sorts by this attribute.
    #[must_use]
    pub fn sort_by(mut self, attribute: impl Into<String>) -> Self {
        self.sort_by = Some(attribute.into());
        self
    }

    /// Sets the sort direction.
    #[must_use]
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.sort_order = Some(order);
        self
    }

    /// Sets the 1-based index of the first result (0 is sent as 1, as RFC 7644 section
    /// 3.4.2.4 says a server must read it).
    #[must_use]
    pub fn start_index(mut self, index: u64) -> Self {
        self.start_index = Some(index.max(1));
        self
    }

    /// Sets the page size.
    #[must_use]
    pub fn count(mut self, count: u64) -> Self {
        self.count = Some(count);
        self
    }

    /// RFC 9865: asks for the page at this cursor (`""` for the first page).
    #[must_use]
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// The `GET` query parameters, unencoded: lists comma-joined, empty lists and unset values
    /// left out, `schemas` never included. Percent-encoding is the caller's job.
    #[must_use]
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.projection_pairs();
        if let Some(f) = &self.filter {
            out.push(("filter", f.clone()));
        }
        if let Some(s) = &self.sort_by {
            out.push(("sortBy", s.clone()));
        }
        if let Some(o) = self.sort_order {
            out.push(("sortOrder", o.as_str().to_owned()));
        }
        if let Some(i) = self.start_index {
            out.push(("startIndex", i.to_string()));
        }
        if let Some(c) = self.count {
            out.push(("count", c.to_string()));
        }
        if let Some(c) = &self.cursor {
            out.push(("cursor", c.clone()));
        }
        out
    }

    /// The `attributes` and `excludedAttributes` query pairs alone (those of a read by id).
    pub(crate) fn projection_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.attributes.is_empty() {
            out.push(("attributes", self.attributes.join(",")));
        }
        if !self.excluded_attributes.is_empty() {
            out.push(("excludedAttributes", self.excluded_attributes.join(",")));
        }
        out
    }

    /// The `attributes` / `excludedAttributes` projection the server applies to its answer,
    /// for reading or writing responses ([`crate::codec::to_value_projected`]). `attributes`
    /// wins when both are set; `None` when neither is.
    ///
    /// ```
    /// use scim_client::protocol::SearchRequest;
    /// assert!(SearchRequest::new().projection().is_none());
    /// assert!(SearchRequest::new().attributes(["userName"]).projection().is_some());
    /// ```
    #[must_use]
    pub fn projection(&self) -> Option<Projection> {
        if !self.attributes.is_empty() {
            Some(Projection::attributes(&self.attributes))
        } else if !self.excluded_attributes.is_empty() {
            Some(Projection::excluded(&self.excluded_attributes))
        } else {
            None
        }
    }
}

impl Serialize for SearchRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("schemas", &[Self::SCHEMA])?;
        if !self.attributes.is_empty() {
            map.serialize_entry("attributes", &self.attributes)?;
        }
        if !self.excluded_attributes.is_empty() {
            map.serialize_entry("excludedAttributes", &self.excluded_attributes)?;
        }
        if let Some(f) = &self.filter {
            map.serialize_entry("filter", f)?;
        }
        if let Some(v) = &self.sort_by {
            map.serialize_entry("sortBy", v)?;
        }
        if let Some(v) = &self.sort_order {
            map.serialize_entry("sortOrder", v)?;
        }
        if let Some(v) = &self.start_index {
            map.serialize_entry("startIndex", v)?;
        }
        if let Some(v) = &self.count {
            map.serialize_entry("count", v)?;
        }
        if let Some(v) = &self.cursor {
            map.serialize_entry("cursor", v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SearchRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = SearchRequest;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM SearchRequest object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SearchRequest, A::Error> {
                let mut fields = Fields::new([
                    "schemas",
                    "attributes",
                    "excludedAttributes",
                    "filter",
                    "sortBy",
                    "sortOrder",
                    "startIndex",
                    "count",
                    "cursor",
                ]);
                let mut out = SearchRequest::default();
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("schemas") => check_schemas(&mut map, SearchRequest::SCHEMA)?,
                        Some("attributes") => out.attributes = map.next_value::<StrList>()?.0,
                        Some("excludedAttributes") => {
                            out.excluded_attributes = map.next_value::<StrList>()?.0;
                        }
                        Some("filter") => out.filter = map.next_value()?,
                        Some("sortBy") => out.sort_by = map.next_value()?,
                        Some("sortOrder") => out.sort_order = map.next_value()?,
                        // RFC 7644 section 3.4.2.4: a startIndex below 1 is read as 1 and a
                        // negative count as 0.
                        Some("startIndex") => {
                            out.start_index = map
                                .next_value::<Option<i64>>()?
                                .map(|i| u64::try_from(i.max(1)).unwrap_or(1));
                        }
                        Some("count") => {
                            out.count = map
                                .next_value::<Option<i64>>()?
                                .map(|i| u64::try_from(i).unwrap_or(0));
                        }
                        Some("cursor") => out.cursor = map.next_value()?,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// The sort direction (RFC 7644 section 3.4.2.3); read case-insensitively.
///
/// ```
/// use scim_client::protocol::SortOrder;
/// let o: SortOrder = serde_json::from_str("\"DESCENDING\"").unwrap();
/// assert_eq!(o, SortOrder::Descending);
/// assert_eq!(serde_json::to_string(&o).unwrap(), "\"descending\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// `ascending` (the default when `sortBy` is given).
    Ascending,
    /// `descending`.
    Descending,
}

impl SortOrder {
    /// The value as written on the wire.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            SortOrder::Ascending => "ascending",
            SortOrder::Descending => "descending",
        }
    }

    /// Reads the value, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [SortOrder::Ascending, SortOrder::Descending]
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for SortOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SortOrder {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SortOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SortOrder::parse(&s).ok_or_else(|| {
            de::Error::custom(format_args!(
                "unknown sortOrder `{s}`, expected `ascending` or `descending`"
            ))
        })
    }
}
