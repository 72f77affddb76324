//! The sans-I/O core: operations become `http::Request`s, `http::Response`s become typed
//! results. The async and blocking clients are thin shells around these functions.

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue};
use http::{Method, StatusCode};
use url::Url;

use crate::codec::{self, Context, UnknownPolicy};
use crate::error::Error;
use crate::protocol::{ListResponse, ScimError};
use crate::resource::Resource;
use crate::transport::{HttpRequest, HttpResponse};

/// The media type of SCIM messages (RFC 7644 section 3.1).
pub const SCIM_JSON: &str = "application/scim+json";

/// Per-call switches. Every operation takes the client's defaults unless overridden with
/// [`crate::client::Api::with_options`].
///
/// ```
/// use scim_client::client::RequestOptions;
/// // Accept whatever the server answers, without checking it (for testing servers).
/// let lenient = RequestOptions::default()
///     .check_response(false)
///     .check_status(false);
/// assert!(!lenient.checks_response());
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RequestOptions {
    pub(crate) check_request: bool,
    pub(crate) check_response: bool,
    pub(crate) check_status: bool,
    pub(crate) unknown: UnknownPolicy,
    pub(crate) headers: HeaderMap,
    pub(crate) expected_status: Option<Vec<u16>>,
}

impl Default for RequestOptions {
    fn default() -> Self {
        Self {
            check_request: true,
            check_response: true,
            check_status: true,
            unknown: UnknownPolicy::Keep,
            headers: HeaderMap::new(),
            expected_status: None,
        }
    }
}

impl RequestOptions {
    /// Check payloads against the request context before sending (default on).
    #[must_use]
    pub fn check_request(mut self, on: bool) -> Self {
        self.check_request = on;
        self
    }

    /// Validate responses in the response context (default on).
    #[must_use]
    pub fn check_response(mut self, on: bool) -> Self {
        self.check_response = on;
        self
    }

    /// Check status codes and the content type (default on).
    #[must_use]
    pub fn check_status(mut self, on: bool) -> Self {
        self.check_status = on;
        self
    }

    /// What to do with attributes the type does not model (default: keep).
    #[must_use]
    pub fn unknown(mut self, policy: UnknownPolicy) -> Self {
        self.unknown = policy;
        self
    }

    /// An extra header on every request made with these options.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the name or value is not a valid header.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = http::header::HeaderName::try_from(name)
            .map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))?;
        let mut value = HeaderValue::try_from(value)
            .map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))?;
        if name == AUTHORIZATION {
            value.set_sensitive(true);
        }
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Replace the statuses the operation accepts as success.
    #[must_use]
    pub fn expected_status(mut self, statuses: &[u16]) -> Self {
        self.expected_status = Some(statuses.to_vec());
        self
    }

    /// Whether responses are validated.
    #[must_use]
    pub fn checks_response(&self) -> bool {
        self.check_response
    }
}

/// A response that passed the status and content-type checks.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// `None` for empty bodies and 204/205/304.
    pub(crate) body: Option<Vec<u8>>,
}

/// The base URL, normalised to end with `/`.
#[derive(Clone, Debug)]
pub(crate) struct Base {
    url: Url,
}

impl Base {
    pub(crate) fn parse(base: &str) -> Result<Self, Error> {
        let mut url = Url::parse(base)
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL: {e}")))?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(
                "the base URL must be an http or https URL".to_owned(),
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::InvalidRequest(
                "put credentials in the client builder, not in the base URL".to_owned(),
            ));
        }
        url.set_query(None);
        url.set_fragment(None);
        if !url.path().ends_with('/') {
            let p = format!("{}/", url.path());
            url.set_path(&p);
        }
        Ok(Self { url })
    }

    /// The URL of `path` (relative to the base, starting with `/`), with `query`.
    pub(crate) fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, Error> {
        let mut url = self.url.clone();
        let joined = format!("{}{}", self.url.path(), path.trim_start_matches('/'));
        url.set_path(&joined);
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    pub(crate) fn as_url(&self) -> &Url {
        &self.url
    }
}

/// Checks an endpoint (from metadata or `/ResourceTypes`): a path under the base URL, with no
/// scheme, host, query, fragment or dot segment.
///
/// # Errors
///
/// [`Error::InvalidRequest`] naming the endpoint.
pub(crate) fn check_endpoint(endpoint: &str) -> Result<(), Error> {
    let bad = !endpoint.starts_with('/')
        || endpoint.starts_with("//")
        || endpoint.contains(['?', '#', '\\', '%'])
        || endpoint.contains("://")
        || endpoint.split('/').any(|seg| seg == "." || seg == "..")
        || endpoint.chars().any(char::is_control);
    if bad {
        Err(Error::InvalidRequest(format!(
            "the endpoint `{endpoint}` is not a path under the base URL"
        )))
    } else {
        Ok(())
    }
}

/// `endpoint/{id}` with the id as one percent-encoded segment; `.` and `..` refused.
///
/// # Errors
///
/// [`Error::InvalidRequest`] for an empty, `.` or `..` id.
pub(crate) fn resource_path(endpoint: &str, id: &str) -> Result<String, Error> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::InvalidRequest(format!(
            "`{id}` cannot be used as a resource id"
        )));
    }
    Ok(codec::resource_path(endpoint, id))
}

