//! Nothing lost, against the open server (`SCIM_BASE_URL`).
//!
//! - Read-then-replace through types that model only part of a user keeps everything else:
//!   a user created from raw JSON with every RFC 7643 User attribute and the enterprise
//!   extension is read as a narrow derived type (a few core attributes, narrow complex and
//!   extension types, `#[scim(unknown)]` at every level), as `User` without the extension
//!   (read from a list, not a get) and as `User<EnterpriseUser>`, changed in one attribute and
//!   replaced; the server's raw JSON afterwards equals the raw JSON before, except that
//!   attribute and `meta`. (`users.rs` checks the extension alone for `User`; `payloads.rs`
//!   round-trips a fully typed user.)
//! - Concurrent read-modify-write (`Api::update`) by 8 writers, 5 updates each, half through
//!   the narrow type: every appended email and every writer's own attribute lands, and what no
//!   writer touched is unchanged. (`etag.rs` has 2 writers of one type.)

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use scim_client::model::{EnterpriseUser, Meta, User};
use scim_client::protocol::SearchRequest;
use scim_client::{Client, ScimComplex, ScimExtension, ScimResource};
use scim_interop_tests::{ENTERPRISE_URN, email, open_client, raw_get, unique};
use serde_json::{Map, Value, json};

type EUser = User<EnterpriseUser>;

const CORE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// A program's narrow idea of a user: a few attributes, and whatever else the server holds
/// kept in `rest`.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:ietf:params:scim:schemas:core:2.0:User",
    endpoint = "/Users",
    resource_type = "User"
)]
struct Badge {
    /// Server-assigned id.
    id: Option<String>,
    /// Resource metadata.
    meta: Option<Meta>,
    /// The login.
    #[scim(required, uniqueness = "server")]
    user_name: Option<String>,
    /// The job title.
    title: Option<String>,
    /// The name, given name only.
    name: Option<BadgeName>,
    /// Email addresses, values only.
    emails: Vec<BadgeEmail>,
    /// Two attributes of the enterprise extension.
    #[scim(extension)]
    org: Option<Org>,
    /// Everything else.
    #[scim(unknown)]
    rest: Map<String, Value>,
}

/// The name, given name only.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
struct BadgeName {
    /// The first name.
    given_name: Option<String>,
    /// The other sub-attributes.
    #[scim(unknown)]
    rest: Map<String, Value>,
}

/// An email, value only.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
struct BadgeEmail {
    /// The address.
    value: Option<String>,
    /// The other sub-attributes (`type`, `primary`).
    #[scim(unknown)]
    rest: Map<String, Value>,
}

/// The enterprise extension, two attributes only.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
struct Org {
    /// The department.
    department: Option<String>,
    /// The cost center.
    cost_center: Option<String>,
    /// The other attributes (`employeeNumber`, `manager`...).
    #[scim(unknown)]
    rest: Map<String, Value>,
}

/// A user with every attribute of RFC 7643 section 4.1 a client may write, and the enterprise
/// extension (the RFC's full representation, made unique with `user_name`).
fn full_user_json(user_name: &str) -> Value {
    json!({
        "schemas": [CORE_URN, ENTERPRISE_URN],
        "externalId": format!("ext-{user_name}"),
        "userName": user_name,
        "name": {
            "formatted": "Ms. Barbara J Jensen, III",
            "familyName": "Jensen",
            "givenName": "Barbara",
            "middleName": "Jane",
            "honorificPrefix": "Ms.",
            "honorificSuffix": "III"
        },
        "displayName": "Babs Jensen",
        "nickName": "Babs",
        "profileUrl": "https://login.example.com/bjensen",
        "emails": [
            {"value": format!("{user_name}@work.example.com"), "type": "work", "primary": true},
            {"value": format!("{user_name}@home.example.com"), "type": "home"}
        ],
        "addresses": [
            {
                "type": "work",
                "streetAddress": "100 Universal City Plaza",
                "locality": "Hollywood",
                "region": "CA",
                "postalCode": "91608",
                "country": "USA",
                "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA",
                "primary": true
            },
            {
                "type": "home",
                "streetAddress": "456 Hollywood Blvd",
                "locality": "Hollywood",
                "region": "CA",
                "postalCode": "91608",
                "country": "USA",
                "formatted": "456 Hollywood Blvd\nHollywood, CA 91608 USA"
            }
        ],
        "phoneNumbers": [
            {"value": "555-555-5555", "type": "work"},
            {"value": "555-555-4444", "type": "mobile"}
        ],
        "ims": [{"value": "someaimhandle", "type": "aim"}],
        "photos": [
            {"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"},
            {"value": "https://photos.example.com/profilephoto/72930000000Ccne/T", "type": "thumbnail"}
        ],
        "userType": "Employee",
        "title": "Tour Guide",
        "preferredLanguage": "en-US",
        "locale": "en-US",
        "timezone": "America/Los_Angeles",
        "active": true,
        "entitlements": [{"value": "vpn", "display": "VPN access"}],
        "roles": [{"value": "guide", "display": "Tour guide", "primary": true}],
        "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
        ENTERPRISE_URN: {
            "employeeNumber": "701984",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park",
            "department": "Tour Operations",
            "manager": {
                "value": "26118915-6090-4610-87e4-49d8ca9f808d",
                "$ref": "https://example.com/v2/Users/26118915-6090-4610-87e4-49d8ca9f808d"
            }
        }
    })
}

