use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::de::{Fields, check_schemas};
use crate::codec::{self, Context, InContext, SerCtx, UnknownPolicy};
use crate::error::{Error, Violations};
use crate::resource::Payload;
use crate::value::ScimValue;

/// The `ListResponse` message (RFC 7644 section 3.4.2): one page of query or search results,
/// with index-based (RFC 7644) or cursor-based (RFC 9865) pagination fields.
///
/// `R` is a resource type, or a type that dispatches on `schemas` for mixed results.
///
/// ```
/// use scim_client::codec::Context;
/// use scim_client::model::User;
/// use scim_client::protocol::ListResponse;
///
/// let page: ListResponse<User> = ListResponse::from_slice(br#"{
///   "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
///   "totalResults": 1, "itemsPerPage": 1, "startIndex": 1,
///   "Resources": [{"id": "2819c223", "userName": "bjensen"}]
/// }"#, Context::QueryResponse)?;
/// assert_eq!(page.resources[0].user_name.as_deref(), Some("bjensen"));
/// # Ok::<(), scim_client::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ListResponse<R> {
    /// The total number of results matching the query (absent in some cursor responses).
    pub total_results: Option<u64>,
    /// The number of results on this page.
    pub items_per_page: Option<u64>,
    /// The 1-based index of the first result on this page.
    pub start_index: Option<u64>,
    /// RFC 9865: the cursor for the next page.
    pub next_cursor: Option<String>,
    /// RFC 9865: the cursor for the previous page.
    pub previous_cursor: Option<String>,
    /// The results.
    pub resources: Vec<R>,
}

impl<R> Default for ListResponse<R> {
    fn default() -> Self {
        Self {
            total_results: None,
            items_per_page: None,
            start_index: None,
            next_cursor: None,
            previous_cursor: None,
            resources: Vec::new(),
        }
    }
}

impl<R> ListResponse<R> {
    /// The message URN.
    pub const SCHEMA: &'static str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    /// A page holding `resources`, with counts that match.
    #[must_use]
    pub fn new(resources: Vec<R>) -> Self {
        let n = resources.len() as u64;
        Self {
            total_results: Some(n),
            items_per_page: Some(n),
            start_index: Some(1),
            resources,
            ..Self::default()
        }
    }
}

impl<R: Payload> ListResponse<R> {
    /// Parses and validates a page received in `context`: every resource is checked by the
    /// context's rules, and violations name the resource (`Resources[3].password`).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] with the JSON path of the failure; [`Error::ResponseValidation`] with
    /// every broken rule.
    pub fn from_slice(bytes: &[u8], context: Context) -> Result<Self, Error> {
        Self::from_slice_with(bytes, context, UnknownPolicy::Keep)
    }

    /// [`ListResponse::from_slice`] with an explicit unknown-attribute policy.
    ///
    /// # Errors
    ///
    /// As [`ListResponse::from_slice`].
    pub fn from_slice_with(
        bytes: &[u8],
        context: Context,
        policy: UnknownPolicy,
    ) -> Result<Self, Error> {
        let mut page: Self = codec::decode(bytes, "ListResponse")?;
        page.settle(context, policy)?;
        Ok(page)
    }

    /// Applies the unknown-attribute policy and validates every resource.
    ///
    /// # Errors
    ///
    /// [`Error::ResponseValidation`] (or request validation, by context) with every broken rule.
    pub fn settle(&mut self, context: Context, policy: UnknownPolicy) -> Result<(), Error> {
        let mut all = Vec::new();
        for (i, r) in self.resources.iter_mut().enumerate() {
            if policy == UnknownPolicy::Ignore {
                ScimValue::clear_unknown(r);
            }
            for mut v in r.violations(context, policy) {
                v.attribute = format!("Resources[{i}].{}", v.attribute);
                all.push(v);
            }
        }
        if all.is_empty() {
            Ok(())
        } else if context.is_request() {
            Err(Error::RequestValidation(Violations(all)))
        } else {
            Err(Error::ResponseValidation(Violations(all)))
        }
    }

    /// Serializes the page as a server answers in `context`.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if serde fails.
    pub fn to_value(&self, context: Context) -> Result<serde_json::Value, Error> {
        let ctx = SerCtx::new(context);
        serde_json::to_value(InContext::new(self, &ctx)).map_err(Error::Encode)
    }
}

impl<R> IntoIterator for ListResponse<R> {
    type Item = R;
    type IntoIter = std::vec::IntoIter<R>;
    fn into_iter(self) -> Self::IntoIter {
        self.resources.into_iter()
    }
}

impl<R: ScimValue> ScimValue for ListResponse<R> {
    const DESCRIPTOR: crate::value::Descriptor = crate::value::Descriptor::complex(&[]);

    fn value_ref(&self) -> crate::value::ValueRef<'_> {
        crate::value::ValueRef::Multi(&self.resources)
    }

    fn serialize_in<S: Serializer>(&self, s: S, ctx: &SerCtx<'_>) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("schemas", &[Self::SCHEMA])?;
        if let Some(n) = self.total_results {
            map.serialize_entry("totalResults", &n)?;
        }
        if let Some(n) = self.items_per_page {
            map.serialize_entry("itemsPerPage", &n)?;
        }
        if let Some(n) = self.start_index {
            map.serialize_entry("startIndex", &n)?;
        }
        if let Some(c) = &self.next_cursor {
            map.serialize_entry("nextCursor", c)?;
        }
        if let Some(c) = &self.previous_cursor {
            map.serialize_entry("previousCursor", c)?;
        }
        map.serialize_entry("Resources", &InContext::new(&self.resources, ctx))?;
        map.end()
    }
}

impl<R: ScimValue> Serialize for ListResponse<R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_in(s, &SerCtx::DEFAULT)
    }
}

/// Reads `Resources` allowing `null` as an empty list.
struct ResourcesSeed<R>(PhantomData<fn() -> R>);

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for ResourcesSeed<R> {
    type Value = Vec<R>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<R>, D::Error> {
        Ok(Option::<Vec<R>>::deserialize(d)?.unwrap_or_default())
    }
}

impl<'de, R: Deserialize<'de>> Deserialize<'de> for ListResponse<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<R>(PhantomData<fn() -> R>);
        impl<'de, R: Deserialize<'de>> de::Visitor<'de> for V<R> {
            type Value = ListResponse<R>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM ListResponse object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ListResponse<R>, A::Error> {
                let mut fields = Fields::new([
                    "schemas",
                    "totalResults",
                    "itemsPerPage",
                    "startIndex",
                    "nextCursor",
                    "previousCursor",
                    "Resources",
                ]);
                let mut out = ListResponse::default();
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("schemas") => check_schemas(&mut map, ListResponse::<R>::SCHEMA)?,
                        Some("totalResults") => out.total_results = map.next_value()?,
                        Some("itemsPerPage") => out.items_per_page = map.next_value()?,
                        Some("startIndex") => out.start_index = map.next_value()?,
                        Some("nextCursor") => out.next_cursor = map.next_value()?,
                        Some("previousCursor") => out.previous_cursor = map.next_value()?,
                        Some("Resources") => {
                            out.resources = map.next_value_seed(ResourcesSeed(PhantomData))?;
                        }
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}
