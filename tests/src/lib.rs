//! Interop tests of scim-client against real SCIM servers (see `tests/`).
//!
//! The tests talk to the `scim2-server` instances that `.ci/run` starts, found through
//! environment variables:
//!
//! | variable | server |
//! | --- | --- |
//! | `SCIM_BASE_URL` | open server with User, Group and the enterprise extension |
//! | `SCIM_AUTH_BASE_URL`, `SCIM_AUTH_TOKEN` | the same, demanding a bearer token |
//! | `SCIM_DEVICE_BASE_URL` | the custom `Device` resource type of `.ci/fixtures/` |
//!
//! When a variable is unset (a fresh machine without servers) the helpers print a note and
//! answer `None`, and the test returns early, so `cargo test` passes anyway.
//!
//! The servers are shared by every test, run in parallel, and never emptied: names are made
//! unique per run with [`unique`], and queries are restricted to a test's own resources with
//! filters on those names.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use scim_client::Client;
use scim_client::model::{Email, EnterpriseUser, Manager, Name, User};

/// The enterprise extension URN.
pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The server with the bearer token scheme: its base URL and the token it accepts.
#[derive(Debug, Clone)]
pub struct AuthServer {
    /// `SCIM_AUTH_BASE_URL`.
    pub base_url: String,
    /// `SCIM_AUTH_TOKEN`.
    pub token: String,
}

impl AuthServer {
    /// A client sending the right token.
    ///
    /// # Panics
    ///
    /// When the client cannot be built (a bad base URL).
    #[must_use]
    pub fn client(&self) -> Client {
        Client::builder(&self.base_url)
            .bearer_token(self.token.clone())
            .build()
            .expect("client for SCIM_AUTH_BASE_URL")
    }
}

/// Reads an environment variable, treating an empty value as unset.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn skip(variable: &str, test: &str) {
    // `eprintln!` shows with `--nocapture`; the test passes either way.
    eprintln!("{variable} not set: skipping interop test {test}");
}

/// `SCIM_BASE_URL`, or `None` after printing
/// `SCIM_BASE_URL not set: skipping interop test <test>`.
#[must_use]
pub fn base_url(test: &str) -> Option<String> {
    let url = var("SCIM_BASE_URL");
    if url.is_none() {
        skip("SCIM_BASE_URL", test);
    }
    url
}

/// A client for the open server (`SCIM_BASE_URL`), or `None` (with a note) when unset.
///
/// # Panics
///
/// When the client cannot be built (a bad base URL).
#[must_use]
pub fn open_client(test: &str) -> Option<Client> {
    base_url(test).map(|url| {
        Client::builder(&url)
            .build()
            .expect("client for SCIM_BASE_URL")
    })
}

/// The bearer-token server (`SCIM_AUTH_BASE_URL` and `SCIM_AUTH_TOKEN`), or `None` (with a
/// note) when either is unset.
#[must_use]
pub fn auth_server(test: &str) -> Option<AuthServer> {
    match (var("SCIM_AUTH_BASE_URL"), var("SCIM_AUTH_TOKEN")) {
        (Some(base_url), Some(token)) => Some(AuthServer { base_url, token }),
        (None, _) => {
            skip("SCIM_AUTH_BASE_URL", test);
            None
        }
        (Some(_), None) => {
            skip("SCIM_AUTH_TOKEN", test);
            None
        }
    }
}

/// `SCIM_DEVICE_BASE_URL`, or `None` (with a note) when unset.
#[must_use]
pub fn device_base_url(test: &str) -> Option<String> {
    let url = var("SCIM_DEVICE_BASE_URL");
    if url.is_none() {
        skip("SCIM_DEVICE_BASE_URL", test);
    }
    url
}

/// A client for the Device server (`SCIM_DEVICE_BASE_URL`), or `None` (with a note) when
/// unset.
///
/// # Panics
///
/// When the client cannot be built (a bad base URL).
#[must_use]
pub fn device_client(test: &str) -> Option<Client> {
    device_base_url(test).map(|url| {
        Client::builder(&url)
            .build()
            .expect("client for SCIM_DEVICE_BASE_URL")
    })
}

/// A name unique across test runs, processes and calls: `<tag>-<pid>-<time>-<n>`, lower case
/// (the server compares `userName` case-insensitively) and made of characters that need no
/// escaping inside a filter string.
#[must_use]
pub fn unique(tag: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{:x}-{:x}-{n}",
        tag.to_ascii_lowercase(),
        std::process::id(),
        nanos
    )
}

/// A user with every commonly used attribute and the enterprise extension set, whose values
/// are derived from `user_name` (so filters on them only match this user).
#[must_use]
pub fn enterprise_user(user_name: &str) -> User<EnterpriseUser> {
    let mut user = User::<EnterpriseUser>::new(user_name);
    user.display_name = Some(format!("Display {user_name}"));
    user.name = Some(Name {
        given_name: Some("Barbara".to_owned()),
        family_name: Some(format!("Jensen-{user_name}")),
        ..Name::default()
    });
    user.title = Some("Tour Guide".to_owned());
    user.active = Some(true);
    user.emails = vec![
        email(&format!("{user_name}@work.example.com"), "work", true),
        email(&format!("{user_name}@home.example.com"), "home", false),
    ];
    user.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".to_owned()),
        cost_center: Some("4130".to_owned()),
        organization: Some("Universal Studios".to_owned()),
        division: Some("Theme Park".to_owned()),
        department: Some(format!("dept-{user_name}")),
        manager: Some(Manager {
            value: Some("26118915-6090-4610-87e4-49d8ca9f808d".to_owned()),
            ..Manager::default()
        }),
        ..EnterpriseUser::default()
    });
    user
}

/// `GET <base>/<path>` with [`Client::send_raw`], bypassing every check of the client: the
/// status and the body as plain JSON (`Null` when empty), to see what the server really holds.
///
/// # Panics
///
/// When the request cannot be sent or the body is not JSON.
pub async fn raw_get(client: &Client, path: &str) -> (u16, serde_json::Value) {
    let url = format!(
        "{}/{}",
        client.base_url().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    let request = http::Request::get(url)
        .header(http::header::ACCEPT, "application/scim+json")
        .body(Vec::new())
        .expect("raw request");
    let response = client.send_raw(request).await.expect("raw GET");
    let status = response.status().as_u16();
    let body = response.into_body();
    let json = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&body).expect("raw body is JSON")
    };
    (status, json)
}

/// An email value.
#[must_use]
pub fn email(value: &str, kind: &str, primary: bool) -> Email {
    Email {
        value: Some(value.to_owned()),
        type_: Some(kind.to_owned()),
        primary: primary.then_some(true),
        ..Email::default()
    }
}

/// The value of the email of type `kind`, if any.
#[must_use]
pub fn email_of<E: scim_client::ExtensionSet>(user: &User<E>, kind: &str) -> Option<String> {
    user.emails
        .iter()
        .find(|e| e.type_.as_deref() == Some(kind))
        .and_then(|e| e.value.clone())
}
