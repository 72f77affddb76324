//! Discovery (`/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`) against the open server
//! (`SCIM_BASE_URL`) and the Device server (`SCIM_DEVICE_BASE_URL`), and the endpoints it
//! teaches the client used afterwards.

use scim_client::model::{EnterpriseUser, Group, Schema, User};
use scim_client::protocol::SearchRequest;
use scim_client::schema::Mutability;
use scim_client::{Client, Extension, Reference, Resource, ScimResource};
use scim_interop_tests::{ENTERPRISE_URN, device_client, enterprise_user, open_client, unique};

const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const DEVICE_URN: &str = "urn:example:params:scim:schemas:2.0:Device";

/// The fixture's Device, declared at an endpoint the server does not use: only discovery
/// sends it to the right place.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Device",
    endpoint = "/Gadgets",
    resource_type = "Device"
)]
struct Gadget {
    /// Server-assigned id.
    id: Option<String>,
    /// Resource metadata.
    meta: Option<scim_client::model::Meta>,
    /// The serial number.
    #[scim(required, case_exact, uniqueness = "server")]
    serial_number: Option<String>,
    /// A name for people.
    display_name: Option<String>,
}

fn schema<'a>(schemas: &'a [Schema], urn: &str) -> &'a Schema {
    schemas
        .iter()
        .find(|s| s.id.as_deref() == Some(urn))
        .unwrap_or_else(|| panic!("/Schemas serves {urn}"))
}

/// Every attribute the server's schema describes is modelled by the derived type, with the
/// same plurality and type, and read-only on both sides or neither.
fn assert_models(served: &Schema, ours: &scim_client::schema::SchemaDef) {
    for attr in &served.attributes {
        let name = attr.name.as_deref().expect("attribute name");
        let mine = ours
            .attribute(name)
            .unwrap_or_else(|| panic!("{} models `{name}`", ours.id));
        assert_eq!(
            attr.multi_valued,
            Some(mine.multi_valued),
            "{}: multiValued of `{name}`",
            ours.id
        );
        assert!(
            attr.type_
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(mine.ty.as_str())),
            "{}: type of `{name}`: {:?} vs {:?}",
            ours.id,
            attr.type_,
            mine.ty
        );
        assert_eq!(
            attr.mutability.as_deref() == Some("readOnly"),
            mine.mutability == Mutability::ReadOnly,
            "{}: mutability of `{name}`",
            ours.id
        );
    }
}