/// `POST /Users` of raw JSON through [`Client::send_raw`] (no typed model in the way): the id.
async fn create_raw(scim: &Client, body: &Value) -> String {
    let url = format!("{}/Users", scim.base_url().trim_end_matches('/'));
    let request = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/scim+json")
        .header(http::header::ACCEPT, "application/scim+json")
        .body(serde_json::to_vec(body).expect("serializes"))
        .expect("raw request");
    let response = scim.send_raw(request).await.expect("raw POST");
    let status = response.status().as_u16();
    let created: Value = serde_json::from_slice(response.body()).expect("JSON answer");
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("an id").to_owned()
}

/// `value` without the members at `paths` (each a list of keys from the top) and without
/// `meta`.
fn without(mut value: Value, paths: &[&[&str]]) -> Value {
    value.as_object_mut().expect("an object").remove("meta");
    for path in paths {
        let (last, parents) = path.split_last().expect("a non-empty path");
        let mut at = &mut value;
        for key in parents {
            at = &mut at[*key];
        }
        if let Some(o) = at.as_object_mut() {
            o.remove(*last);
        }
    }
    value
}

/// `schemas` as a set (its order is not significant).
fn schemas(value: &Value) -> BTreeSet<String> {
    value["schemas"]
        .as_array()
        .expect("schemas")
        .iter()
        .map(|s| s.as_str().expect("a URN").to_owned())
        .collect()
}

/// The server's raw JSON of user `id`.
async fn stored(scim: &Client, id: &str) -> Value {
    let (status, raw) = raw_get(scim, &format!("/Users/{id}")).await;
    assert_eq!(status, 200, "{raw}");
    raw
}

/// Compares the server's JSON after a replace with the JSON before it: equal except `meta`
/// and `changed` (which must now be `now`), `schemas` equal as sets, and a new version.
fn assert_only_changed(before: &Value, after: &Value, changed: &[&str], now: &Value, who: &str) {
    let mut at = after;
    for key in changed {
        at = &at[*key];
    }
    assert_eq!(at, now, "{who}: the change landed: {after}");
    assert_eq!(schemas(after), schemas(before), "{who}: schemas");
    let strip = |v: &Value| {
        let mut v = without(v.clone(), &[changed]);
        v.as_object_mut().expect("an object").remove("schemas");
        v
    };
    assert_eq!(
        strip(after),
        strip(before),
        "{who}: everything else is unchanged"
    );
    assert_ne!(
        after["meta"]["version"], before["meta"]["version"],
        "{who}: a new version"
    );
    assert_eq!(
        after["meta"]["created"], before["meta"]["created"],
        "{who}: same resource"
    );
}

