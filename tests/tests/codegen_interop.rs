//! Code generation and schema drift against the server serving the `Device` schema of
//! `.ci/fixtures/` (`SCIM_DEVICE_BASE_URL`): the source generated from what the server
//! discovers is the golden file `tests/generated/device.rs` (also checked offline, from the
//! fixture files the server is started with); that file, compiled here, drives a whole
//! create/get/list/patch/replace/delete cycle; and a deliberately different local `Device`
//! shows the expected drift.
//!
//! Regenerate the golden file with `SCIM_BLESS=1 cargo test -p scim-interop-tests --test
//! codegen_interop`.

use std::path::{Path, PathBuf};

use scim_client::codegen;
use scim_client::drift::{Difference, DifferenceKind};
use scim_client::protocol::{PatchOp, SearchRequest};
use scim_client::schema::{AttributeType, Mutability, Returned, Uniqueness};
use scim_client::{Resource, ScimComplex, ScimResource};
use scim_interop_tests::{device_client, unique};
use serde_json::{Map, Value, json};

/// The types generated for the Device server.
#[allow(unreachable_pub, clippy::doc_markdown, clippy::struct_field_names)]
mod generated {
    include!("../generated/device.rs");
}

const DEVICE: &str = "urn:example:params:scim:schemas:2.0:Device";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn fixture(name: &str) -> Value {
    let path = repo(&format!(".ci/fixtures/{name}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares `source` with the golden file, or rewrites it under `SCIM_BLESS=1`.
fn golden(source: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/device.rs");
    if std::env::var_os("SCIM_BLESS").is_some() {
        std::fs::write(&path, source).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("the golden file");
    if expected != source {
        let line = expected
            .lines()
            .zip(source.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(source.lines().count()));
        panic!(
            "{} differs from the generated source at line {}:\n  golden:    {:?}\n  \
             generated: {:?}\n(run with SCIM_BLESS=1 to update it)",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            source.lines().nth(line)
        );
    }
}

/// Offline: the fixture files the Device server is started with give the golden source.
#[test]
fn fixture_files_give_the_golden_source() {
    let source = codegen::generate_from_json(
        &fixture("device-schema.json"),
        Some(&fixture("device-resource-type.json")),
    )
    .expect("generate");
    golden(&source);
}

/// Online: what the server discovers gives the same source.
#[tokio::test]
async fn discovered_schemas_give_the_golden_source() {
    let Some(scim) = device_client("codegen_interop::discovered_schemas_give_the_golden_source")
    else {
        return;
    };
    let discovery = scim.discover().await.expect("discover");
    let source = codegen::generate_from_discovery(&discovery).expect("generate");
    golden(&source);
    // The generated type agrees with the server: no drift.
    let drift = scim
        .check_drift::<generated::Device>()
        .await
        .expect("drift check");
    assert!(drift.is_empty(), "{}", scim_client::drift::render(&drift));
}

fn device(serial: &str) -> generated::Device {
    generated::Device {
        serial_number: Some(serial.to_owned()),
        display_name: Some("Generated laptop".to_owned()),
        active: Some(true),
        purchased: Some("2024-05-01T10:00:00Z".parse().expect("timestamp")),
        screen_size: Some(14.2),
        tags: vec!["generated".to_owned(), format!("tag-{serial}")],
        owner: Some(generated::DeviceOwner {
            value: Some("u1".to_owned()),
            display: Some("set by the server only".to_owned()),
            ..generated::DeviceOwner::default()
        }),
        ..generated::Device::default()
    }
}

/// The generated `Device` through a whole lifecycle against the live server.
#[tokio::test]
async fn generated_device_lifecycle() {
    let Some(scim) = device_client("codegen_interop::generated_device_lifecycle") else {
        return;
    };
    let api = scim.resource::<generated::Device>();
    assert_eq!(generated::Device::ENDPOINT, "/Devices");
    let serial = unique("GEN");
    let wanted = device(&serial);

    let created = api.create(&wanted).await.expect("create");
    let id = created.id.clone().expect("id");
    assert_eq!(created.serial_number.as_deref(), Some(serial.as_str()));
    assert_eq!(created.purchased, wanted.purchased);
    assert_eq!(created.screen_size, Some(14.2));
    assert_eq!(created.tags, wanted.tags);
    // `owner.display` is read-only: not sent, so not stored.
    let owner = created.owner.as_ref().expect("owner");
    assert_eq!(owner.value.as_deref(), Some("u1"));
    assert_eq!(owner.display, None);
    assert!(created.unknown.is_empty(), "{:?}", created.unknown);
    assert_eq!(api.get(&id).await.expect("get"), created);

    let page = api
        .list(&SearchRequest::new().filter(format!(
            r#"tags eq "tag-{serial}" and screenSize gt 13 and active eq true"#
        )))
        .await
        .expect("list");
    assert_eq!(page.resources, std::slice::from_ref(&created));

    let patch = PatchOp::new()
        .replace("screenSize", 13.3)
        .add("tags", json!(["linux"]))
        .replace("owner.value", "u2");
    let _ = api.patch(&id, &patch).await.expect("patch");
    let patched = api.get(&id).await.expect("get after patch");
    assert_eq!(patched.screen_size, Some(13.3));
    assert_eq!(patched.tags.len(), 3);
    assert_eq!(
        patched.owner.as_ref().and_then(|o| o.value.as_deref()),
        Some("u2")
    );

    let mut renamed = patched.clone();
    renamed.display_name = Some("Old generated laptop".to_owned());
    let replaced = api.replace(&renamed).await.expect("replace");
    assert_eq!(
        replaced.display_name.as_deref(),
        Some("Old generated laptop")
    );

    // `serialNumber` is required: the client refuses a create without it.
    let mut incomplete = device(&unique("GEN"));
    incomplete.serial_number = None;
    let e = api.create(&incomplete).await.expect_err("required");
    assert!(
        matches!(e, scim_client::Error::RequestValidation(_)),
        "{e:?}"
    );

    api.delete(&id).await.expect("delete");
    let e = api.get(&id).await.expect_err("deleted");
    assert!(e.is_not_found(), "{e:?}");
}

/// A local idea of the device that disagrees with the server on purpose.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
struct StaleDevice {
    /// Server-assigned id.
    id: Option<String>,
    /// The server says required, case-exact and unique.
    serial_number: Option<String>,
    /// The server says a string.
    display_name: Option<i64>,
    /// The server says `readWrite`.
    #[scim(mutability = "immutable")]
    active: Option<bool>,
    /// The server says single-valued.
    purchased: Vec<jiff::Timestamp>,
    /// The server says `returned: default`.
    #[scim(returned = "request")]
    tags: Vec<String>,
    /// The server has no such attribute.
    color: Option<String>,
    /// The server's owner has a read-only `display` too.
    owner: Option<StaleOwner>,
    /// What this type does not model (`screenSize`).
    #[scim(unknown)]
    unknown: Map<String, Value>,
}

/// The owner, without `display`.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
struct StaleOwner {
    /// The server says case-exact.
    value: Option<String>,
}

#[tokio::test]
async fn drift_against_a_different_local_device() {
    let Some(scim) = device_client("codegen_interop::drift_against_a_different_local_device")
    else {
        return;
    };
    let drift = scim
        .check_drift::<StaleDevice>()
        .await
        .expect("drift check");
    let at = |path: &str, kind| Difference {
        schema: DEVICE.to_owned(),
        path: path.to_owned(),
        kind,
    };
    assert_eq!(
        drift,
        [
            at(
                "serialNumber",
                DifferenceKind::Required {
                    local: false,
                    remote: true
                }
            ),
            at(
                "serialNumber",
                DifferenceKind::CaseExact {
                    local: false,
                    remote: true
                }
            ),
            at(
                "serialNumber",
                DifferenceKind::Uniqueness {
                    local: Uniqueness::None,
                    remote: Uniqueness::Server
                }
            ),
            at(
                "displayName",
                DifferenceKind::Type {
                    local: AttributeType::Integer,
                    remote: AttributeType::String
                }
            ),
            at(
                "active",
                DifferenceKind::Mutability {
                    local: Mutability::Immutable,
                    remote: Mutability::ReadWrite
                }
            ),
            at(
                "purchased",
                DifferenceKind::MultiValued {
                    local: true,
                    remote: false
                }
            ),
            at(
                "tags",
                DifferenceKind::Returned {
                    local: Returned::Request,
                    remote: Returned::Default
                }
            ),
            at("color", DifferenceKind::MissingOnServer),
            at(
                "owner.value",
                DifferenceKind::CaseExact {
                    local: false,
                    remote: true
                }
            ),
            at("owner.display", DifferenceKind::MissingLocally),
            at("screenSize", DifferenceKind::MissingLocally),
        ],
        "{}",
        scim_client::drift::render(&drift)
    );
    assert_eq!(
        drift[0].to_string(),
        format!("{DEVICE}: serialNumber: requiredness differs: local optional, server required")
    );
}