#[tokio::test]
async fn discover_users_groups_and_schemas() {
    let Some(scim) = open_client("discovery::discover_users_groups_and_schemas") else {
        return;
    };
    assert!(scim.known_config().is_none());
    let found = scim.discover().await.expect("discover");

    // The configuration, remembered by the client.
    let config = &found.config;
    assert_eq!(config.patch.as_ref().and_then(|p| p.supported), Some(true));
    assert_eq!(config.etag.as_ref().and_then(|p| p.supported), Some(true));
    assert_eq!(config.filter.as_ref().and_then(|p| p.supported), Some(true));
    assert!(config.filter.as_ref().and_then(|f| f.max_results).is_some());
    assert_eq!(config.sort.as_ref().and_then(|p| p.supported), Some(true));
    assert!(
        config.authentication_schemes.is_empty(),
        "the open server announces no scheme"
    );
    assert_eq!(scim.known_config().as_deref(), Some(config));

    // The resource types.
    let user_rt = found
        .resource_types
        .iter()
        .find(|rt| rt.name.as_deref() == Some("User"))
        .expect("User resource type");
    assert_eq!(
        user_rt.endpoint.as_ref().map(Reference::as_str),
        Some("/Users")
    );
    assert_eq!(
        user_rt.schema.as_ref().map(Reference::as_str),
        Some(USER_URN)
    );
    let ext = user_rt
        .schema_extensions
        .iter()
        .find(|e| e.schema.as_ref().map(Reference::as_str) == Some(ENTERPRISE_URN))
        .expect("enterprise extension declared");
    assert_eq!(ext.required, Some(false));
    let group_rt = found
        .resource_types
        .iter()
        .find(|rt| rt.name.as_deref() == Some("Group"))
        .expect("Group resource type");
    assert_eq!(
        group_rt.endpoint.as_ref().map(Reference::as_str),
        Some("/Groups")
    );
    assert_eq!(
        group_rt.schema.as_ref().map(Reference::as_str),
        Some(GROUP_URN)
    );
    assert!(group_rt.schema_extensions.is_empty());

    // The schemas, and our models cover them.
    let user_schema = schema(&found.schemas, USER_URN);
    assert!(
        user_schema
            .attributes
            .iter()
            .any(|a| a.name.as_deref() == Some("userName"))
    );
    assert_models(user_schema, User::<EnterpriseUser>::SCHEMA);
    assert_models(schema(&found.schemas, GROUP_URN), Group::SCHEMA);
    assert_models(
        schema(&found.schemas, ENTERPRISE_URN),
        EnterpriseUser::SCHEMA,
    );

    // The endpoints learnt are used afterwards.
    let users = scim.resource::<User<EnterpriseUser>>();
    assert_eq!(users.endpoint(), "/Users");
    assert_eq!(scim.resource::<Group>().endpoint(), "/Groups");
    let name = unique("disc");
    let created = users.create(&enterprise_user(&name)).await.expect("create");
    let page = users
        .list(&SearchRequest::new().filter(format!(r#"userName eq "{name}""#)))
        .await
        .expect("list");
    assert_eq!(page.resources, std::slice::from_ref(&created));
    users
        .delete(created.id.as_deref().expect("id"))
        .await
        .expect("delete");

    // Discovery again is idempotent.
    let again = scim.discover().await.expect("discover again");
    assert_eq!(again.resource_types.len(), found.resource_types.len());
}

#[tokio::test]
async fn service_provider_config_alone() {
    let Some(scim) = open_client("discovery::service_provider_config_alone") else {
        return;
    };
    let config = scim.service_provider_config().await.expect("config");
    assert_eq!(config.bulk.as_ref().and_then(|b| b.supported), Some(true));
    assert!(
        config
            .bulk
            .as_ref()
            .and_then(|b| b.max_operations)
            .is_some()
    );
    assert_eq!(
        config.change_password.as_ref().and_then(|c| c.supported),
        Some(true)
    );
    assert_eq!(scim.known_config().as_deref(), Some(&config));
}

#[tokio::test]
async fn discovery_routes_a_custom_resource_to_its_endpoint() {
    let Some(scim) = device_client("discovery::discovery_routes_a_custom_resource_to_its_endpoint")
    else {
        return;
    };
    // Before discovery: the declared endpoint, which this server does not have.
    let before = scim.resource::<Gadget>();
    assert_eq!(before.endpoint(), "/Gadgets");
    let e = before
        .list(&SearchRequest::new().count(1))
        .await
        .expect_err("no /Gadgets");
    assert!(e.is_not_found(), "{e:?}");

    let found = scim.discover().await.expect("discover");
    assert_eq!(found.resource_types.len(), 1);
    assert_eq!(
        found.resource_types[0]
            .endpoint
            .as_ref()
            .map(Reference::as_str),
        Some("/Devices")
    );
    let device_schema = schema(&found.schemas, DEVICE_URN);
    assert!(
        device_schema
            .attributes
            .iter()
            .any(|a| a.name.as_deref() == Some("serialNumber"))
    );

    // After: the endpoint from /ResourceTypes.
    let gadgets = scim.resource::<Gadget>();
    assert_eq!(gadgets.endpoint(), "/Devices");
    let serial = unique("SN");
    let created = gadgets
        .create(&Gadget {
            serial_number: Some(serial.clone()),
            display_name: Some("Laptop".to_owned()),
            ..Gadget::default()
        })
        .await
        .expect("create through the discovered endpoint");
    let id = created.id.clone().expect("id");
    assert!(
        created
            .meta
            .as_ref()
            .and_then(|m| m.location.as_ref())
            .is_some_and(|l| l.as_str().ends_with(&format!("/Devices/{id}")))
    );
    assert_eq!(gadgets.get(&id).await.expect("get"), created);
    gadgets.delete(&id).await.expect("delete");

    // A client that never discovered still uses the declared endpoint: discovery is per
    // client.
    let fresh = Client::builder(scim.base_url()).build().expect("client");
    assert_eq!(fresh.resource::<Gadget>().endpoint(), "/Gadgets");
}
