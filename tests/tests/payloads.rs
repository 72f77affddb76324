//! What goes over the wire, against the open server (`SCIM_BASE_URL`): every User attribute
//! round-trips, `attributes`/`excludedAttributes` on a read, write-only and read-only
//! attributes, local request checks, and the unknown-attribute policies.

use scim_client::client::RequestOptions;
use scim_client::codec::UnknownPolicy;
use scim_client::error::Rule;
use scim_client::model::{
    Address, EnterpriseUser, Entitlement, Group, GroupMember, GroupMembership, Im, Manager,
    PhoneNumber, Photo, Role, User, X509Certificate,
};
use scim_client::protocol::{ScimType, SearchRequest};
use scim_client::{Binary, Error, Reference};
use scim_interop_tests::{ENTERPRISE_URN, enterprise_user, open_client, unique};

type EUser = User<EnterpriseUser>;

fn everything(user_name: &str) -> EUser {
    let mut u = enterprise_user(user_name);
    u.external_id = Some(format!("ext-{user_name}"));
    u.nick_name = Some("Babs".to_owned());
    u.profile_url = Some(Reference::from("https://login.example.com/bjensen"));
    u.user_type = Some("Employee".to_owned());
    u.preferred_language = Some("en-US".to_owned());
    u.locale = Some("en-US".to_owned());
    u.timezone = Some("America/Los_Angeles".to_owned());
    u.phone_numbers = vec![PhoneNumber {
        value: Some("tel:+1-555-555-5555".to_owned()),
        type_: Some("work".to_owned()),
        primary: Some(true),
        ..PhoneNumber::default()
    }];
    u.ims = vec![Im {
        value: Some("someaimhandle".to_owned()),
        type_: Some("aim".to_owned()),
        ..Im::default()
    }];
    u.photos = vec![Photo {
        value: Some(Reference::from(
            "https://photos.example.com/profilephoto/72930000000Ccne/F",
        )),
        type_: Some("photo".to_owned()),
        ..Photo::default()
    }];
    u.addresses = vec![Address {
        street_address: Some("100 Universal City Plaza".to_owned()),
        locality: Some("Hollywood".to_owned()),
        region: Some("CA".to_owned()),
        postal_code: Some("91608".to_owned()),
        country: Some("US".to_owned()),
        formatted: Some("100 Universal City Plaza\nHollywood, CA 91608 USA".to_owned()),
        type_: Some("work".to_owned()),
        primary: Some(true),
        ..Address::default()
    }];
    u.entitlements = vec![Entitlement {
        value: Some("vpn".to_owned()),
        ..Entitlement::default()
    }];
    u.roles = vec![Role {
        value: Some("guide".to_owned()),
        display: Some("Tour guide".to_owned()),
        ..Role::default()
    }];
    u.x509_certificates = vec![X509Certificate {
        value: Some(Binary(vec![
            0x30, 0x82, 0x03, 0x0b, 0x00, 0xff, 0xfe, 0x7f, 0x80,
        ])),
        ..X509Certificate::default()
    }];
    if let Some(e) = u.extension_mut::<EnterpriseUser>() {
        e.manager = Some(Manager {
            value: Some("26118915-6090-4610-87e4-49d8ca9f808d".to_owned()),
            ref_: Some(Reference::from(
                "https://example.com/v2/Users/26118915-6090-4610-87e4-49d8ca9f808d",
            )),
            // Read-only: not sent.
            display_name: Some("John Smith".to_owned()),
            ..Manager::default()
        });
    }
    u
}

/// `wanted` as the server should store it: without what a client may not write.
fn as_stored(mut wanted: EUser, from: &EUser) -> EUser {
    wanted.id.clone_from(&from.id);
    wanted.meta.clone_from(&from.meta);
    wanted.password = None;
    wanted.groups.clear();
    if let Some(m) = wanted
        .extension_mut::<EnterpriseUser>()
        .and_then(|e| e.manager.as_mut())
    {
        m.display_name = None;
    }
    wanted
}

#[tokio::test]
async fn every_user_attribute_round_trips() {
    let Some(scim) = open_client("payloads::every_user_attribute_round_trips") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let mut wanted = everything(&unique("all"));
    wanted.password = Some("t1meMa$heen".into());
    // Read-only: dropped from the request.
    wanted.groups = vec![GroupMembership {
        value: Some("some-group".to_owned()),
        ..GroupMembership::default()
    }];

    let created = api.create(&wanted).await.expect("create");
    assert!(created.password.is_none(), "password is never returned");
    assert_eq!(created, as_stored(wanted.clone(), &created));
    let id = created.id.clone().expect("id");
    assert_eq!(api.get(&id).await.expect("get"), created);

    // The same after a replace of what was read.
    let replaced = api.replace(&created).await.expect("replace unchanged");
    assert_eq!(
        replaced.meta.as_ref().and_then(|m| m.version.clone()),
        created.meta.as_ref().and_then(|m| m.version.clone()),
        "a write that changes nothing keeps the version on this server"
    );
    assert_eq!(replaced, created);

    api.delete(&id).await.expect("cleanup");
}