#[tokio::test]
async fn read_then_replace_through_narrow_types_keeps_everything_else() {
    let Some(scim) =
        open_client("nothing_lost::read_then_replace_through_narrow_types_keeps_everything_else")
    else {
        return;
    };
    let name = unique("keepall");
    let sent = full_user_json(&name);
    let id = create_raw(&scim, &sent).await;
    let original = stored(&scim, &id).await;
    // The server kept all that was sent (it adds `id` and `meta`).
    let mut expected = sent.clone();
    expected["id"] = json!(id);
    assert_eq!(
        without(original.clone(), &[&["schemas"]]),
        without(expected, &[&["schemas"]]),
        "the server stores every attribute sent"
    );

    // 1. The narrow derived type, read with a get: only `title` changes.
    let badges = scim.resource::<Badge>();
    let mut badge = badges.get(&id).await.expect("get as Badge");
    assert_eq!(badge.title.as_deref(), Some("Tour Guide"));
    assert_eq!(
        badge.name.as_ref().and_then(|n| n.given_name.as_deref()),
        Some("Barbara")
    );
    let org = badge.org.as_ref().expect("the extension, narrowly");
    assert_eq!(org.department.as_deref(), Some("Tour Operations"));
    assert!(org.rest.contains_key("employeeNumber") && org.rest.contains_key("manager"));
    assert!(badge.rest.contains_key("addresses") && badge.rest.contains_key("x509Certificates"));
    assert!(
        badge.emails.iter().all(|e| e.rest.contains_key("type")),
        "{:?}",
        badge.emails
    );
    badge.title = Some("Head Guide".to_owned());
    let replaced = badges.replace(&badge).await.expect("replace as Badge");
    assert_eq!(replaced.title.as_deref(), Some("Head Guide"));
    let after_badge = stored(&scim, &id).await;
    assert_only_changed(
        &original,
        &after_badge,
        &["title"],
        &json!("Head Guide"),
        "Badge",
    );

    // 2. `User` without the extension, read from a list: only `nickName` changes.
    let plain = scim.resource::<User>();
    let mut page = plain
        .list(&SearchRequest::new().filter(format!(r#"id eq "{id}""#)))
        .await
        .expect("list as User");
    assert_eq!(page.resources.len(), 1);
    let mut user = page.resources.remove(0);
    assert!(user.unknown.contains_key(ENTERPRISE_URN));
    user.nick_name = Some("Barb".to_owned());
    plain.replace(&user).await.expect("replace as User");
    let after_plain = stored(&scim, &id).await;
    assert_only_changed(
        &after_badge,
        &after_plain,
        &["nickName"],
        &json!("Barb"),
        "User",
    );

    // 3. The full type, through the read-modify-write helper: only the extension's
    // `division` changes.
    let full = scim.resource::<EUser>();
    let updated = full
        .update(&id, 3, |u| {
            if let Some(e) = u.extension_mut::<EnterpriseUser>() {
                e.division = Some("Studio Tours".to_owned());
            }
        })
        .await
        .expect("update as User<EnterpriseUser>");
    assert!(updated.unknown.is_empty(), "{:?}", updated.unknown);
    let after_full = stored(&scim, &id).await;
    assert_only_changed(
        &after_plain,
        &after_full,
        &[ENTERPRISE_URN, "division"],
        &json!("Studio Tours"),
        "User<EnterpriseUser>",
    );

    // All three changes, and nothing else, compared with the original.
    let mut wanted = original.clone();
    wanted["title"] = json!("Head Guide");
    wanted["nickName"] = json!("Barb");
    wanted[ENTERPRISE_URN]["division"] = json!("Studio Tours");
    assert_eq!(
        without(after_full, &[&["schemas"]]),
        without(wanted, &[&["schemas"]])
    );

    full.delete(&id).await.expect("cleanup");
}

/// Writers in `concurrent_writers_of_different_types_all_land`.
const WRITERS: usize = 8;
/// Updates per writer.
const UPDATES: usize = 5;

/// The attribute writer `w` owns, as a path into the user's JSON. Even writers use
/// `User<EnterpriseUser>`, odd ones the narrow `Badge`, and each writes attributes the other
/// kind does or does not model.
const OWNED: [&[&str]; WRITERS] = [
    &["nickName"],
    &["title"],
    &["displayName"],
    &["name", "givenName"],
    &["userType"],
    &[ENTERPRISE_URN, "department"],
    &[ENTERPRISE_URN, "division"],
    &[ENTERPRISE_URN, "costCenter"],
];

/// Sets writer `w`'s attribute of a `User<EnterpriseUser>`.
fn set_full(user: &mut EUser, w: usize, value: String) {
    match w {
        0 => user.nick_name = Some(value),
        2 => user.display_name = Some(value),
        4 => user.user_type = Some(value),
        6 => {
            user.extension_mut::<EnterpriseUser>()
                .expect("the extension")
                .division = Some(value);
        }
        _ => unreachable!("writer {w} uses Badge"),
    }
}

/// Sets writer `w`'s attribute of a `Badge`.
fn set_badge(badge: &mut Badge, w: usize, value: String) {
    match w {
        1 => badge.title = Some(value),
        3 => badge.name.as_mut().expect("a name").given_name = Some(value),
        5 => badge.org.as_mut().expect("the extension").department = Some(value),
        7 => badge.org.as_mut().expect("the extension").cost_center = Some(value),
        _ => unreachable!("writer {w} uses User<EnterpriseUser>"),
    }
}

/// 8 writers, 5 read-modify-write updates each, racing on one user: each update appends a
/// distinct email and sets the writer's own attribute. Half the writers read the user as
/// `User<EnterpriseUser>`, half as the narrow `Badge`, so each kind writes back attributes it
/// does not model while the other kind changes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_of_different_types_all_land() {
    let Some(scim) = open_client("nothing_lost::concurrent_writers_of_different_types_all_land")
    else {
        return;
    };
    let name = unique("writers");
    let id = create_raw(&scim, &full_user_json(&name)).await;
    let original = stored(&scim, &id).await;
    let full = scim.resource::<EUser>();
    let badges = scim.resource::<Badge>();
    let attempts = Arc::new(AtomicUsize::new(0));
    let email_of = |w: usize, i: usize| format!("w{w}-{i}-{name}@example.com");

    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (full, badges, id, attempts) = (
                full.clone(),
                badges.clone(),
                id.clone(),
                Arc::clone(&attempts),
            );
            let emails: Vec<String> = (0..UPDATES).map(|i| email_of(w, i)).collect();
            tokio::spawn(async move {
                for (i, address) in emails.into_iter().enumerate() {
                    let value = format!("w{w}-{i}");
                    let attempts = Arc::clone(&attempts);
                    if w % 2 == 0 {
                        full.update(&id, 200, move |u| {
                            attempts.fetch_add(1, Ordering::SeqCst);
                            u.emails.push(email(&address, "other", false));
                            set_full(u, w, value.clone());
                        })
                        .await
                        .map(drop)?;
                    } else {
                        badges
                            .update(&id, 200, move |b| {
                                attempts.fetch_add(1, Ordering::SeqCst);
                                b.emails.push(BadgeEmail {
                                    value: Some(address.clone()),
                                    ..BadgeEmail::default()
                                });
                                set_badge(b, w, value.clone());
                            })
                            .await
                            .map(drop)?;
                    }
                }
                Ok::<_, scim_client::Error>(())
            })
        })
        .collect();
    let mut failures = Vec::new();
    for (w, t) in tasks.into_iter().enumerate() {
        if let Err(e) = t.await.expect("writer task") {
            failures.push(format!("writer {w}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");

    let after = stored(&scim, &id).await;
    // Every email: the two of the original and the 40 appended, each once.
    let mut emails: Vec<String> = after["emails"]
        .as_array()
        .expect("emails")
        .iter()
        .map(|e| e["value"].as_str().expect("a value").to_owned())
        .collect();
    emails.sort();
    let mut wanted: Vec<String> = (0..WRITERS)
        .flat_map(|w| (0..UPDATES).map(move |i| (w, i)))
        .map(|(w, i)| email_of(w, i))
        .chain([
            format!("{name}@work.example.com"),
            format!("{name}@home.example.com"),
        ])
        .collect();
    wanted.sort();
    assert_eq!(emails, wanted, "every appended email landed once");
    // Every writer's attribute holds its last value.
    for (w, path) in OWNED.iter().enumerate() {
        let mut at = &after;
        for key in *path {
            at = &at[*key];
        }
        assert_eq!(
            at,
            &json!(format!("w{w}-{}", UPDATES - 1)),
            "writer {w}: {path:?}"
        );
    }
    // What no writer touched is as it was.
    let mut untouched: Vec<&[&str]> = OWNED.to_vec();
    untouched.push(&["emails"]);
    assert_eq!(
        without(after.clone(), &untouched),
        without(original.clone(), &untouched),
        "attributes no writer touched"
    );
    assert_eq!(
        after["emails"][0], original["emails"][0],
        "the original emails keep their sub-attributes"
    );
    let attempts = attempts.load(Ordering::SeqCst);
    eprintln!(
        "nothing_lost: {WRITERS} writers x {UPDATES} updates = {} updates in {attempts} attempts",
        WRITERS * UPDATES
    );
    assert!(attempts >= WRITERS * UPDATES);

    full.delete(&id).await.expect("cleanup");
}
