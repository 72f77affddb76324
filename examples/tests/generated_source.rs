//! The generated source the `generated_types` example compiles is what `scim-codegen` writes
//! for the schemas in `examples/data` today.

use scim_client::codegen;
use serde_json::Value;

fn data(name: &str) -> Value {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("data file")).expect("JSON")
}

#[test]
fn generated_source_is_current() {
    let source = codegen::generate_from_json(
        &data("device-schemas.json"),
        Some(&data("device-resource-types.json")),
    )
    .expect("generates");
    let checked_in = include_str!("../generated/device.rs");
    assert!(
        source == checked_in,
        "examples/generated/device.rs is stale: regenerate it (see the example's docs)"
    );
}
