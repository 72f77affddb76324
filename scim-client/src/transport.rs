//! How requests reach a server: the [`Transport`] trait over `http` types, and its
//! implementations (reqwest by default; reqwest's blocking client behind the `blocking`
//! feature; any `tower::Service` behind the `tower` feature).
//!
//! The client core builds an `http::Request<Vec<u8>>` and parses an
//! `http::Response<bytes::Bytes>` (so a body read in one piece is handed over without a copy);
//! a transport only moves bytes. Implement [`Transport`] (or [`BlockingTransport`]) to use any
//! other HTTP stack.

use std::future::Future;

/// The body type of [`HttpResponse`], re-exported so a custom transport needs no direct
/// dependency on the `bytes` crate.
pub use bytes::Bytes;

/// A request as the client core builds it.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A response as the client core parses it. Build one from a `Vec<u8>` or a `&'static str`
/// body with [`Bytes::from`].
pub type HttpResponse = http::Response<Bytes>;
/// The error type transports report.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The default limit on a response body: 32 MiB. A larger body is an error, never an
/// allocation; change it with [`crate::client::ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Sends a request and returns the whole response, asynchronously.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`; reads at most `max_body` bytes of the response body.
    ///
    /// # Errors
    ///
    /// A connection, timeout or protocol failure, or a body larger than `max_body`.
    fn send(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> impl Future<Output = Result<HttpResponse, BoxError>> + Send;
}

/// Sends a request and returns the whole response, blocking the calling thread.
pub trait BlockingTransport: Send + Sync + 'static {
    /// Sends `request`; reads at most `max_body` bytes of the response body.
    ///
    /// # Errors
    ///
    /// A connection, timeout or protocol failure, or a body larger than `max_body`.
    fn send(&self, request: HttpRequest, max_body: usize) -> Result<HttpResponse, BoxError>;
}

