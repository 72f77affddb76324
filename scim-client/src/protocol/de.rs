//! Shared pieces of the hand-written message deserializers: case-insensitive field lookup with
//! duplicate detection, `schemas` checks, HTTP status codes written in several ways, and lists
//! of strings.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// The fields a message defines, looked up case-insensitively (RFC 7643 section 2.1), each
/// accepted once.
pub(crate) struct Fields<const N: usize> {
    names: [&'static str; N],
    seen: [bool; N],
}

impl<const N: usize> Fields<N> {
    pub(crate) const fn new(names: [&'static str; N]) -> Self {
        Self {
            names,
            seen: [false; N],
        }
    }

    /// The canonical spelling of `key`, or `None` for a key the message does not define.
    ///
    /// # Errors
    ///
    /// The same field a second time, perhaps in a different case.
    pub(crate) fn find<E: de::Error>(&mut self, key: &str) -> Result<Option<&'static str>, E> {
        let Some(i) = self.names.iter().position(|n| n.eq_ignore_ascii_case(key)) else {
            return Ok(None);
        };
        if std::mem::replace(&mut self.seen[i], true) {
            return Err(E::custom(format_args!(
                "duplicate attribute `{}` (attribute names are case-insensitive)",
                self.names[i]
            )));
        }
        Ok(Some(self.names[i]))
    }
}

/// Reads `schemas` and checks that it names `urn` (case-insensitively). `null` and `[]` are
/// accepted: many servers leave `schemas` out of nested messages.
///
/// # Errors
///
/// `schemas` is not a list of strings, or names other schemas only.
pub(crate) fn check_schemas<'de, A: MapAccess<'de>>(
    map: &mut A,
    urn: &str,
) -> Result<(), A::Error> {
    let list: Option<Vec<String>> = map.next_value()?;
    match list {
        Some(list) if !list.is_empty() && !list.iter().any(|s| s.eq_ignore_ascii_case(urn)) => Err(
            de::Error::custom(format_args!("`schemas` does not contain `{urn}`")),
        ),
        _ => Ok(()),
    }
}

/// An HTTP status code written as a JSON string (`"404"`, as RFC 7644 section 3.12 says), a
/// number (`404`, as many servers send), or an object with a `code` member (`{"code": "201"}`,
/// as RFC 7644 section 3.7.2 prints for bulk operations).
pub(crate) struct Status(pub(crate) u16);

impl Status {
    fn check<E: de::Error>(n: u64) -> Result<Self, E> {
        match u16::try_from(n) {
            Ok(s) if (100..=599).contains(&s) => Ok(Status(s)),
            _ => Err(E::custom(format_args!(
                "`{n}` is not an HTTP status code (100-599)"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Status;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an HTTP status code (a string such as \"404\", a number, or {\"code\": \"404\"})")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Status, E> {
                Status::check(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Status, E> {
                u64::try_from(v).map_or_else(
                    |_| Err(E::custom(format_args!("`{v}` is not an HTTP status code"))),
                    Status::check,
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Status, E> {
                match v.trim().parse::<u64>() {
                    Ok(n) => Status::check(n),
                    Err(_) => Err(E::custom(format_args!("`{v}` is not an HTTP status code"))),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Status, A::Error> {
                let mut fields = Fields::new(["code"]);
                let mut code = None;
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    if fields.find::<A::Error>(&key.0)?.is_some() {
                        code = Some(map.next_value::<Status>()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                code.ok_or_else(|| de::Error::missing_field("code"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of strings, also accepted as one comma-separated string (`"userName,emails"`, the
/// query-string form some clients send in JSON bodies too). Empty items are dropped.
pub(crate) struct StrList(pub(crate) Vec<String>);

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of strings or a comma-separated string")
            }
            fn visit_unit<E: de::Error>(self) -> Result<StrList, E> {
                Ok(StrList(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StrList, E> {
                Ok(StrList(split_list(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    let s = s.trim();
                    if !s.is_empty() {
                        out.push(s.to_owned());
                    }
                }
                Ok(StrList(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Splits a comma-separated list, trimming items and dropping empty ones.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
