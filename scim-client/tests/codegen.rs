//! Code generation (`scim_client::codegen`): the source generated for the RFC 7643 `User`,
//! `Group` and `EnterpriseUser` schemas and for a vendor schema with nested complex and
//! multi-valued attributes is byte-identical to the golden files in `tests/generated/` (which
//! `codegen_compiles.rs` compiles and checks against the input schemas), is what `rustfmt`
//! would write, and names every struct and field once. Plus the error cases.
//!
//! Regenerate the golden files with `SCIM_BLESS=1 cargo test -p scim-client --test codegen`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use scim_client::codegen::{self, CodegenError, ResourceTypeSpec};
use scim_client::schema::SchemaDef;
use serde_json::{Value, json};

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn json(path: &str) -> Value {
    let path = manifest(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares `source` with the golden file, or rewrites the golden file under `SCIM_BLESS=1`.
fn golden(name: &str, source: &str) {
    let path = manifest(&format!("tests/generated/{name}"));
    if std::env::var_os("SCIM_BLESS").is_some() {
        std::fs::write(&path, source).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with SCIM_BLESS=1 to create it)",
            path.display()
        )
    });
    if expected != source {
        let line = expected
            .lines()
            .zip(source.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(source.lines().count()));
        panic!(
            "{} differs from the generated source at line {}:\n  golden:    {:?}\n  generated: {:?}\n\
             (run with SCIM_BLESS=1 to update it)",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            source.lines().nth(line)
        );
    }
}

fn rfc_source() -> String {
    codegen::generate_from_json(
        &json("tests/fixtures/rfc7643/resource-schemas.json"),
        Some(&json("tests/fixtures/rfc7643/resource-types.json")),
    )
    .expect("generate the RFC types")
}

fn vendor_source() -> String {
    codegen::generate_from_json(
        &json("tests/fixtures/codegen/vendor-schemas.json"),
        Some(&json("tests/fixtures/codegen/vendor-resource-types.json")),
    )
    .expect("generate the vendor types")
}

#[test]
fn rfc_schemas_match_the_golden_file() {
    golden("rfc.rs", &rfc_source());
}

#[test]
fn vendor_schemas_match_the_golden_file() {
    golden("vendor.rs", &vendor_source());
}

/// The per-file inputs (`schema-*.json`, `resource-type-*.json`) give the same source as the
/// combined lists, and `generate` on typed input gives the same source as `generate_from_json`.
#[test]
fn every_input_form_gives_the_same_source() {
    let schemas = json!([
        json("tests/fixtures/rfc7643/schema-user.json"),
        json("tests/fixtures/rfc7643/schema-group.json"),
        json("tests/fixtures/rfc7643/schema-enterprise-user.json"),
    ]);
    let list_response = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 2,
        "Resources": [
            json("tests/fixtures/rfc7643/resource-type-user.json"),
            json("tests/fixtures/rfc7643/resource-type-group.json"),
        ],
    });
    let from_files = codegen::generate_from_json(&schemas, Some(&list_response)).expect("files");
    assert_eq!(from_files, rfc_source());

    let defs: Vec<SchemaDef> = schemas
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| SchemaDef::from_json(s).expect("schema"))
        .collect();
    let specs = [
        ResourceTypeSpec::new(
            "User",
            "/Users",
            "urn:ietf:params:scim:schemas:core:2.0:User",
        )
        .description("User Account")
        .extension(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            true,
        ),
        ResourceTypeSpec::new(
            "Group",
            "/Groups",
            "urn:ietf:params:scim:schemas:core:2.0:Group",
        )
        .description("Group"),
    ];
    assert_eq!(
        codegen::generate(&defs, &specs).expect("typed"),
        rfc_source()
    );
}

/// The generated source is what `rustfmt` writes (skipped when `rustfmt` is not installed).
#[test]
fn generated_source_is_rustfmt_clean() {
    for (name, source) in [("rfc", rfc_source()), ("vendor", vendor_source())] {
        let dir =
            std::env::temp_dir().join(format!("scim-codegen-fmt-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("generated.rs");
        std::fs::write(&file, &source).expect("write");
        let status = std::process::Command::new("rustfmt")
            .args(["--edition", "2024"])
            .arg(&file)
            .status();
        let Ok(status) = status else {
            eprintln!("rustfmt not found: skipping the formatting check");
            return;
        };
        assert!(status.success(), "rustfmt failed on the {name} source");
        let formatted = std::fs::read_to_string(&file).expect("read");
        let _ = std::fs::remove_dir_all(&dir);
        if formatted != source {
            let line = formatted
                .lines()
                .zip(source.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "rustfmt changes the {name} source at line {}:\n  rustfmt:   {:?}\n  generated: {:?}",
                line + 1,
                formatted.lines().nth(line),
                source.lines().nth(line)
            );
        }
    }
}

/// No two structs share a name, no struct has two fields of one name, and no field is a bare
/// Rust keyword.
#[test]
fn names_never_clash() {
    for source in [rfc_source(), vendor_source()] {
        let mut structs = HashSet::new();
        let mut fields = HashSet::new();
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                let name = rest.trim_end_matches(" {");
                assert!(structs.insert(name.to_owned()), "two structs `{name}`");
                fields.clear();
            } else if let Some(rest) = line.strip_prefix("    pub ") {
                let name = rest.split(':').next().expect("a field");
                assert!(fields.insert(name.to_owned()), "two fields `{name}`");
                assert!(
                    !["type", "ref", "self", "match", "struct"].contains(&name),
                    "keyword field `{name}`"
                );
            }
        }
    }
}

