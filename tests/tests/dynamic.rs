//! Dynamic resources against the real server: the `Device` resource type of `.ci/fixtures/`
//! discovered at run time (`SCIM_DEVICE_BASE_URL`) and driven through every operation with
//! no Rust type for it; root `/.search` and bulk results of any type on the main server
//! (`SCIM_BASE_URL`).

use std::collections::BTreeSet;

use futures_util::TryStreamExt as _;
use scim_client::codec::Context;
use scim_client::protocol::{PatchOp, ScimType, SearchRequest};
use scim_client::{DynamicResource, Error};
use scim_interop_tests::{device_client, open_client, unique};
use serde_json::json;

#[tokio::test]
async fn device_lifecycle_through_the_dynamic_type() {
    let Some(scim) = device_client("dynamic::device_lifecycle_through_the_dynamic_type") else {
        return;
    };
    let discovery = scim.discover().await.expect("discover");
    let schema = discovery.resource_schema("device").expect("Device type");
    assert_eq!(schema.endpoint(), "/Devices");
    let api = scim.dynamic(&schema);
    let serial = unique("DYN");

    // Create: names in any case, checked against the discovered schema before sending.
    let mut device = DynamicResource::new(&schema);
    device
        .set("SERIALNUMBER", serial.clone())
        .expect("serialNumber");
    device.set("displayName", "Build box").expect("displayName");
    device.set("screenSize", 27.0).expect("screenSize");
    device
        .set("tags", json!([format!("tag-{serial}"), "linux"]))
        .expect("tags");
    device
        .set(
            "owner",
            json!({"value": "u1", "display": "read-only, not sent"}),
        )
        .expect("owner");
    assert!(
        device.set("screenSize", "big").is_err(),
        "a decimal attribute refuses a string"
    );
    let created = api.create(&device).await.expect("create");
    let id = created.id().expect("id").to_owned();
    assert_eq!(created.get("serialNumber"), Some(&json!(serial)));
    assert_eq!(created.get("owner.value"), Some(&json!("u1")));
    assert_eq!(created.get("owner.display"), None, "read-only: not sent");
    assert!(created.version().is_some(), "meta.version");

    // Get, list, stream, search.
    let got = api.get(&id).await.expect("get");
    assert_eq!(got, created);
    let filter = format!(r#"tags eq "tag-{serial}" and screenSize gt 20"#);
    let page = api
        .list(&SearchRequest::new().filter(filter.clone()))
        .await
        .expect("list");
    assert_eq!(page.resources, std::slice::from_ref(&created));
    let streamed: Vec<DynamicResource> = api
        .stream(SearchRequest::new().filter(filter.clone()).count(1))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(streamed, std::slice::from_ref(&created));
    let searched = api
        .search(&SearchRequest::new().filter(filter))
        .await
        .expect("search");
    assert_eq!(searched.resources.len(), 1);
    // The server applies the same filter as the local evaluation with the runtime schema.
    let f = scim_client::filter::Filter::parse(&format!(r#"serialNumber eq "{serial}""#))
        .expect("filter");
    assert!(created.matches(&f));

    // Patch, replace.
    let patch = PatchOp::new()
        .replace("screenSize", 24.5)
        .add("tags", json!(["patched"]));
    patch
        .check(
            &schema.schemas(),
            Some(&created.to_json_in(Context::Default).expect("json")),
        )
        .expect("patch fits the discovered schema");
    api.patch(&id, &patch).await.expect("patch");
    let patched = api.get(&id).await.expect("get after patch");
    assert_eq!(patched.get("screenSize"), Some(&json!(24.5)));
    let mut renamed = patched.clone();
    renamed.set("displayName", "Renamed").expect("set");
    let replaced = api.replace(&renamed).await.expect("replace");
    assert_eq!(replaced.get("displayName"), Some(&json!("Renamed")));
    assert_eq!(replaced.get("screenSize"), Some(&json!(24.5)), "kept");

    // Uniqueness, as with the derived type.
    let mut twin = DynamicResource::new(&schema);
    twin.set("serialNumber", serial.clone()).expect("set");
    let e = api.create(&twin).await.expect_err("duplicate serial");
    assert_eq!(e.scim_type(), Some(&ScimType::Uniqueness), "{e:?}");

    // Required attributes are checked before anything is sent.
    let empty = DynamicResource::new(&schema);
    let e = api
        .create(&empty)
        .await
        .expect_err("serialNumber is required");
    assert!(matches!(e, Error::RequestValidation(_)), "{e:?}");

    api.delete(&id).await.expect("delete");
    assert!(api.get(&id).await.expect_err("gone").is_not_found());
}

#[tokio::test]
async fn bulk_with_dynamic_resources() {
    let Some(scim) = device_client("dynamic::bulk_with_dynamic_resources") else {
        return;
    };
    let schema = scim
        .discover()
        .await
        .expect("discover")
        .resource_schema("Device")
        .expect("Device type");
    let mut bulk = scim_client::client::Bulk::new();
    let mut refs = Vec::new();
    let tag = unique("bulkdyn");
    for i in 0..3 {
        let mut d = DynamicResource::new(&schema);
        d.set("serialNumber", format!("{tag}-{i}")).expect("set");
        d.set("tags", json!([tag])).expect("set");
        refs.push(bulk.create(&d).expect("bulk create"));
    }
    let results = scim.bulk(bulk).await.expect("bulk");
    let api = scim.dynamic(&schema);
    let mut ids = BTreeSet::new();
    for r in &refs {
        let id = results.id_of(r).expect("created").to_owned();
        let outcome = results.outcome_of(r).expect("outcome");
        if let Some(body) = outcome.dynamic() {
            // A body of a type the program need not know comes back as JSON.
            assert_eq!(body.id(), Some(id.as_str()));
        }
        ids.insert(id);
    }
    let listed: BTreeSet<String> = api
        .stream(SearchRequest::new().filter(format!(r#"tags eq "{tag}""#)))
        .map_ok(|d| d.id().expect("id").to_owned())
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(listed, ids);
    let mut cleanup = scim_client::client::Bulk::new();
    for id in &ids {
        cleanup.delete_dynamic(&schema, id).expect("delete op");
    }
    let done = scim.bulk(cleanup).await.expect("bulk delete");
    assert_eq!(done.errors().count(), 0);
}

#[tokio::test]
async fn root_search_returns_every_type_as_dynamic_resources() {
    let Some(scim) = open_client("dynamic::root_search_returns_every_type_as_dynamic_resources")
    else {
        return;
    };
    let users = scim.resource::<scim_client::model::User>();
    let groups = scim.resource::<scim_client::model::Group>();
    let name = unique("rootdyn");
    let user = users
        .create(&scim_client::model::User {
            user_name: Some(name.clone()),
            ..Default::default()
        })
        .await
        .expect("user");
    let group = groups
        .create(&scim_client::model::Group {
            display_name: Some(name.clone()),
            ..Default::default()
        })
        .await
        .expect("group");
    let request = SearchRequest::new().filter(format!(
        r#"userName eq "{name}" or displayName eq "{name}""#
    ));

    // Before discovery the types are unknown: the results come back unbound, not as errors.
    let page = scim.search_dynamic(&request).await.expect("root search");
    assert_eq!(page.resources.len(), 2);
    assert!(page.resources.iter().all(|r| r.schema().is_none()));
    let types: BTreeSet<&str> = page
        .resources
        .iter()
        .filter_map(DynamicResource::resource_type)
        .collect();
    assert_eq!(types, BTreeSet::from(["Group", "User"]));

    // After discovery each is bound to (and checked against) its resource type.
    scim.discover().await.expect("discover");
    let page = scim.search_dynamic(&request).await.expect("root search");
    for r in &page.resources {
        let schema = r.schema().expect("bound after discovery");
        match schema.name() {
            "User" => assert_eq!(r.get("USERNAME"), Some(&json!(name))),
            "Group" => assert_eq!(r.get("displayName"), Some(&json!(name))),
            other => panic!("unexpected type {other}"),
        }
    }

    users
        .delete(user.id.as_deref().expect("id"))
        .await
        .expect("cleanup");
    groups
        .delete(group.id.as_deref().expect("id"))
        .await
        .expect("cleanup");
}

#[test]
fn blocking_client_drives_dynamic_resources_too() {
    let Some(url) = scim_interop_tests::device_base_url(
        "dynamic::blocking_client_drives_dynamic_resources_too",
    ) else {
        return;
    };
    let scim = scim_client::blocking::Client::builder(&url)
        .build()
        .expect("blocking client");
    let schema = scim
        .discover()
        .expect("discover")
        .resource_schema("Device")
        .expect("Device type");
    let api = scim.dynamic(&schema);
    let serial = unique("BLK");
    let mut device = DynamicResource::new(&schema);
    device.set("serialNumber", serial.clone()).expect("set");
    let created = api.create(&device).expect("create");
    let id = created.id().expect("id").to_owned();
    let found: Vec<DynamicResource> = api
        .stream(SearchRequest::new().filter(format!(r#"serialNumber eq "{serial}""#)))
        .collect::<Result<_, _>>()
        .expect("stream");
    assert_eq!(found, [created]);
    api.delete(&id).expect("delete");
}