/// Builds a request with the SCIM headers, auth and extra headers.
pub(crate) fn build(
    method: Method,
    url: &Url,
    body: Option<Vec<u8>>,
    headers: &HeaderMap,
    extra: &HeaderMap,
) -> Result<HttpRequest, Error> {
    let mut req = http::Request::builder()
        .method(method)
        .uri(url.as_str())
        .body(body.clone().unwrap_or_default())
        .map_err(|e| Error::InvalidRequest(e.to_string()))?;
    let h = req.headers_mut();
    h.insert(
        ACCEPT,
        HeaderValue::from_static("application/scim+json, application/json"),
    );
    if body.is_some() {
        h.insert(CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    }
    for (k, v) in headers {
        h.insert(k.clone(), v.clone());
    }
    for (k, v) in extra {
        h.insert(k.clone(), v.clone());
    }
    Ok(req)
}

fn is_json_media(content_type: Option<&HeaderValue>) -> bool {
    let Some(ct) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let media = ct.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case(SCIM_JSON) || media.eq_ignore_ascii_case("application/json")
}

fn snippet(body: &[u8]) -> String {
    let end = body.len().min(512);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// Whether a JSON body is a SCIM error message.
fn scim_error(body: &[u8]) -> Option<ScimError> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !ScimError::is_error_body(&value) {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// The response pipeline up to decoding: content type, SCIM error body, status.
///
/// # Errors
///
/// [`Error::UnexpectedContentType`], [`Error::Scim`], [`Error::UnexpectedStatus`].
pub(crate) fn check(
    response: HttpResponse,
    expected: &[u16],
    opts: &RequestOptions,
) -> Result<Checked, Error> {
    let (parts, body) = response.into_parts();
    let status = parts.status;
    let code = status.as_u16();
    let has_body = !body.iter().all(u8::is_ascii_whitespace) && !matches!(code, 204 | 205 | 304);
    let json = is_json_media(parts.headers.get(CONTENT_TYPE));
    let success = status.is_success() || code == 304;
    if has_body && json {
        if let Some(e) = scim_error(&body) {
            let mut e = e;
            if e.status == 0 {
                e.status = code;
            }
            return Err(Error::Scim(Box::new(e)));
        }
    }
    if !success {
        return Err(Error::UnexpectedStatus {
            status: code,
            body: snippet(&body),
        });
    }
    if opts.check_status {
        if has_body && !json {
            return Err(Error::UnexpectedContentType {
                status: code,
                content_type: parts
                    .headers
                    .get(CONTENT_TYPE)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            });
        }
        let expected = opts.expected_status.as_deref().unwrap_or(expected);
        if !expected.contains(&code) {
            return Err(Error::UnexpectedStatus {
                status: code,
                body: snippet(&body),
            });
        }
    }
    Ok(Checked {
        status,
        headers: parts.headers,
        body: has_body.then_some(body),
    })
}

impl Checked {
    fn body(&self) -> Result<&[u8], Error> {
        self.body.as_deref().ok_or(Error::UnexpectedStatus {
            status: self.status.as_u16(),
            body: String::from("(empty body where a resource was expected)"),
        })
    }

    /// The `ETag` header, if any.
    pub(crate) fn etag(&self) -> Option<String> {
        self.headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Decodes one resource, validates it in `context`, and fills `meta.version` from `ETag`.
///
/// # Errors
///
/// [`Error::Decode`], [`Error::ResponseValidation`], or an empty body.
pub(crate) fn decode_resource<R: Resource>(
    checked: &Checked,
    context: Context,
    opts: &RequestOptions,
) -> Result<R, Error> {
    let body = checked.body()?;
    let mut resource: R = if opts.check_response {
        codec::from_slice_with(body, context, opts.unknown)?
    } else {
        codec::from_slice_with(body, Context::Default, opts.unknown)?
    };
    if let Some(etag) = checked.etag() {
        fill_version(&mut resource, etag);
    }
    Ok(resource)
}

/// Decodes a page of resources and validates each in `context`.
///
/// # Errors
///
/// [`Error::Decode`], [`Error::ResponseValidation`], or an empty body.
pub(crate) fn decode_list<R: crate::resource::Payload>(
    checked: &Checked,
    context: Context,
    opts: &RequestOptions,
) -> Result<ListResponse<R>, Error> {
    let body = checked.body()?;
    let ctx = if opts.check_response {
        context
    } else {
        Context::Default
    };
    ListResponse::from_slice_with(body, ctx, opts.unknown)
}

/// Sets `meta.version` from an `ETag` header when the body did not carry one.
pub(crate) fn fill_version<R: Resource>(resource: &mut R, etag: String) {
    if let Some(slot) = resource.meta_mut() {
        let meta = slot.get_or_insert_with(Default::default);
        if meta.version.as_deref().is_none_or(str::is_empty) {
            meta.version = Some(etag);
        }
    }
}

/// The `If-Match` header for a resource's version.
pub(crate) fn if_match(version: Option<&str>) -> Result<HeaderMap, Error> {
    let mut h = HeaderMap::new();
    if let Some(v) = version.filter(|v| !v.is_empty()) {
        h.insert(
            http::header::IF_MATCH,
            HeaderValue::try_from(v)
                .map_err(|_| Error::InvalidRequest(format!("invalid version `{v}`")))?,
        );
    }
    Ok(h)
}