#[tokio::test]
async fn projections_on_a_read() {
    let Some(scim) = open_client("payloads::projections_on_a_read") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let name = unique("proj");
    let created = api.create(&everything(&name)).await.expect("create");
    let id = created.id.clone().expect("id");

    let only = api
        .get_with(
            &id,
            &SearchRequest::new().attributes(["userName", &format!("{ENTERPRISE_URN}:department")]),
        )
        .await
        .expect("get with attributes");
    assert_eq!(only.id.as_deref(), Some(id.as_str()));
    assert_eq!(only.user_name.as_deref(), Some(name.as_str()));
    assert!(only.emails.is_empty() && only.name.is_none());
    // `meta` is not returned, but the client keeps the `ETag` header as `meta.version`.
    let meta = only.meta.as_ref().expect("meta from the ETag header");
    assert!(meta.version.is_some() && meta.location.is_none() && meta.created.is_none());
    let ext = only.extension::<EnterpriseUser>().expect("extension");
    assert_eq!(ext.department, Some(format!("dept-{name}")));
    assert_eq!(ext.employee_number, None);

    let without = api
        .get_with(
            &id,
            &SearchRequest::new().excluded_attributes(["emails", "addresses", ENTERPRISE_URN]),
        )
        .await
        .expect("get with excludedAttributes");
    assert!(without.emails.is_empty() && without.addresses.is_empty());
    assert!(without.extension::<EnterpriseUser>().is_none());
    assert_eq!(without.phone_numbers, created.phone_numbers);
    assert!(without.meta.is_some());

    api.delete(&id).await.expect("cleanup");
}

#[tokio::test]
async fn request_checks_happen_before_sending() {
    let Some(scim) = open_client("payloads::request_checks_happen_before_sending") else {
        return;
    };
    let api = scim.resource::<EUser>();

    // No userName: refused locally.
    let e = api
        .create(&EUser::default())
        .await
        .expect_err("no userName");
    match &e {
        Error::RequestValidation(v) => {
            assert!(
                v.iter()
                    .any(|v| v.attribute == "userName" && v.rule == Rule::Required)
            );
        }
        other => panic!("expected a local validation error, got {other:?}"),
    }

    // Two primary emails: refused locally.
    let mut two = enterprise_user(&unique("primaries"));
    for e in &mut two.emails {
        e.primary = Some(true);
    }
    let e = api.create(&two).await.expect_err("two primaries");
    assert!(
        e.violations()
            .is_some_and(|v| v.iter().any(|v| v.rule == Rule::PrimaryUniqueness)),
        "{e:?}"
    );

    // Without the local checks, the server refuses the missing userName itself.
    let unchecked = api.with_options(RequestOptions::default().check_request(false));
    let e = unchecked
        .create(&EUser::default())
        .await
        .expect_err("no userName, unchecked");
    assert_eq!(e.status(), Some(400), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue), "{e:?}");
}

#[tokio::test]
async fn unknown_attribute_policies() {
    let Some(scim) = open_client("payloads::unknown_attribute_policies") else {
        return;
    };
    let full = scim.resource::<EUser>();
    let created = full
        .create(&enterprise_user(&unique("policy")))
        .await
        .expect("create");
    let id = created.id.clone().expect("id");

    let refuse = scim
        .resource::<User>()
        .with_options(RequestOptions::default().unknown(UnknownPolicy::Refuse));
    let e = refuse
        .get(&id)
        .await
        .expect_err("the extension is unknown to User<()>");
    assert!(
        e.violations().is_some_and(|v| v
            .iter()
            .any(|v| v.rule == Rule::Unknown && v.attribute.eq_ignore_ascii_case(ENTERPRISE_URN))),
        "{e:?}"
    );

    let ignore = scim
        .resource::<User>()
        .with_options(RequestOptions::default().unknown(UnknownPolicy::Ignore));
    let plain = ignore.get(&id).await.expect("ignored");
    assert!(plain.unknown.is_empty(), "{:?}", plain.unknown);

    // The typed reader sees it all.
    assert!(
        full.get(&id)
            .await
            .expect("get")
            .extension::<EnterpriseUser>()
            .is_some()
    );
    full.delete(&id).await.expect("cleanup");
}

#[tokio::test]
async fn group_member_references() {
    let Some(scim) = open_client("payloads::group_member_references") else {
        return;
    };
    let users = scim.resource::<User>();
    let groups = scim.resource::<Group>();
    let user = users
        .create(&User::new(unique("ref")))
        .await
        .expect("create user");
    let uid = user.id.clone().expect("id");
    let location = user
        .meta
        .as_ref()
        .and_then(|m| m.location.clone())
        .expect("meta.location");
    let member = GroupMember {
        value: Some(uid.clone()),
        ref_: Some(location),
        type_: Some("User".to_owned()),
        display: Some("Someone".to_owned()),
        ..GroupMember::default()
    };
    let group = groups
        .create(&Group {
            display_name: Some(unique("refs")),
            members: vec![member.clone()],
            ..Group::default()
        })
        .await
        .expect("create group");
    assert_eq!(group.members, [member]);
    let gid = group.id.clone().expect("id");
    assert_eq!(groups.get(&gid).await.expect("get"), group);
    groups.delete(&gid).await.expect("cleanup group");
    users.delete(&uid).await.expect("cleanup user");
}