/// What the vendor source shows: renames, keywords, clashes, nested complex types, docs.
#[test]
fn vendor_source_details() {
    let source = vendor_source();
    let has = |needle: &str| {
        assert!(
            source.contains(needle),
            "the vendor source lacks:\n{needle}\n---\n{source}"
        );
    };
    // A keyword attribute name: a trailing `_`, which the derive reads as the same wire name.
    has("    #[scim(\n        mutability = \"immutable\",\n        returned = \"always\",\n");
    has("    pub type_: Option<String>,\n");
    // Names camel case cannot give back are renamed.
    has(
        "    #[scim(rename = \"memoryMB\", mutability = \"readOnly\", returned = \"request\")]\n    pub memory_mb: Option<i64>,\n",
    );
    has("    #[scim(rename = \"IPAddress\")]\n    pub ip_address: Option<String>,\n");
    has(
        "    #[scim(rename = \"$ref\", reference_types = [\"User\"])]\n    pub ref_: Option<Reference>,\n",
    );
    // An attribute called `unknown` keeps its name; the unknown map moves aside.
    has("    pub unknown: Option<String>,\n");
    has("    #[scim(unknown)]\n    pub unknown_: serde_json::Map<String, serde_json::Value>,\n");
    // Every RFC type maps to its Rust type.
    has("    pub purchased: Option<jiff::Timestamp>,\n");
    has("    pub screen_size: Option<f64>,\n");
    has("    pub firmware_image: Option<Binary>,\n");
    has("    pub tags: Vec<String>,\n");
    // Multi-valued complex attributes nest, named after their parents, singular.
    has("    #[scim(required)]\n    pub interfaces: Vec<DeviceInterface>,\n");
    has("    pub addresses: Vec<DeviceInterfaceAddress>,\n");
    has("    #[scim(mutability = \"readOnly\")]\n    pub link: Option<DeviceInterfaceLink>,\n");
    has("pub struct DeviceInterfaceAddress {\n");
    // Two attributes whose structs would share a name.
    has("    pub interface: Option<DeviceInterface2>,\n");
    // An extension whose schema name is a resource's.
    has("    #[scim(extension, required)]\n    pub acme_device: Option<AcmeDevice>,\n");
    has("    #[scim(extension)]\n    pub device_extension: Option<DeviceExtension>,\n");
    has("pub struct DeviceExtension {\n");
    has(
        "#[scim(\n    schema = \"urn:example:params:scim:schemas:extension:audit:2.0:Device\",\n    name = \"Device\",\n",
    );
    // An empty description: a doc comment for rustdoc, an empty `description` for the schema.
    has("    /// The `asset-tag` attribute.\n    #[scim(\n        rename = \"asset-tag\",\n");
    // A description rustdoc would misread: escaped in the doc, exact in `description`.
    has(
        "    /// Where the manual is, e.g. <https://example.com/manuals/x1.pdf> \\[vendor site\\]. See also\n    /// \\<the index\\>.\n",
    );
    has(
        "description = \"Where the manual is, e.g. https://example.com/manuals/x1.pdf [vendor site].  See also <the index>.\"",
    );
    // A wrapped doc line never starts with `-` (a Markdown list item).
    assert!(
        !source.lines().any(|l| l.trim_start().starts_with("/// - ")),
        "a doc line starts a list"
    );
    has("use scim_client::{Binary, Reference, ScimComplex, ScimExtension, ScimResource};\n");
}

#[test]
fn rfc_source_details() {
    let source = rfc_source();
    let has = |needle: &str| {
        assert!(
            source.contains(needle),
            "the RFC source lacks:\n{needle}\n---\n{source}"
        );
    };
    has(
        "#[scim(\n    schema = \"urn:ietf:params:scim:schemas:core:2.0:User\",\n    name = \"User\",\n    resource_type = \"User\",\n    endpoint = \"/Users\",\n    description = \"User Account\"\n)]\npub struct User {\n",
    );
    has("    #[scim(extension, required)]\n    pub enterprise_user: Option<EnterpriseUser>,\n");
    has("    pub emails: Vec<UserEmail>,\n");
    has("    pub x509_certificates: Vec<UserX509Certificate>,\n");
    has("    pub manager: Option<EnterpriseUserManager>,\n");
    has(
        "    #[scim(\n        mutability = \"writeOnly\",\n        returned = \"never\",\n        description = \"The User's cleartext password.  This attribute",
    );
    has(
        "    #[scim(\n        rename = \"$ref\",\n        mutability = \"immutable\",\n        reference_types = [\"User\", \"Group\"]\n    )]\n    pub ref_: Option<Reference>,\n",
    );
    // The RFC's double spaces after periods survive in `description`.
    has("non-empty userName value.  This identifier MUST be unique across");
}