/// A response body went past the configured limit.
#[derive(Debug, thiserror::Error)]
#[error("the response body is larger than the limit of {limit} bytes")]
pub struct BodyTooLarge {
    /// The limit in bytes.
    pub limit: usize,
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_impl::ReqwestTransport;

/// Turns a request's `http::Uri` into the `url::Url` reqwest takes.
///
/// A client sends every request to the origin of its base URL, so that origin's scheme and
/// authority are parsed once (the first time) and kept: a request to the same origin then
/// costs a copy of the parsed origin and the parse of its path and query only, where a full
/// parse would read the scheme and the host again (with IDNA processing) each time. A request
/// to any other origin is parsed in full. Either way the result is the URL that
/// `Url::parse` gives for the request's URI.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug, Default)]
pub(crate) struct UrlCache {
    origin: std::sync::OnceLock<Origin>,
}

/// A parsed origin and the scheme and authority it was parsed from, as the URI spelled them.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug)]
struct Origin {
    scheme: String,
    authority: String,
    url: url::Url,
}

#[cfg(feature = "reqwest")]
impl UrlCache {
    /// The URL of `uri`.
    ///
    /// # Errors
    ///
    /// The URI is not an absolute URL (`url::Url::parse` refuses it).
    pub(crate) fn to_url(&self, uri: &http::Uri) -> Result<url::Url, url::ParseError> {
        let origin = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme), Some(authority)) => self.origin(scheme, authority.as_str()),
            _ => None,
        };
        match origin {
            Some(origin) => {
                let mut url = origin.clone();
                url.set_path(uri.path());
                url.set_query(uri.query());
                Ok(url)
            }
            None => url::Url::parse(&uri.to_string()),
        }
    }

    /// The parsed origin `scheme://authority/`, when it is the one kept (kept first if none
    /// is yet, and if it parses).
    fn origin(&self, scheme: &str, authority: &str) -> Option<&url::Url> {
        let origin = if let Some(origin) = self.origin.get() {
            origin
        } else {
            let url = url::Url::parse(&format!("{scheme}://{authority}/")).ok()?;
            if url.cannot_be_a_base() {
                return None;
            }
            self.origin.get_or_init(|| Origin {
                scheme: scheme.to_owned(),
                authority: authority.to_owned(),
                url,
            })
        };
        (origin.scheme == scheme && origin.authority == authority).then_some(&origin.url)
    }
}

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use super::{BodyTooLarge, BoxError, HttpRequest, HttpResponse, Transport, UrlCache};

    /// The default transport: a `reqwest::Client` (connection pooling, TLS, timeouts).
    #[derive(Clone, Debug)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
        urls: UrlCache,
    }

    impl ReqwestTransport {
        /// Wraps a configured `reqwest::Client`. Redirects should be disabled on it (the
        /// client's own builder does so) so credentials never follow a redirect to another
        /// host.
        #[must_use]
        pub fn new(client: reqwest::Client) -> Self {
            Self {
                client,
                urls: UrlCache::default(),
            }
        }

        /// A transport with the given overall request timeout and redirects disabled.
        ///
        /// # Errors
        ///
        /// reqwest cannot build a client (no TLS backend available).
        pub fn with_timeout(timeout: std::time::Duration) -> Result<Self, BoxError> {
            let client = reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            Ok(Self::new(client))
        }
    }

    impl ReqwestTransport {
        /// The reqwest request for `request`. A request without a body (GET, DELETE) goes
        /// without one, not with an empty one: hyper then writes the request in one go.
        fn to_reqwest(&self, request: HttpRequest) -> Result<reqwest::Request, BoxError> {
            let (parts, body) = request.into_parts();
            let mut out = reqwest::Request::new(parts.method, self.urls.to_url(&parts.uri)?);
            *out.headers_mut() = parts.headers;
            *out.version_mut() = parts.version;
            if !body.is_empty() {
                *out.body_mut() = Some(reqwest::Body::from(body));
            }
            Ok(out)
        }
    }

    impl Transport for ReqwestTransport {
        // Not an `async fn`: the request is converted and handed to reqwest before the future
        // exists, so the future holds reqwest's small handle, not the request.
        fn send(
            &self,
            request: HttpRequest,
            max_body: usize,
        ) -> impl Future<Output = Result<HttpResponse, BoxError>> + Send {
            let pending = self
                .to_reqwest(request)
                .map(|request| self.client.execute(request));
            async move {
                // The URL may carry personal data in its query (a filter on an email
                // address): keep it out of the error.
                let response = pending?.await.map_err(reqwest::Error::without_url)?;
                read_response(response, max_body).await
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn body_too_large(limit: usize) -> BoxError {
        Box::new(BodyTooLarge { limit })
    }

    /// Status, version, headers (moved, not copied) and at most `max_body` bytes of body.
    ///
    /// Not an `async fn`, whose arguments would be kept twice in its future.
    #[allow(clippy::manual_async_fn)]
    fn read_response(
        mut response: reqwest::Response,
        max_body: usize,
    ) -> impl Future<Output = Result<HttpResponse, BoxError>> + Send {
        async move {
            let too_large = || body_too_large(max_body);
            let expected = match response.content_length().map(usize::try_from) {
                Some(Ok(n)) if n <= max_body => n,
                Some(_) => return Err(too_large()),
                None => 0,
            };
            // A body in one chunk is taken over as is (no copy); one in several is gathered
            // in a buffer sized from `Content-Length` (already checked against the limit).
            let mut first: Option<bytes::Bytes> = None;
            let mut rest = bytes::BytesMut::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(reqwest::Error::without_url)?
            {
                let so_far = first.as_ref().map_or(0, bytes::Bytes::len) + rest.len();
                if so_far + chunk.len() > max_body {
                    return Err(too_large());
                }
                match first.take() {
                    None if rest.is_empty() => first = Some(chunk),
                    earlier => {
                        if let Some(earlier) = earlier {
                            rest.reserve(expected.max(earlier.len() + chunk.len()));
                            rest.extend_from_slice(&earlier);
                        }
                        rest.extend_from_slice(&chunk);
                    }
                }
            }
            let mut head = http::Response::new(first.unwrap_or_else(|| rest.freeze()));
            *head.status_mut() = response.status();
            *head.version_mut() = response.version();
            *head.headers_mut() = std::mem::take(response.headers_mut());
            Ok(head)
        }
    }
}

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub use self::reqwest_blocking_impl::ReqwestBlockingTransport;

#[cfg(feature = "blocking")]
mod reqwest_blocking_impl {
    use std::io::Read as _;

    use super::{BlockingTransport, BodyTooLarge, BoxError, HttpRequest, HttpResponse, UrlCache};

    /// The default transport of `blocking::Client`: a `reqwest::blocking::Client`.
    ///
    /// Like every blocking reqwest client, it must not be created, used or dropped inside an
    /// async runtime.
    #[derive(Clone, Debug)]
    pub struct ReqwestBlockingTransport {
        client: reqwest::blocking::Client,
        /// The whole exchange's deadline, body included (reqwest's blocking timeout bounds
        /// each read, so a server dribbling bytes could otherwise hold a call forever).
        timeout: Option<std::time::Duration>,
        urls: UrlCache,
    }

    impl ReqwestBlockingTransport {
        /// Wraps a configured `reqwest::blocking::Client`. Redirects should be disabled on it
        /// (the client's own builder does so) so credentials never follow a redirect to
        /// another host.
        #[must_use]
        pub fn new(client: reqwest::blocking::Client) -> Self {
            Self {
                client,
                timeout: None,
                urls: UrlCache::default(),
            }
        }

        /// A transport with the given overall request timeout and redirects disabled.
        ///
        /// # Errors
        ///
        /// reqwest cannot build a client (no TLS backend available).
        pub fn with_timeout(timeout: std::time::Duration) -> Result<Self, BoxError> {
            let client = reqwest::blocking::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            Ok(Self {
                client,
                timeout: Some(timeout),
                urls: UrlCache::default(),
            })
        }
    }

    impl BlockingTransport for ReqwestBlockingTransport {
        fn send(&self, request: HttpRequest, max_body: usize) -> Result<HttpResponse, BoxError> {
            let deadline = self.timeout.map(|t| std::time::Instant::now() + t);
            let (parts, body) = request.into_parts();
            let mut request =
                reqwest::blocking::Request::new(parts.method, self.urls.to_url(&parts.uri)?);
            *request.headers_mut() = parts.headers;
            *request.version_mut() = parts.version;
            if !body.is_empty() {
                *request.body_mut() = Some(reqwest::blocking::Body::from(body));
            }
            let response = self
                .client
                .execute(request)
                .map_err(reqwest::Error::without_url)?;
            if response
                .content_length()
                .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > max_body))
            {
                return Err(Box::new(BodyTooLarge { limit: max_body }));
            }
            let mut builder = http::Response::builder()
                .status(response.status())
                .version(response.version());
            if let Some(headers) = builder.headers_mut() {
                headers.extend(
                    response
                        .headers()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
            // Read one byte past the limit, to tell "exactly the limit" from "over it".
            let cap = u64::try_from(max_body)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let mut body = Vec::new();
            let mut reader = response.take(cap);
            let mut chunk = vec![0_u8; 16 * 1024];
            loop {
                let n = reader.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
                if deadline.is_some_and(|d| std::time::Instant::now() > d) {
                    return Err(Box::new(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the response body did not arrive within the timeout",
                    )));
                }
            }
            if body.len() > max_body {
                return Err(Box::new(BodyTooLarge { limit: max_body }));
            }
            Ok(builder.body(bytes::Bytes::from(body))?)
        }
    }
}

#[cfg(feature = "tower")]
#[path = "transport_tower.rs"]
mod tower_transport;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use self::tower_transport::TowerTransport;

#[cfg(all(test, feature = "reqwest"))]
mod tests {
    use proptest::prelude::*;

    use super::UrlCache;

    /// What the cache must give: the URL `Url::parse` gives for the whole URI.
    fn expected(uri: &http::Uri) -> Result<url::Url, url::ParseError> {
        url::Url::parse(&uri.to_string())
    }

    #[test]
    fn same_url_as_a_full_parse() {
        let cache = UrlCache::default();
        let uris = [
            "http://127.0.0.1:8080/scim/v2/Users/2819c223-7f76-453a-919d-413861904646",
            "http://127.0.0.1:8080/scim/v2/Users?filter=userName%20eq%20%22bjensen%22&count=10",
            "http://127.0.0.1:8080/scim/v2/Users?filter=userName+eq+%22b%C3%A9%22&startIndex=1",
            "http://127.0.0.1:8080/scim/v2/Users/a%2Fb",
            "http://127.0.0.1:8080/scim/v2/Users/caf%C3%A9?",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/a/./b/../c",
            "http://127.0.0.1:8080/x?a='b'&c=[d]|e^f",
            "http://127.0.0.1:8080/%7e%41?%7e",
        ];
        for text in uris {
            let uri: http::Uri = text.parse().expect("a valid URI");
            assert_eq!(cache.to_url(&uri), expected(&uri), "{text}");
        }
        // Other origins are parsed in full, and the kept one is unchanged.
        for text in [
            "http://EXAMPLE.com:80/v2/Users",
            "https://user:pw@example.com/v2/Users?x=1",
            "http://[::1]:8080/v2",
            "http://127.0.0.1:8081/scim/v2/Users",
            "https://127.0.0.1:8080/scim/v2/Users",
            "http://127.0.0.1:8080/scim/v2/Groups",
        ] {
            let uri: http::Uri = text.parse().expect("a valid URI");
            assert_eq!(cache.to_url(&uri), expected(&uri), "{text}");
        }
        // Not absolute: refused as `Url::parse` refuses it.
        let relative: http::Uri = "/scim/v2/Users".parse().expect("a valid URI");
        assert!(cache.to_url(&relative).is_err());
    }

    #[test]
    fn first_origin_with_odd_spelling() {
        // The origin is kept as the URI spells it; the URL is still the normalised one.
        let cache = UrlCache::default();
        for text in [
            "http://EXAMPLE.com:80/v2/Users/1",
            "http://EXAMPLE.com:80/v2/Users/2?q",
        ] {
            let uri: http::Uri = text.parse().expect("a valid URI");
            let url = cache.to_url(&uri).expect("a URL");
            assert_eq!(Ok(url.clone()), expected(&uri), "{text}");
            assert_eq!(url.host_str(), Some("example.com"));
            assert_eq!(url.port(), None);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Any path and query a `http::Uri` accepts, on the kept origin or another.
        #[test]
        fn any_path_and_query(
            path in "(/[-a-zA-Z0-9._~!$&'()*+,;=:@%]{0,12}){0,4}",
            query in proptest::option::of("[-a-zA-Z0-9._~!$&'()*+,;=:@%/?\\[\\]{}|^`\"<>\\\\]{0,24}"),
            other_origin in any::<bool>(),
        ) {
            let cache = UrlCache::default();
            let first: http::Uri = "http://127.0.0.1:8080/scim/v2".parse().expect("a valid URI");
            let _ = cache.to_url(&first);
            let origin = if other_origin { "https://example.com" } else { "http://127.0.0.1:8080" };
            let text = match &query {
                Some(q) => format!("{origin}{path}?{q}"),
                None => format!("{origin}{path}"),
            };
            if let Ok(uri) = text.parse::<http::Uri>() {
                prop_assert_eq!(cache.to_url(&uri), expected(&uri), "{}", text);
            }
        }
    }
}
