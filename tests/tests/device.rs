//! A custom resource type declared with the derives, against the server serving the
//! `Device` schema of `.ci/fixtures/` (`SCIM_DEVICE_BASE_URL`): create, typed values (dateTime,
//! decimal, multi-valued strings, a complex attribute with a read-only sub-attribute), filters,
//! PATCH, replace, uniqueness and delete.

use std::collections::BTreeSet;

use scim_client::codec::{self, Context};
use scim_client::filter::Filter;
use scim_client::path::AttrPath;
use scim_client::protocol::{PatchOp, ScimType, SearchRequest};
use scim_client::{ScimComplex, ScimResource};
use scim_interop_tests::{device_client, unique};
use serde_json::{Map, Value};

/// A device owned by a user (the fixture's schema).
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Device",
    endpoint = "/Devices",
    resource_type = "Device"
)]
struct Device {
    /// Server-assigned id.
    id: Option<String>,
    /// Resource metadata.
    meta: Option<scim_client::model::Meta>,
    /// Serial number of the device, unique across the service provider.
    #[scim(required, case_exact, uniqueness = "server")]
    serial_number: String,
    /// Human-readable name of the device.
    display_name: Option<String>,
    /// Whether the device is in service.
    active: Option<bool>,
    /// When the device was bought.
    purchased: Option<jiff::Timestamp>,
    /// The screen diagonal in inches.
    screen_size: Option<f64>,
    /// Free-form labels.
    tags: Vec<String>,
    /// The owner.
    owner: Option<Owner>,
    /// What this type does not model.
    #[scim(unknown)]
    unknown: Map<String, Value>,
}

/// The owner of a device.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
struct Owner {
    /// The owner's id.
    value: Option<String>,
    /// The owner's name, set by the server.
    #[scim(mutability = "readOnly")]
    display: Option<String>,
}

fn path(p: &str) -> AttrPath {
    p.parse().expect("attribute path")
}

fn laptop(serial: &str) -> Device {
    Device {
        serial_number: serial.to_owned(),
        display_name: Some("Laptop".to_owned()),
        active: Some(true),
        purchased: Some("2024-05-01T10:00:00Z".parse().expect("timestamp")),
        screen_size: Some(14.2),
        tags: vec!["dev".to_owned(), format!("tag-{serial}")],
        owner: Some(Owner {
            value: Some("u1".to_owned()),
            display: Some("Barbara".to_owned()),
        }),
        ..Device::default()
    }
}