#[test]
fn without_resource_types_schemas_are_resources_or_extensions_by_urn() {
    let source =
        codegen::generate_from_json(&json("tests/fixtures/rfc7643/resource-schemas.json"), None)
            .expect("generate");
    assert!(source.contains("pub struct User {"));
    assert!(source.contains("    endpoint = \"/Users\",\n"));
    assert!(source.contains("pub struct Group {"));
    assert!(source.contains("#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]"));
    assert!(source.contains("pub struct EnterpriseUser {"));
    // Not attached to any resource.
    assert!(!source.contains("#[scim(extension"));
}

#[test]
fn common_attributes_listed_by_a_schema_are_left_out() {
    let schemas = json!([{
        "id": "urn:example:params:scim:schemas:2.0:Thing",
        "name": "Thing",
        "attributes": [
            {"name": "id", "type": "string", "mutability": "readOnly", "returned": "always"},
            {"name": "schemas", "type": "reference", "multiValued": true},
            {"name": "label", "type": "string"},
            {"name": "meta", "type": "complex", "subAttributes": []}
        ]
    }]);
    let source = codegen::generate_from_json(&schemas, None).expect("generate");
    assert_eq!(source.matches("    pub id:").count(), 1);
    assert_eq!(source.matches("    pub meta:").count(), 1);
    assert!(!source.contains("pub schemas"));
    assert!(source.contains("    pub label: Option<String>,\n"));
}

#[test]
fn errors_name_what_is_wrong() {
    let thing = |attributes: Value| {
        json!([{
            "id": "urn:example:params:scim:schemas:2.0:Thing",
            "name": "Thing",
            "attributes": attributes
        }])
    };
    let err = codegen::generate_from_json(&thing(json!([{"name": "a"}, {"name": "A"}])), None)
        .expect_err("duplicate");
    assert!(matches!(err, CodegenError::Unsupported { ref path, .. } if path == "A"));
    assert!(err.to_string().contains("case-insensitive"), "{err}");

    let err = codegen::generate_from_json(&thing(json!([{"name": "9lives"}])), None)
        .expect_err("bad name");
    assert!(err.to_string().contains("RFC 7643 section 2.1"), "{err}");

    let err = codegen::generate_from_json(
        &thing(json!([{"name": "a", "type": "complex", "subAttributes": [{"name": "schemas"}]}])),
        None,
    )
    .expect_err("schemas");
    assert!(matches!(err, CodegenError::Unsupported { ref path, .. } if path == "a.schemas"));

    let err = codegen::generate_from_json(&thing(json!([{"name": "a", "type": "text"}])), None)
        .expect_err("bad type");
    assert!(matches!(err, CodegenError::Schema { ref schema, .. } if schema.ends_with("Thing")));

    let err = codegen::generate_from_json(&json!([{"id": "Thing", "attributes": []}]), None)
        .expect_err("not a URN");
    assert!(err.to_string().contains("URN"), "{err}");

    let err = codegen::generate_from_json(
        &thing(json!([])),
        Some(&json!([{"name": "Thing", "endpoint": "/Things", "schema": "urn:x:y"}])),
    )
    .expect_err("missing schema");
    assert!(
        matches!(err, CodegenError::MissingSchema { ref schema, .. } if schema == "urn:x:y"),
        "{err}"
    );

    let err = codegen::generate_from_json(&thing(json!([])), Some(&json!([{"name": "Thing"}])))
        .expect_err("no endpoint");
    assert!(
        matches!(err, CodegenError::Input { ref at, .. } if at == "ResourceTypes[0].endpoint"),
        "{err}"
    );

    let err = codegen::generate_from_json(&json!("nope"), None).expect_err("not JSON schemas");
    assert!(matches!(err, CodegenError::Input { .. }), "{err}");
}

/// With resource types, only the schemas they use are generated: others (the RFC 7643 meta
/// schemas, or a schema whose id a derive could not take) are skipped.
#[test]
fn schemas_no_resource_type_uses_are_skipped() {
    let mut schemas = json("tests/fixtures/rfc7643/resource-schemas.json");
    let list = schemas.as_array_mut().expect("a list");
    list.push(json("tests/fixtures/rfc7643/schema-schema.json"));
    list.push(json!({"id": "not a urn", "name": "Odd", "attributes": []}));
    let source = codegen::generate_from_json(
        &schemas,
        Some(&json("tests/fixtures/rfc7643/resource-types.json")),
    )
    .expect("generate");
    assert_eq!(source, rfc_source());
}
