//! Rust types generated from a server's schemas, then used.
//!
//! `tests/generated/device.rs` was written by `scim-codegen` from the `Device` schema a server
//! serves (`.ci/fixtures/device-*.json`, the files `.ci/run` starts `scim2-server` with; the
//! interop test `codegen_interop.rs` keeps the file in step with them). This example
//!
//! 1. generates the source again, from a live server when `SCIM_DEVICE_BASE_URL` points at one
//!    serving that schema (as `.ci/run` starts `scim2-server`), else from the data files, and
//!    checks it equals the file compiled in;
//! 2. uses the generated `Device` type: the schema it exports equals the server's, and the
//!    codec writes it in the create context;
//! 3. against the live server, creates, finds and deletes a device through it, and checks
//!    the server's schema for drift.
//!
//! Run with `cargo run -p scim-examples --example generated_types`.

use scim_client::codec::{self, Context};
use scim_client::protocol::SearchRequest;
use scim_client::schema::SchemaDef;
use scim_client::{Client, Resource, codegen};
use serde_json::Value;

/// The generated types (checked in; regenerate with
/// `cargo run -p scim-codegen -- --schemas .ci/fixtures/device-schema.json
/// --resource-types .ci/fixtures/device-resource-type.json --out tests/generated/device.rs`).
#[allow(unreachable_pub, clippy::doc_markdown, clippy::struct_field_names)]
mod device {
    include!("../tests/generated/device.rs");
}

const GENERATED: &str = include_str!("../tests/generated/device.rs");

fn data(name: &str) -> Result<Value, Box<dyn std::error::Error>> {
    let path = format!("{}/../.ci/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("SCIM_DEVICE_BASE_URL")
        .ok()
        .filter(|u| !u.is_empty());

    // 1. Generate.
    let (source, client) = if let Some(url) = &base_url {
        let client = Client::builder(url).build()?;
        let discovery = client.discover().await?;
        println!("generating from {url}");
        (codegen::generate_from_discovery(&discovery)?, Some(client))
    } else {
        println!("SCIM_DEVICE_BASE_URL not set: generating from .ci/fixtures");
        let schemas = data("device-schema.json")?;
        let types = data("device-resource-type.json")?;
        (codegen::generate_from_json(&schemas, Some(&types))?, None)
    };
    println!(
        "{} lines of Rust; the same as tests/generated/device.rs: {}",
        source.lines().count(),
        source == GENERATED
    );
    if source != GENERATED {
        return Err("the server's schemas changed: regenerate tests/generated/device.rs".into());
    }

    // 2. Use the generated type.
    let input = data("device-schema.json")?;
    let input = SchemaDef::from_json(input.get(0).ok_or("no schema")?)?;
    assert_eq!(
        *device::Device::SCHEMA,
        input,
        "exports the schema it came from"
    );
    let laptop = device::Device {
        serial_number: Some(format!("SN-{}", std::process::id())),
        display_name: Some("Laptop".to_owned()),
        screen_size: Some(14.0),
        tags: vec!["example".to_owned()],
        owner: Some(device::DeviceOwner {
            value: Some("u1".to_owned()),
            // Read-only: the codec does not send it.
            display: Some("Barbara".to_owned()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let body = codec::to_value(&laptop, Context::CreateRequest)?;
    println!("create request body: {body}");

    // 3. Against the server.
    if let Some(client) = client {
        let devices = client.resource::<device::Device>();
        let created = devices.create(&laptop).await?;
        let id = created.id.clone().ok_or("no id")?;
        println!(
            "created {} as {id}",
            created.serial_number.as_deref().unwrap_or("?")
        );
        let found = devices
            .list(&SearchRequest::new().filter(format!(
                r#"serialNumber eq "{}""#,
                laptop.serial_number.as_deref().unwrap_or_default()
            )))
            .await?;
        println!("found {} device(s) by serial number", found.resources.len());
        let drift = client.check_drift::<device::Device>().await?;
        println!("schema drift: {} difference(s)", drift.len());
        for d in &drift {
            println!("  {d}");
        }
        devices.delete(&id).await?;
        println!("deleted {id}");
    }
    Ok(())
}