#[tokio::test]
async fn device_lifecycle() {
    let Some(scim) = device_client("device::device_lifecycle") else {
        return;
    };
    let api = scim.resource::<Device>();
    let serial = unique("SN");
    let wanted = laptop(&serial);

    let created = api.create(&wanted).await.expect("create");
    let id = created.id.clone().expect("id");
    assert_eq!(created.serial_number, serial);
    assert_eq!(created.purchased, wanted.purchased);
    assert_eq!(created.screen_size, Some(14.2));
    assert_eq!(created.tags, wanted.tags);
    // `owner.display` is read-only: not sent, so not stored.
    assert_eq!(
        created.owner,
        Some(Owner {
            value: Some("u1".to_owned()),
            display: None
        })
    );
    assert!(created.unknown.is_empty(), "{:?}", created.unknown);
    assert_eq!(api.get(&id).await.expect("get"), created);

    // Filters on typed values.
    let page = api
        .list(&SearchRequest::new().filter(format!(
            r#"tags eq "tag-{serial}" and screenSize gt 13 and purchased ge "2024-01-01T00:00:00Z""#
        )))
        .await
        .expect("typed filter");
    assert_eq!(page.resources, std::slice::from_ref(&created));
    let none = api
        .list(
            &SearchRequest::new().filter(format!(r#"tags eq "tag-{serial}" and screenSize gt 15"#)),
        )
        .await
        .expect("typed filter, no match");
    assert_eq!(none.total_results, Some(0));
    // serialNumber is caseExact: another case does not match.
    let upper = api
        .list(&SearchRequest::new().filter(format!(
            r#"serialNumber eq "{}""#,
            serial.to_ascii_uppercase()
        )))
        .await
        .expect("caseExact filter");
    assert_eq!(upper.total_results, Some(0));

    // PATCH: replace and add to a multi-valued attribute.
    let patch = PatchOp::new()
        .replace("screenSize", 13.3)
        .add("tags", serde_json::json!(["linux"]))
        .replace("active", false);
    assert!(api.patch(&id, &patch).await.expect("patch").is_none());
    let patched = api.get(&id).await.expect("get after patch");
    assert_eq!(patched.screen_size, Some(13.3));
    assert_eq!(patched.active, Some(false));
    assert_eq!(patched.tags.len(), 3);
    assert!(patched.tags.iter().any(|t| t == "linux"));

    // Replace.
    let mut renamed = patched.clone();
    renamed.display_name = Some("Old laptop".to_owned());
    renamed.tags.clear();
    let replaced = api.replace(&renamed).await.expect("replace");
    assert_eq!(replaced.display_name.as_deref(), Some("Old laptop"));
    assert!(replaced.tags.is_empty());
    assert_eq!(api.get(&id).await.expect("get after replace"), replaced);

    // serialNumber is unique (uniqueness server).
    let e = api.create(&laptop(&serial)).await.expect_err("duplicate");
    assert!(e.is_conflict(), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::Uniqueness));

    api.delete(&id).await.expect("delete");
    let e = api.get(&id).await.expect_err("deleted");
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn device_server_has_no_users() {
    let Some(scim) = device_client("device::device_server_has_no_users") else {
        return;
    };
    let e = scim
        .resource::<scim_client::model::User>()
        .get("anything")
        .await
        .expect_err("no /Users on this server");
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn local_evaluation_agrees_on_typed_attributes() {
    let Some(scim) = device_client("device::local_evaluation_agrees_on_typed_attributes") else {
        return;
    };
    let api = scim.resource::<Device>();
    let batch = unique("batch");
    let mut devices = Vec::new();
    for (i, (name, active, purchased, size, tag)) in [
        (
            "Laptop",
            Some(true),
            "2024-05-01T10:00:00Z",
            Some(14.2),
            "linux",
        ),
        (
            "phone",
            Some(false),
            "2023-12-31T23:59:59.5Z",
            Some(6.1),
            "android",
        ),
        (
            "Monitor",
            None,
            "2024-05-01T10:00:00.000001Z",
            Some(27.0),
            "linux",
        ),
        ("tablet", Some(true), "2025-01-15T08:30:00Z", None, "ios"),
    ]
    .into_iter()
    .enumerate()
    {
        let device = Device {
            serial_number: format!("{batch}-{i}-{}", name.to_ascii_uppercase()),
            display_name: Some(name.to_owned()),
            active,
            purchased: Some(purchased.parse().expect("timestamp")),
            screen_size: size,
            tags: vec![format!("tag-{batch}"), tag.to_owned()],
            owner: (i % 2 == 0).then(|| Owner {
                value: Some(format!("owner-{i}")),
                display: None,
            }),
            ..Device::default()
        };
        devices.push(api.create(&device).await.expect("create"));
    }
    let scope = Filter::eq(path("tags"), format!("tag-{batch}"));
    let filters = [
        "screenSize gt 13",
        "screenSize ge 14.2",
        "screenSize lt 13.3",
        "screenSize eq 27",
        "screenSize pr",
        r#"purchased gt "2024-05-01T10:00:00Z""#,
        r#"purchased ge "2024-05-01T12:00:00+02:00""#,
        r#"purchased lt "2024-01-01T00:00:00Z""#,
        "active eq true",
        "active ne true",
        "not (active pr)",
        r#"serialNumber co "LAPTOP""#,
        r#"serialNumber co "laptop""#,
        r#"displayName co "LAP""#,
        r#"displayName gt "m""#,
        r#"tags eq "linux""#,
        r#"tags co "inu""#,
        r#"not (tags eq "linux")"#,
        r#"owner.value sw "owner-""#,
        "owner pr",
    ];
    let docs: Vec<_> = devices
        .iter()
        .map(|d| codec::to_value(d, Context::QueryResponse).expect("to json"))
        .collect();
    let case_exact = |p: &AttrPath| p.name().eq_ignore_ascii_case("serialNumber");
    for text in filters {
        let local = Filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let expected: BTreeSet<String> = devices
            .iter()
            .zip(&docs)
            .filter(|(_, doc)| local.matches_with(doc, case_exact))
            .filter_map(|(d, _)| d.id.clone())
            .collect();
        let sent = scope.clone().and(local);
        let served: BTreeSet<String> = api
            .list(&SearchRequest::new().filter(sent.to_string()))
            .await
            .unwrap_or_else(|e| panic!("{sent}: {e:?}"))
            .resources
            .into_iter()
            .filter_map(|d| d.id)
            .collect();
        assert_eq!(served, expected, "filter {text}");
    }

    for d in devices {
        api.delete(d.id.as_deref().expect("id"))
            .await
            .expect("cleanup");
    }
}
